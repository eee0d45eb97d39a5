/** The panel's view of one tab. Pure rendering of a TabState: testable outside the extension. */

import { summarize } from '../shared/page-summary.ts';
import type { TabState } from '../shared/protocol.ts';
import { ConfigCard } from './components/ConfigCard.tsx';
import { StatusBanner } from './components/StatusBanner.tsx';
import { Timeline } from './components/Timeline.tsx';
import { TokenCard } from './components/TokenCard.tsx';
import { WidgetCard } from './components/WidgetCard.tsx';

export interface AppProps {
  state: TabState | null;
  connected: boolean;
}

export function App({ state, connected }: AppProps) {
  return (
    <main class="panel" aria-busy={state === null}>
      <header class="panel-header">
        <h1>Talk Inspector</h1>
        <span class={`connection ${connected ? 'ok' : 'lost'}`} role="status">
          {connected ? 'Live' : 'Reconnecting…'}
        </span>
      </header>
      <Body state={state} />
    </main>
  );
}

function Body({ state }: { state: TabState | null }) {
  if (state === null) return <p class="muted">Connecting to the page…</p>;
  if (!state.inspectable)
    return (
      <section class="card notice" data-testid="not-inspectable">
        <h2>Cannot inspect this page</h2>
        <p>{state.reason}</p>
      </section>
    );
  if (!state.report)
    return (
      <section class="card notice" data-testid="waiting">
        <h2>Waiting for the page</h2>
        <p>Talk Inspector has not heard from this page yet. If it stays like this, reload the page.</p>
      </section>
    );
  const report = state.report;
  const summary = summarize(report);
  return (
    <>
      <StatusBanner report={report} summary={summary} />
      <TokenCard summary={summary} />
      <ConfigCard summary={summary} />
      <WidgetCard widget={report.widget} cookies={report.cookies} />
      <Timeline events={report.events} dropped={report.dropped} late={report.late} />
      <p class="muted small" data-testid="page-url">
        Page: {report.url}
      </p>
    </>
  );
}
