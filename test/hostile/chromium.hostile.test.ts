/**
 * The adversarial suite (`npm run test:hostile`), Chromium part: hostile and broken pages, faults
 * and odd navigation. Every case checks that the page still works and that the panel tells the truth.
 * docs/reliability.md maps each promise to the case that proves it.
 */
import type { Frame, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_ATTACKS, FORGED_CAPTURE_KEY } from '../../simulator/attack-pages.ts';
import { INSTANCES } from '../../simulator/fixtures.ts';
import { STORAGE_FLOOD, STORAGE_FLOOD_INITS } from '../../simulator/pages.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { type ChromiumSession, launchChromium, openPanel, panelText, waitFor, waitForPanelText } from '../../tools/chromium.ts';
import { describeTraceProbes } from './trace-probes.ts';

let sim: Simulator;
let chromium: ChromiumSession;

beforeAll(async () => {
  sim = await startSimulator();
  chromium = await launchChromium();
  await chromium.worker();
});

afterAll(async () => {
  await chromium?.close();
  await sim?.close();
});

async function open(path: string): Promise<Page> {
  const page = await chromium.browser.newPage();
  await page.goto(`${sim.origin}${path}`, { waitUntil: 'load' });
  return page;
}

/** The page's own end-of-script marker: it ran to the end without an error. */
async function pageWorks(page: Page): Promise<void> {
  await waitFor(
    async () => (await page.evaluate(() => document.body?.dataset.pageOk ?? '')) === 'yes',
    `the page to finish its own script (${page.url()})`,
    20_000,
  );
}

/** The page still answers quickly (nothing of ours is stuck in its main thread). */
async function responsive(page: Page): Promise<void> {
  const t0 = Date.now();
  expect(await page.evaluate(() => 1 + 1)).toBe(2);
  expect(Date.now() - t0).toBeLessThan(2000);
}

async function panelFor(page: Page): Promise<Frame> {
  return (await openPanel(page, chromium.extensionId)).panel;
}

async function verdictKind(panel: Frame): Promise<string> {
  return panel.evaluate(() => (document.querySelector('[data-testid="verdict"]') as HTMLElement | null)?.dataset.kind ?? '');
}

describe('1. hostile ap3c objects', () => {
  it('throwing getters: page works, panel reports the snippet', async () => {
    const page = await open('/pages/hostile-throwing-getters.html');
    await pageWorks(page);
    const panel = await panelFor(page);
    await waitForPanelText(panel, 'status-init', 'Called once');
    await responsive(page);
    await page.close();
  });

  it('getters with side effects are never called (counter stays 0)', async () => {
    const page = await open('/pages/hostile-side-effect-getters.html');
    await pageWorks(page);
    const panel = await panelFor(page);
    await waitForPanelText(panel, 'status-init', 'Called once');
    await new Promise((r) => setTimeout(r, 500));
    expect(await page.evaluate(() => (window as unknown as { __getterCalls: number }).__getterCalls)).toBe(0);
    await page.close();
  });

  it('a getter that never returns is never read', async () => {
    const page = await open('/pages/hostile-never-returns.html');
    await pageWorks(page);
    const panel = await panelFor(page);
    await waitForPanelText(panel, 'status-init', 'Called once');
    await responsive(page);
    await page.close();
  });

  it('a Proxy whose every trap throws', async () => {
    const page = await open('/pages/hostile-proxy.html');
    await pageWorks(page);
    const panel = await panelFor(page);
    await waitForPanelText(panel, 'status-snippet', /Found|Present/);
    await waitForPanelText(panel, 'timeline', 'Could not watch');
    await responsive(page);
    await page.close();
  });

  for (const [name, path] of [
    ['cycles', '/pages/hostile-cycles.html'],
    ['1,000,000 keys', '/pages/hostile-million-keys.html'],
    ['a 50 MB string', '/pages/hostile-huge-string.html'],
    ['Symbol and __proto__ keys', '/pages/hostile-symbols-proto.html'],
  ] as const) {
    it(`${name}: page works, panel reports init`, async () => {
      const page = await open(path);
      await pageWorks(page);
      const panel = await panelFor(page);
      await waitForPanelText(panel, 'status-init', 'Called once');
      expect(await panelText(panel, 'capture-key')).toBe(INSTANCES.testautomation.captureKey);
      await responsive(page);
      await page.close();
    });
  }
});

describe('2. unusual window.ap3c definitions', () => {
  for (const [name, path] of [
    ['frozen', '/pages/hostile-frozen.html'],
    ['sealed', '/pages/hostile-sealed.html'],
    ['non-configurable on window', '/pages/hostile-nonconfigurable.html'],
  ] as const) {
    it(`${name}: page works, panel still answers`, async () => {
      const page = await open(path);
      await pageWorks(page);
      const panel = await panelFor(page);
      await waitForPanelText(panel, 'status-snippet', /Found|Present/);
      expect(['verified', 'not-verified', 'talk-disabled', 'no-snippet', 'unknown']).toContain(await verdictKind(panel));
      await page.close();
    });
  }

  it('a getter on window is never called by the extension', async () => {
    const page = await open('/pages/hostile-window-getter.html');
    await pageWorks(page);
    const before = await page.evaluate(() => (window as unknown as { __windowGetterCalls?: number }).__windowGetterCalls ?? 0);
    const panel = await panelFor(page);
    await waitForPanelText(panel, 'status-snippet', /not readable|Found/);
    await new Promise((r) => setTimeout(r, 500));
    expect(await page.evaluate(() => (window as unknown as { __windowGetterCalls?: number }).__windowGetterCalls ?? 0)).toBe(before);
    await page.close();
  });

  it('ap3c replaced after init: the panel keeps the init it saw', async () => {
    const page = await open('/pages/hostile-replaced-after-init.html');
    await pageWorks(page);
    const panel = await panelFor(page);
    await waitForPanelText(panel, 'status-init', 'Called once');
    await waitForPanelText(panel, 'timeline', /window\.ap3c set \(an object\)[\s\S]*window\.ap3c set \(an object\)/);
    await page.close();
  });

  for (const [name, path, note] of [
    ['null', '/pages/hostile-null.html', 'null'],
    ['a number', '/pages/hostile-number.html', 'number'],
    ['a string', '/pages/hostile-string.html', 'string'],
  ] as const) {
    it(`ap3c set to ${name}`, async () => {
      const page = await open(path);
      await pageWorks(page);
      const panel = await panelFor(page);
      await waitForPanelText(panel, 'timeline', `window.ap3c set (${note})`);
      expect(await panelText(panel, 'status-init')).toBe('Not called');
      await page.close();
    });
  }

  it('init replaced by the page after we wrapped it: the page gets its own function and result', async () => {
    const page = await open('/pages/hostile-init-replaced.html');
    await pageWorks(page);
    expect(await page.evaluate(() => (window as unknown as { __myInitResult: string }).__myInitResult)).toBe('mine');
    expect(await page.evaluate(() => (window as unknown as { __myInitCalls: number }).__myInitCalls)).toBe(1);
    const panel = await panelFor(page);
    await waitForPanelText(panel, 'status-init', 'Called 2 times');
    await page.close();
  });
});

describe('3. strict CSP with Trusted Types', () => {
  it('recorder and panel still work', async () => {
    const page = await open('/pages/strict-csp.html');
    await pageWorks(page);
    const panel = await panelFor(page);
    await waitForPanelText(panel, 'status-init', 'Called once');
    await waitForPanelText(panel, 'widget-present', 'Yes');
    await page.close();
  });
});

describe('4. a flood of forged messages', () => {
  it('10,000 forged recorder and relay messages change nothing and memory stays bounded', async () => {
    const page = await open('/pages/flood.html');
    await pageWorks(page);
    const panel = await panelFor(page);
    await waitForPanelText(panel, 'status-init', 'Called once');
    const timeline = await panelText(panel, 'timeline');
    const heapBefore = (await page.metrics()).JSHeapUsedSize ?? 0;
    sim.reset();
    await page.click('#flood');
    await waitFor(async () => (await page.evaluate(() => document.body.dataset.flooded)) === 'yes', 'the flood');
    // The page asked for the relay's secret as a recorder would; no answer may come.
    expect(await page.evaluate(() => document.body.dataset.nonceLeaked)).toBe('no');
    await new Promise((r) => setTimeout(r, 1000));
    expect(await panelText(panel, 'capture-key')).toBe(INSTANCES.testautomation.captureKey);
    expect(await panelText(panel, 'status-init')).toBe('Called once');
    expect(await panelText(panel, 'timeline')).toBe(timeline);
    expect(sim.requests({ path: '/v1/talk/session' })).toHaveLength(0);
    const cdp = await page.createCDPSession();
    await cdp.send('HeapProfiler.collectGarbage');
    const heapAfter = (await page.metrics()).JSHeapUsedSize ?? 0;
    expect(heapAfter - heapBefore).toBeLessThan(20 * 1024 * 1024);
    await responsive(page);
    await page.close();
  });
});

describe('5. iframes with their own ap3c', () => {
  it('the panel reports the top frame only', async () => {
    const page = await open('/pages/iframes.html');
    await pageWorks(page);
    await waitFor(() => page.frames().length >= 3, 'both iframes');
    const panel = await panelFor(page);
    await waitForPanelText(panel, 'status-init', 'Called once');
    await new Promise((r) => setTimeout(r, 500));
    expect(await panelText(panel, 'capture-key')).toBe(INSTANCES.testautomation.captureKey);
    expect(await panelText(panel, 'status-init')).toBe('Called once');
    await page.close();
  });
});

type StoredTab = {
  key: string;
  bytes: number;
  chars: number;
  url: string | null;
  reportUrl: string | null;
  inits: number;
  trimmed: { events: number; args: number } | null;
};
/** Every tab state in storage.session (what the background stored: with no panel open, only its pulls deliver), with Chrome's own size estimate (getBytesInUse) and its JSON length. */
async function storedTabs(): Promise<StoredTab[]> {
  const worker = await chromium.worker();
  return worker.evaluate(async () => {
    type Area = { get(k: null): Promise<Record<string, unknown>>; getBytesInUse(k: string | null): Promise<number> };
    const area = (globalThis as unknown as { chrome: { storage: { session: Area } } }).chrome.storage.session;
    const all = await area.get(null);
    const out: StoredTab[] = [];
    for (const [key, value] of Object.entries(all)) {
      if (!key.startsWith('tab:')) continue;
      const state = value as { url: string | null; report: { url: string; events: { kind: string }[]; trimmed?: { events: number; args: number } } | null };
      out.push({
        key,
        bytes: await area.getBytesInUse(key),
        chars: JSON.stringify(value).length,
        url: state.url,
        reportUrl: state.report?.url ?? null,
        inits: state.report?.events.filter((e) => e.kind === 'init').length ?? 0,
        trimmed: state.report?.trimmed ?? null,
      });
    }
    return out;
  });
}

describe('6. navigation', () => {
  it('back and forward (bfcache) show the page on screen', async () => {
    // ?cacheable=1: served without no-store, so the browser really keeps them in its back/forward
    // cache (checked below: a value the page set before leaving is still there when it is back).
    const page = await open('/pages/token.html?cacheable=1');
    const panel = await panelFor(page);
    await waitForPanelText(panel, 'status-token', 'Present');
    await page.evaluate(() => {
      (window as unknown as { __before: number }).__before = 1;
    });
    await page.goto(`${sim.origin}/pages/disable-talk.html?cacheable=1`, { waitUntil: 'load' });
    await waitForPanelText(panel, 'status-talk', 'Disabled');
    await page.evaluate(() => {
      (window as unknown as { __before: number }).__before = 2;
    });
    await page.goBack({ waitUntil: 'load' });
    expect(await page.evaluate(() => (window as unknown as { __before?: number }).__before)).toBe(1); // restored, not loaded again
    await waitForPanelText(panel, 'page-url', '/pages/token.html');
    await waitForPanelText(panel, 'status-token', 'Present');
    await page.goForward({ waitUntil: 'load' });
    expect(await page.evaluate(() => (window as unknown as { __before?: number }).__before)).toBe(2);
    await waitForPanelText(panel, 'page-url', '/pages/disable-talk.html');
    await waitForPanelText(panel, 'status-talk', 'Disabled');
    await page.close();
  });

  it('single-page-app route changes (pushState) are followed', async () => {
    const page = await open('/pages/spa-routes.html');
    await pageWorks(page);
    const panel = await panelFor(page);
    await waitForPanelText(panel, 'status-init', 'Called once');
    await page.click('#route-a');
    await waitForPanelText(panel, 'page-url', '?route=a');
    await page.click('#route-b');
    await waitForPanelText(panel, 'page-url', '?route=b');
    expect(await panelText(panel, 'status-init')).toBe('Called once');
    await page.close();
  });

  it('with no panel open, back to a page kept in the back/forward cache: its stored report has its init call again', async () => {
    const page = await open('/pages/token.html?cacheable=1');
    const has = (path: string) => async () => (await storedTabs()).some((t) => t.reportUrl?.endsWith(path) && t.inits === 1);
    await waitFor(has('/pages/token.html?cacheable=1'), 'the first page pulled');
    await page.evaluate(() => {
      (window as unknown as { __before: number }).__before = 1;
    });
    await page.goto(`${sim.origin}/pages/disable-talk.html?cacheable=1`, { waitUntil: 'load' });
    await waitFor(has('/pages/disable-talk.html?cacheable=1'), 'the second page pulled');
    await page.goBack({ waitUntil: 'load' });
    expect(await page.evaluate(() => (window as unknown as { __before?: number }).__before)).toBe(1); // restored, not loaded again
    // The background moved on to the other page meanwhile: the restored page's pull starts from everything.
    await waitFor(has('/pages/token.html?cacheable=1'), 'the restored page pulled, with its init call');
    await page.close();
  });

  it('with no panel open, a route change (pushState) is pulled: the stored report follows the new URL', async () => {
    const page = await open('/pages/spa-routes.html');
    await pageWorks(page);
    const reportUrls = async () => (await storedTabs()).map((t) => t.reportUrl ?? '');
    await waitFor(async () => (await reportUrls()).some((u) => u.endsWith('/pages/spa-routes.html')), 'the pull after load');
    await page.click('#route-a');
    await waitFor(async () => (await reportUrls()).some((u) => u.endsWith('/pages/spa-routes.html?route=a')), 'the pull after the route change');
    await page.close();
  });

  it('a navigation while the panel is loading ends on the right page', async () => {
    const page = await open('/pages/standard.html');
    const opening = openPanel(page, chromium.extensionId);
    await page.goto(`${sim.origin}/pages/disable-talk.html`, { waitUntil: 'load' });
    const { panel } = await opening;
    await waitForPanelText(panel, 'page-url', '/pages/disable-talk.html');
    await waitForPanelText(panel, 'status-talk', 'Disabled');
    await page.close();
  });
});

describe('7. the service worker stopped again and again', () => {
  it('state survives and the panel reconnects by itself', async () => {
    const page = await open('/pages/standard.html');
    const panel = await panelFor(page);
    await waitForPanelText(panel, 'status-init', 'Called once');
    for (const next of ['/pages/token.html', '/pages/disable-talk.html', '/pages/standard.html']) {
      await chromium.stopWorker();
      await page.goto(`${sim.origin}${next}`, { waitUntil: 'load' });
      await waitForPanelText(panel, 'page-url', next);
    }
    await waitForPanelText(panel, 'status-init', 'Called once');
    await waitFor(async () => (await panel.evaluate(() => document.querySelector('.connection')?.textContent)) === 'Live', 'the panel to be live again');
    await page.close();
  });
});

describe('8. two tabs inspected at once', () => {
  it('states never mix', async () => {
    const a = await open('/pages/token.html');
    const b = await open('/pages/disable-talk.html');
    const pa = await panelFor(a);
    const pb = await panelFor(b);
    for (let i = 0; i < 3; i++) {
      await a.reload({ waitUntil: 'load' });
      await b.reload({ waitUntil: 'load' });
    }
    await waitForPanelText(pa, 'page-url', '/pages/token.html');
    await waitForPanelText(pb, 'page-url', '/pages/disable-talk.html');
    await waitForPanelText(pa, 'status-token', 'Present');
    await waitForPanelText(pb, 'status-talk', 'Disabled');
    expect(await panelText(pa, 'status-talk')).not.toContain('Disabled');
    expect(await panelText(pb, 'status-token')).toContain('None given');
    await a.close();
    await b.close();
  });
});

describe('9. pages the extension cannot touch', () => {
  for (const url of ['about:blank', 'data:text/html,<h1>data</h1>', 'chrome://version/']) {
    it(`${url.slice(0, 20)}: a clear state, no errors`, async () => {
      const page = await open('/pages/standard.html');
      const panel = await panelFor(page);
      await waitForPanelText(panel, 'status-init', 'Called once');
      const errors: string[] = [];
      panel.page().on('pageerror', (e) => errors.push(String(e)));
      await page.goto(url).catch(() => undefined);
      await waitForPanelText(panel, 'not-inspectable', 'Cannot inspect this page');
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});

describe('10. capture script and capture API blocked', () => {
  it('the verdict says the capture script did not load', async () => {
    const page = await open('/pages/blocked.html');
    await pageWorks(page);
    const panel = await panelFor(page);
    await waitFor(async () => (await verdictKind(panel)) !== '', 'a verdict');
    await waitForPanelText(panel, 'verdict', /did not load/);
    await page.close();
  });
});

describe('11. a very long timeline', () => {
  it('100,000 track calls: bounded, init still seen, and the panel stays responsive', async () => {
    const page = await open('/pages/long-timeline.html');
    await pageWorks(page);
    const panel = await panelFor(page);
    await waitFor(async () => /older events were dropped/.test(await panel.evaluate(() => document.body.innerText)), 'the dropped-events note');
    // The flood of track calls must not push the one init call out of the timeline.
    await waitForPanelText(panel, 'status-init', 'Called once');
    const items = await panel.evaluate(() => document.querySelectorAll('[data-testid="timeline"] li').length);
    expect(items).toBeLessThanOrEqual(500 + 10);
    const t0 = Date.now();
    await panel.evaluate(() => (document.querySelector('[data-testid="preserve"]') as HTMLInputElement).click());
    expect(Date.now() - t0).toBeLessThan(1000);
    await responsive(page);
    await page.close();
  });
});

describe('12. one tab cannot fill the storage of every tab', () => {
  it('350 init calls of ~30 KB over 14 route changes, then halving rounds: that report is trimmed, and a second tab with Ortto gets its report', async () => {
    const hostile = await open('/pages/storage-flood.html');
    await pageWorks(hostile);
    let flooded: StoredTab | undefined;
    let seen: StoredTab[] = [];
    await waitFor(
      async () => {
        seen = await storedTabs();
        flooded = seen.find((t) => t.url?.includes(`/pages/storage-flood.html?round=${STORAGE_FLOOD.plan.length}`) && t.inits === STORAGE_FLOOD_INITS);
        return flooded !== undefined;
      },
      'the background to store the last round of the flood',
      20_000,
    ).catch((e) => {
      throw new Error(`${String(e)}; stored: ${JSON.stringify(seen.map(({ url, inits, chars, trimmed }) => ({ url, inits, chars, trimmed })))}`);
    });
    const tab = flooded as StoredTab;
    console.info(
      `storage-flood: stored report ${tab.chars} characters of JSON, ${tab.bytes} bytes by Chrome's estimate, trimmed ${JSON.stringify(tab.trimmed)}`,
    );
    expect(tab.chars).toBeLessThanOrEqual(512 * 1024);
    expect(tab.trimmed?.args).toBeGreaterThan(300);
    // (reliability.md, row 12: the arguments went, no event was left out.)
    expect(tab.trimmed?.events ?? 0).toBe(0);

    // A second tab with Ortto, while the first is still open: its report arrives and is stored.
    const second = await open('/pages/token.html');
    const panel2 = await panelFor(second);
    await waitForPanelText(panel2, 'status-init', 'Called once');
    await waitForPanelText(panel2, 'status-token', 'Present');
    expect(await panelText(panel2, 'storage-notice')).toBe('');
    expect((await storedTabs()).some((t) => t.url?.includes('/pages/token.html') && t.inits === 1)).toBe(true);

    // The first tab's panel says, in words, what was left out; the diagnosis still sees every init.
    const panel1 = await panelFor(hostile);
    await waitForPanelText(
      panel1,
      'report-trimmed',
      /^This report was trimmed to stay within the browser's storage limit: (\d+ older events? and )?the arguments of \d+ calls were left out\.$/,
    );
    await waitForPanelText(panel1, 'status-init', `Called ${STORAGE_FLOOD_INITS} times`);
    await responsive(hostile);
    await second.close();
    await hostile.close();
  });

  it('storage.session full: the panel still gets its report and says it could not be stored; room again, it is stored', async () => {
    const worker = await chromium.worker();
    // Fill the quota from the background itself, leaving less room than any report needs.
    const left = await worker.evaluate(async () => {
      type Area = { QUOTA_BYTES: number; set(i: Record<string, unknown>): Promise<void>; getBytesInUse(k: null): Promise<number> };
      const area = (globalThis as unknown as { chrome: { storage: { session: Area } } }).chrome.storage.session;
      const room = area.QUOTA_BYTES - (await area.getBytesInUse(null));
      for (let size = room - 64; size > 0; size -= 64) {
        try {
          await area.set({ 'e2e-filler': 'x'.repeat(size) });
          return area.QUOTA_BYTES - (await area.getBytesInUse(null));
        } catch {
          // over the quota: a little less
        }
      }
      return -1;
    });
    expect(left).toBeGreaterThanOrEqual(0);
    expect(left).toBeLessThan(1024);
    const page = await open('/pages/token.html');
    const panel = await panelFor(page);
    try {
      await waitForPanelText(panel, 'status-init', 'Called once');
      await waitForPanelText(panel, 'report-not-stored', "The browser's storage for Talk Inspector is full");
    } finally {
      await (await chromium.worker()).evaluate(() =>
        (globalThis as unknown as { chrome: { storage: { session: { remove(k: string): Promise<void> } } } }).chrome.storage.session.remove('e2e-filler'),
      );
    }
    await page.reload({ waitUntil: 'load' });
    await waitForPanelText(panel, 'status-init', 'Called once');
    await waitFor(async () => (await panelText(panel, 'storage-notice')) === '', 'the not-stored note to go once there is room');
    await page.close();
  });
});

describe('8a. the inspector leaves no trace on ap3c (issue 14)', () => {
  it("before app.js, 'talk' in ap3c and the rest are what the page made them; after, Ortto's own data properties, and the calls are recorded", async () => {
    const page = await open('/pages/no-trace.html');
    await pageWorks(page);
    const seen = await page.evaluate(() => (window as unknown as { __seen: unknown }).__seen);
    expect(seen).toEqual({
      beforeApp: { in: [], own: ['cmd', 'activity'], cmdOwn: ['0', 'length'] },
      afterApp: {
        own: expect.arrayContaining(['cmd', 'activity', 'init', 'track', 'talk']),
        initIsData: true,
        talkOwn: expect.arrayContaining(['setVerifiedSession']),
      },
    });
    const panel = await panelFor(page);
    await waitForPanelText(panel, 'status-init', 'Called once');
    await page.close();
  });
});

describe("8. attacks on the inspector's own channel (issue 11)", () => {
  /** What a channel-attack page learned (simulator/attack-pages.ts): empty when the secret held. */
  const leaks = (page: Page) => page.evaluate(() => (window as unknown as { __tiLeaks?: string[] }).__tiLeaks ?? ['no catcher on the page']);

  for (const attack of Object.keys(CHANNEL_ATTACKS)) {
    it(`${attack}: the page never learns the channel's name, and a forged batch never reaches the panel`, async () => {
      const page = await open(`/pages/${attack}.html`);
      await pageWorks(page);
      // The background's pull (1 s after load) builds a batch while the page's code may run.
      await new Promise((r) => setTimeout(r, 1700));
      expect(await leaks(page)).toEqual([]);
      // Live: the recorder answers `L` and flushes a batch after every track call (one every 200 ms).
      const panel = await panelFor(page);
      await waitForPanelText(panel, 'status-init', 'Called once');
      await new Promise((r) => setTimeout(r, 1500));
      expect(await leaks(page)).toEqual([]);
      expect(await panelText(panel, 'capture-key')).toBe(INSTANCES.testautomation.captureKey);
      expect(await panelText(panel, 'timeline')).toContain('track');
      expect(await panelText(panel, 'timeline')).not.toContain(FORGED_CAPTURE_KEY);
      // The recorder read the errors through the page's replaced getters (nothing else on the page
      // reads them): the attack ran, and the errors were still reported.
      if (attack === 'leak-error-getters') {
        expect(await page.evaluate(() => (window as unknown as { __tiErrorReads: number }).__tiErrorReads)).toBeGreaterThan(0);
        await waitForPanelText(panel, 'timeline', 'an uncaught error that names ap3c');
      }
      await page.close();
    });
  }

  it('on a page without Ortto, the pull answered inside the request runs nothing of the page (leak-everything, no snippet)', async () => {
    const page = await open('/pages/leak-everything-no-ortto.html');
    await pageWorks(page);
    // The background's pull, 1 s after load: "nothing", given within the relay's dispatch.
    await new Promise((r) => setTimeout(r, 1700));
    expect(await leaks(page)).toEqual([]);
    expect(await page.evaluate(() => 'ap3c' in window && (window as unknown as { ap3c?: unknown }).ap3c !== undefined)).toBe(false);
    const panel = await panelFor(page);
    await waitForPanelText(panel, 'status-snippet', 'Not found on this page');
    expect(await leaks(page)).toEqual([]);
    await page.close();
  });

  /** Clicks the opener page's button and returns the tab it opened, loaded. */
  async function openVictim(opener: Page): Promise<Page> {
    const opened = chromium.browser.waitForTarget((t) => t.opener() === opener.target() && t.type() === 'page', { timeout: 10_000 });
    await opener.click('#open');
    const victim = await (await opened).page();
    if (!victim) throw new Error('no victim page');
    await waitFor(async () => victim.url().includes('/pages/opener-victim.html'), 'the victim to navigate');
    await pageWorks(victim);
    return victim;
  }
  const heard = (opener: Page) => opener.evaluate(() => (window as unknown as { __openerHeard: string[] }).__openerHeard);

  for (const when of ['at-once', 'after-commit'] as const) {
    it(`an opener listening on the new window (${when}) hears no hello and cannot block the pairing; the panel says who opened the tab`, async () => {
      const opener = await open(`/pages/opener-${when}.html`);
      const victim = await openVictim(opener);
      if (when === 'after-commit') expect(await opener.evaluate(() => document.body.dataset.hooked)).toMatch(/start$/);
      const panel = await panelFor(victim);
      await waitForPanelText(panel, 'status-init', 'Called once');
      expect(await panelText(panel, 'capture-key')).toBe(INSTANCES.testautomation.captureKey);
      expect(await heard(opener)).toEqual([]);
      expect(await panel.evaluate(() => document.querySelector('[data-rule="opened-by-same-site"]')?.getAttribute('data-status'))).toBe('warn');
      await victim.close();
      await opener.close();
    });
  }

  it('an opener that sets the new window.opener to null is not flagged (a known limit: the opened page cannot tell)', async () => {
    const opener = await open('/pages/opener-nulled.html');
    const victim = await openVictim(opener);
    expect(await victim.evaluate(() => window.opener)).toBeNull();
    const panel = await panelFor(victim);
    await waitForPanelText(panel, 'status-init', 'Called once');
    expect(await panel.evaluate(() => document.querySelector('[data-rule="opened-by-same-site"]')?.getAttribute('data-status') ?? 'absent')).not.toBe('warn');
    await victim.close();
    await opener.close();
  });

  it('an opener that scripts the new document before the inspector starts and stops the hellos: the panel says the page interfered', async () => {
    const opener = await open('/pages/opener-after-commit-document.html');
    const victim = await openVictim(opener);
    const panel = await panelFor(victim);
    // The opener got in before the inspector's scripts (Chromium lets it) and stopped the hellos it heard.
    expect(await opener.evaluate(() => document.body.dataset.hooked)).toBe('before-start');
    expect((await heard(opener)).length).toBeGreaterThan(0);
    // The inspector must not pretend to know what the page did.
    await waitFor(async () => (await verdictKind(panel)) === 'unknown', 'the interference verdict');
    expect(await panel.evaluate(() => document.querySelector('[data-testid="verdict"]')?.getAttribute('data-rule'))).toBe('inspector-connected');
    expect(await panelText(panel, 'verdict')).toContain('interfered');
    expect(await panel.evaluate(() => document.querySelector('[data-rule="snippet-present"]')?.getAttribute('data-status'))).toBe('skip');
    expect(await panel.evaluate(() => document.querySelector('[data-rule="opened-by-same-site"]')?.getAttribute('data-status'))).toBe('warn');
    await victim.close();
    await opener.close();
  });
});

describeTraceProbes(
  '8d. the page sees no difference: trace probes against a control frame without the inspector',
  () => chromium.browser.newPage(),
  () => sim.origin,
);

describe("8e. a batch over the relay's size limit", () => {
  it('hide-init-oversize: the init call it carried is not reported as "not called": the panel says part of what the page did was lost', async () => {
    const page = await open('/pages/hide-init-oversize.html');
    await pageWorks(page);
    const panel = await panelFor(page);
    await waitForPanelText(panel, 'verdict', 'part of what the page did was lost', 15_000);
    expect(await verdictKind(panel)).toBe('unknown');
    expect(await panelText(panel, 'status-init')).toMatch(/^(Called once|Unknown: )/);
    await page.close();
  });
});
