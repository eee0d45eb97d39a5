/** Open panel connections, keyed by the tab each one inspects. Lost when the worker stops; panels reconnect. */
import type { Runtime } from 'webextension-polyfill';
import type { TabState } from '../shared/protocol/model.ts';
import { type BackgroundMessage, PortMsg } from '../shared/protocol/panel.ts';

const byTab = new Map<number, Set<Runtime.Port>>();

export function addPanel(tabId: number, port: Runtime.Port): void {
  const set = byTab.get(tabId) ?? new Set<Runtime.Port>();
  byTab.set(tabId, set);
  set.add(port);
  port.onDisconnect.addListener(() => {
    set.delete(port);
    if (set.size === 0 && byTab.get(tabId) === set) byTab.delete(tabId);
  });
}

export function post(port: Runtime.Port, message: BackgroundMessage): void {
  try {
    port.postMessage(message);
  } catch {
    // The panel closed meanwhile: its disconnect handler cleans up.
  }
}

export function sendState(port: Runtime.Port, state: TabState): void {
  post(port, { type: PortMsg.TabState, state });
}

export function broadcast(state: TabState): void {
  for (const port of byTab.get(state.tabId) ?? []) sendState(port, state);
}

export function hasPanel(tabId: number): boolean {
  return (byTab.get(tabId)?.size ?? 0) > 0;
}
