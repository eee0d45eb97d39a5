/**
 * Injects the content scripts into a tab that was open before the extension was installed or
 * reloaded (the manifest only covers pages loaded afterwards). Uses the files the manifest lists,
 * so the build's output names never need to be known here.
 */
import browser from 'webextension-polyfill';

/** Runs in the extension's isolated world of the page: wakes the relay if there is one. */
function wakeRelay(): boolean {
  const g = globalThis as Record<string, unknown>;
  // A relay of a previous run of the extension (reloaded since) is orphaned: inject a new one.
  if (!g.__talkInspectorRelay || !(g.__talkInspectorAlive as (() => boolean) | undefined)?.()) return false;
  (g.__talkInspectorWake as (() => void) | undefined)?.();
  return true;
}

/** Makes sure the tab has a relay that reports (injecting the content scripts if needed). */
export async function injectContentScripts(tabId: number): Promise<boolean> {
  const scripts = browser.runtime.getManifest().content_scripts ?? [];
  try {
    // A relay already there (declared content script, or Firefox's own injection into open
    // tabs) is only woken up: content scripts never run twice.
    const [probe] = await browser.scripting.executeScript({ target: { tabId, frameIds: [0] }, func: wakeRelay });
    if (probe?.result === true) return true;
    // Recorder first, then relay: the pairing handshake works in either order, but this one
    // sends the first report soonest.
    for (const cs of scripts) {
      const world = (cs as { world?: 'MAIN' | 'ISOLATED' }).world ?? 'ISOLATED';
      await browser.scripting.executeScript({ target: { tabId, frameIds: [0] }, files: cs.js ?? [], world, injectImmediately: true });
    }
    await browser.scripting.executeScript({ target: { tabId, frameIds: [0] }, func: wakeRelay });
    return true;
  } catch {
    // Not allowed on this page (browser page, store, or the tab closed): the panel says so.
    return false;
  }
}
