/** What the toolbar badge says for a tab: a colour, a short text and a word in the tooltip. Pure. */
import { diagnose } from '../../shared/analysis/index.ts';
import { type VerdictKind, verdictWord } from '../../shared/analysis/verdict.ts';
import type { TabState } from '../../shared/protocol/model.ts';

export interface Badge {
  text: string;
  color: string;
  title: string;
  kind: VerdictKind | 'none';
}

const BADGES: Record<VerdictKind, Omit<Badge, 'title' | 'kind'>> = {
  verified: { text: '✓', color: '#137333' },
  'not-verified': { text: '!', color: '#b3261e' },
  'talk-disabled': { text: 'off', color: '#8a5a00' },
  'no-snippet': { text: '–', color: '#5f6368' },
  unknown: { text: '?', color: '#1a56b0' },
};

export function badgeFor(state: TabState, nowMs: number): Badge {
  if (state.inspectable && !state.report && state.loadedWithoutReport) {
    const b = BADGES['no-snippet'];
    return { text: b.text, color: b.color, title: `Talk Inspector: ${verdictWord({ kind: 'no-snippet', ruleId: null })}`, kind: 'no-snippet' };
  }
  if (!state.inspectable || !state.report) return { text: '', color: '#5f6368', title: 'Talk Inspector', kind: 'none' };
  const { verdict } = diagnose(state.report, null, nowMs);
  const b = BADGES[verdict.kind];
  return { text: b.text, color: b.color, title: `Talk Inspector: ${verdictWord(verdict)} — ${verdict.headline}`, kind: verdict.kind };
}
