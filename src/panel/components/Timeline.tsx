import type { NetworkEvidence } from '../../shared/analysis/network.ts';
import { describeEvent } from '../../shared/analysis/page-summary.ts';
import type { TimelineEvent } from '../../shared/protocol/wire.ts';
import { snapText } from '../format/snap-text.ts';
import { visible } from '../format/visible-text.ts';

interface Row {
  key: string;
  /** ms since the page's time origin */
  t: number;
  kind: string;
  text: string;
  detail: string | null;
}

function networkRows(network: NetworkEvidence | null, timeOrigin: number): Row[] {
  if (!network) return [];
  const rows: Row[] = [];
  const rel = (at: number): number => (at > 0 ? at - timeOrigin : 0);
  for (const s of network.scripts)
    rows.push({
      key: `s${s.url}${s.at}`,
      t: rel(s.at),
      kind: 'network',
      text:
        s.status === 0 || s.status >= 400
          ? `Capture script failed: ${s.status === 0 ? (s.error ?? 'blocked') : `HTTP ${s.status}`}`
          : `Capture script loaded (HTTP ${s.status})`,
      detail: s.url,
    });
  for (const w of network.widgetsGets)
    rows.push({
      key: `w${w.url}${w.at}`,
      t: rel(w.at),
      kind: 'network',
      text: `Ortto -/widgets/get → HTTP ${w.status}: Talk ${w.tk === false ? 'off' : w.tk ? 'on' : '?'}, ${w.ttFingerprint ? `token sent (sha256:${w.ttFingerprint})` : 'no token sent'}`,
      detail: w.url,
    });
  for (const c of network.talkSessionCalls)
    rows.push({
      key: `k${c.url}${c.at}`,
      t: rel(c.at),
      kind: 'network-danger',
      text: `The page itself called the Talk session API (HTTP ${c.status}): your API key is exposed`,
      detail: c.keyFingerprint ? `${c.url} — key sha256:${c.keyFingerprint}` : c.url,
    });
  return rows;
}

/** What happened, in order, since the page started loading, with network events interleaved. */
export function Timeline(props: {
  events: TimelineEvent[];
  dropped: number;
  late: boolean;
  network: NetworkEvidence | null;
  timeOrigin: number;
  title?: string;
}) {
  const { events, dropped, late, network, timeOrigin } = props;
  const title = visible(props.title ?? 'Timeline');
  const rows: Row[] = [
    ...events.map((e) => ({ key: `e${e.seq}`, t: e.t, kind: e.kind, text: describeEvent(e), detail: e.args === undefined ? null : snapText(e.args, 600) })),
    ...networkRows(network, timeOrigin),
  ].sort((a, b) => a.t - b.t);
  return (
    <section class="card" aria-label={title}>
      <h2>{title}</h2>
      {late && <p class="muted">The inspector was attached after this page started; reload the page to see everything from the start.</p>}
      {dropped > 0 && <p class="muted">{dropped} older events were dropped (only the newest 500 are kept).</p>}
      {rows.length === 0 ? (
        <p class="muted">Nothing recorded yet.</p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
        <ol class="timeline" data-testid="timeline" tabIndex={0} aria-label="Events, oldest first">
          {rows.map((r) => (
            <li key={r.key} data-kind={r.kind} class={r.kind.startsWith('network') ? `net ${r.kind}` : undefined}>
              <span class="time">{r.t.toFixed(1)} ms</span> <span class="what">{visible(r.text)}</span>
              {r.detail !== null && <code class="args">{visible(r.detail)}</code>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
