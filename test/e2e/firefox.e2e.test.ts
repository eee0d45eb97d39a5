/**
 * The Firefox build in Firefox ESR: the same fixture pages reach the background with the right
 * state (recorder → relay → background), asserted through the test build's bridge.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSTANCES } from '../../simulator/fixtures.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { summarize } from '../../src/shared/analysis/page-summary.ts';
import type { TabState } from '../../src/shared/protocol/model.ts';
import { waitFor } from '../../tools/chromium.ts';
import { backgroundState, type FirefoxSession, launchFirefox } from './support/firefox.ts';

let sim: Simulator;
let firefox: FirefoxSession;
let page: Page;

beforeAll(async () => {
  sim = await startSimulator();
  firefox = await launchFirefox();
  page = await firefox.browser.newPage();
});

afterAll(async () => {
  await firefox?.close();
  await sim?.close();
});

/** Loads a fixture page and waits until the background holds a report that satisfies `ready`. */
async function stateOf(path: string, ready: (s: TabState) => boolean): Promise<TabState> {
  await page.goto(`${sim.origin}${path}`, { waitUntil: 'load' });
  let found: TabState | undefined;
  await waitFor(async () => {
    const state = await backgroundState(page);
    if (state?.report?.url.endsWith(path) && ready(state)) found = state;
    return found !== undefined;
  }, `background state for ${path}`);
  if (!found) throw new Error(`no state for ${path}`);
  return found;
}

const summary = (s: TabState) => summarize(s.report as NonNullable<TabState['report']>);

describe('Firefox: fixture pages reach the background', () => {
  it('no snippet', async () => {
    // Content scripts stay silent on pages without Ortto; the query wakes them as a panel would.
    const s = await stateOf('/pages/no-snippet.html', (x) => x.report !== null);
    expect(summary(s).snippetFound).toBe(false);
    expect(s.report?.widget.present).toBe(false);
  });

  it('standard snippet without a token', async () => {
    const s = await stateOf('/pages/standard.html', (x) => x.report?.widget.present === true && summary(x).initCalls.length === 1);
    const sum = summary(s);
    expect(sum.snippetFound).toBe(true);
    expect(sum.scriptLoaded).toBe(true);
    expect(sum.initCalls[0]?.captureKey).toBe(INSTANCES.testautomation.captureKey);
    expect(sum.token).toBeNull();
    expect(s.report?.widget.notVerifiedLabel).toBe(true);
  });

  it('snippet with token and cookiePath', async () => {
    const s = await stateOf('/pages/token.html', (x) => x.report?.widget.present === true && summary(x).token !== null);
    const html = await page.content();
    const token = /"token":"([^"]+)"/.exec(html)?.[1];
    expect(token).toBeTruthy();
    expect(summary(s).token?.value).toBe(token);
    expect(summary(s).cookiePath).toBe('/testautomation/');
    expect(s.report?.widget.notVerifiedLabel).toBe(false);
  });

  it('disableTalk', async () => {
    const s = await stateOf('/pages/disable-talk.html', (x) => summary(x).initCalls.length === 1);
    expect(summary(s).talkDisabledBy).toContain('init option disableTalk: true');
    expect(s.report?.widget.present).toBe(false);
  });

  it('resource timing read again and again (live updates) counts a capture script fetched once as one fetch', async () => {
    await stateOf('/pages/standard.html', (x) => x.report?.widget.present === true);
    // Each query wakes the relay as a panel would: every update reads resource timing again
    // (only the entries it has not seen: the same entry must be the same object in each read).
    let s: TabState | null = null;
    for (let i = 0; i < 5; i++) {
      s = await backgroundState(page);
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(s?.report?.captureScriptLoads).toBe(1);
  });

  it('a page nobody inspects is pulled by the background a second after load, cookies included', async () => {
    const fresh = await firefox.browser.newPage();
    await fresh.goto(`${sim.origin}/pages/standard.html`, { waitUntil: 'load' });
    let state: TabState | null = null;
    await waitFor(async () => {
      state = await backgroundState(fresh, 'pulled');
      return state?.report?.url.endsWith('/pages/standard.html') === true && summary(state).initCalls.length === 1;
    }, 'the pulled report');
    const s = state as unknown as TabState;
    expect(summary(s).initCalls[0]?.captureKey).toBe(INSTANCES.testautomation.captureKey);
    // Read by the background's cookies API, not by the page.
    expect(s.report?.cookies.map((c) => c.name)).toContain('ap3c');
    await fresh.close();
  });

  it("a tab shown again is pulled again: Ortto set up after the load's pull reaches the background only then", async () => {
    const fresh = await firefox.browser.newPage();
    await fresh.goto(`${sim.origin}/pages/no-snippet.html?shown-again`, { waitUntil: 'load' });
    // After a pull that found nothing the background keeps no report (loadedWithoutReport).
    const ap3cSeen = async () => {
      const state = await backgroundState(fresh, 'pulled');
      return state?.report ? state.report.ap3c.state : state?.loadedWithoutReport ? 'nothing' : 'not yet';
    };
    await waitFor(async () => (await ap3cSeen()) === 'nothing', 'the pull after load: nothing');
    await fresh.evaluate(() => {
      (window as unknown as { ap3c: unknown }).ap3c = { cmd: [] };
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await ap3cSeen()).toBe('nothing'); // nothing polls
    const other = await firefox.browser.newPage();
    await other.bringToFront();
    await fresh.bringToFront();
    await waitFor(async () => (await ap3cSeen()) === 'present', 'the pull when the tab was shown again');
    await other.close();
    await fresh.close();
  });

  it('single-page app login: setVerifiedSession is recorded', async () => {
    await stateOf('/pages/spa-login.html', (x) => x.report?.widget.present === true);
    await page.click('#login');
    let state: TabState | null = null;
    await waitFor(async () => {
      state = await backgroundState(page);
      return state !== null && summary(state).verifiedSessionCalls.length === 1 && state.report?.widget.notVerifiedLabel === false;
    }, 'setVerifiedSession in the background state');
    expect(summary(state as unknown as TabState).token?.source).toBe('setVerifiedSession');
  });
});
