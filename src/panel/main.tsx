/**
 * Panel entry. Inside devtools the inspected tab comes from devtools.inspectedWindow; opened as a
 * plain extension page (tests, debugging) it comes from `?tabId=`.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import type { TabState } from '../shared/protocol.ts';
import { App } from './App.tsx';
import { connectToTab } from './connection.ts';
import { applyTheme } from './theme.ts';
import './panel.css';

const devtools = (browser as { devtools?: typeof browser.devtools }).devtools;
const tabId = devtools?.inspectedWindow?.tabId ?? Number(new URLSearchParams(location.search).get('tabId'));

applyTheme(devtools?.panels?.themeName);

function Root() {
  const [state, setState] = useState<TabState | null>(null);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const c = connectToTab(tabId, setState, setConnected);
    return () => c.close();
  }, []);
  return <App state={state} connected={connected} />;
}

const mount = document.getElementById('app');
if (mount) render(<Root />, mount);
