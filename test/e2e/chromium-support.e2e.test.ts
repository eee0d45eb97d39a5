/**
 * The support flow in real Chromium against the simulator: save an API key profile, request a
 * token from the panel, apply it live, and every error path. A canary key (the simulator's made-up
 * key) is checked never to reach the page, the content scripts, the console or the panel's text.
 */
import type { ConsoleMessage, Frame, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { type ChromiumSession, launchChromium, openPanel, panelText, waitFor, waitForPanelText } from '../../tools/chromium.ts';

let sim: Simulator;
let chromium: ChromiumSession;
let canary: string;
const consoleLines: string[] = [];

beforeAll(async () => {
  sim = await startSimulator();
  canary = sim.apiKeys.default;
  chromium = await launchChromium();
  const worker = await chromium.worker();
  worker.on('console', (m: ConsoleMessage) => consoleLines.push(m.text()));
  await saveProfile();
});

afterAll(async () => {
  await chromium?.close();
  await sim?.close();
});

async function saveProfile(): Promise<void> {
  const page = await chromium.browser.newPage();
  await page.goto(`chrome-extension://${chromium.extensionId}/src/options/options.html`);
  await page.waitForSelector('input[name="label"]');
  await page.type('input[name="label"]', 'Simulator (staging)');
  await page.select('select', 'custom');
  await page.waitForSelector('input[name="customBaseUrl"]');
  await page.type('input[name="customBaseUrl"]', `${sim.origin}/`);
  await page.type('input[name="key"]', canary);
  await page.click('button[type="submit"]');
  await waitFor(() => page.evaluate(() => document.querySelector('[data-testid="key-hint"]')?.textContent === `••••${'0000'}`), 'the saved profile');
  // Write-only: the key is nowhere in the options page any more.
  expect(await page.evaluate(() => document.documentElement.outerHTML)).not.toContain(canary);
  expect(await page.$eval('input[name="key"]', (i) => (i as HTMLInputElement).value)).toBe('');
  await page.close();
}

async function inspect(path: string): Promise<{ page: Page; panel: Frame }> {
  const page = await chromium.browser.newPage();
  page.on('console', (m) => consoleLines.push(m.text()));
  await page.goto(`${sim.origin}${path}`, { waitUntil: 'load' });
  const { panel } = await openPanel(page, chromium.extensionId);
  await panel.waitForSelector('[data-testid="token-request"] select');
  return { page, panel };
}

async function fillAndRequest(panel: Frame): Promise<void> {
  await panel.$eval('input[name="email"]', (i) => {
    (i as HTMLInputElement).value = '';
  });
  await panel.type('input[name="email"]', 'pat@example.com');
  await panel.type('input[name="name"]', 'Pat Example');
  await clickIn(panel, '[data-testid="send-request"]');
}

async function assertNoCanary(page: Page, panel: Frame): Promise<void> {
  const pageSide = await page.evaluate(() =>
    [
      document.documentElement.outerHTML,
      document.cookie,
      JSON.stringify({ ...localStorage }),
      JSON.stringify({ ...sessionStorage }),
      JSON.stringify(Object.keys(window)),
    ].join('\n'),
  );
  expect(pageSide).not.toContain(canary);
  expect(await panel.evaluate(() => document.documentElement.outerHTML)).not.toContain(canary);
  expect(consoleLines.join('\n')).not.toContain(canary);
  // Content scripts cannot even read the extension's storage.
  const [isolated] = await page.extensionRealms();
  if (!isolated) throw new Error('no content-script realm');
  const fromContentScript = await isolated.evaluate(async () => {
    try {
      const c = (globalThis as unknown as { chrome: { storage: { local: { get(k: null): Promise<unknown> } } } }).chrome;
      return JSON.stringify(await c.storage.local.get(null));
    } catch (e) {
      return `denied: ${String(e)}`;
    }
  });
  expect(fromContentScript).not.toContain(canary);
}

describe('support flow: request, apply, verify', () => {
  it('turns a Not verified page into a verified one, and the timeline shows the call', async () => {
    const { page, panel } = await inspect('/pages/standard.html');
    await waitForPanelText(panel, 'widget-label', 'Shows "Not verified"');
    expect(await panelText(panel, 'profile')).toContain('Simulator (staging)');
    await fillAndRequest(panel);
    await waitForPanelText(panel, 'person-status', /created|merged|by-id/);
    const calls = sim.requests({ path: '/v1/talk/session' }).filter((r) => r.method === 'POST');
    expect(calls.at(-1)?.headers['x-api-key']).toBe(canary);
    expect(JSON.parse(calls.at(-1)?.body ?? '{}').fields).toEqual({ 'str::email': 'pat@example.com', 'str::name': 'Pat Example' });
    await clickIn(panel, '[data-testid="apply"]');
    await waitForPanelText(panel, 'apply-result', 'Applied');
    await waitForPanelText(panel, 'widget-label', 'No "Not verified" label');
    await waitForPanelText(panel, 'timeline', 'ap3c.talk.setVerifiedSession called');
    await waitForPanelText(panel, 'after-verdict', 'Verified');
    await assertNoCanary(page, panel);
    await page.close();
  });

  it('refuses to apply after a navigation', async () => {
    const { page, panel } = await inspect('/pages/standard.html');
    await fillAndRequest(panel);
    await waitForPanelText(panel, 'person-status', /created|merged|by-id/);
    const timelineBefore = await panelText(panel, 'timeline');
    await page.reload({ waitUntil: 'load' });
    // Wait until the panel shows the new document, then try to apply the token asked for on the old one.
    await waitFor(async () => (await panelText(panel, 'timeline')) !== timelineBefore, 'the panel to show the reloaded page');
    await clickIn(panel, '[data-testid="apply"]');
    await waitForPanelText(panel, 'apply-result', 'The page changed');
    expect(await page.evaluate(() => document.querySelector('#ap3-talk-widget-ui')?.shadowRoot?.textContent ?? '')).toContain('Not verified');
    expect(await panelText(panel, 'timeline')).not.toContain('setVerifiedSession called');
    // Only an explicit choice moves the token to the new page, whose origin the button names.
    expect(await panelText(panel, 'rebind')).toBe(`Use this token on the current page (${sim.origin})`);
    expect(await panelText(panel, 'rebind-box')).not.toContain('another site');
    await clickIn(panel, '[data-testid="rebind"]');
    await clickIn(panel, '[data-testid="apply"]');
    await waitForPanelText(panel, 'apply-result', 'Applied');
    await page.close();
  });

  it('moves a token to a page of another origin only after the engineer confirms that origin', async () => {
    const { page, panel } = await inspect('/pages/standard.html');
    await fillAndRequest(panel);
    await waitForPanelText(panel, 'person-status', /created|merged|by-id/);
    // The same page on the other loopback name: another origin.
    const other = sim.origin.replace('127.0.0.1', 'localhost');
    await page.goto(`${other}/pages/standard.html`, { waitUntil: 'load' });
    await waitFor(
      async () => (await panel.evaluate(() => document.body.innerText)).includes(`Apply to this page (${sim.origin})`),
      'apply to name the old origin',
    );
    await waitForPanelText(panel, 'status-init', 'Called once');
    await clickIn(panel, '[data-testid="apply"]');
    await waitForPanelText(panel, 'apply-result', 'The page changed');
    const box = await panelText(panel, 'rebind-box');
    expect(box).toContain(`requested on ${sim.origin}`);
    expect(box).toContain(`the page now is ${other}, another site`);
    expect(await panel.$eval('[data-testid="rebind"]', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    await clickIn(panel, '[data-testid="rebind-other-origin"] input');
    expect(await panel.$eval('[data-testid="rebind"]', (b) => (b as HTMLButtonElement).disabled)).toBe(false);
    await clickIn(panel, '[data-testid="rebind"]');
    await waitFor(async () => (await panel.evaluate(() => document.body.innerText)).includes(`Apply to this page (${other})`), 'apply to name the new origin');
    await clickIn(panel, '[data-testid="apply"]');
    await waitForPanelText(panel, 'apply-result', 'Applied');
    await page.close();
  });

  it('completes when the service worker is stopped in the middle, and the key is still there', async () => {
    const { page, panel } = await inspect('/pages/standard.html');
    await fillAndRequest(panel);
    await waitForPanelText(panel, 'person-status', /created|merged|by-id/);
    await chromium.stopWorker();
    await clickIn(panel, '[data-testid="apply"]');
    await waitForPanelText(panel, 'apply-result', 'Applied', 10_000);
    await waitForPanelText(panel, 'widget-label', 'No "Not verified" label');
    // The key survived: a second request succeeds.
    const before = sim.requests({ path: '/v1/talk/session' }).length;
    await panel.type('input[name="name"]', ' Again');
    await clickIn(panel, '[data-testid="send-request"]');
    await waitFor(() => sim.requests({ path: '/v1/talk/session' }).length > before, 'a second request');
    expect(sim.requests({ path: '/v1/talk/session' }).at(-1)?.headers['x-api-key']).toBe(canary);
    await page.close();
  });
});

describe('support flow: warnings and fallbacks', () => {
  it('warns before applying after a conversation started, and applies only once acknowledged', async () => {
    const { page, panel } = await inspect('/pages/conversation.html');
    const start = await page.waitForSelector('#ap3-talk-widget-ui >>> button.start');
    await start?.click();
    await fillAndRequest(panel);
    await waitForPanelText(panel, 'person-status', /created|merged|by-id/);
    await waitForPanelText(panel, 'conversation-warning', 'second session');
    expect(await panel.$eval('[data-testid="apply"]', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    await panel.$eval('[data-testid="conversation-warning"] input', (i) => (i as HTMLInputElement).click());
    await clickIn(panel, '[data-testid="apply"]');
    await waitForPanelText(panel, 'apply-result', 'Applied');
    await page.close();
  });

  it('says so when ap3c.talk.setVerifiedSession is missing (Talk disabled) and offers capture code', async () => {
    const { page, panel } = await inspect('/pages/disable-talk.html');
    await fillAndRequest(panel);
    await waitForPanelText(panel, 'person-status', /created|merged|by-id/);
    await page.evaluate(() => {
      // An older capture script without ap3c.talk.
      delete (window as unknown as { ap3c: { talk?: unknown } }).ap3c.talk;
    });
    await clickIn(panel, '[data-testid="apply"]');
    await waitForPanelText(panel, 'apply-result', 'is not on this page');
    expect(await panel.$eval('[data-testid="copy-capture-code"]', (b) => (b as HTMLButtonElement).disabled)).toBe(false);
    await page.close();
  });

  it('options page: rename, delete and forget all', async () => {
    const page = await chromium.browser.newPage();
    await page.goto(`chrome-extension://${chromium.extensionId}/src/options/options.html`);
    await page.waitForSelector('[data-testid="profiles"]');
    // A second profile kept only for this browser session.
    await page.type('input[name="label"]', 'Temporary');
    await page.type('input[name="key"]', 'made-up-temporary-key-5555');
    await page.click('input[name="forget"]');
    await page.click('button[type="submit"]');
    await waitFor(async () => (await page.$$('[data-testid="profiles"] li')).length === 2, 'two profiles');
    expect(await page.evaluate(() => document.body.innerText)).toContain('until the browser closes');
    const [renameButton] = await page.$$('xpath/.//li[contains(., "Temporary")]//button[contains(., "Rename")]');
    await renameButton?.click();
    const nameInput = await page.waitForSelector('li form input');
    await nameInput?.click({ count: 3 });
    await nameInput?.type('Renamed');
    await page.click('li form button[type="submit"]');
    await waitFor(async () => (await page.evaluate(() => document.body.innerText)).includes('Renamed'), 'the new name');
    const [deleteButton] = await page.$$('xpath/.//li[contains(., "Renamed")]//button[contains(., "Delete")]');
    await deleteButton?.click();
    await waitFor(async () => (await page.$$('[data-testid="profiles"] li')).length === 1, 'one profile');
    page.on('dialog', (d) => void d.accept());
    await page.click('[data-testid="forget-all"]');
    await page.waitForSelector('[data-testid="no-profiles"]');
    const worker = await chromium.worker();
    const stored = await worker.evaluate(async () => {
      const c = (globalThis as unknown as { chrome: { storage: { local: { get(k: null): Promise<object> }; session: { get(k: null): Promise<object> } } } })
        .chrome;
      return JSON.stringify([await c.storage.local.get(null), await c.storage.session.get(null)]);
    });
    expect(stored).not.toContain('apikey:');
    expect(stored).not.toContain(canary);
    await page.close();
    await saveProfile(); // for the tests after this one
  });
});

describe('support flow: errors', () => {
  const cases: { name: string; fault: Parameters<Simulator['fault']>[0]; words: RegExp }[] = [
    { name: '400 shows the details', fault: { status: 400 }, words: /rejected the request \(400/ },
    { name: '401 says the key was rejected and to check the region', fault: { status: 401 }, words: /rejected the API key \(401\).*region/ },
    { name: '500', fault: { status: 500 }, words: /server error \(500\)/ },
    { name: 'malformed answer', fault: { malformed: true }, words: /not with a session/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { page, panel } = await inspect('/pages/standard.html');
      sim.reset();
      sim.fault(c.fault);
      await fillAndRequest(panel);
      const text = await waitForPanelText(panel, 'request-error', c.words);
      expect(text).not.toContain(canary);
      // 400/401 are never retried.
      expect(sim.requests({ path: '/v1/talk/session' }).filter((r) => r.method === 'POST')).toHaveLength(1);
      await page.close();
    });
  }

  it('429: waits at least try-in-seconds, then succeeds', async () => {
    const { page, panel } = await inspect('/pages/standard.html');
    sim.reset();
    sim.fault({ status: 429, tryInSeconds: 1, times: 1 });
    await fillAndRequest(panel);
    await waitForPanelText(panel, 'request-progress', /Next try in \d+ s/);
    await waitForPanelText(panel, 'person-status', /created|merged|by-id/, 10_000);
    const posts = sim.requests({ path: '/v1/talk/session' }).filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(2);
    expect((posts[1]?.at ?? 0) - (posts[0]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    await page.close();
  });

  it('timeout after 15 s', async () => {
    const { page, panel } = await inspect('/pages/standard.html');
    sim.reset();
    sim.fault({ delayMs: 17_000 });
    await fillAndRequest(panel);
    await waitForPanelText(panel, 'request-error', /did not answer within 15 seconds/, 20_000);
    await page.close();
  }, 40_000);
});

describe('forged messages from a hostile page', () => {
  it('cannot make the extension request or apply a token', async () => {
    const { page, panel } = await inspect('/pages/standard.html');
    await waitForPanelText(panel, 'status-init', 'Called once');
    const timelineBefore = await panelText(panel, 'timeline');
    sim.reset();
    await page.evaluate(() => {
      const shapes = [
        {
          type: 'request-token',
          requestId: 'x',
          profileId: '00000000-0000-0000-0000-000000000000',
          body: { fields: { 'str::email': 'a@b.c', 'str::name': 'A' } },
        },
        { type: 'apply-token', requestId: 'y', tabId: 1, relayDocId: 'z', token: 'forged' },
        { type: 'profiles:list' },
        { type: 'page-update', update: {} },
        { kind: 'batch', recorderDocId: '0123456789abcdef', full: true, late: false, events: [], dropped: 0, ap3c: { state: 'absent' } },
      ];
      for (let i = 0; i < 2000; i++) {
        const m = shapes[i % shapes.length];
        window.postMessage(m, '*');
        document.dispatchEvent(new CustomEvent('talk-inspector:relay-hello', { detail: '0'.repeat(32) }));
        document.dispatchEvent(new CustomEvent('talk-inspector:recorder-hello'));
        document.dispatchEvent(new CustomEvent(`talk-inspector:${'0'.repeat(32)}`, { detail: `B1${JSON.stringify(m)}` }));
      }
    });
    await new Promise((r) => setTimeout(r, 1000));
    expect(sim.requests({ path: '/v1/talk/session' })).toHaveLength(0);
    expect(await panelText(panel, 'status-init')).toBe('Called once');
    expect(await panelText(panel, 'timeline')).toBe(timelineBefore);
    await page.close();
  });
});

/** Activates a panel control the way assistive tech does (DevTools' own viewport can hide it from mouse clicks). */
async function clickIn(panel: Frame, selector: string): Promise<void> {
  await panel.waitForSelector(selector);
  await panel.$eval(selector, (b) => (b as HTMLElement).click());
}
