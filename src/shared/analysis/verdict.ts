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
  /**
   * A security problem to fix now, whatever the verdict: the page calls Ortto's Talk API itself, so
   * its secret API key is in every visitor's browser. Shown in the same banner, never beside a
   * plain green "Verified".
   */
  alert: string | null;
}

/** The verdict in a word or two (the panel's label, the toolbar tooltip's first words). */
export function verdictWord(v: Pick<Verdict, 'kind' | 'ruleId'>): string {
  if (v.ruleId === 'inspector-connected') return "Can't tell";
  return { verified: 'Verified', 'not-verified': 'Not verified', 'talk-disabled': 'Talk disabled', 'no-snippet': 'No Ortto snippet', unknown: 'Checking' }[
    v.kind
  ];
}

const KEY_EXPOSED = 'Your API key is exposed in the browser: every visitor can read it.';

export function verdictOf(results: RuleResult[], facts: Facts): Verdict {
  const alert = facts.apiKeyExposure ? KEY_EXPOSED : null;
  const verdict = (kind: VerdictKind, headline: string, ruleId: RuleId | null = null): Verdict => ({ kind, headline, ruleId, alert });
  // The failing rule with the most fundamental cause (lowest rank) gives the verdict.
  let best: { rank: number; verdict: Verdict } | null = null;
  for (const r of results) {
    if (r.status !== 'fail') continue;
    const v = RULE_VERDICTS.get(r.id);
    if (v && (best === null || v.rank < best.rank)) best = { rank: v.rank, verdict: verdict(v.kind, v.say(r, facts), r.id) };
  }
  if (best) return best.verdict;
  const widget = facts.report.widget;
  if (facts.summary.token && widget.present && widget.notVerifiedLabel === false)
    return alert
      ? verdict('verified', 'Verified, but the page exposes your Ortto API key: fix that now (below), then request a new key.')
      : verdict('verified', 'Verified: the page gives Talk a token and the widget shows no "Not verified" label.');
  if (widget.notVerifiedLabel === true) return verdict('not-verified', 'The widget says "Not verified", and no check explains why: see the warnings below.');
  return verdict('unknown', 'No problem found so far. Open the Talk widget to see its state.');
}
