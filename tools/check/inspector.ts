/**
 * The browser side of `talk-inspector check`: one headless Chromium with the shipped extension
 * (tools/chromium.ts, the launcher the tests use), and for every page a tab of its own, the only
 * page shown in its window.
 *
 * How a page's diagnosis is read from the extension itself, with no change to it:
 * - A control page (the extension's options page, so an extension page the background trusts)
 *   opens the page's tab, the active one of a window of its own (so the tab id is known and the
 *   page is visible, as a tab a person looks at; windows are reused) and subscribes to that tab over the panel's own port
 *   (`PANEL_PORT`, `subscribe`): to the background the tab is watched by a panel, so the page's
 *   relay goes live while it loads and pushes every change, and the port brings back the tab's
 *   state as the background keeps it in storage.session, the state the panel renders.
 * - The page's requests are read over CDP in the shape DevTools' network log gives the panel
 *   (cdp-network.ts).
 * Closing the tab ends the subscription; the background forgets the tab.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type HTTPResponse, type Page, TimeoutError } from 'puppeteer-core';
import type { NetworkEvidence } from '../../src/shared/analysis/network.ts';
import type { TabState } from '../../src/shared/protocol/model.ts';
import { PANEL_PORT, PortMsg } from '../../src/shared/protocol/panel.ts';
import { type ChromiumSession, launchChromium } from '../chromium.ts';
import { watchNetwork } from './cdp-network.ts';

/** Network quiet this long = settled (as puppeteer's networkidle0). */
const IDLE_MS = 500;
/** After the page settled: the relay's live updates come at most every 150 ms; wait for the last one. */
const LAST_UPDATE_MS = 400;
/** No new state for this long: the extension has said all it will say about the page for now. */
const QUIET_MS = 300;
/** Of every page's --timeout, what is kept for reading the extension's state after the page settled. */
const COLLECT_RESERVE_MS = 2000;
const POLL_MS = 100;

export type PageErrorKind = 'timeout' | 'unreachable' | 'not-inspectable' | 'no-report' | 'script' | 'browser';

export type PageOutcome =
  | {
      ok: true;
      /** Where the page ended up (redirects, sign-in). */
      finalUrl: string;
      httpStatus: number | null;
      /** False when the network never went quiet before the time left for it ran out. */
      settled: boolean;
      state: TabState & { report: NonNullable<TabState['report']> };
      network: NetworkEvidence;
      durationMs: number;
    }
  | { ok: false; error: { kind: PageErrorKind; message: string }; httpStatus: number | null; durationMs: number };

/** What runs in the page before the check, after it settled (SIGNING IN in `--help`). */
export interface PageHooks {
  hook: ((ctx: { page: Page; url: string; browser: Browser }) => unknown) | null;
  /** JavaScript for the page (--login-script's text, then --before's). */
  scripts: { name: string; code: string }[];
}

export interface InspectorOptions {
  extensionDir: string;
  executablePath: string;
  chromiumArgs: string[];
}

export interface PageRunOptions {
  timeoutMs: number;
  waitMs: number | null;
  hooks: PageHooks;
}

/** The tab's state without its report: what is polled while waiting (the report is read once). */
interface Glance {
  at: number;
  url: string | null;
  inspectable: boolean;
  reason: string | null;
  pending: boolean;
  without: boolean;
  reportUrl: string | null;
}

interface ControlApi {
  open(marker: string): Promise<{ tabId: number; windowId: number }>;
  glance(tabId: number): Glance | null;
  state(tabId: number): TabState | null;
  close(tabId: number, windowId: number): Promise<void>;
}
type WithControl = typeof globalThis & { __tiCheck: ControlApi };

/**
 * Installed in the control page as source text (no bundler helpers reach it). Keeps, per watched
 * tab, the last state the background sent, and reconnects a port the background dropped (a
 * stopped service worker): the new subscription gets the state back from storage.session.
 */
const controlScript = (names: { port: string; subscribe: string; tabState: string }): string => `(() => {
  if (globalThis.__tiCheck) return;
  const NAMES = ${JSON.stringify(names)};
  const states = new Map();
  const ports = new Map();
  const closed = new Set();
  const watch = (tabId) => {
    const port = chrome.runtime.connect({ name: NAMES.port });
    ports.set(tabId, port);
    port.onMessage.addListener((m) => {
      if (m && m.type === NAMES.tabState && m.state && m.state.tabId === tabId) states.set(tabId, { state: m.state, at: Date.now() });
    });
    port.onDisconnect.addListener(() => {
      if (ports.get(tabId) !== port) return;
      ports.delete(tabId);
      setTimeout(() => { if (!closed.has(tabId) && !ports.has(tabId)) watch(tabId); }, 100);
    });
    port.postMessage({ type: NAMES.subscribe, tabId });
  };
  // Windows are reused, one per page at a time: each new window would add browser UI (its omnibox
  // popup page) whose memory Chromium does not give back when the window closes.
  const idleWindows = [];
  const newWindow = async () => (await chrome.windows.create({ url: 'about:blank', focused: false, width: 1280, height: 900 })).id;
  globalThis.__tiCheck = {
    async open(marker) {
      const url = 'about:blank#' + marker;
      let windowId = idleWindows.pop();
      let tab = null;
      if (windowId !== undefined) tab = await chrome.tabs.create({ windowId, url, active: true }).catch(() => null);
      if (!tab) {
        windowId = await newWindow();
        tab = await chrome.tabs.create({ windowId, url, active: true });
      }
      watch(tab.id);
      return { tabId: tab.id, windowId };
    },
    glance(tabId) {
      const kept = states.get(tabId);
      if (!kept) return null;
      const s = kept.state;
      return { at: kept.at, url: s.url, inspectable: s.inspectable, reason: s.reason, pending: s.pendingNavigation, without: s.loadedWithoutReport, reportUrl: s.report ? s.report.url : null };
    },
    state(tabId) {
      const kept = states.get(tabId);
      return kept ? kept.state : null;
    },
    async close(tabId, windowId) {
      closed.add(tabId);
      const port = ports.get(tabId);
      ports.delete(tabId);
      states.delete(tabId);
      if (port) port.disconnect();
      await chrome.tabs.remove(tabId).catch(() => undefined);
      // The window keeps its blank first tab, so it stays open for the next page.
      idleWindows.push(windowId);
      setTimeout(() => closed.delete(tabId), 1000);
    },
  };
})()`;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A navigation error in words, and its kind. */
export function describeLoadError(e: unknown, timeoutMs: number): { kind: PageErrorKind; message: string } {
  if (e instanceof TimeoutError) return { kind: 'timeout', message: `The page did not finish loading within ${timeoutMs} ms (its load event never came).` };
  const text = e instanceof Error ? e.message : String(e);
  const net = /net::ERR_[A-Z_]+/.exec(text)?.[0];
  if (net === 'net::ERR_NAME_NOT_RESOLVED') return { kind: 'unreachable', message: `The host name does not resolve (${net}).` };
  if (net === 'net::ERR_CONNECTION_REFUSED') return { kind: 'unreachable', message: `Nothing answers at this address (${net}).` };
  if (net) return { kind: 'unreachable', message: `The page could not be loaded (${net}).` };
  return { kind: 'browser', message: `The browser could not load the page: ${text.split('\n')[0]}` };
}

export class Inspector {
  private seq = 0;
  private readonly nonce = randomBytes(6).toString('hex');

  private constructor(
    readonly chromium: ChromiumSession,
    private readonly control: Page,
  ) {}

  /** Starts Chromium with the extension and its control page. Throws with the reason if it cannot. */
  static async start(opts: InspectorOptions): Promise<Inspector> {
    const chromium = await launchChromium({ dir: opts.extensionDir, executablePath: opts.executablePath, args: opts.chromiumArgs });
    try {
      await chromium.worker(); // its listeners exist once the ready flag is set
      const manifest = JSON.parse(readFileSync(join(opts.extensionDir, 'manifest.json'), 'utf8')) as { options_ui?: { page?: string } };
      const controlPath = manifest.options_ui?.page ?? 'src/options/options.html';
      const [blank] = await chromium.browser.pages();
      const control = blank ?? (await chromium.browser.newPage());
      await control.goto(`chrome-extension://${chromium.extensionId}/${controlPath}`, { waitUntil: 'load' });
      await control.evaluate(controlScript({ port: PANEL_PORT, subscribe: PortMsg.Subscribe, tabState: PortMsg.TabState }));
      return new Inspector(chromium, control);
    } catch (e) {
      await chromium.close();
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.chromium.close();
  }

  /** Opens `url` in a window of its own, lets it settle, runs the hooks and reads the extension's verdict. Never throws. */
  async check(url: string, opts: PageRunOptions): Promise<PageOutcome> {
    const started = Date.now();
    const deadline = started + opts.timeoutMs;
    const left = (keep = 0): number => Math.max(1, deadline - keep - Date.now());
    // Small timeouts (tests) keep a quarter of their time for reading the state.
    const reserve = Math.min(COLLECT_RESERVE_MS, opts.timeoutMs / 4);
    const failed = (error: { kind: PageErrorKind; message: string }, httpStatus: number | null = null): PageOutcome => ({
      ok: false,
      error,
      httpStatus,
      durationMs: Date.now() - started,
    });
    const browser = this.chromium.browser;
    const marker = `talk-inspector-check-${this.nonce}-${++this.seq}`;
    const opened = browser.waitForTarget((t) => t.url() === `about:blank#${marker}`, { timeout: left() });
    opened.catch(() => undefined); // awaited below, unless opening the window failed first
    let ids: { tabId: number; windowId: number } | null = null;
    let page: Page | null = null;
    let stopNetwork: (() => Promise<void>) | null = null;
    try {
      ids = await this.control.evaluate((m) => (globalThis as WithControl).__tiCheck.open(m), marker);
      page = await (await opened).page();
      if (!page) return failed({ kind: 'browser', message: 'The browser opened no page for this URL.' });
      page.on('dialog', (d) => void d.dismiss().catch(() => undefined));
      page.on('popup', (p) => void p?.close().catch(() => undefined));
      const net = await watchNetwork(await page.createCDPSession());
      stopNetwork = net.stop;

      let response: HTTPResponse | null = null;
      try {
        response = await page.goto(url, { waitUntil: 'load', timeout: left() });
      } catch (e) {
        return failed(describeLoadError(e, opts.timeoutMs));
      }
      const httpStatus = response?.status() ?? null;
      let settled = await this.settle(page, opts.waitMs, left(reserve));

      if (opts.hooks.hook || opts.hooks.scripts.length > 0) {
        const problem = await this.runHooks(page, url, opts.hooks, left(reserve));
        if (problem) return failed({ kind: 'script', message: problem }, httpStatus);
        await page.waitForFunction(() => document.readyState === 'complete', { timeout: left(reserve) }).catch(() => undefined);
        settled = (await this.settle(page, opts.waitMs, left(reserve))) && settled;
      }

      const state = await this.waitForState(ids.tabId, page, Date.now(), deadline);
      if (!state) return failed({ kind: 'no-report', message: 'The extension did not report on this page in time.' }, httpStatus);
      if (!state.inspectable) return failed({ kind: 'not-inspectable', message: state.reason ?? 'The extension cannot inspect this page.' }, httpStatus);
      if (!state.report)
        return failed({ kind: 'no-report', message: 'The extension got no report from this page (its content scripts did not answer).' }, httpStatus);
      return {
        ok: true,
        finalUrl: page.url(),
        httpStatus,
        settled,
        state: state as TabState & { report: NonNullable<TabState['report']> },
        network: net.evidence(state.report.timeOrigin),
        durationMs: Date.now() - started,
      };
    } catch (e) {
      return failed({ kind: 'browser', message: `The check failed in the browser: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` });
    } finally {
      await stopNetwork?.().catch(() => undefined);
      await page?.close().catch(() => undefined);
      const tab = ids;
      if (tab) await this.control.evaluate((o) => (globalThis as WithControl).__tiCheck.close(o.tabId, o.windowId), tab).catch(() => undefined);
    }
  }

  /** Network idle (or the fixed wait), within `budget` ms. False when the network never went quiet. */
  private async settle(page: Page, waitMs: number | null, budget: number): Promise<boolean> {
    if (waitMs !== null) {
      await sleep(Math.min(waitMs, budget));
      return waitMs <= budget;
    }
    try {
      await page.waitForNetworkIdle({ idleTime: IDLE_MS, timeout: budget });
      return true;
    } catch {
      return false;
    }
  }

  /** Runs --hook, --login-script and --before; returns what went wrong, or null. */
  private async runHooks(page: Page, url: string, hooks: PageHooks, budget: number): Promise<string | null> {
    const until = Date.now() + budget;
    const within = async <T>(p: Promise<T>, what: string): Promise<T> => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not finish in time`)), Math.max(1, until - Date.now()));
      });
      try {
        return await Promise.race([p, late]);
      } finally {
        clearTimeout(timer); // a pending timer would keep the process alive after the run
      }
    };
    const navigated = (e: unknown): boolean => /Execution context was destroyed|navigat/i.test(String(e));
    if (hooks.hook) {
      try {
        await within(Promise.resolve(hooks.hook({ page, url, browser: this.chromium.browser })), 'The --hook module');
      } catch (e) {
        return `The --hook module failed: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
    for (const script of hooks.scripts) {
      try {
        await within(page.evaluate(`(async () => {\n${script.code}\n})()`), `The ${script.name}`);
      } catch (e) {
        // A script that signs in by submitting a form navigates away: that is what it is for.
        if (!navigated(e)) return `The ${script.name} threw: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
      }
    }
    return null;
  }

  /**
   * Waits until the background's state is about this document and has been quiet for a moment:
   * no navigation pending, a report (or the reason there is none), and no update in QUIET_MS,
   * at least LAST_UPDATE_MS after the page settled. At the deadline, takes what there is.
   */
  private async waitForState(tabId: number, page: Page, settledAt: number, deadline: number): Promise<TabState | null> {
    const glance = (): Promise<Glance | null> => this.control.evaluate((id) => (globalThis as WithControl).__tiCheck.glance(id), tabId);
    for (;;) {
      const g = await glance();
      const now = Date.now();
      const known = g !== null && !g.pending && (g.reportUrl !== null || g.without || !g.inspectable);
      // After a sign-in or a route change the report follows the page's URL within a push or two.
      const sameDocument = g !== null && (g.reportUrl === page.url() || !g.inspectable || now - settledAt > 2000);
      const quiet = g !== null && now - g.at >= QUIET_MS && now - settledAt >= LAST_UPDATE_MS;
      if ((known && sameDocument && quiet) || now >= deadline) {
        if (!known) return null;
        return this.control.evaluate((id) => (globalThis as WithControl).__tiCheck.state(id), tabId);
      }
      await sleep(POLL_MS);
    }
  }
}
