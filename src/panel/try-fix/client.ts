/**
 * The panel's side of "Try on reload": the request sent to the background, its answer, and what the
 * page looked like before (for the before → after line). A dropped port settles a waiting try with
 * a plain message. Pure: the port is injected.
 */
import { type BackgroundMessage, type PanelMessage, PortMsg, type TryResult } from '../../shared/protocol/panel.ts';
import type { InitOverride } from '../../shared/protocol/wire.ts';

export interface TryState {
  requestId: string;
  override: InitOverride;
  /** The verdict of the load the fix was tried from. */
  before: { headline: string; relayDocId: string };
  /** null while the background has not answered. */
  result: TryResult | null;
}

export const LOST_TRY = "The connection to the extension's background was lost before the page reloaded: the fix may not have been tried. Try again.";

export interface TryClient {
  tryOnReload(tabId: number, relayDocId: string, override: InitOverride, beforeHeadline: string): void;
  cancel(tabId: number): void;
  receive(message: BackgroundMessage): void;
  disconnected(): void;
}

export function createTryClient(send: (message: PanelMessage) => void, newId: () => string, onChange: (state: TryState | null) => void): TryClient {
  let state: TryState | null = null;
  const set = (next: TryState | null): void => {
    state = next;
    onChange(state);
  };
  return {
    tryOnReload(tabId, relayDocId, override, beforeHeadline) {
      const requestId = newId();
      set({ requestId, override, before: { headline: beforeHeadline, relayDocId }, result: null });
      send({ type: PortMsg.TryOnReload, requestId, tabId, relayDocId, override });
    },
    cancel(tabId) {
      send({ type: PortMsg.CancelTry, tabId });
    },
    receive(msg) {
      if (msg.type === PortMsg.TryResult && state?.requestId === msg.requestId) set({ ...state, result: msg.result });
    },
    disconnected() {
      if (state && state.result === null) set({ ...state, result: { ok: false, reason: 'lost', message: LOST_TRY } });
    },
  };
}
