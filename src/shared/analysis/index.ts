/** One call for everyone (panel, background badge, exports, the headless checker): report in, diagnosis out. Pure. */
import type { PageReport } from '../protocol/model.ts';
import { collectFacts, type Facts } from './facts.ts';
import type { NetworkEvidence } from './network.ts';
import { type RuleResult, runChecklist } from './rules.ts';
import { type Verdict, verdictOf } from './verdict.ts';

export interface Diagnosis {
  facts: Facts;
  results: RuleResult[];
  verdict: Verdict;
}

export function diagnose(report: PageReport, network: NetworkEvidence | null, nowMs: number): Diagnosis {
  const facts = collectFacts(report, network, nowMs);
  const results = runChecklist(facts);
  return { facts, results, verdict: verdictOf(results, facts) };
}
