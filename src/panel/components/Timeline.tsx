import { describeEvent } from '../../shared/page-summary.ts';
import type { TimelineEvent } from '../../shared/protocol.ts';
import { snapText } from '../../shared/snap-text.ts';

/** What happened, in order, since the page started loading. Newest last, like a log. */
export function Timeline({ events, dropped, late }: { events: TimelineEvent[]; dropped: number; late: boolean }) {
  return (
    <section class="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      {late && <p class="muted">The inspector was attached after this page started; reload the page to see everything from the start.</p>}
      {dropped > 0 && <p class="muted">{dropped} older events were dropped (only the newest 500 are kept).</p>}
      {events.length === 0 ? (
        <p class="muted">Nothing recorded yet.</p>
      ) : (
        <ol class="timeline" data-testid="timeline">
          {events.map((e) => (
            <li key={e.seq} data-kind={e.kind}>
              <span class="time">{e.t.toFixed(1)} ms</span> <span class="what">{describeEvent(e)}</span>
              {e.args !== undefined && <code class="args">{snapText(e.args, 600)}</code>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
