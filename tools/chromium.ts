/**
 * Starts Debian's Chromium with the built extension and reaches its service worker and devtools
 * panel. One launcher for the end-to-end and hostile suites, the benchmark, `npm start`,
 * `npm run screenshots` and `talk-inspector check` (tools/check/).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Frame, type Page, type WebWorker } from 'puppeteer-core';
import { BACKGROUND_READY } from '../src/shared/protocol/panel.ts';
import { findBrowser } from './browsers.ts';

export const CHROME_DIST = resolve(import.meta.dirname, '../dist/chrome');
export const PANEL_TITLE = 'Talk Inspector';

export interface ChromiumSession {
  browser: Browser;
  extensionId: string;
  installExtension(): Promise<string>;
  worker(): Promise<WebWorker>;
  /** Stops the extension's service worker (as Chrome does when idle) and waits until that worker is gone. */
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `extension: 'later'` starts Chromium able to take extensions but without ours: call
 * `installExtension()` afterwards to load it into a browser whose tabs are already open.
 * `dir` loads another unpacked build instead of dist/chrome (the benchmark's floor control).
 * `executablePath` skips the search for Chromium (the caller found it, e.g. without installing it).
 */
export async function launchChromium(
  opts: { extension?: boolean | 'later'; args?: string[]; dir?: string; executablePath?: string } = {},
): Promise<ChromiumSession> {
  const dist = opts.dir ?? CHROME_DIST;
  const executablePath = opts.executablePath ?? findBrowser('chromium');
  const userDataDir = mkdtempSync(join(tmpdir(), 'ti-chromium-'));
  const withExtension = opts.extension !== false && opts.extension !== 'later';
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath,
      headless: true,
      pipe: true,
      userDataDir,
      ...(withExtension ? { enableExtensions: [dist] } : opts.extension === 'later' ? { enableExtensions: true } : {}),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
        '--disable-default-apps',
        ...(opts.args ?? []),
      ],
    });
  } catch (e) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw e;
  }
  let extensionId = '';
  if (withExtension) {
    try {
      const target = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'), { timeout: 20_000 });
      extensionId = new URL(target.url()).host;
    } catch (e) {
      // No worker: the folder is not a loadable extension. Leave nothing running behind.
      await browser.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
      throw new Error(`The extension in ${dist} did not start (no service worker within 20 s): ${String(e)}`);
    }
  }
  const session: ChromiumSession = {
    browser,
    extensionId,
    async installExtension() {
      session.extensionId = await browser.installExtension(dist);
      return session.extensionId;
    },
    async worker() {
      const target = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${session.extensionId}/`), {
        timeout: 20_000,
      });
      const worker = await target.worker();
      if (!worker) throw new Error('The extension service worker has no worker handle.');
      // The target exists before the worker's script ran: wait for its ready flag.
      await waitFor(() => worker.evaluate((flag) => (globalThis as Record<string, unknown>)[flag] === true, BACKGROUND_READY), 'service worker ready');
      return worker;
    },
    async stopWorker() {
      const isOurs = (t: { type(): string; url(): string }) =>
        t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${session.extensionId}/`);
      const worker = await session.worker();
      const before = browser.targets().find(isOurs);
      await worker.close();
      // An open panel reconnects at once and wakes a new worker: wait for the old target only.
      await waitFor(() => !browser.targets().includes(before as never), 'the service worker to stop');
    },
    async close() {
      await browser.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
  return session;
}

/** Opens DevTools on `page`, shows the Talk Inspector panel, and returns the panel's frame. */
export async function openPanel(page: Page, extensionId: string): Promise<{ panel: Frame; devtools: Page }> {
  const devtools = await page.openDevTools();
  await waitFor(
    () =>
      devtools.evaluate(
        () => typeof (globalThis as unknown as { InspectorFrontendAPI?: { showPanel?: unknown } }).InspectorFrontendAPI?.showPanel === 'function',
      ),
    'devtools frontend',
  );
  const panelId = `chrome-extension://${extensionId}${PANEL_TITLE.replace(/\s/g, '')}`;
  let panel: Frame | undefined;
  await waitFor(async () => {
    await devtools.evaluate(
      (id) => (globalThis as unknown as { InspectorFrontendAPI: { showPanel(id: string): void } }).InspectorFrontendAPI.showPanel(id),
      panelId,
    );
    panel = devtools.frames().find((f) => f.url().startsWith(`chrome-extension://${extensionId}/src/panel/panel.html`));
    return panel !== undefined;
  }, 'the Talk Inspector panel');
  if (!panel) throw new Error('panel frame not found');
  return { panel, devtools };
}

/** The text of an element of the panel, by data-testid (empty string if absent). */
export async function panelText(panel: Frame, testId: string): Promise<string> {
  return panel.evaluate((id) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '', testId);
}

/** Waits until the panel's element `testId` contains `expected` (a string or pattern). */
export async function waitForPanelText(panel: Frame, testId: string, expected: string | RegExp, timeoutMs = 5000): Promise<string> {
  let last = '';
  await waitFor(
    async () => {
      last = await panelText(panel, testId);
      return typeof expected === 'string' ? last.includes(expected) : expected.test(last);
    },
    () => `panel ${testId} to show ${expected} (last: "${last}")`,
    timeoutMs,
  );
  return last;
}

/** `what` may be a function, read at the timeout: a message that names the last value seen. */
export async function waitFor(check: () => Promise<boolean> | boolean, what: string | (() => string), timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Timed out waiting for ${typeof what === 'function' ? what() : what}${lastError ? ` (${String(lastError)})` : ''}`);
}
