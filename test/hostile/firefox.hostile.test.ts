/**
 * The adversarial suite, Firefox part: the cases that do not need the devtools panel, asserted
 * through the background's state (Firefox test build bridge) and the page itself.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_ATTACKS, FORGED_CAPTURE_KEY } from '../../simulator/attack-pages.ts';
import { INSTANCES } from '../../simulator/fixtures.ts';
import { STORAGE_FLOOD, STORAGE_FLOOD_INITS } from '../../simulator/pages.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { REPORT_BUDGET } from '../../src/background/state/report-budget.ts';
import { trimmedText } from '../../src/panel/format/trimmed-text.ts';
import { diagnose } from '../../src/shared/analysis/index.ts';
import { summarize } from '../../src/shared/analysis/page-summary.ts';
import type { PageReport, TabState } from '../../src/shared/protocol/model.ts';
import { waitFor } from '../../tools/chromium.ts';
import { backgroundState, type FirefoxSession, launchFirefox } from '../e2e/support/firefox.ts';
import { describeTraceProbes } from './trace-probes.ts';

let sim: Simulator;
let firefox: FirefoxSession;

beforeAll(async () => {
  sim = await startSimulator();
  firefox = await launchFirefox();
});

afterAll(async () => {
  await firefox?.close();
  await sim?.close();
});

async function load(path: string): Promise<Page> {
  const page = await firefox.browser.newPage();
  await page.goto(`${sim.origin}${path}`, { waitUntil: 'load' });
  await waitFor(async () => (await page.evaluate(() => document.body?.dataset.pageOk ?? '')) === 'yes', `the page to finish its own script (${path})`, 20_000);
  return page;
}

/** `pulled`: only what the background's pulls delivered (the relay is not switched to live). */
async function reportOf(page: Page, ready: (r: PageReport) => boolean, mode: 'live' | 'pulled' = 'live'): Promise<PageReport> {
  let found: PageReport | undefined;
  await waitFor(async () => {
    const s = await backgroundState(page, mode);
    if (s?.report && ready(s.report)) found = s.report;
    return found !== undefined;
  }, `background state for ${page.url()}`);
  return found as PageReport;
}

const initOnce = (r: PageReport) => summarize(r).initCalls.length === 1;

describe('Firefox: hostile pages', () => {
  for (const path of [
    '/pages/hostile-throwing-getters.html',
    '/pages/hostile-never-returns.html',
    '/pages/hostile-cycles.html',
    '/pages/hostile-million-keys.html',
    '/pages/hostile-huge-string.html',
    '/pages/hostile-symbols-proto.html',
    '/pages/strict-csp.html',
    '/pages/hostile-frozen.html',
    '/pages/hostile-sealed.html',
    '/pages/hostile-nonconfigurable.html',
  ]) {
    it(`${path}: the page works and the background sees the snippet`, async () => {
      const page = await load(path);
      const r = await reportOf(page, (x) => summarize(x).snippetFound);
      expect(r.ap3c.state).not.toBe('absent');
      await page.close();
    });
  }

  it('getters with side effects are never called', async () => {
    const page = await load('/pages/hostile-side-effect-getters.html');
    await reportOf(page, initOnce);
    expect(await page.evaluate(() => (window as unknown as { __getterCalls: number }).__getterCalls)).toBe(0);
    await page.close();
  });

  it('a Proxy whose every trap throws', async () => {
    const page = await load('/pages/hostile-proxy.html');
    const r = await reportOf(page, (x) => x.events.some((e) => e.kind === 'hook-failed'));
    expect(r.ap3c.state).toBe('present');
    await page.close();
  });

  it('a flood of forged messages changes nothing', async () => {
    const page = await load('/pages/flood.html');
    await reportOf(page, initOnce);
    await page.click('#flood');
    await waitFor(async () => (await page.evaluate(() => document.body.dataset.flooded)) === 'yes', 'the flood');
    // The page asked for the relay's secret as a recorder would; no answer may come.
    expect(await page.evaluate(() => document.body.dataset.nonceLeaked)).toBe('no');
    await new Promise((r) => setTimeout(r, 1000));
    const r = await reportOf(page, initOnce);
    expect(summarize(r).initCalls[0]?.captureKey).toBe(INSTANCES.testautomation.captureKey);
    await page.close();
  });

  it('iframes: only the top frame is reported', async () => {
    const page = await load('/pages/iframes.html');
    await new Promise((r) => setTimeout(r, 1000));
    const r = await reportOf(page, initOnce);
    expect(summarize(r).initCalls[0]?.captureKey).toBe(INSTANCES.testautomation.captureKey);
    expect(r.url).toContain('/pages/iframes.html');
    await page.close();
  });

  it('capture script and API blocked: the verdict says so', async () => {
    const page = await load('/pages/blocked.html');
    const r = await reportOf(page, (x) => x.scriptErrors.length > 0 || x.ap3c.state === 'present');
    await waitFor(async () => {
      const s = await backgroundState(page);
      return s?.report ? diagnose(s.report, null, Date.now()).verdict.ruleId === 'script-loaded' : false;
    }, 'the script-loaded verdict');
    expect(r.url).toContain('/pages/blocked.html');
    await page.close();
  });

  it('100,000 track calls: the timeline stays bounded and init is still seen', async () => {
    const page = await load('/pages/long-timeline.html');
    const r = await reportOf(page, (x) => x.dropped > 90_000);
    expect(r.events.length).toBeLessThanOrEqual(500);
    expect(summarize(r).initCalls).toHaveLength(1);
    await page.close();
  });

  it('a getter on window is never called by the extension', async () => {
    const page = await load('/pages/hostile-window-getter.html');
    const before = await page.evaluate(() => (window as unknown as { __windowGetterCalls?: number }).__windowGetterCalls ?? 0);
    await reportOf(page, (x) => x.url.includes('hostile-window-getter'));
    await new Promise((r) => setTimeout(r, 500));
    expect(await page.evaluate(() => (window as unknown as { __windowGetterCalls?: number }).__windowGetterCalls ?? 0)).toBe(before);
    await page.close();
  });

  it('ap3c replaced after init, and set to null, a number, a string', async () => {
    const replaced = await load('/pages/hostile-replaced-after-init.html');
    await reportOf(replaced, (x) => x.events.filter((e) => e.kind === 'ap3c-assigned').length >= 2 && initOnce(x));
    await replaced.close();
    for (const [path, note] of [
      ['/pages/hostile-null.html', 'null'],
      ['/pages/hostile-number.html', 'number'],
      ['/pages/hostile-string.html', 'string'],
    ] as const) {
      const page = await load(path);
      const r = await reportOf(page, (x) => x.events.some((e) => e.kind === 'ap3c-assigned' && e.note === note));
      expect(summarize(r).initCalls).toHaveLength(0);
      await page.close();
    }
  });

  it('init replaced by the page after we wrapped it: the page gets its own function and result', async () => {
    const page = await load('/pages/hostile-init-replaced.html');
    expect(await page.evaluate(() => (window as unknown as { __myInitResult: string }).__myInitResult)).toBe('mine');
    expect(await page.evaluate(() => (window as unknown as { __myInitCalls: number }).__myInitCalls)).toBe(1);
    await reportOf(page, (x) => summarize(x).initCalls.length === 2);
    await page.close();
  });

  it('single-page-app route changes are followed', async () => {
    const page = await load('/pages/spa-routes.html');
    await reportOf(page, initOnce);
    await page.click('#route-a');
    await reportOf(page, (x) => x.url.includes('?route=a'));
    await page.click('#route-b');
    await reportOf(page, (x) => x.url.includes('?route=b'));
    await page.close();
  });

  it('back to a page kept in the back/forward cache (live, as with a panel open): the report is that page again', async () => {
    const page = await firefox.browser.newPage();
    // ?cacheable=1: served without no-store, so Firefox keeps the page in its back/forward cache.
    await page.goto(`${sim.origin}/pages/token.html?cacheable=1`, { waitUntil: 'load' });
    await reportOf(page, (x) => x.url.endsWith('/pages/token.html?cacheable=1') && initOnce(x));
    await page.evaluate(() => {
      (window as unknown as { __before: number }).__before = 1;
    });
    await page.goto(`${sim.origin}/pages/disable-talk.html?cacheable=1`, { waitUntil: 'load' });
    await reportOf(page, (x) => x.url.endsWith('/pages/disable-talk.html?cacheable=1'));
    // (A page restored from the cache fires no load event for puppeteer to wait for.)
    await page.evaluate(() => history.back());
    await waitFor(async () => (await page.evaluate(() => location.href).catch(() => '')).endsWith('/pages/token.html?cacheable=1'), 'back on the first page');
    expect(await page.evaluate(() => (window as unknown as { __before?: number }).__before)).toBe(1); // restored, not loaded again
    await reportOf(page, (x) => x.url.endsWith('/pages/token.html?cacheable=1') && initOnce(x));
    await page.close();
  });

  it('with no panel open, a route change (pushState) is pulled: the report follows the new URL', async () => {
    const page = await load('/pages/spa-routes.html');
    await reportOf(page, initOnce, 'pulled');
    await page.click('#route-a');
    // (Nothing is pushed: the relay is not live. Only the background's pull brings the new URL.)
    await reportOf(page, (x) => x.url.includes('?route=a'), 'pulled');
    await page.close();
  });

  it('one tab cannot fill the storage of every tab: the storage flood is trimmed, a second tab gets its report', async () => {
    const flood = await load('/pages/storage-flood.html');
    // Only what the pulls delivered (no live switch): the background's stored state after the last round.
    let state: TabState | null = null;
    await waitFor(
      async () => {
        state = await backgroundState(flood, 'pulled');
        return !!state?.report?.url.includes(`?round=${STORAGE_FLOOD.plan.length}`) && summarize(state.report).initCalls.length === STORAGE_FLOOD_INITS;
      },
      'the background to hold the last round of the flood',
      20_000,
    );
    const flooded = state as unknown as TabState;
    const r = flooded.report as PageReport;
    expect(flooded.notStored).toBeUndefined();
    expect(JSON.stringify(r).length).toBeLessThanOrEqual(REPORT_BUDGET);
    expect(r.trimmed?.args).toBeGreaterThan(300);
    expect(trimmedText(r.trimmed)).toMatch(/^This report was trimmed to stay within the browser's storage limit: /);
    // A second tab with Ortto while the first is still open.
    const second = await firefox.browser.newPage();
    await second.goto(`${sim.origin}/pages/token.html`, { waitUntil: 'load' });
    const r2 = await reportOf(second, initOnce);
    expect(summarize(r2).token).not.toBeNull();
    expect(r2.trimmed).toBeUndefined();
    expect((await backgroundState(second, 'pulled'))?.notStored).toBeUndefined();
    await second.close();
    await flood.close();
  });

  it('two tabs never mix', async () => {
    const a = await load('/pages/hostile-cycles.html');
    const b = await firefox.browser.newPage();
    await b.goto(`${sim.origin}/pages/disable-talk.html`, { waitUntil: 'load' });
    const ra = await reportOf(a, initOnce);
    const rb = await reportOf(b, initOnce);
    expect(ra.url).toContain('hostile-cycles');
    expect(rb.url).toContain('disable-talk');
    expect(summarize(rb).talkDisabledBy).toContain('init option disableTalk: true');
    expect(summarize(ra).talkDisabledBy).toEqual([]);
    await a.close();
    await b.close();
  });
});

describe("Firefox: attacks on the inspector's own channel (issue 11)", () => {
  const leaks = (page: Page) => page.evaluate(() => (window as unknown as { __tiLeaks?: string[] }).__tiLeaks ?? ['no catcher on the page']);

  for (const attack of Object.keys(CHANNEL_ATTACKS)) {
    it(`${attack}: the page never learns the channel's name, and a forged batch never reaches the background`, async () => {
      const page = await load(`/pages/${attack}.html`);
      // The background's pull (1 s after load) builds a batch while the page's code may run.
      await new Promise((r) => setTimeout(r, 1700));
      expect(await leaks(page)).toEqual([]);
      // Live, as when a panel opens: the recorder answers `L`, then flushes after every track call.
      await reportOf(page, initOnce);
      await new Promise((r) => setTimeout(r, 1500));
      const r = await reportOf(page, (x) => x.events.filter((e) => e.kind === 'track').length > 3);
      expect(await leaks(page)).toEqual([]);
      expect(summarize(r).initCalls.map((c) => c.captureKey)).toEqual([INSTANCES.testautomation.captureKey]);
      expect(JSON.stringify(r)).not.toContain(FORGED_CAPTURE_KEY);
      // The recorder read the errors through the page's replaced getters (nothing else on the page
      // reads them): the attack ran, and the errors were still reported.
      if (attack === 'leak-error-getters') {
        expect(await page.evaluate(() => (window as unknown as { __tiErrorReads: number }).__tiErrorReads)).toBeGreaterThan(0);
        expect(JSON.stringify(r.events.filter((e) => e.kind === 'page-error'))).toContain('an uncaught error that names ap3c');
      }
      await page.close();
    });
  }

  it('on a page without Ortto, the pull answered inside the request runs nothing of the page (leak-everything, no snippet)', async () => {
    const page = await load('/pages/leak-everything-no-ortto.html');
    // The background's pull, 1 s after load: "nothing", given within the relay's dispatch.
    await new Promise((r) => setTimeout(r, 1700));
    expect(await leaks(page)).toEqual([]);
    // What the background holds for it came from that pull alone: no Ortto seen.
    const s = await backgroundState(page, 'pulled');
    expect(s?.report?.ap3c?.state ?? 'absent').toBe('absent');
    expect(await leaks(page)).toEqual([]);
    await page.close();
  });

  it('an opener listening on the new window at once hears no hello and cannot block the pairing; the report says who opened the tab', async () => {
    const opener = await load('/pages/opener-at-once.html');
    const pagesBefore = new Set(await firefox.browser.pages());
    await opener.click('#open');
    let victim: Page | undefined;
    await waitFor(async () => {
      victim = (await firefox.browser.pages()).find((p) => !pagesBefore.has(p) && p.url().includes('/pages/opener-victim.html'));
      return victim !== undefined;
    }, 'the opened tab');
    const v = victim as Page;
    await waitFor(async () => (await v.evaluate(() => document.body?.dataset.pageOk ?? '')) === 'yes', 'the victim page to work', 20_000);
    const r = await reportOf(v, initOnce);
    expect(r.opener).toBe('same-origin');
    expect(r.interference).toBeUndefined();
    expect(await opener.evaluate(() => (window as unknown as { __openerHeard: string[] }).__openerHeard)).toEqual([]);
    await v.close();
    await opener.close();
  });
});

describeTraceProbes(
  'Firefox: the page sees no difference: trace probes against a control frame without the inspector',
  () => firefox.browser.newPage(),
  () => sim.origin,
);
