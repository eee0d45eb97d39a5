import { useEffect } from 'preact/hooks';
import { type Verdict, verdictWord } from '../../shared/analysis/verdict.ts';
import { VERDICT_MARK } from '../../shared/protocol/panel.ts';
import { visible } from '../format/visible-text.ts';

/** Verdicts a fresh token can fix: they lead straight to the support form. */
const TOKEN_FIXES = new Set(['token-present', 'token-well-formed', 'token-not-expired', 'token-accepted']);

/**
 * The answer first: one sentence a non-expert understands, and any security problem to fix now in
 * the same banner (never a green "Verified" beside a red alert). `alertDetails`: what and where.
 */
export function VerdictBanner({ verdict, alertDetails, supportHref }: { verdict: Verdict; alertDetails?: string; supportHref?: string }) {
  // The benchmark reads this mark: time from the panel's start to its first verdict.
  useEffect(() => {
    if (performance.getEntriesByName(VERDICT_MARK).length === 0) performance.mark(VERDICT_MARK);
  }, []);
  return (
    <section
      class={`verdict verdict-${verdict.kind}${verdict.alert ? ' verdict-has-alert' : ''}`}
      aria-labelledby="verdict-title"
      data-testid="verdict"
      data-kind={verdict.kind}
      data-rule={verdict.ruleId ?? ''}
    >
      {/* A new verdict (the page changed, a token was applied) is read out, label and sentence, once; the alert below speaks for itself. */}
      <div aria-live="polite" aria-atomic="true" data-testid="verdict-live">
        <h2 id="verdict-title">
          <span class="verdict-label">{verdictWord(verdict)}</span>
        </h2>
        <p class="verdict-text">{visible(verdict.headline)}</p>
      </div>
      {supportHref && verdict.ruleId && TOKEN_FIXES.has(verdict.ruleId) && (
        <p class="verdict-action">
          <a href={supportHref} data-testid="verdict-to-support">
            Get a verified token for a person and try it on this page
          </a>
        </p>
      )}
      {verdict.alert && (
        <p class="verdict-alert" role="alert" data-testid="key-exposed">
          <strong>{verdict.alert}</strong> {visible(alertDetails ?? '')}
        </p>
      )}
    </section>
  );
}
