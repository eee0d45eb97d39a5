/**
 * Per-tab state kept in storage.session, so a service worker that was stopped and started again
 * loses nothing. The logic (serialised writes, the per-tab size budget, what happens when the
 * quota is full) is in tab-store-core.ts.
 */
import browser from 'webextension-polyfill';
import type { TabState } from '../shared/protocol/model.ts';
import { createTabStore } from './state/tab-store-core.ts';

const store = createTabStore({
  get: (key) => browser.storage.session.get(key),
  set: (items) => browser.storage.session.set(items),
  remove: (key) => browser.storage.session.remove(key),
});

export const { readTab, updateTab, forgetTab } = store;

export function emptyTabState(tabId: number, url: string | null, inspectable: boolean, reason: string | null): TabState {
  return {
    tabId,
    url,
    inspectable,
    reason,
    report: null,
    browserDocumentId: null,
    pendingNavigation: false,
    loadedWithoutReport: false,
    updatedAt: Date.now(),
  };
}
