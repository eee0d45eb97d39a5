/**
 * Injects the content scripts into a tab that was open before the extension was installed or
 * reloaded (the manifest only covers pages loaded afterwards). Uses the files the manifest lists,
 * so the build's output names never need to be known here.
 */
import browser from 'webextension-polyfill';

export async function injectContentScripts(tabId: number): Promise<boolean> {
  const scripts = browser.runtime.getManifest().content_scripts ?? [];
  try {
    // Firefox injects declared content scripts into open tabs by itself: never run them twice.
    const [probe] = await browser.scripting.executeScript({
      target: { tabId, frameIds: [0] },
      func: () => Boolean((globalThis as Record<string, unknown>).__talkInspectorRelay),
    });
    if (probe?.result === true) return true;
    // Recorder first, then relay: the pairing handshake works in either order, but this one
    // sends the first report soonest.
    for (const cs of scripts) {
      const world = (cs as { world?: 'MAIN' | 'ISOLATED' }).world ?? 'ISOLATED';
      await browser.scripting.executeScript({ target: { tabId, frameIds: [0] }, files: cs.js ?? [], world, injectImmediately: true });
    }
    return true;
  } catch {
    // Not allowed on this page (browser page, store, or the tab closed): the panel says so.
    return false;
  }
}
