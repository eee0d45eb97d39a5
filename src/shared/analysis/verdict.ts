/** The one most likely cause of "Not verified", in one sentence a non-expert understands. Pure. */
import type { Facts } from './facts.ts';
import { RULES, type Rule, type RuleId, type RuleResult } from './rules.ts';

/** Each rule's own verdict (rules.ts), by id. */
const RULE_VERDICTS = new Map<RuleId, NonNullable<Rule['verdict']>>(RULES.flatMap((r) => ('verdict' in r ? [[r.id, r.verdict] as const] : [])));

export type VerdictKind = 'verified' | 'not-verified' | 'talk-disabled' | 'no-snippet' | 'unknown';

export interface Verdict {
  kind: VerdictKind;
  headline: string;
  /** The rule the verdict comes from (null when nothing failed). */
  ruleId: RuleId | null;
}

export function verdictOf(results: RuleResult[], facts: Facts): Verdict {
  // The failing rule with the most fundamental cause (lowest rank) gives the verdict.
  let best: { rank: number; verdict: Verdict } | null = null;
  for (const r of results) {
    if (r.status !== 'fail') continue;
    const v = RULE_VERDICTS.get(r.id);
    if (v && (best === null || v.rank < best.rank)) best = { rank: v.rank, verdict: { kind: v.kind, headline: v.say(r), ruleId: r.id } };
  }
  if (best) return best.verdict;
  const widget = facts.report.widget;
  if (facts.summary.token && widget.present && widget.notVerifiedLabel === false)
    return { kind: 'verified', headline: 'Verified: the page gives Talk a token and the widget shows no "Not verified" label.', ruleId: null };
  if (widget.notVerifiedLabel === true)
    return { kind: 'not-verified', headline: 'The widget says "Not verified", and no check explains why: see the warnings below.', ruleId: null };
  return { kind: 'unknown', headline: 'No problem found so far. Open the Talk widget to see its state.', ruleId: null };
}
