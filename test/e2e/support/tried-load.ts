import type { Frame } from 'puppeteer-core';
import { panelText, waitFor } from '../../../tools/chromium.ts';

/** What the panel says of a tried load that is verified ("With the fix: …" or "Before: … → After: …"). */
export const VERIFIED_WITH_FIX = /^With the fix: Verified|→ After: Verified/;

/**
 * After "Try on reload" was clicked in a Chromium panel: waits until the tried load's banner says
 * the fix was applied (its verdict line then follows the page as it loads). The handover races the
 * page's capture script (docs/architecture.md, "Try on reload"): on a busy machine it can land
 * after the first ap3c.init, and the panel then asks to try again, which this does once, as the
 * engineer would. A second late one fails.
 */
export async function untilFixApplied(panel: Frame, timeoutMs = 15_000): Promise<void> {
  const shown = async (id: string): Promise<boolean> => (await panelText(panel, id).catch(() => '')) !== '';
  await waitFor(async () => (await shown('fix-tried-verdict')) || (await shown('fix-tried-late')), 'the tried load', timeoutMs);
  if (!(await shown('fix-tried-late'))) return;
  await panel.waitForSelector('[data-testid="try-reload"]:not([disabled])');
  await panel.$eval('[data-testid="try-reload"]', (b) => (b as HTMLButtonElement).click());
  await waitFor(() => shown('fix-tried-verdict'), 'the second tried load, with the fix applied', timeoutMs);
}
