/**
 * The panel's link to the background: one port, re-opened by itself when it drops (the service
 * worker was stopped, or the extension restarted it), re-subscribing to the same tab each time.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import type { TabState } from '../shared/protocol/model.ts';
import { type BackgroundMessage, PANEL_PORT, type PanelMessage, PortMsg } from '../shared/protocol/panel.ts';

export interface Connection {
  /** Sends now, or as soon as the port is open again. */
  send(message: PanelMessage): void;
  close(): void;
}

export function connectToTab(
  tabId: number,
  onState: (state: TabState) => void,
  onStatus: (connected: boolean) => void,
  onOther: (message: BackgroundMessage) => void = () => undefined,
): Connection {
  let port: Runtime.Port | undefined;
  let closed = false;
  let retry = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const queue: PanelMessage[] = [];

  const open = (): void => {
    timer = undefined;
    if (closed) return;
    try {
      port = browser.runtime.connect({ name: PANEL_PORT });
    } catch {
      scheduleReconnect();
      return;
    }
    port.onMessage.addListener((message: unknown) => {
      const msg = message as BackgroundMessage;
      if (msg?.type === PortMsg.TabState) {
        if (msg.state.tabId !== tabId) return;
        retry = 0;
        onStatus(true);
        onState(msg.state);
      } else if (msg && typeof msg === 'object') onOther(msg);
    });
    port.onDisconnect.addListener(() => {
      port = undefined;
      onStatus(false);
      scheduleReconnect();
    });
    port.postMessage({ type: PortMsg.Subscribe, tabId } satisfies PanelMessage);
    while (queue.length) port.postMessage(queue.shift());
  };

  const scheduleReconnect = (): void => {
    if (closed || timer !== undefined) return;
    timer = setTimeout(open, Math.min(100 * 2 ** retry++, 2000));
  };

  open();
  return {
    send(message) {
      if (port) {
        try {
          port.postMessage(message);
          return;
        } catch {
          port = undefined;
        }
      }
      queue.push(message);
      scheduleReconnect();
    },
    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      port?.disconnect();
    },
  };
}
