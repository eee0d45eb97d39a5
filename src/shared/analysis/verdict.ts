/** The one most likely cause of "Not verified", in one sentence a non-expert understands. Pure. */
import type { Facts } from './facts.ts';
import type { RuleResult } from './rules.ts';

export type VerdictKind = 'verified' | 'not-verified' | 'talk-disabled' | 'no-snippet' | 'unknown';

export interface Verdict {
  kind: VerdictKind;
  headline: string;
  /** The rule the verdict comes from (null when nothing failed). */
  ruleId: string | null;
}

/** Most fundamental cause first: a later cause cannot matter while an earlier one holds. */
const PRIORITY: { id: string; kind: VerdictKind; say: (r: RuleResult) => string }[] = [
  {
    id: 'inspector-connected',
    kind: 'unknown',
    say: () => 'This page interfered with the inspector, so the cause cannot be told: what the page did with ap3c could not be recorded.',
  },
  { id: 'snippet-present', kind: 'no-snippet', say: () => "Ortto's capture code is not on this page, so Talk cannot run here." },
  {
    id: 'script-loaded',
    kind: 'not-verified',
    say: () => "Ortto's capture script did not load (blocked by an ad-blocker or a wrong address), so Talk cannot start.",
  },
  { id: 'init-called', kind: 'not-verified', say: () => 'The capture code never starts Ortto: ap3c.init is not called.' },
  { id: 'talk-enabled', kind: 'talk-disabled', say: (r) => `Talk is switched off on this page (${r.evidence.join(', ')}).` },
  { id: 'capture-key-decodes', kind: 'not-verified', say: () => 'The capture key in the snippet is not a valid Ortto key.' },
  { id: 'token-present', kind: 'not-verified', say: () => 'Not verified because the page gives Talk no token: Ortto is never told who is signed in.' },
  { id: 'token-well-formed', kind: 'not-verified', say: (r) => `Not verified because the token on the page is not a real token: ${r.evidence[0] ?? ''}` },
  { id: 'token-not-expired', kind: 'not-verified', say: () => 'Not verified because the token has expired.' },
  { id: 'cookie-path-well-formed', kind: 'not-verified', say: () => 'The cookiePath option is malformed, so Talk cannot pick the right Ortto account.' },
  {
    id: 'cookie-path-instance',
    kind: 'not-verified',
    say: () => 'The cookiePath names another Ortto instance, so Talk looks for the contact in the wrong account.',
  },
  { id: 'region-known', kind: 'not-verified', say: () => 'The capture code mixes Ortto regions: the script and the capture URL belong to different regions.' },
  { id: 'token-reached-ortto', kind: 'not-verified', say: () => 'The token never reached Ortto: it was set after Talk had already started.' },
  {
    id: 'verified-before-conversation',
    kind: 'not-verified',
    say: () => 'The conversation began before the visitor was verified, so that conversation stays "Not verified"; new ones will be verified.',
  },
  { id: 'token-accepted', kind: 'not-verified', say: () => 'Ortto rejected the token: it was most likely issued for another Ortto instance or region.' },
  { id: 'widget-visible', kind: 'unknown', say: () => 'The Talk widget did not appear on this page.' },
];

export function verdictOf(results: RuleResult[], facts: Facts): Verdict {
  const byId = new Map(results.map((r) => [r.id, r]));
  for (const p of PRIORITY) {
    const r = byId.get(p.id);
    if (r?.status === 'fail') return { kind: p.kind, headline: p.say(r), ruleId: p.id };
  }
  const widget = facts.report.widget;
  if (facts.summary.token && widget.present && widget.notVerifiedLabel === false)
    return { kind: 'verified', headline: 'Verified: the page gives Talk a token and the widget shows no "Not verified" label.', ruleId: null };
  if (widget.notVerifiedLabel === true)
    return { kind: 'not-verified', headline: 'The widget says "Not verified", and no check explains why: see the warnings below.', ruleId: null };
  return { kind: 'unknown', headline: 'No problem found so far. Open the Talk widget to see its state.', ruleId: null };
}
