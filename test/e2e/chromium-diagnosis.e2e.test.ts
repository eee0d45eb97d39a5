/**
 * One end-to-end case per cause of "Not verified", on simulator pages, through the real devtools
 * panel: each asserts the verdict and the failing check. Plus an accessibility audit (axe-core).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Frame, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { type ChromiumSession, launchChromium, openPanel, waitFor, waitForPanelText } from '../../tools/chromium.ts';

// A documented default-region capture host that is not on Chromium's HSTS preload list (plain http works).
const ORTTO_HOST = 'capture-api.ap3prod.com';
let sim: Simulator;
let chromium: ChromiumSession;
let ortto: string; // the simulator reached under a real Ortto capture host name (mapped to 127.0.0.1)

beforeAll(async () => {
  sim = await startSimulator();
  // Only this one name is mapped, to loopback: nothing leaves the machine.
  chromium = await launchChromium({ args: [`--host-resolver-rules=MAP ${ORTTO_HOST} 127.0.0.1`] });
  await chromium.worker();
  ortto = `http://${ORTTO_HOST}:${sim.port}`;
});

afterAll(async () => {
  await chromium?.close();
  await sim?.close();
});

interface PanelView {
  verdictKind: string;
  verdictRule: string;
  verdict: string;
  statuses: Record<string, string>;
}

async function view(panel: Frame): Promise<PanelView> {
  return panel.evaluate(() => {
    const v = document.querySelector('[data-testid="verdict"]') as HTMLElement | null;
    const statuses: Record<string, string> = {};
    for (const li of document.querySelectorAll<HTMLElement>('[data-testid="checklist"] > li')) statuses[li.dataset.rule ?? ''] = li.dataset.status ?? '';
    return { verdictKind: v?.dataset.kind ?? '', verdictRule: v?.dataset.rule ?? '', verdict: v?.textContent ?? '', statuses };
  });
}

async function until(panel: Frame, check: (v: PanelView) => boolean, what: string): Promise<PanelView> {
  let last: PanelView | undefined;
  await waitFor(
    async () => {
      last = await view(panel);
      return check(last);
    },
    () => `${what} (last: ${JSON.stringify(last)})`,
  );
  return last as PanelView;
}

/** Opens the page, then the panel, then reloads so DevTools sees the page's network from the start. */
async function inspect(url: string, reload = true): Promise<{ page: Page; panel: Frame }> {
  const page = await chromium.browser.newPage();
  await page.goto(url, { waitUntil: 'load' });
  const { panel } = await openPanel(page, chromium.extensionId);
  if (reload) await page.reload({ waitUntil: 'load' });
  return { page, panel };
}

const cases: { name: string; path: string; rule: string; kind: string; words: RegExp }[] = [
  { name: 'no token', path: '/pages/standard.html', rule: 'token-present', kind: 'not-verified', words: /no token/ },
  {
    name: 'no token, the visitor named with ap3c.track({email})',
    path: '/pages/identified-no-token.html',
    rule: 'token-present',
    kind: 'not-verified',
    words: /no token: it tells Ortto the visitor is jane@shop\.example \(in ap3c\.track\), but only a token proves it/,
  },
  { name: 'placeholder token', path: '/pages/placeholder-token.html', rule: 'token-well-formed', kind: 'not-verified', words: /placeholder/ },
  {
    name: 'token issued for another instance',
    path: '/pages/token-other-instance.html',
    rule: 'token-accepted',
    kind: 'not-verified',
    words: /rejected the token/,
  },
  {
    name: 'cookiePath for another instance',
    path: '/pages/cookie-path-other-instance.html',
    rule: 'cookie-path-instance',
    kind: 'not-verified',
    words: /another Ortto instance/,
  },
  { name: 'disableTalk', path: '/pages/disable-talk.html', rule: 'talk-enabled', kind: 'talk-disabled', words: /switched off/ },
  { name: 'capture script blocked (404)', path: '/pages/script-fails.html', rule: 'script-loaded', kind: 'not-verified', words: /did not load/ },
];

describe('diagnosis in the panel, one cause at a time', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { page, panel } = await inspect(`${ortto}${c.path}`);
      // (Words too: a page may still be calling ap3c when the rule's verdict first shows.)
      const v = await until(panel, (x) => x.verdictRule === c.rule && c.words.test(x.verdict), `verdict from ${c.rule}`);
      expect(v.verdictKind).toBe(c.kind);
      expect(v.verdict).toMatch(c.words);
      expect(v.statuses[c.rule]).toBe('fail');
      await page.close();
    });
  }

  it('double init', async () => {
    const { page, panel } = await inspect(`${ortto}/pages/double-init.html`);
    const v = await until(panel, (x) => x.statuses['single-init'] === 'warn', 'single-init warning');
    expect(v.statuses['init-called']).toBe('pass');
    await page.close();
  });

  it('track before init', async () => {
    const { page, panel } = await inspect(`${ortto}/pages/track-before-init.html`);
    await until(panel, (x) => x.statuses['track-after-init'] === 'warn', 'track-after-init warning');
    await page.close();
  });

  it('the page calls the Talk session API itself: fails loudly, shows only a key fingerprint', async () => {
    const { page, panel } = await inspect(`${ortto}/pages/page-calls-api.html`);
    await until(panel, (x) => x.statuses['no-page-session-call'] === 'fail', 'exposed key');
    await waitForPanelText(panel, 'key-exposed', 'Your API key is exposed in the browser');
    // The request itself (with its key header) comes from DevTools' network view, a moment later.
    let text = '';
    await waitFor(async () => {
      text = await panel.evaluate(() => document.body.innerText);
      return /API key fingerprint [0-9a-f]{12}/.test(text);
    }, 'the key fingerprint from network evidence');
    expect(text).not.toContain(sim.apiKeys.default);
    // One consistent top message: "verified, but a security problem to fix now", in one banner.
    await waitFor(async () => (await panel.$eval('[data-testid="verdict"]', (v) => (v as HTMLElement).dataset.kind)) === 'verified', 'the verified verdict');
    const top = await panel.$eval('[data-testid="verdict"]', (v) => ({
      kind: (v as HTMLElement).dataset.kind,
      cls: v.className,
      alertInside: v.querySelector('[data-testid="key-exposed"]') !== null,
      headline: v.querySelector('.verdict-text')?.textContent,
    }));
    expect(top).toMatchObject({ kind: 'verified', alertInside: true });
    expect(top.cls).toContain('verdict-has-alert');
    expect(top.headline).toContain('but the page exposes your Ortto API key');
    expect(await panel.$$eval('[role="alert"]', (as) => as.filter((a) => !a.closest('[data-testid="verdict"]')).length)).toBe(0);
    await page.close();
  });

  it('timeline numbers of any length are shown whole (no marker cut off by the list)', async () => {
    const { page, panel } = await inspect(`${ortto}/pages/long-timeline.html`);
    await waitFor(async () => (await panel.$$('[data-testid="timeline"] > li')).length >= 100, 'a long timeline');
    const fit = await panel.$eval('[data-testid="timeline"]', (ol) => {
      const style = getComputedStyle(ol);
      const ctx = document.createElement('canvas').getContext('2d') as CanvasRenderingContext2D;
      ctx.font = style.font;
      const widest = `${ol.children.length}. `;
      return { padding: Number.parseFloat(style.paddingLeft), needed: ctx.measureText(widest).width };
    });
    expect(fit.padding).toBeGreaterThanOrEqual(fit.needed);
    await page.close();
  });

  it('follows a DevTools theme change while the panel is open', async () => {
    const page = await chromium.browser.newPage();
    await page.goto(`${ortto}/pages/standard.html`, { waitUntil: 'load' });
    const { panel, devtools } = await openPanel(page, chromium.extensionId);
    await panel.waitForSelector('[data-testid="verdict"]');
    const start = await panel.evaluate(() => document.documentElement.dataset.theme);
    const other = start === 'dark' ? 'default' : 'dark';
    // DevTools' own setting, as its Settings → Appearance → Theme would change it.
    // (A string: the test runner would rewrite a dynamic import in a function.)
    await devtools.evaluate(
      `import('./core/common/common.js').then((c) => c.Settings.Settings.instance().moduleSetting('ui-theme').set(${JSON.stringify(other)}))`,
    );
    await waitFor(
      async () => (await panel.evaluate(() => document.documentElement.dataset.theme)) === (other === 'dark' ? 'dark' : 'light'),
      'the panel to follow the theme',
    );
    await page.close();
  });

  it('setVerifiedSession after the conversation started', async () => {
    const { page, panel } = await inspect(`${ortto}/pages/conversation.html`);
    await until(panel, (x) => x.statuses['token-present'] === 'fail', 'the page before login');
    await clickStartConversation(page);
    await page.click('#login');
    const v = await until(panel, (x) => x.verdictRule === 'verified-before-conversation', 'late verification verdict');
    expect(v.statuses['verified-before-conversation']).toBe('fail');
    expect(v.verdict).toMatch(/conversation began before/);
    await page.close();
  });

  it('setVerifiedSession after a keyboard user started the conversation (Tab, Tab, Space)', async () => {
    const { page, panel } = await inspect(`${ortto}/pages/conversation.html`);
    await until(panel, (x) => x.statuses['token-present'] === 'fail', 'the page before login');
    await page.waitForSelector('#ap3-talk-widget-ui >>> .launcher');
    // Tab until the launcher has the focus: no pointer at all.
    await waitFor(async () => {
      await page.keyboard.press('Tab');
      return page.evaluate(() => document.activeElement?.id === 'ap3-talk-widget-ui');
    }, 'the keyboard focus on the Talk launcher');
    await page.keyboard.press('Tab'); // to "Start conversation"
    await page.keyboard.press('Space');
    await waitFor(async () => (await page.$eval('#ap3-talk-widget-ui', (h) => h.getAttribute('data-conversation'))) === 'started', 'the conversation');
    await page.click('#login');
    const v = await until(panel, (x) => x.verdictRule === 'verified-before-conversation', 'late verification verdict');
    expect(v.statuses['verified-before-conversation']).toBe('fail');
    await page.close();
  });

  it('setVerifiedSession after the conversation was started with no pointer and no key (a screen reader activating the button)', async () => {
    const { page, panel } = await inspect(`${ortto}/pages/conversation.html`);
    await until(panel, (x) => x.statuses['token-present'] === 'fail', 'the page before login');
    const button = await page.waitForSelector('#ap3-talk-widget-ui >>> button.start');
    await button?.evaluate((b) => (b as HTMLButtonElement).click());
    await page.click('#login');
    await until(panel, (x) => x.verdictRule === 'verified-before-conversation', 'late verification verdict');
    await page.close();
  });

  it('a correct setup passes every rule', async () => {
    const { page, panel } = await inspect(`${ortto}/pages/verified.html`);
    const v = await until(panel, (x) => x.verdictKind === 'verified' && x.statuses['token-reached-ortto'] === 'pass', 'verified with network evidence');
    const notPassing = Object.entries(v.statuses).filter(([, s]) => s === 'fail' || s === 'warn');
    expect(notPassing).toEqual([]);
    for (const id of [
      'snippet-present',
      'script-loaded',
      'init-called',
      'capture-key-decodes',
      'region-known',
      'talk-enabled',
      'token-present',
      'token-well-formed',
      'cookie-path-well-formed',
      'cookie-path-instance',
      'token-reached-ortto',
      'token-accepted',
      'widget-visible',
      'single-init',
      'track-after-init',
      'no-page-session-call',
    ])
      expect(v.statuses[id], id).toBe('pass');
    // PRIVACY.md: "Network details are kept only while the panel is open" (the panel's memory):
    // the -/widgets/get request the panel just used is in neither storage area.
    const stored = await (await chromium.worker()).evaluate(async () => {
      const c = (globalThis as unknown as { chrome: { storage: Record<'local' | 'session', { get(k: null): Promise<object> }> } }).chrome;
      return JSON.stringify([await c.storage.local.get(null), await c.storage.session.get(null)]);
    });
    expect(stored).toContain('verified.html'); // (the tab's report is there)
    expect(stored).not.toContain('widgets/get');
    expect(stored).not.toContain('widgetsGets');
    // PRIVACY.md: "A tab's report is deleted when you close the tab".
    const worker = await chromium.worker();
    const tabKey = await worker.evaluate(async (url) => {
      const c = (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id: number; url?: string }[]> } } }).chrome;
      return `tab:${(await c.tabs.query({})).find((t) => t.url === url)?.id}`;
    }, page.url());
    const hasKey = (k: string) =>
      worker.evaluate(
        async (key) =>
          key in (await (globalThis as unknown as { chrome: { storage: { session: { get(k: string): Promise<object> } } } }).chrome.storage.session.get(key)),
        k,
      );
    expect(await hasKey(tabKey)).toBe(true);
    await page.close();
    await waitFor(async () => !(await hasKey(tabKey)), "the closed tab's report to be deleted");
  });
});

describe('badge and preserve', () => {
  /** The toolbar badge of the tab whose URL contains `urlPart`, as "text|title" ('' when there is no such tab). */
  const badgeOf = async (urlPart: string): Promise<string> =>
    (await chromium.worker()).evaluate(async (part) => {
      const c = (
        globalThis as unknown as {
          chrome: {
            tabs: { query(q: object): Promise<{ id: number; url?: string }[]> };
            action: { getBadgeText(d: object): Promise<string>; getTitle(d: object): Promise<string> };
          };
        }
      ).chrome;
      const tab = (await c.tabs.query({})).find((t) => t.url?.includes(part));
      if (!tab) return '';
      return `${await c.action.getBadgeText({ tabId: tab.id })}|${await c.action.getTitle({ tabId: tab.id })}`;
    }, urlPart);

  it('the toolbar badge follows the verdict with DevTools closed', async () => {
    const page = await chromium.browser.newPage();
    const badge = () => badgeOf('/pages/');
    const expectations: [string, string][] = [
      ['/pages/verified.html', '✓|Talk Inspector: Verified'],
      ['/pages/standard.html', '!|Talk Inspector: Not verified'],
      ['/pages/disable-talk.html', 'off|Talk Inspector: Talk disabled'],
      ['/pages/no-snippet.html', '–|Talk Inspector: No Ortto snippet'],
    ];
    for (const [path, expected] of expectations) {
      await page.goto(`${sim.origin}${path}`, { waitUntil: 'load' });
      let last = '';
      await waitFor(async () => {
        last = await badge();
        return last.startsWith(expected);
      }, `badge for ${path} (last: ${last})`);
    }
    await page.close();
  });

  it('a tab shown again is looked at again (docs/architecture.md): what changed since its last pull reaches the badge, with nothing polling meanwhile', async () => {
    const page = await chromium.browser.newPage();
    const badge = async () => (await badgeOf('/pages/no-snippet.html?shown-again')).split('|')[0] ?? '';
    await page.goto(`${sim.origin}/pages/no-snippet.html?shown-again`, { waitUntil: 'load' });
    await waitFor(async () => (await badge()) === '–', 'the pull after load: no snippet');
    // Ortto appears on the page with no navigation and no panel: nothing tells the background.
    await page.evaluate(() => {
      (window as unknown as { ap3c: unknown }).ap3c = { cmd: [] };
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await badge()).toBe('–');
    // Another tab, then this one shown again: the background pulls it.
    const other = await chromium.browser.newPage();
    await other.bringToFront();
    await page.bringToFront();
    let last = '';
    await waitFor(
      async () => {
        last = await badge();
        return last !== '–' && last !== '';
      },
      () => `the badge after the tab was shown again (last: ${last})`,
    );
    await other.close();
    await page.close();
  });

  it('"preserve across reloads" keeps earlier page loads', async () => {
    const { page, panel } = await inspect(`${sim.origin}/pages/standard.html`, false);
    await until(panel, (x) => x.verdictRule === 'token-present', 'the first load');
    await panel.$eval('[data-testid="preserve"]', (i) => (i as HTMLInputElement).click());
    await page.goto(`${sim.origin}/pages/disable-talk.html`, { waitUntil: 'load' });
    await until(panel, (x) => x.verdictKind === 'talk-disabled', 'the second page');
    const text = await panel.evaluate(() => document.body.innerText);
    expect(text).toContain('Earlier page load 1');
    expect(text).toContain('/pages/standard.html');
    await page.close();
  });
});

describe('accessibility', () => {
  it('the panel has no serious or critical axe violations, in light and dark', async () => {
    const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    const { page, panel } = await inspect(`${ortto}/pages/standard.html`, false);
    await until(panel, (x) => x.verdictRule === 'token-present', 'the panel to render');
    for (const theme of ['light', 'dark']) {
      await panel.evaluate((t) => {
        document.documentElement.dataset.theme = t;
      }, theme);
      await panel.evaluate(axeSource);
      const violations = await panel.evaluate(async () => {
        const axe = (globalThis as unknown as { axe: { run(ctx: Document): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe;
        const r = await axe.run(document);
        return r.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical').map((x) => `${x.id} (${x.nodes.length})`);
      });
      expect(violations, theme).toEqual([]);
    }
    // Every control is reachable with the keyboard.
    const focusable = await panel.evaluate(() => {
      const seen: string[] = [];
      for (const el of document.querySelectorAll<HTMLElement>('button, input, summary, [tabindex]')) if (el.tabIndex >= 0) seen.push(el.tagName);
      return seen;
    });
    expect(focusable).toContain('BUTTON');
    expect(focusable).toContain('SUMMARY');
    // Form controls and buttons stand out from the card and the page by at least 3:1 (WCAG 1.4.11), in both themes.
    for (const theme of ['light', 'dark']) {
      const ratios = await panel.evaluate((t) => {
        document.documentElement.dataset.theme = t;
        const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
        const lum = (c: string) => {
          const [r, g, b] = rgb(c).map((v) => {
            const x = v / 255;
            return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
          });
          return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
        };
        const ratio = (a: string, b: string) => {
          const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
          return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
        };
        const card = getComputedStyle(document.querySelector('.card') as Element).backgroundColor;
        const bg = getComputedStyle(document.body).backgroundColor;
        return [...document.querySelectorAll('button, input:not([type="checkbox"]), select')].map((el) => {
          const border = getComputedStyle(el).borderTopColor;
          return Math.min(ratio(border, card), ratio(border, bg));
        });
      }, theme);
      expect(ratios.length, theme).toBeGreaterThan(0);
      expect(Math.min(...ratios), theme).toBeGreaterThanOrEqual(3);
    }
    await page.close();
  });

  it('long page data wraps: a 3,000-character address does not widen the panel', async () => {
    const long = `${ortto}/pages/standard.html?${'x'.repeat(3000)}`;
    const { page, panel } = await inspect(long, false);
    await waitForPanelText(panel, 'page-url', 'xxxxxxxx');
    const widths = await panel.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    expect(widths[0]).toBeLessThanOrEqual((widths[1] ?? 0) + 1);
    await page.close();
  });
});

async function clickStartConversation(page: Page): Promise<void> {
  const button = await page.waitForSelector('#ap3-talk-widget-ui >>> button.start');
  if (!button) throw new Error('no Start conversation button in the widget');
  await button.click();
}
