/**
 * "Try on reload" (issue 18) in real Chromium against the simulator: each fix the panel offers
 * (cookiePath, token, Talk turned on) turns "Not verified" into "Verified" for one reload of one
 * tab, and the next reload is the page's own again; the override never reaches another tab or
 * origin, a navigation away or a closed panel drops it, and neither the page nor a content script
 * can start one. Nothing of the inspector's is left for the page to find.
 */
import type { Frame, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSTANCES } from '../../simulator/fixtures.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { PANEL_PORT, PortMsg } from '../../src/shared/protocol/panel.ts';
import { RelayGlobal } from '../../src/shared/protocol/relay.ts';
import { type ChromiumSession, launchChromium, openPanel, panelText, waitFor, waitForPanelText } from '../../tools/chromium.ts';
import { untilFixApplied, VERIFIED_WITH_FIX } from './support/tried-load.ts';

let sim: Simulator;
let chromium: ChromiumSession;

beforeAll(async () => {
  sim = await startSimulator();
  chromium = await launchChromium();
});

afterAll(async () => {
  await chromium?.close();
  await sim?.close();
});

async function inspect(url: string): Promise<{ page: Page; panel: Frame; devtools: Page }> {
  const page = await chromium.browser.newPage();
  await page.goto(url, { waitUntil: 'load' });
  const { panel, devtools } = await openPanel(page, chromium.extensionId);
  await panel.waitForSelector('[data-testid="verdict"]');
  return { page, panel, devtools };
}

const verdictKind = (panel: Frame): Promise<string> => panel.$eval('[data-testid="verdict"]', (el) => el.getAttribute('data-kind') ?? '');

async function waitForVerdict(panel: Frame, kind: string, timeoutMs = 10_000): Promise<void> {
  await waitFor(async () => (await verdictKind(panel).catch(() => '')) === kind, `verdict ${kind}`, timeoutMs);
}

/** What the page's Talk widget says, read in the page itself. */
const widgetText = (page: Page): Promise<string> => page.evaluate(() => document.querySelector('#ap3-talk-widget-ui')?.shadowRoot?.textContent ?? '');

async function widgetSays(page: Page, notVerified: boolean): Promise<void> {
  await waitFor(
    async () => {
      const text = await widgetText(page);
      return text !== '' && text.includes('Not verified') === notVerified;
    },
    notVerified ? 'the widget to say "Not verified"' : 'the widget without "Not verified"',
  );
}

async function click(panel: Frame, selector: string): Promise<void> {
  await panel.waitForSelector(`${selector}:not([disabled])`);
  await panel.$eval(selector, (b) => (b as HTMLButtonElement).click());
}

async function fill(panel: Frame, selector: string, value: string): Promise<void> {
  await panel.waitForSelector(selector);
  await panel.$eval(
    selector,
    (i, v) => {
      (i as HTMLInputElement).value = v as string;
      i.dispatchEvent(new Event('input', { bubbles: true }));
    },
    value,
  );
}

/** Everything of the inspector's a page could find on its window or its ap3c. */
async function traces(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const names = Object.getOwnPropertyNames(window).filter((n) => /inspector|talkInspector/i.test(n));
    const ap3c = (window as unknown as { ap3c?: object }).ap3c;
    const own = ap3c ? Object.getOwnPropertyNames(ap3c).filter((n) => /inspector|override|fix/i.test(n)) : [];
    return [...names, ...own];
  });
}

/** The override left in the page's isolated world, if any (the relay takes it when it starts). */
async function leftInIsolatedWorld(page: Page): Promise<unknown> {
  const [isolated] = await page.extensionRealms();
  if (!isolated) throw new Error('no content-script realm');
  return isolated.evaluate((name) => (globalThis as Record<string, unknown>)[name] ?? null, RelayGlobal.PendingFix);
}

/** The extension's storage other than the tabs' reports, as JSON (docs/architecture.md: a try stores nothing). */
async function storedEntries(): Promise<string> {
  const worker = await chromium.worker();
  return worker.evaluate(async () => {
    const { storage } = (globalThis as unknown as { chrome: { storage: Record<'local' | 'session', { get(k: null): Promise<Record<string, unknown>> }> } })
      .chrome;
    const pick = (all: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(all)
          .filter(([k]) => !k.startsWith('tab:'))
          .sort(([a], [b]) => (a < b ? -1 : 1)),
      );
    return JSON.stringify({ local: pick(await storage.local.get(null)), session: pick(await storage.session.get(null)) });
  });
}

async function registeredScripts(): Promise<unknown[]> {
  const worker = await chromium.worker();
  return worker.evaluate(() =>
    (globalThis as unknown as { chrome: { scripting: { getRegisteredContentScripts(): Promise<unknown[]> } } }).chrome.scripting.getRegisteredContentScripts(),
  );
}

describe('Try on reload: each fix turns "Not verified" into "Verified" for one reload', () => {
  it('cookiePath: the check offers /testautomation/, the tried load is verified, the next reload is the page’s own', async () => {
    const { page, panel } = await inspect(`${sim.origin}/pages/cookie-path-other-instance.html`);
    await waitForVerdict(panel, 'not-verified');
    await widgetSays(page, true);
    const before = await panelText(panel, 'verdict');

    await click(panel, '[data-testid="try-cookie-path-instance"]');
    expect(await panel.$eval('[data-testid="try-cookiePath"]', (i) => (i as HTMLInputElement).value)).toBe(`/${INSTANCES.testautomation.name}/`);
    // The engineer sees the exact call: the page's own key and token, the changed cookiePath.
    const preview = await panelText(panel, 'try-preview');
    expect(preview).toContain(`ap3c.init("${INSTANCES.testautomation.captureKey}"`);
    expect(preview).toContain(`cookiePath: "/${INSTANCES.testautomation.name}/"`);
    expect(preview).not.toContain(INSTANCES.otherinstance.name);

    const storedBefore = await storedEntries();
    await click(panel, '[data-testid="try-reload"]');
    await waitForPanelText(panel, 'fix-tried-changes', `talk.cookiePath "/${INSTANCES.testautomation.name}/"`, 15_000);
    expect(await panel.$eval('[data-testid="fix-tried"]', (el) => el.getAttribute('data-applied'))).toBe('true');
    await waitForVerdict(panel, 'verified');
    await widgetSays(page, false);
    const verdictLine = await panelText(panel, 'fix-tried-verdict');
    expect(verdictLine).toMatch(/^Before: .+ → After: .+/);
    expect(before).toContain(verdictLine.replace(/^Before: /, '').split(' → ')[0] ?? '-');
    expect(await traces(page)).toEqual([]);
    expect(await leftInIsolatedWorld(page)).toBeNull();
    expect(await registeredScripts()).toEqual([]);
    expect(await storedEntries()).toEqual(storedBefore);

    // The next reload runs the page's own code again.
    await page.reload({ waitUntil: 'load' });
    await waitFor(async () => (await panelText(panel, 'fix-tried')) === '', 'the tried load to be gone');
    await waitForVerdict(panel, 'not-verified');
    await widgetSays(page, true);
    await page.close();
  });

  it('token: a token pasted in the editor verifies a page that gives none', async () => {
    const { page, panel } = await inspect(`${sim.origin}/pages/standard.html`);
    await waitForVerdict(panel, 'not-verified');
    await click(panel, '[data-testid="try-token-present"]');
    // The token field is what is missing: it has the focus, and the reload waits for it.
    await waitFor(async () => (await panel.evaluate(() => document.activeElement?.getAttribute('data-testid'))) === 'try-token', 'the token field focused');
    expect(await panel.$eval('[data-testid="try-reload"]', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    const token = sim.issueToken(INSTANCES.testautomation.name, 'pat@example.com');
    await fill(panel, '[data-testid="try-token"]', token);
    const preview = await panelText(panel, 'try-preview');
    expect(preview).toContain('talk: { token: ');
    expect(preview).not.toContain(token); // shortened on screen
    await click(panel, '[data-testid="try-reload"]');
    await waitForPanelText(panel, 'fix-tried-changes', 'talk.token', 15_000);
    await waitForVerdict(panel, 'verified');
    await widgetSays(page, false);
    // Ortto's widget call carried the tried token.
    const gets = sim.requests({ path: /widgets\/get/ });
    expect(gets.some((r) => r.body.includes(token))).toBe(true);
    expect(await panelText(panel, 'fix-tried-verdict')).toMatch(/Before: .*→ After: /);

    await page.reload({ waitUntil: 'load' });
    await waitForVerdict(panel, 'not-verified');
    await widgetSays(page, true);
    await page.close();
  });

  it('disableTalk: Talk turned on with a token verifies a page that switches Talk off', async () => {
    const { page, panel } = await inspect(`${sim.origin}/pages/disable-talk.html`);
    await waitForVerdict(panel, 'talk-disabled');
    await click(panel, '[data-testid="try-talk-enabled"]');
    expect(await panel.$eval('[data-testid="try-talkOn"]', (i) => (i as HTMLInputElement).checked)).toBe(true);
    expect(await panelText(panel, 'try-preview')).not.toContain('disableTalk');
    await fill(panel, '[data-testid="try-token"]', sim.issueToken(INSTANCES.testautomation.name, 'pat@example.com'));
    await click(panel, '[data-testid="try-reload"]');
    await waitForPanelText(panel, 'fix-tried-changes', 'disableTalk / disableWidgets removed', 15_000);
    await waitForVerdict(panel, 'verified');
    await widgetSays(page, false);
    expect(await panelText(panel, 'fix-tried-verdict')).toMatch(/Before: .*Talk.*→ After: /);

    await page.reload({ waitUntil: 'load' });
    await waitForVerdict(panel, 'talk-disabled');
    expect(await widgetText(page)).toBe('');
    await page.close();
  });

  it('copies the capture code with the change', async () => {
    const { page, panel } = await inspect(`${sim.origin}/pages/cookie-path-other-instance.html`);
    await click(panel, '[data-testid="try-cookie-path-instance"]');
    await click(panel, '[data-testid="try-reload"]');
    await waitForPanelText(panel, 'fix-tried-changes', 'cookiePath', 15_000);
    const context = chromium.browser.defaultBrowserContext();
    await context.overridePermissions(`chrome-extension://${chromium.extensionId}`, ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write']);
    await click(panel, '[data-testid="copy-fix-code"]');
    await waitForPanelText(panel, 'fix-tried', 'Capture code with the fix copied');
    await page.close();
  });
});

describe('Try on reload: trust', () => {
  it('reaches only this tab: another tab of the same site reloading at the same moment keeps its own options', async () => {
    const path = '/pages/cookie-path-other-instance.html';
    const { page, panel } = await inspect(`${sim.origin}${path}`);
    const other = await chromium.browser.newPage();
    await other.goto(`${sim.origin}${path}`, { waitUntil: 'load' });
    await click(panel, '[data-testid="try-cookie-path-instance"]');
    await Promise.all([click(panel, '[data-testid="try-reload"]'), other.reload({ waitUntil: 'load' })]);
    await waitForVerdict(panel, 'verified', 15_000);
    await widgetSays(other, true);
    await other.reload({ waitUntil: 'load' });
    await widgetSays(other, true);
    await other.close();
    await page.close();
  });

  it('a navigation to another site before the reload lands drops the fix', async () => {
    // The reload's answer takes 1.5 s; meanwhile the tab goes to another origin (localhost is not 127.0.0.1).
    const { page, panel } = await inspect(`${sim.origin}/pages/cookie-path-other-instance.html?slow-head=1500`);
    await click(panel, '[data-testid="try-cookie-path-instance"]');
    // Navigate only once the background's reload has started (else the reload may abort our navigation).
    const reloading = page.waitForRequest((r) => r.isNavigationRequest() && r.url().includes('slow-head=1500'));
    await click(panel, '[data-testid="try-reload"]');
    await reloading;
    const elsewhere = `${sim.origin.replace('127.0.0.1', 'localhost')}/pages/cookie-path-other-instance.html`;
    await page.goto(elsewhere, { waitUntil: 'load' });
    await waitForPanelText(panel, 'try-failed', 'another site', 15_000);
    await widgetSays(page, true);
    expect(await panelText(panel, 'fix-tried')).toBe('');
    expect(await leftInIsolatedWorld(page)).toBeNull();
    await page.close();
  });

  it('a slow reload (1.5 s before the page answers) still gets the fix: the control for the two tests below', async () => {
    const { page, panel } = await inspect(`${sim.origin}/pages/cookie-path-other-instance.html?slow-head=1500`);
    await click(panel, '[data-testid="try-cookie-path-instance"]');
    await click(panel, '[data-testid="try-reload"]');
    await untilFixApplied(panel);
    await waitForPanelText(panel, 'fix-tried-verdict', VERIFIED_WITH_FIX, 15_000);
    await widgetSays(page, false);
    await page.close();
  });

  it('closing the panel while the page reloads drops the fix', async () => {
    const { page, panel, devtools } = await inspect(`${sim.origin}/pages/cookie-path-other-instance.html?slow-head=1500`);
    await click(panel, '[data-testid="try-cookie-path-instance"]');
    await click(panel, '[data-testid="try-reload"]');
    await devtools.close();
    await waitFor(() => page.evaluate(() => document.readyState === 'complete' && performance.now() < 5000), 'the reloaded page', 15_000);
    await widgetSays(page, true);
    expect(await leftInIsolatedWorld(page)).toBeNull();
    // Opened again, the panel shows the page's own load.
    const again = await openPanel(page, chromium.extensionId);
    await again.panel.waitForSelector('[data-testid="verdict"]');
    await waitForVerdict(again.panel, 'not-verified');
    expect(await panelText(again.panel, 'fix-tried')).toBe('');
    await page.close();
  });

  it('a page that replaced about 90 built-ins to catch the inspector’s channel learns nothing during the tried load', async () => {
    // The channel-attack page (simulator/attack-pages.ts): every built-in the recorder could reach
    // looks at window.event; the override travels on that channel, so a leak would show here.
    const { page, panel } = await inspect(`${sim.origin}/pages/leak-everything.html`);
    await waitForVerdict(panel, 'not-verified');
    await click(panel, '[data-testid="try-token-present"]');
    await fill(panel, '[data-testid="try-token"]', sim.issueToken(INSTANCES.testautomation.name, 'pat@example.com'));
    await click(panel, '[data-testid="try-reload"]');
    await waitForPanelText(panel, 'fix-tried-changes', 'talk.token', 15_000);
    await waitForVerdict(panel, 'verified');
    await new Promise((r) => setTimeout(r, 500));
    expect(await page.evaluate(() => (window as unknown as { __tiLeaks?: string[] }).__tiLeaks ?? ['no catcher'])).toEqual([]);
    await page.close();
  });

  it('neither the page nor a content script can start one', async () => {
    const { page, panel } = await inspect(`${sim.origin}/pages/cookie-path-other-instance.html`);
    const loadsBefore = sim.requests({ path: '/pages/cookie-path-other-instance.html' }).length;
    // The page: whatever it posts or dispatches, it names no private channel of ours.
    await page.evaluate(
      (json) => {
        window.postMessage({ type: 'try-on-reload', override: JSON.parse(json) }, '*');
        for (const name of ['talk-inspector', 'talkInspector', '__talkInspectorTryFix', 'V'])
          document.dispatchEvent(new CustomEvent(name, { detail: `V${json}` }));
      },
      JSON.stringify({ cookiePath: '/testautomation/' }),
    );
    // A content script (more than a page can do) opening the panel's port is turned away.
    const [isolated] = await page.extensionRealms();
    if (!isolated) throw new Error('no content-script realm');
    const tabId = await (await chromium.worker()).evaluate(async () => {
      const c = (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id: number; url?: string }[]> } } }).chrome;
      return (await c.tabs.query({})).find((t) => t.url?.includes('cookie-path-other-instance'))?.id ?? -1;
    });
    await isolated.evaluate(
      (port, type, tab) => {
        const c = (globalThis as unknown as { chrome: { runtime: { connect(o: object): { postMessage(m: unknown): void } } } }).chrome;
        c.runtime
          .connect({ name: port })
          .postMessage({ type, requestId: 'x'.repeat(8), tabId: tab, relayDocId: 'x', override: { cookiePath: '/testautomation/' } });
      },
      PANEL_PORT,
      PortMsg.TryOnReload,
      tabId,
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(sim.requests({ path: '/pages/cookie-path-other-instance.html' }).length).toBe(loadsBefore);
    expect(await panelText(panel, 'fix-tried')).toBe('');
    await waitForVerdict(panel, 'not-verified');
    await page.close();
  });
});
