import type { PageSummary } from '../../shared/analysis/page-summary.ts';
import type { PageReport } from '../../shared/protocol/model.ts';
import { visible } from '../format/visible-text.ts';

/** The first thing a person reads: is Ortto's snippet here, and is there a Talk token. */
export function StatusBanner({ report, summary }: { report: PageReport; summary: PageSummary }) {
  const rows: { label: string; value: string; tone: 'ok' | 'warn' | 'bad' | 'info'; id: string }[] = [
    {
      id: 'snippet',
      label: 'Ortto snippet',
      value: summary.ap3cUnreadable ? `Present, not readable (${summary.ap3cUnreadable})` : summary.snippetFound ? 'Found' : 'Not found on this page',
      tone: summary.snippetFound ? 'ok' : 'bad',
    },
    {
      id: 'script',
      label: 'Capture script',
      value: summary.scriptLoaded ? 'Loaded' : summary.snippetFound ? 'Not loaded (yet)' : '—',
      tone: summary.scriptLoaded ? 'ok' : summary.snippetFound ? 'warn' : 'info',
    },
    {
      id: 'init',
      label: 'ap3c.init',
      value: summary.initCalls.length === 0 ? 'Not called' : summary.initCalls.length === 1 ? 'Called once' : `Called ${summary.initCalls.length} times`,
      tone: summary.initCalls.length === 1 ? 'ok' : summary.initCalls.length === 0 ? 'warn' : 'warn',
    },
    {
      id: 'token',
      label: 'Talk token',
      value: summary.token ? `Present (from ${summary.token.source === 'init' ? 'ap3c.init' : 'setVerifiedSession'})` : 'None given',
      tone: summary.token ? 'ok' : 'bad',
    },
    {
      id: 'talk',
      label: 'Talk',
      value: summary.talkDisabledBy.length
        ? `Disabled by ${summary.talkDisabledBy.join(', ')}`
        : report.widget.present
          ? 'Widget shown'
          : 'Widget not on the page',
      tone: summary.talkDisabledBy.length ? 'warn' : report.widget.present ? 'ok' : 'info',
    },
  ];
  return (
    <section class="card" aria-labelledby="status-title">
      <h2 id="status-title">Status</h2>
      <dl class="status-grid">
        {rows.map((r) => (
          <div class={`status-row tone-${r.tone}`} key={r.id}>
            <dt>{r.label}</dt>
            <dd data-testid={`status-${r.id}`}>{visible(r.value)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
