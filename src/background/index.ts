/**
 * Background (service worker in Chrome, event page in Firefox). Entry point: wires browser events
 * to the tab store, the panel connections and on-demand injection. Holds no state of its own
 * that matters: everything lives in storage.session.
 */
import browser, { type Runtime, type Tabs } from 'webextension-polyfill';
import type { TabState } from '../shared/protocol/model.ts';
import { type ApplyResult, BACKGROUND_READY, PANEL_PORT, PanelMessageSchema, PortMsg, type TryResult } from '../shared/protocol/panel.ts';
import { type PageUpdate, PageUpdateSchema, RELAY_PORT, RuntimeMessageSchema, RuntimeMsg } from '../shared/protocol/relay.ts';
import { parseMessage } from '../shared/protocol/schema.ts';
import type { FlowOutcome } from '../shared/talk-session.ts';
import { applyToken } from './apply-token.ts';
import { forgetBadge, updateBadge } from './badge.ts';
import { orttoCookies } from './cookies.ts';
import { ensureLiveRelay, ensureRelay, pullFromRelay } from './inject.ts';
import { deleteProfile, forgetAll, listProfiles, lockStorage, renameProfile, saveProfile } from './key-store.ts';
import { addPanel, broadcast, hasPanel, post, sendState } from './panel-ports.ts';
import { createProfileHandler } from './profiles-handler.ts';
import { inspectability } from './state/inspectable.ts';
import { isOwnExtensionPage, topFrameContentScriptTab } from './state/senders.ts';
import { withLoadComplete, withNavigation, withPageUpdate } from './state/tab-state.ts';
import { emptyTabState, forgetTab, readTab, updateTab } from './tab-store.ts';
import { requestToken } from './token-requests.ts';
import { cancelTry, tryOnReload } from './try-fix.ts';

const extensionId = browser.runtime.id;
const extensionBaseUrl = browser.runtime.getURL('');

const profileHandler = createProfileHandler(extensionId, extensionBaseUrl, {
  list: listProfiles,
  save: saveProfile,
  rename: renameProfile,
  remove: deleteProfile,
  forgetAll,
});
void lockStorage();

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
  const privileged = profileHandler(message, sender);
  if (privileged) return privileged;
  const msg = parseMessage(RuntimeMessageSchema, message);
  if (!msg) return undefined;
  const tabId = topFrameContentScriptTab(sender, extensionId);
  if (tabId === undefined) return undefined;
  // (Live page updates come over RELAY_PORT, pulled ones as executeScript results.)
  if (__E2E__ && msg.type === RuntimeMsg.E2eGetState) return readTab(tabId).then((s) => s ?? null);
  return undefined;
});

browser.runtime.onConnect.addListener((port: Runtime.Port) => {
  if (port.name === RELAY_PORT) {
    acceptRelayPort(port);
    return;
  }
  if (port.name !== PANEL_PORT || !isOwnExtensionPage(port.sender, extensionId, extensionBaseUrl)) {
    port.disconnect();
    return;
  }
  // A "Try on reload" lives only while the panel that asked for it is open.
  let open = true;
  port.onDisconnect.addListener(() => {
    open = false;
  });
  port.onMessage.addListener((message: unknown) => {
    const msg = parseMessage(PanelMessageSchema, message);
    if (!msg) return;
    switch (msg.type) {
      case PortMsg.Subscribe:
        void subscribe(port, msg.tabId);
        break;
      case PortMsg.OpenOptions:
        void browser.runtime.openOptionsPage().catch(() => browser.tabs.create({ url: browser.runtime.getURL('src/options/options.html') }));
        break;
      case PortMsg.ListProfiles:
        void listProfiles().then((profiles) => post(port, { type: PortMsg.Profiles, profiles }));
        break;
      case PortMsg.RequestToken: {
        const { requestId } = msg;
        void requestToken(msg.profileId, msg.body, (progress) => post(port, { type: PortMsg.TokenProgress, requestId, progress }))
          .catch((): FlowOutcome => ({ ok: false, attempts: 0, error: { kind: 'network', message: 'The request failed inside the extension. Try again.' } }))
          .then((outcome) => post(port, { type: PortMsg.TokenResult, requestId, outcome }));
        break;
      }
      case PortMsg.ApplyToken: {
        const { requestId, tabId, relayDocId, token } = msg;
        void readTab(tabId)
          .then((state) => applyToken(state, tabId, relayDocId, token))
          .catch((e): ApplyResult => ({ ok: false, reason: 'not-allowed', message: `The token could not be applied: ${String(e).slice(0, 200)}` }))
          .then((result) => post(port, { type: PortMsg.ApplyResult, requestId, result }));
        break;
      }
      case PortMsg.TryOnReload: {
        const { requestId, tabId, relayDocId, override } = msg;
        void readTab(tabId)
          .then((state) => tryOnReload(state, tabId, relayDocId, override, () => open))
          .catch((e): TryResult => ({ ok: false, reason: 'unreachable', message: `The fix could not be tried: ${String(e).slice(0, 200)}` }))
          .then((result) => post(port, { type: PortMsg.TryResult, requestId, result }));
        break;
      }
      case PortMsg.CancelTry:
        cancelTry(msg.tabId, { ok: false, reason: 'cancelled', message: 'Cancelled: the fix was dropped.' });
        break;
    }
  });
});

/** A watched tab's relay pushes its live updates over a port; only a top-frame content script of ours may. */
function acceptRelayPort(port: Runtime.Port): void {
  const tabId = port.sender ? topFrameContentScriptTab(port.sender, extensionId) : undefined;
  if (tabId === undefined) {
    port.disconnect();
    return;
  }
  const documentId = (port.sender as { documentId?: string }).documentId ?? null;
  port.onMessage.addListener((message: unknown) => {
    const msg = parseMessage(RuntimeMessageSchema, message);
    if (msg?.type === RuntimeMsg.PageUpdate) void acceptUpdate(tabId, msg.update, documentId);
  });
}

async function subscribe(port: Runtime.Port, tabId: number): Promise<void> {
  addPanel(tabId, port);
  let state = await readTab(tabId);
  const tab = await browser.tabs.get(tabId).catch(() => undefined);
  const url = tab?.url ?? state?.url ?? null;
  const verdict = inspectability(url);
  if (!state?.report) state = state ?? emptyTabState(tabId, url, verdict.inspectable, verdict.reason);
  sendState(port, state);
  // Switch the page's relay to live updates (injecting it into a tab opened before install).
  if (verdict.inspectable) await ensureLiveRelay(tabId);
}

/**
 * Pages nobody inspects are pulled, not pushed: a second after load (the widget and late tags
 * arrive after load), on in-page navigation and when the tab is shown again. A relay's first
 * runtime message costs the page ~1.5 ms of extension bindings; a pull a few tenths of a ms.
 */
const PULL_AFTER_LOAD_MS = 1000;
const GO_LIVE_WHILE_LOADING_MS = [100, 400];

/** A relay's update, pushed (live) or pulled: folded into the tab's state with the page's Ortto cookies. */
async function acceptUpdate(tabId: number, update: PageUpdate, browserDocumentId: string | null): Promise<void> {
  const cookies = await orttoCookies(update.url);
  publish(await updateTab(tabId, (current) => withPageUpdate(current, tabId, update, cookies, Date.now(), browserDocumentId)));
}

/** `load`: the document finished loading; `route`: an in-page navigation; `again`: a later look. */
async function pull(tabId: number, why: 'load' | 'route' | 'again'): Promise<void> {
  const got = await pullFromRelay(tabId);
  if (got?.collected === 'live') return; // a panel watches: the relay pushes its updates
  const update = got ? parseMessage(PageUpdateSchema, got.collected) : undefined;
  if (update) await acceptUpdate(tabId, update, got?.browserDocumentId ?? null);
  // Nothing to report: a page without Ortto (after a load, even one the relay could not reach).
  else if (why === 'load' || (why === 'route' && got)) publish(await updateTab(tabId, (current) => withLoadComplete(current, Date.now())));
}

browser.tabs.onUpdated.addListener((tabId: number, change: Tabs.OnUpdatedChangeInfoType, tab: Tabs.Tab) => {
  if (change.status === 'complete') {
    if (!inspectability(tab.url).inspectable) {
      void updateTab(tabId, (current) => withLoadComplete(current, Date.now())).then(publish);
      return;
    }
    // A panel is looking at this tab: the new document's relay goes live at once.
    if (hasPanel(tabId)) void ensureLiveRelay(tabId);
    setTimeout(() => void pull(tabId, 'load'), PULL_AFTER_LOAD_MS);
    return;
  }
  if (change.status !== 'loading' && change.url === undefined) return;
  // A panel watches this tab: switch the new document's relay to live while the page still
  // loads, so the panel follows it as it happens (it exists once the document has committed).
  if (change.status === 'loading' && hasPanel(tabId)) {
    for (const ms of GO_LIVE_WHILE_LOADING_MS) setTimeout(() => void (hasPanel(tabId) && ensureLiveRelay(tabId)), ms);
  }
  void updateTab(tabId, (current) => withNavigation(current, tabId, change.url ?? tab.url ?? null, Date.now()))
    .then(publish)
    // In-page navigation (pushState) has no load of its own: look at the page now.
    .then(() => (change.status === undefined && inspectability(change.url ?? null).inspectable ? pull(tabId, 'route') : undefined));
});

browser.tabs.onActivated.addListener(({ tabId }) => {
  void browser.tabs
    .get(tabId)
    .then((tab) => (tab.status === 'complete' && inspectability(tab.url).inspectable ? pull(tabId, 'again') : undefined))
    .catch(() => undefined);
});

browser.tabs.onRemoved.addListener((tabId: number) => {
  cancelTry(tabId, { ok: false, reason: 'unreachable', message: 'The tab was closed: the fix was dropped.' });
  forgetBadge(tabId);
  void forgetTab(tabId);
});

/** A tab's state changed: tell its panels and update its badge. */
function publish(state: TabState | undefined): void {
  if (!state) return;
  broadcast(state);
  void updateBadge(state);
}

browser.runtime.onInstalled.addListener(async () => {
  const tabs = await browser.tabs.query({ url: ['http://*/*', 'https://*/*'] });
  for (const tab of tabs) if (tab.id !== undefined) void ensureRelay(tab.id).then(() => pull(tab.id as number, 'again'));
});

// Lets tests (and people debugging) see that the worker finished starting.
(globalThis as Record<string, unknown>)[BACKGROUND_READY] = true;
