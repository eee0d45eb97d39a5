/**
 * Panel entry. Inside devtools the inspected tab comes from devtools.inspectedWindow; opened as a
 * plain extension page (tests, debugging) it comes from `?tabId=`.
 */
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import type { NetworkEvidence } from '../shared/analysis/network.ts';
import type { PageReport, TabState } from '../shared/protocol.ts';
import { App } from './App.tsx';
import { connectToTab } from './connection.ts';
import { watchNetwork } from './network-watch.ts';
import { applyTheme } from './theme.ts';
import './panel.css';

const devtools = (browser as { devtools?: typeof browser.devtools }).devtools;
const tabId = devtools?.inspectedWindow?.tabId ?? Number(new URLSearchParams(location.search).get('tabId'));
const version = browser.runtime.getManifest().version;
const MAX_HISTORY = 5;

applyTheme(devtools?.panels?.themeName);

function Root() {
  const [state, setState] = useState<TabState | null>(null);
  const [connected, setConnected] = useState(false);
  const [network, setNetwork] = useState<NetworkEvidence | null>(null);
  const [preserve, setPreserve] = useState(false);
  const [history, setHistory] = useState<PageReport[]>([]);
  const preserveRef = useRef(preserve);
  preserveRef.current = preserve;
  const lastReport = useRef<PageReport | null>(null);

  useEffect(() => {
    const c = connectToTab(
      tabId,
      (next) => {
        const previous = lastReport.current;
        if (preserveRef.current && previous && next.report && previous.docId !== next.report.docId) setHistory((h) => [...h, previous].slice(-MAX_HISTORY));
        if (next.report) lastReport.current = next.report;
        setState(next);
      },
      setConnected,
    );
    const net = watchNetwork(setNetwork, () => !preserveRef.current);
    return () => {
      c.close();
      net?.stop();
    };
  }, []);

  return (
    <App
      state={state}
      connected={connected}
      network={network}
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
