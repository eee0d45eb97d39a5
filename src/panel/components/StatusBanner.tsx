import { captureScriptLoadsOf } from '../../shared/analysis/facts.ts';
import { INTEGRATION_NAMES, type PageSummary } from '../../shared/analysis/page-summary.ts';
import { maskToken } from '../../shared/mask.ts';
import type { PageReport } from '../../shared/protocol/model.ts';
import { visible } from '../format/visible-text.ts';

/** What the recorder would have told, on a page that kept it from working (report.interference). */
export const UNKNOWN = 'Unknown: the inspector could not record it (see the first check)';

const ms = (t: number): string => `${Math.round(t).toLocaleString('en-US')} ms`;
const times = (n: number): string => (n === 1 ? 'once' : `${n} times`);

interface Row {
  label: string;
  value: string;
  tone: 'ok' | 'warn' | 'bad' | 'info';
  id: string;
  /** What the row says is inferred from other signs rather than seen (never shown as fact). */
  inferred?: boolean;
}

/**
 * The first thing a person reads: is Ortto's snippet here, and is there a Talk token. It tells the
 * current state: a page that removed window.ap3c or ran the snippet again is not shown as its first run.
 */
export function StatusBanner({ report, summary }: { report: PageReport; summary: PageSummary }) {
  const { lifecycle, integration, queued } = summary;
  const removed = lifecycle.removed;
  const removedWords = removed ? `removed by the page ${removed.t === null ? '(seen when the page was read)' : `at ${ms(removed.t)}`}: ${removed.how}` : '';
  const via = integration.kind === 'snippet' ? '' : ` (${INTEGRATION_NAMES[integration.kind]})`;
  // Without DevTools' network log here: the page's elements, its fetches and the capture script's own runs.
  const loads = captureScriptLoadsOf(report, summary, null).count;
  const inits = summary.initCalls.length;
  const connector = summary.initCalls.find((c) => c.via !== 'init')?.via;
  // The page kept the recorder from working: what it did with ap3c is unknown, never "none".
  const unknown = report.interference !== undefined;

  const snippet: Row = {
    id: 'snippet',
    label: 'Ortto snippet',
    value: summary.ap3cUnreadable
      ? `Present, not readable (${summary.ap3cUnreadable})`
      : !summary.snippetFound
        ? unknown
          ? UNKNOWN
          : 'Not found on this page'
        : removed
          ? `Found, then ${removedWords}`
          : lifecycle.replacedAt !== null
            ? `Found${via}; window.ap3c replaced at ${ms(lifecycle.replacedAt)}`
            : `Found${via}`,
    tone: unknown && !summary.snippetFound ? 'info' : !summary.snippetFound || removed ? 'bad' : lifecycle.replacedAt !== null ? 'warn' : 'ok',
    inferred: integration.kind !== 'snippet' && integration.basis === 'inferred',
  };
  const script: Row = {
    id: 'script',
    label: 'Capture script',
    value: summary.scriptLoaded
      ? `Loaded${loads > 1 ? ` ${loads} times` : ''}${removed ? ' (before window.ap3c was removed)' : ''}`
      : summary.snippetFound
        ? queued
          ? `Not loaded: ${queued.functions + queued.data.length} command(s) wait on ap3c.${queued.queue}`
          : 'Not loaded (yet)'
        : '—',
    tone: summary.scriptLoaded ? (loads > 1 || removed ? 'warn' : 'ok') : summary.snippetFound ? 'warn' : 'info',
  };
  const init: Row = {
    id: 'init',
    label: 'ap3c.init',
    value:
      inits === 0
        ? queued
          ? `Not called (queued, waiting for the capture script)`
          : unknown
            ? UNKNOWN
            : 'Not called'
        : `${inits === 1 ? 'Called once' : `Called ${inits} times`}${connector ? ` (ap3c.${connector})` : ''}${loads > 1 ? `; capture script loaded ${times(loads)}` : ''}${removed ? ' (before window.ap3c was removed)' : ''}`,
    tone: inits === 1 && !removed ? 'ok' : unknown && inits === 0 ? 'info' : 'warn',
  };
  let token: Row;
  if (summary.token)
    token = {
      id: 'token',
      label: 'Talk token',
      value: `Present (from ${summary.token.source === 'init' ? 'ap3c.init' : 'setVerifiedSession'})${removed ? ', in the run before window.ap3c was removed' : ''}`,
      tone: removed ? 'warn' : 'ok',
    };
  else if (inits === 0 && queued?.dataToken)
    token = {
      id: 'token',
      label: 'Talk token',
      value: `In a queued command, not run yet: ${maskToken(queued.dataToken.value)}`,
      tone: 'warn',
      inferred: true,
    };
  else if (inits === 0 && queued)
    token = { id: 'token', label: 'Talk token', value: 'Unknown until ap3c.init runs (the queued command is a function)', tone: 'warn' };
  else if (unknown) token = { id: 'token', label: 'Talk token', value: UNKNOWN, tone: 'info' };
  else token = { id: 'token', label: 'Talk token', value: 'None given', tone: 'bad' };
  const talk: Row = {
    id: 'talk',
    label: 'Talk',
    value: summary.talkDisabledBy.length
      ? `Disabled by ${summary.talkDisabledBy.join(', ')}${integration.kind === 'webview' ? " (as Ortto's in-app webview runner does)" : ''}`
      : report.widget.present
        ? `Widget shown${removed ? ', left from the run before window.ap3c was removed' : ''}`
        : 'Widget not on the page',
    tone: summary.talkDisabledBy.length || (removed && report.widget.present) ? 'warn' : report.widget.present ? 'ok' : 'info',
    inferred: integration.kind === 'webview',
  };
  const rows: Row[] = [snippet, script, init, token, talk];
  const error = lifecycle.latestRunError;
  if (error) rows.push({ id: 'latest-run', label: 'Latest snippet run', value: `Threw at ${ms(error.t)}: ${error.message}`, tone: 'bad' });
  return (
    <section class="card" aria-labelledby="status-title">
      <h2 id="status-title">Status</h2>
      <dl class="status-grid">
        {rows.map((r) => (
          <div class={`status-row tone-${r.tone}`} key={r.id}>
            <dt>
              {r.label}
              {r.inferred && (
                <span class="basis" title="Inferred from other signs on the page, not seen directly">
                  {' '}
                  (inferred)
                </span>
              )}
            </dt>
            <dd data-testid={`status-${r.id}`}>{visible(r.value)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
