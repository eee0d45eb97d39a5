import { useEffect } from 'preact/hooks';
import type { Verdict } from '../../shared/analysis/verdict.ts';
import { VERDICT_MARK } from '../../shared/protocol/panel.ts';
import { visible } from '../format/visible-text.ts';

const LABEL: Record<Verdict['kind'], string> = {
  verified: 'Verified',
  'not-verified': 'Not verified',
  'talk-disabled': 'Talk disabled',
  'no-snippet': 'No Ortto snippet',
  unknown: 'Checking',
};

/** The answer first: one sentence a non-expert understands. */
export function VerdictBanner({ verdict }: { verdict: Verdict }) {
  // The benchmark reads this mark: time from the panel's start to its first verdict.
  useEffect(() => {
    if (performance.getEntriesByName(VERDICT_MARK).length === 0) performance.mark(VERDICT_MARK);
  }, []);
  return (
    <section
      class={`verdict verdict-${verdict.kind}`}
      aria-labelledby="verdict-title"
      data-testid="verdict"
      data-kind={verdict.kind}
      data-rule={verdict.ruleId ?? ''}
    >
      <h2 id="verdict-title">
        <span class="verdict-label">{LABEL[verdict.kind]}</span>
      </h2>
      <p class="verdict-text">{visible(verdict.headline)}</p>
    </section>
  );
}
