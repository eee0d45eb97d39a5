/**
 * Reaches the relay in a tab's isolated world through the scripting API: pulls its news, switches
 * it to live updates when a panel watches, and injects the content scripts into a tab that was
 * open before the extension was installed or reloaded (the manifest only covers pages loaded
 * afterwards). Uses the files the manifest lists, so the build's output names never need to be
 * known here. Functions passed to executeScript run in the page's isolated world: they import
 * nothing and get the global names as arguments.
 */
import browser from 'webextension-polyfill';
import { RelayGlobal } from '../shared/protocol.ts';

type Names = typeof RelayGlobal;

/** In the isolated world: is there a relay of this run of the extension (not an orphan)? */
function hasLiveRelay(names: Names, goLive: boolean): boolean {
  const g = globalThis as Record<string, unknown>;
  if (!g[names.DocId] || !(g[names.Alive] as (() => boolean) | undefined)?.()) return false;
  if (goLive) (g[names.Live] as (() => void) | undefined)?.();
  return true;
}

/**
 * In the isolated world: the relay's news (see Collected in protocol.ts). A relay orphaned by an
 * extension reload still records the page faithfully, so it is not asked whether it is alive:
 * that check touches the extension API bindings, which cost the page more than the pull itself.
 */
function collect(names: Names): unknown {
  const g = globalThis as Record<string, unknown>;
  return (g[names.Collect] as (() => unknown) | undefined)?.() ?? null;
}

/**
 * Makes sure the tab has a relay (injecting the content scripts if needed); `live` also switches
 * it to pushing updates, because a panel is looking.
 */
export async function injectContentScripts(tabId: number, live: boolean): Promise<boolean> {
  const scripts = browser.runtime.getManifest().content_scripts ?? [];
  const target = { tabId, frameIds: [0] };
  try {
    // A relay already there (declared content script, or Firefox's own injection into open
    // tabs) is only woken up: content scripts never run twice.
    const [probe] = await browser.scripting.executeScript({ target, func: hasLiveRelay, args: [RelayGlobal, live] });
    if (probe?.result === true) return true;
    // Recorder first, then relay: the pairing handshake works in either order.
    for (const cs of scripts) {
      const world = (cs as { world?: 'MAIN' | 'ISOLATED' }).world ?? 'ISOLATED';
      await browser.scripting.executeScript({ target, files: cs.js ?? [], world, injectImmediately: true });
    }
    await browser.scripting.executeScript({ target, func: hasLiveRelay, args: [RelayGlobal, live] });
    return true;
  } catch {
    // Not allowed on this page (browser page, store, or the tab closed): the panel says so.
    return false;
  }
}

/** Pulls the relay's news; undefined when the page cannot be reached (browser page, tab closed…). */
export async function pullFromRelay(tabId: number): Promise<{ collected: unknown; documentId: string | null } | undefined> {
  try {
    const [r] = await browser.scripting.executeScript({ target: { tabId, frameIds: [0] }, func: collect, args: [RelayGlobal] });
    if (!r) return undefined;
    return { collected: r.result, documentId: (r as { documentId?: string }).documentId ?? null };
  } catch {
    return undefined;
  }
}
