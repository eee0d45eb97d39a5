/**
 * Reaches the relay in a tab's isolated world through the scripting API: pulls its news, switches
 * it to live updates when a panel watches, and injects the content scripts into a tab that was
 * open before the extension was installed or reloaded (the manifest only covers pages loaded
 * afterwards). Uses the files the manifest lists, so the build's output names never need to be
 * known here. Functions passed to executeScript run in the page's isolated world: they import
 * nothing and get the global names as arguments.
 */
import browser from 'webextension-polyfill';
import { RelayGlobal } from '../shared/protocol/relay.ts';

type Names = typeof RelayGlobal;

/** In the isolated world: is there a relay of this run of the extension (not an orphan)? */
function hasRelay(names: Names): boolean {
  const g = globalThis as Record<string, unknown>;
  return Boolean(g[names.RelayDocId]) && (g[names.Alive] as (() => boolean) | undefined)?.() === true;
}

/**
 * In the isolated world: a panel watches, so the relay (if there is one of this run of the
 * extension) pushes its updates from now on. (Self-contained: executeScript sends its source.)
 */
function goLive(names: Names): boolean {
  const g = globalThis as Record<string, unknown>;
  if (!g[names.RelayDocId] || (g[names.Alive] as (() => boolean) | undefined)?.() !== true) return false;
  (g[names.GoLive] as (() => void) | undefined)?.();
  return true;
}

/**
 * In the isolated world: the relay's news (see Collected in protocol/relay.ts). A relay orphaned by an
 * extension reload still records the page faithfully, so it is not asked whether it is alive:
 * that check touches the extension API bindings, which cost the page more than the pull itself.
 */
function collect(names: Names): unknown {
  const g = globalThis as Record<string, unknown>;
  return (g[names.Collect] as (() => unknown) | undefined)?.() ?? null;
}

/**
 * Makes sure the tab has a relay, injecting the content scripts into a tab that was open before
 * the extension was installed or reloaded (the manifest only covers pages loaded afterwards).
 * False when the page cannot be reached (browser page, store, the tab closed).
 */
export async function ensureRelay(tabId: number): Promise<boolean> {
  const scripts = browser.runtime.getManifest().content_scripts ?? [];
  const target = { tabId, frameIds: [0] };
  try {
    // A relay already there (declared content script, or Firefox's own injection into open
    // tabs) is left alone: content scripts never run twice.
    const [probe] = await browser.scripting.executeScript({ target, func: hasRelay, args: [RelayGlobal] });
    if (probe?.result === true) return true;
    // Recorder first, then relay: the pairing handshake works in either order.
    for (const cs of scripts) {
      const world = (cs as { world?: 'MAIN' | 'ISOLATED' }).world ?? 'ISOLATED';
      await browser.scripting.executeScript({ target, files: cs.js ?? [], world, injectImmediately: true });
    }
    return true;
  } catch {
    return false;
  }
}

/** A panel watches this tab: make sure it has a relay, and switch it to pushing its updates. */
export async function ensureLiveRelay(tabId: number): Promise<boolean> {
  const target = { tabId, frameIds: [0] };
  try {
    // Usually the relay is there: one round trip.
    const [woken] = await browser.scripting.executeScript({ target, func: goLive, args: [RelayGlobal] });
    if (woken?.result === true) return true;
    if (!(await ensureRelay(tabId))) return false;
    const [again] = await browser.scripting.executeScript({ target, func: goLive, args: [RelayGlobal] });
    return again?.result === true;
  } catch {
    return false;
  }
}

/** Pulls the relay's news; undefined when the page cannot be reached (browser page, tab closed…). */
export async function pullFromRelay(tabId: number): Promise<{ collected: unknown; browserDocumentId: string | null } | undefined> {
  try {
    const [r] = await browser.scripting.executeScript({ target: { tabId, frameIds: [0] }, func: collect, args: [RelayGlobal] });
    if (!r) return undefined;
    return { collected: r.result, browserDocumentId: (r as { documentId?: string }).documentId ?? null };
  } catch {
    return undefined;
  }
}
