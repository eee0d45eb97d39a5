/** Keeps the toolbar badge of each tab in step with its state, panel open or not. */
import browser from 'webextension-polyfill';
import type { TabState } from '../shared/protocol/model.ts';
import { badgeFor } from './state/badge.ts';

const shown = new Map<number, string>();

export async function updateBadge(state: TabState): Promise<void> {
  const badge = badgeFor(state, Date.now());
  const signature = `${badge.text}|${badge.color}|${badge.title}`;
  if (shown.get(state.tabId) === signature) return;
  shown.set(state.tabId, signature);
  const tabId = state.tabId;
  try {
    await Promise.all([
      browser.action.setBadgeText({ tabId, text: badge.text }),
      browser.action.setBadgeBackgroundColor({ tabId, color: badge.color }),
      browser.action.setTitle({ tabId, title: badge.title }),
    ]);
  } catch {
    // The tab closed meanwhile.
    shown.delete(tabId);
  }
}

export function forgetBadge(tabId: number): void {
  shown.delete(tabId);
}
