/**
 * Per-tab state kept in storage.session, so a service worker that was stopped and started again
 * loses nothing. Writes for one tab are serialised so a burst of reports cannot interleave.
 */
import browser from 'webextension-polyfill';
import type { TabState } from '../shared/protocol.ts';

const key = (tabId: number): string => `tab:${tabId}`;
const queues = new Map<number, Promise<unknown>>();

export async function readTab(tabId: number): Promise<TabState | undefined> {
  const got = await browser.storage.session.get(key(tabId));
  return got[key(tabId)] as TabState | undefined;
}

/** Applies `change` to the stored state of a tab (in order with other updates of that tab). */
export function updateTab(tabId: number, change: (current: TabState | undefined) => TabState | undefined): Promise<TabState | undefined> {
  const previous = queues.get(tabId) ?? Promise.resolve();
  const next = previous
    .catch(() => undefined)
    .then(async () => {
      const updated = change(await readTab(tabId));
      if (updated) await browser.storage.session.set({ [key(tabId)]: updated });
      return updated;
    });
  queues.set(tabId, next);
  void next.finally(() => {
    if (queues.get(tabId) === next) queues.delete(tabId);
  });
  return next;
}

export async function forgetTab(tabId: number): Promise<void> {
  await browser.storage.session.remove(key(tabId));
}

export function emptyTabState(tabId: number, url: string | null, inspectable: boolean, reason: string | null): TabState {
  return { tabId, url, inspectable, reason, report: null, documentId: null, pendingNavigation: false, loadedWithoutReport: false, updatedAt: Date.now() };
}
