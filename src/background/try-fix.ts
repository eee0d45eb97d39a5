/**
 * "Try on reload" (issue 18): reloads one tab once, and hands the new document's recorder an
 * override of its first ap3c.init's options, for that tab, that origin and that one navigation.
 *
 * Nothing is registered and nothing is stored: the override lives in this worker while it waits
 * for the reload (at most TRY_TIMEOUT_MS, and only while a panel watches the tab), then goes to the
 * new document's isolated world through executeScript, which the relay passes to the recorder over
 * the private channel. Pages that are not being tried pay nothing. The decision for each look at
 * the tab is pure (handoverStep in state/try-fix.ts).
 */
import browser from 'webextension-polyfill';
import type { TabState } from '../shared/protocol/model.ts';
import type { TryResult } from '../shared/protocol/panel.ts';
import { RelayGlobal } from '../shared/protocol/relay.ts';
import type { InitOverride } from '../shared/protocol/wire.ts';
import { handoverStep, type Probe, tryOrigin } from './state/try-fix.ts';

type Names = typeof RelayGlobal;

/**
 * In the tab's isolated world (self-contained: executeScript sends its source). Hands the override
 * over only on a new document of the expected origin: to its relay, or left for the relay that is
 * about to start. The old document (its relay's id) and a blank in-between document are waited out.
 */
function handOver(names: Names, oldDocId: string, origin: string, json: string): Probe {
  const g = globalThis as Record<string, unknown>;
  if (!/^https?:$/.test(location.protocol)) return 'between';
  if (location.origin !== origin) return 'elsewhere';
  const id = g[names.RelayDocId];
  if (id === oldDocId) return 'old';
  const tryFix = g[names.TryFix] as ((json: string) => boolean) | undefined;
  if (id && typeof tryFix === 'function') return tryFix(json) ? 'handed' : 'unpaired';
  g[names.PendingFix] = json;
  return 'left';
}

/** The one try each tab may have pending; a newer one replaces it. */
const pending = new Map<number, { cancelled: TryResult | null }>();

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Drops the tab's pending try, if any (the panel cancelled, closed, or the tab went elsewhere). */
export function cancelTry(tabId: number, why: TryResult & { ok: false }): void {
  const p = pending.get(tabId);
  if (p && !p.cancelled) p.cancelled = why;
}

/**
 * Reloads the tab and hands the override to its next document. `watched` says whether a panel
 * still watches the tab (closing the panel drops a pending try).
 */
export async function tryOnReload(
  state: TabState | undefined,
  tabId: number,
  relayDocId: string,
  override: InitOverride,
  watched: () => boolean,
): Promise<TryResult> {
  const origin = tryOrigin(state, relayDocId);
  if (!origin.ok) return origin.result;
  cancelTry(tabId, { ok: false, reason: 'cancelled', message: 'A newer "Try on reload" replaced this one.' });
  const mine = { cancelled: null as TryResult | null };
  pending.set(tabId, mine);
  const json = JSON.stringify(override);
  const started = Date.now();
  try {
    await browser.tabs.reload(tabId);
    for (;;) {
      let probe: Probe | 'failed';
      try {
        const [r] = await browser.scripting.executeScript({
          target: { tabId, frameIds: [0] },
          func: handOver,
          args: [RelayGlobal, relayDocId, origin.origin, json],
          injectImmediately: true,
        } as Parameters<typeof browser.scripting.executeScript>[0]);
        probe = (r?.result as Probe | undefined) ?? 'failed';
      } catch {
        // Between two documents the frame cannot be reached for a moment.
        probe = 'failed';
      }
      const step = handoverStep(probe, { cancelled: mine.cancelled, watched: watched(), elapsedMs: Date.now() - started });
      if (step.done) return step.result;
      await sleep(step.waitMs);
    }
  } catch {
    return { ok: false, reason: 'unreachable', message: 'The tab could not be reloaded (it was closed, or is a browser page).' };
  } finally {
    if (pending.get(tabId) === mine) pending.delete(tabId);
  }
}
