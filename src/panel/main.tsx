/**
 * Panel entry. Inside devtools the inspected tab comes from devtools.inspectedWindow; opened as a
 * plain extension page (tests, debugging) it comes from `?tabId=`.
 */
import { render } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import type { NetworkEvidence } from '../shared/analysis/network.ts';
import type { ProfileInfo } from '../shared/profiles.ts';
import type { PageReport, TabState } from '../shared/protocol/model.ts';
import { PROFILES_STORAGE_KEY } from '../shared/protocol/options.ts';
import { type BackgroundMessage, PortMsg } from '../shared/protocol/panel.ts';
import { applyTheme } from '../ui/theme.ts';
import { App } from './App.tsx';
import { type Connection, connectToTab } from './connection.ts';
import { evidenceSince, watchNetwork } from './network-watch.ts';
import { createSupportClient, type SupportClient, type SupportState } from './support/client.ts';
import { originOf } from './support/RequestResult.tsx';
import type { PanelActions, PersonFields } from './support/SupportCard.tsx';
import { createTryClient, type TryClient, type TryState } from './try-fix/client.ts';
import '../ui/base.css';
import './panel.css';

const devtools = (browser as { devtools?: typeof browser.devtools }).devtools;
const tabId = devtools?.inspectedWindow?.tabId ?? Number(new URLSearchParams(location.search).get('tabId'));
const version = browser.runtime.getManifest().version;
const MAX_HISTORY = 5;

applyTheme(devtools?.panels?.themeName);
// Follow a theme change while the panel is open (Chrome: setThemeChangeHandler; Firefox: onThemeChanged).
type ThemePanels = { setThemeChangeHandler?(cb: (theme: string) => void): void; onThemeChanged?: { addListener(cb: (theme: string) => void): void } };
const themePanels = devtools?.panels as ThemePanels | undefined;
if (themePanels?.onThemeChanged) themePanels.onThemeChanged.addListener((theme) => applyTheme(theme));
else themePanels?.setThemeChangeHandler?.((theme) => applyTheme(theme));

/** The person last used on a site, kept for this browser session (storage.session; never the key). */
const personKey = (origin: string): string => `lastPerson:${origin}`;

function Root() {
  const [state, setState] = useState<TabState | null>(null);
  const [connected, setConnected] = useState(false);
  const [network, setNetwork] = useState<NetworkEvidence | null>(null);
  const [preserve, setPreserve] = useState(false);
  const [history, setHistory] = useState<PageReport[]>([]);
  const [profiles, setProfiles] = useState<ProfileInfo[] | null>(null);
  const [requests, setRequests] = useState<SupportState>({ jobs: {}, applies: {} });
  const [lastPerson, setLastPerson] = useState<PersonFields | null>(null);
  const connection = useRef<Connection | null>(null);
  const support = useRef<SupportClient | null>(null);
  const tryClient = useRef<TryClient | null>(null);
  const [tryState, setTryState] = useState<TryState | null>(null);
  const preserveRef = useRef(preserve);
  preserveRef.current = preserve;
  const lastReport = useRef<PageReport | null>(null);

  useEffect(() => {
    const c = connectToTab(
      tabId,
      (next) => {
        const previous = lastReport.current;
        if (preserveRef.current && previous && next.report && previous.relayDocId !== next.report.relayDocId)
          setHistory((h) => [...h, previous].slice(-MAX_HISTORY));
        if (next.report) lastReport.current = next.report;
        setState(next);
      },
      (up) => {
        setConnected(up);
        // The worker stopped: whatever it was doing for this panel will never answer.
        if (!up) {
          support.current?.disconnected();
          tryClient.current?.disconnected();
        }
      },
      (msg: BackgroundMessage) => {
        if (msg.type === PortMsg.Profiles) setProfiles(msg.profiles);
        else if (msg.type === PortMsg.TryResult) tryClient.current?.receive(msg);
        else support.current?.receive(msg);
      },
    );
    connection.current = c;
    support.current = createSupportClient(
      (m) => c.send(m),
      () => crypto.randomUUID(),
      setRequests,
    );
    tryClient.current = createTryClient(
      (m) => c.send(m),
      () => crypto.randomUUID(),
      setTryState,
    );
    const net = watchNetwork(setNetwork);
    // Profiles edited in the options page show up here at once.
    const onStorage = (changes: Record<string, unknown>) => {
      if (PROFILES_STORAGE_KEY in changes) c.send({ type: PortMsg.ListProfiles });
    };
    browser.storage.onChanged.addListener(onStorage);
    let stopped = false;
    const stop = (): void => {
      if (stopped) return;
      stopped = true;
      window.removeEventListener('pagehide', stop);
      c.close();
      net?.stop();
      browser.storage.onChanged.removeListener(onStorage);
    };
    // Closing DevTools unloads the panel without unmounting it. Firefox then removes the listeners
    // still registered itself, after the extension context closed, and logs "sendRemoveListener on
    // closed conduit" for each: remove them while the page is still alive.
    window.addEventListener('pagehide', stop);
    return stop;
  }, []);

  // The current document's requests only (told by their start time), unless earlier loads are kept.
  const report = state?.report ?? null;
  const shownNetwork = useMemo(() => (network && report && !preserve ? evidenceSince(network, report.timeOrigin) : network), [network, report, preserve]);

  // The person last used on this page's site.
  const origin = report ? originOf(report.url) : null;
  useEffect(() => {
    if (!origin) return;
    void browser.storage.session
      .get(personKey(origin))
      .then((got) => setLastPerson((got[personKey(origin)] as PersonFields | undefined) ?? null))
      .catch(() => setLastPerson(null));
  }, [origin]);

  const actions: PanelActions = {
    listProfiles: () => connection.current?.send({ type: PortMsg.ListProfiles }),
    // Through the background: Firefox's DevTools panels have no runtime.openOptionsPage.
    openOptions: () => connection.current?.send({ type: PortMsg.OpenOptions }),
    requestToken: (profileId, body) => support.current?.requestToken(profileId, body) ?? '',
    applyToken: (relayDocId, token) => support.current?.applyToken(tabId, relayDocId, token) ?? '',
    rememberPerson(site, person) {
      void browser.storage.session.set({ [personKey(site)]: person }).catch(() => undefined);
    },
  };

  return (
    <App
      support={{ profiles, requests, actions, lastPerson }}
      tryFix={{
        state: tryState,
        actions: {
          reload: (override, relayDocId, headline) => tryClient.current?.tryOnReload(tabId, relayDocId, override, headline),
          cancel: () => tryClient.current?.cancel(tabId),
        },
      }}
      state={state}
      connected={connected}
      network={shownNetwork}
      history={preserve ? history : []}
      preserve={preserve}
      onPreserveChange={(on) => {
        setPreserve(on);
        if (!on) setHistory([]);
      }}
      version={version}
    />
  );
}

const mount = document.getElementById('app');
if (mount) render(<Root />, mount);
