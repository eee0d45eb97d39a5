/**
 * "Try on reload" decisions (issue 18), pure: which origin a try belongs to, and what to do after
 * each look at the tab while the reload goes on (background/try-fix.ts does the looking).
 */
import type { TabState } from '../../shared/protocol/model.ts';
import type { TryResult } from '../../shared/protocol/panel.ts';

/** How long a try waits for the tab's next document before it is dropped. */
export const TRY_TIMEOUT_MS = 15_000;

/**
 * What a look at the tab's top frame found: the document the panel showed (`old`), one between
 * two documents (`between`), one of another origin (`elsewhere`), a new document whose relay took
 * the override (`handed`) or will when it starts (`left`), a relay with no recorder (`unpaired`),
 * or no answer (`failed`: the frame could not be reached for a moment).
 */
export type Probe = 'old' | 'between' | 'elsewhere' | 'handed' | 'left' | 'unpaired' | 'failed';

export type Step = { done: true; result: TryResult } | { done: false; waitMs: number };

const fail = (reason: (TryResult & { ok: false })['reason'], message: string): Step => ({ done: true, result: { ok: false, reason, message } });

/** After a look at the tab: stop (with the result) or look again. */
export function handoverStep(probe: Probe, ctx: { cancelled: TryResult | null; watched: boolean; elapsedMs: number }): Step {
  // The handover is checked first: once the new document holds the override, it is too late to take it back.
  if (probe === 'handed' || probe === 'left') return { done: true, result: { ok: true } };
  if (ctx.cancelled) return { done: true, result: ctx.cancelled };
  if (!ctx.watched) return fail('panel-closed', 'The panel was closed before the page reloaded: the fix was dropped.');
  if (probe === 'elsewhere') return fail('elsewhere', 'The tab went to another site before the fix was handed over: the fix was dropped.');
  if (probe === 'unpaired')
    return fail('unreachable', "Talk Inspector's recorder is not running in the reloaded page (reload the extension, then try again): the fix was dropped.");
  if (ctx.elapsedMs > TRY_TIMEOUT_MS) return fail('timeout', 'The page did not reload within 15 seconds: the fix was dropped. Try again.');
  // Looks cost a few milliseconds each; the first second matters (the page's scripts start).
  return { done: false, waitMs: ctx.elapsedMs < 1000 ? 2 : 20 };
}

/** The origin the try belongs to: that of the document the panel showed, if it is still the one. */
export function tryOrigin(state: TabState | undefined, relayDocId: string): { ok: true; origin: string } | { ok: false; result: TryResult } {
  const report = state?.report;
  if (!report || !state?.inspectable)
    return { ok: false, result: { ok: false, reason: 'no-page', message: 'This tab has no page Talk Inspector can act on.' } };
  if (report.relayDocId !== relayDocId)
    return {
      ok: false,
      result: { ok: false, reason: 'navigated', message: 'The page changed since you looked at it. Nothing was reloaded: check the new page, then try again.' },
    };
  let url: URL;
  try {
    url = new URL(report.url);
  } catch {
    return { ok: false, result: { ok: false, reason: 'no-page', message: 'This tab has no page Talk Inspector can act on.' } };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { ok: false, result: { ok: false, reason: 'no-page', message: 'This tab has no page Talk Inspector can act on.' } };
  return { ok: true, origin: url.origin };
}
