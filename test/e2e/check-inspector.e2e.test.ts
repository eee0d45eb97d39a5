/**
 * `talk-inspector check`'s browser side (tools/check/inspector.ts), driven in this process so a
 * test can reach the browser while a page is being checked: what docs/check.md promises about
 * dialogs, pop-ups and a service worker that stops mid-check. (The command as a user runs it:
 * check-cli.e2e.test.ts.)
 */
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { diagnose } from '../../src/shared/analysis/index.ts';
import { findBrowser } from '../../tools/browsers.ts';
import { Inspector, type PageRunOptions } from '../../tools/check/inspector.ts';

const DIST = join(resolve(import.meta.dirname, '../..'), 'dist/chrome');
const RUN: PageRunOptions = { timeoutMs: 20_000, waitMs: null, hooks: { hook: null, scripts: [] } };

let sim: Simulator;
let inspector: Inspector;

beforeAll(async () => {
  sim = await startSimulator();
  inspector = await Inspector.start({ extensionDir: DIST, executablePath: findBrowser('chromium'), chromiumArgs: [] });
});

afterAll(async () => {
  await inspector?.close();
  await sim?.close();
});

describe('talk-inspector check, in the browser', () => {
  it('dismisses the dialogs a page shows while it loads and closes the pop-up it opens, then gives its verdict', async () => {
    const url = `${sim.origin}/pages/dialogs.html`;
    const outcome = await inspector.check(url, RUN);
    // An alert left open holds the page's load event: the check would time out instead.
    expect(outcome.ok ? null : outcome.error).toBeNull();
    if (!outcome.ok) return;
    expect(outcome.state.report.url).toBe(url);
    expect(diagnose(outcome.state.report, outcome.network, Date.now()).verdict.kind).toBe('verified');
    // The pop-up did open (it asked the simulator for its page), and is closed.
    expect(sim.requests().some((r) => r.path === '/pages/verified.html?popup=1')).toBe(true);
    await expect
      .poll(async () => (await inspector.chromium.browser.pages()).map((p) => p.url()).filter((u) => u.includes('popup=1')), { timeout: 5_000 })
      .toEqual([]);
  });

  it('a service worker that stops while a page loads: the port is reopened and the verdict still comes', async () => {
    // The body comes 3 s after the headers: the worker stops while the page is loading.
    const url = `${sim.origin}/pages/verified.html?slow-body=3000`;
    const checking = inspector.check(url, RUN);
    // Once the page's tab exists (the control page's port is open by then), stop the worker.
    await expect.poll(async () => (await inspector.chromium.browser.pages()).some((p) => p.url() === url), { timeout: 10_000, interval: 50 }).toBe(true);
    await inspector.chromium.stopWorker();
    const outcome = await checking;
    expect(outcome.ok ? null : outcome.error).toBeNull();
    if (!outcome.ok) return;
    expect(outcome.state.report.url).toBe(url);
    expect(diagnose(outcome.state.report, outcome.network, Date.now()).verdict.kind).toBe('verified');
  });
});
