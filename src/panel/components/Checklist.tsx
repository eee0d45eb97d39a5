import type { RuleId, RuleResult } from '../../shared/analysis/rules.ts';
import { visible } from '../format/visible-text.ts';

const ICON: Record<RuleResult['status'], string> = { pass: '✓', warn: '!', fail: '✗', skip: '–' };
/** A check's status in words, as the checklist shows it (also where a status change is told). */
export const STATUS_WORD: Record<RuleResult['status'], string> = { pass: 'Pass', warn: 'Warning', fail: 'Fail', skip: 'Not checked' };

/**
 * Every check, failing ones first and open; each expands to its evidence and the fix, and a fix
 * that can be tried on one reload has a button for it (`tryable`, `onTry`).
 */
export function Checklist({ results, tryable, onTry }: { results: RuleResult[]; tryable?: ReadonlySet<RuleId>; onTry?: (id: RuleId) => void }) {
  const order: RuleResult['status'][] = ['fail', 'warn', 'pass', 'skip'];
  const sorted = [...results].sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status));
  const failing = results.filter((r) => r.status === 'fail').length;
  const warnings = results.filter((r) => r.status === 'warn').length;
  return (
    <section class="card" aria-labelledby="checklist-title">
      <h2 id="checklist-title">
        QA checklist{' '}
        <span class="muted small">
          ({failing} failing, {warnings} {warnings === 1 ? 'warning' : 'warnings'}, {results.filter((r) => r.status === 'pass').length} passing)
        </span>
      </h2>
      <ul class="checklist" data-testid="checklist">
        {sorted.map((r) => (
          <li key={r.id} class={`rule rule-${r.status}`} data-rule={r.id} data-status={r.status}>
            <details open={r.status === 'fail'}>
              <summary>
                <span class="rule-icon" aria-hidden="true">
                  {ICON[r.status]}
                </span>{' '}
                <span class="rule-title">{r.title}</span> <span class="rule-status">{STATUS_WORD[r.status]}</span>
              </summary>
              <ul class="evidence">
                {r.evidence.map((e, i) => (
                  <li key={i}>{visible(e)}</li>
                ))}
              </ul>
              {r.fix && (
                <p class="fix">
                  <strong>Fix:</strong> {visible(r.fix)}
                  {r.docStep && <span class="muted"> (Ortto guide: “{r.docStep}”)</span>}
                </p>
              )}
              {onTry && tryable?.has(r.id) && (
                <button type="button" class="try-button" data-testid={`try-${r.id}`} onClick={() => onTry(r.id)}>
                  Try on reload
                </button>
              )}
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}
