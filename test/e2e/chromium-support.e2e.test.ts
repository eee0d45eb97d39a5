/**
 * The support flow in real Chromium against the simulator: save an API key profile, request a
 * token from the panel, apply it live, and every error path. A canary key (the simulator's made-up
 * key) is checked never to reach the page, the content scripts, the console or the panel's text.
 */
import type { ConsoleMessage, Frame, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSTANCES } from '../../simulator/fixtures.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { EMPTY_FORM, requestBody } from '../../src/panel/support/session-form.ts';
import { type ChromiumSession, launchChromium, openPanel, panelText, waitFor, waitForPanelText } from '../../tools/chromium.ts';
import { untilFixApplied, VERIFIED_WITH_FIX } from './support/tried-load.ts';

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

/** Sets a panel input's value as typing would (the form may have been prefilled with the last person). */
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

async function fillAndRequest(panel: Frame, email = 'pat@example.com', name = 'Pat Example'): Promise<void> {
  await fill(panel, 'input[name="email"]', email);
  await fill(panel, 'input[name="name"]', name);
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
  it('"Try on reload with this token": the token goes into the editor, and the tried load is verified without touching the site', async () => {
    const { page, panel } = await inspect('/pages/standard.html');
    await fillAndRequest(panel);
    await waitForPanelText(panel, 'person-status', /created|merged|by-id/);
    await clickIn(panel, '[data-testid="try-with-token"]');
    await waitFor(async () => (await panel.evaluate(() => document.activeElement?.getAttribute('data-testid'))) === 'try-reload', 'the reload button focused');
    const tried = await panel.$eval('[data-testid="try-token"]', (i) => (i as HTMLInputElement).value);
    expect(tried.length).toBeGreaterThan(20);
    await clickIn(panel, '[data-testid="try-reload"]');
    await untilFixApplied(panel);
    await waitForPanelText(panel, 'fix-tried-verdict', VERIFIED_WITH_FIX, 15_000);
    // The tried load used the token the panel got; the site's own page still gives none.
    expect(sim.requests({ path: '/-/widgets/get' }).some((r) => (r.body ?? '').includes(tried))).toBe(true);
    await assertNoCanary(page, panel);
    await page.close();
  });

  it('turns a Not verified page into a verified one, and the timeline shows the call', async () => {
    const { page, panel } = await inspect('/pages/standard.html');
    await waitForPanelText(panel, 'widget-label', 'Shows "Not verified"');
    expect(await panelText(panel, 'profile')).toContain('Simulator (staging)');
    await fillAndRequest(panel);
    await waitForPanelText(panel, 'person-status', /created|merged|by-id/);
    const calls = sim.requests({ path: '/v1/talk/session' }).filter((r) => r.method === 'POST');
    expect(calls.at(-1)?.headers['x-api-key']).toBe(canary);
    expect(JSON.parse(calls.at(-1)?.body ?? '{}').fields).toEqual({ 'str::email': 'pat@example.com', 'str::name': 'Pat Example' });
    // A screen reader hears the request end (a region that is always there), and the verdict is one.
    expect(await panelText(panel, 'request-announcer')).toBe('Token issued for pat@example.com.');
    expect(await panel.$eval('[data-testid="verdict-live"]', (v) => [v.getAttribute('aria-live'), v.getAttribute('aria-atomic')])).toEqual(['polite', 'true']);
    await clickIn(panel, '[data-testid="apply"]');
    await waitForPanelText(panel, 'apply-result', 'Applied');
    // Apply disables its own button: focus lands on what it did, not at the top of the panel.
    await waitFor(
      async () => (await panel.evaluate(() => document.activeElement?.getAttribute('data-testid'))) === 'apply-result',
      'focus on the apply result',
    );
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
    // (The box renders once the panel holds the new document's report; under load a frame later.)
    expect(await waitForPanelText(panel, 'rebind', 'Use this token')).toBe(`Use this token on the current page (${sim.origin})`);
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
    // (The box renders with the result; under load a frame later.)
    const box = await waitForPanelText(panel, 'rebind-box', `requested on ${sim.origin}`);
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

  it('on a page with disableTalk, Apply says why it cannot work and the capture code leaves disableTalk out', async () => {
    const { page, panel } = await inspect('/pages/disable-talk.html');
    await fillAndRequest(panel);
    await waitForPanelText(panel, 'person-status', /merged/);
    await waitForPanelText(panel, 'apply-unavailable', 'Talk is switched off on this page');
    expect(await panel.$eval('[data-testid="apply"]', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    const copied = await copiedText(panel, '[data-testid="copy-capture-code"]');
    expect(copied).toContain('ap3c.init(');
    expect(copied).toContain('"talk"');
    expect(copied).not.toContain('disableTalk');
    expect(await panel.evaluate(() => document.body.innerText)).toContain('disableTalk left out: Talk must be on for a verified session.');
    await page.close();
  });

  it('says so when ap3c.talk.setVerifiedSession is missing (an older capture script)', async () => {
    const { page, panel } = await inspect('/pages/standard.html');
    await fillAndRequest(panel);
    await waitForPanelText(panel, 'person-status', /merged/);
    await page.evaluate(() => {
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
    // "Don't remember": the key is in storage.session (gone when the browser closes), not on disk.
    const areas = async () =>
      JSON.parse(
        await (await chromium.worker()).evaluate(async () => {
          const c = (globalThis as unknown as { chrome: { storage: { local: { get(k: null): Promise<object> }; session: { get(k: null): Promise<object> } } } })
            .chrome;
          return JSON.stringify({ local: await c.storage.local.get(null), session: await c.storage.session.get(null) });
        }),
      ) as { local: object; session: object };
    const kept = await areas();
    expect(JSON.stringify(kept.session)).toContain('made-up-temporary-key-5555');
    expect(JSON.stringify(kept.local)).not.toContain('made-up-temporary-key-5555');
    // The remembered profile's key is on disk (storage.local), as the options page says.
    expect(JSON.stringify(kept.local)).toContain('apikey:');
    const [renameButton] = await page.$$('xpath/.//li[contains(., "Temporary")]//button[contains(., "Rename")]');
    await renameButton?.click();
    const nameInput = await page.waitForSelector('li form input');
    // Focus moves to the new name (the Rename button is gone), and back to Rename once saved.
    await waitFor(() => page.evaluate(() => document.activeElement?.matches('li form input') === true), 'focus on the new name');
    await nameInput?.click({ count: 3 });
    await nameInput?.type('Renamed');
    await page.click('li form button[type="submit"]');
    await waitFor(async () => (await page.evaluate(() => document.body.innerText)).includes('Renamed'), 'the new name');
    await waitFor(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label') === 'Rename "Renamed"'), 'focus back on Rename');
    // Delete asks first, naming the profile; "Cancel" keeps it.
    const asked: string[] = [];
    let accept = false;
    page.on('dialog', (d) => {
      asked.push(d.message());
      void (accept ? d.accept() : d.dismiss());
    });
    await page.click('button[aria-label="Delete \\"Renamed\\""]');
    await waitFor(() => asked.length === 1, 'the confirmation');
    expect(asked[0]).toBe('Delete the profile "Renamed" and its API key? This cannot be undone.');
    expect(await page.$$('[data-testid="profiles"] li')).toHaveLength(2);
    accept = true;
    await page.click('button[aria-label="Delete \\"Renamed\\""]');
    await waitFor(async () => (await page.$$('[data-testid="profiles"] li')).length === 1, 'one profile');
    await waitFor(() => page.evaluate(() => document.activeElement?.id === 'profiles-title'), 'focus on the list heading');
    // PRIVACY.md: "Delete removes a profile and its key" (the key itself, not only the list entry).
    const afterDelete = JSON.stringify(await areas());
    expect(afterDelete).not.toContain('made-up-temporary-key-5555');
    expect(afterDelete).not.toContain('Renamed');
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

describe("support flow: safe for the customer's data, one step from the verdict, clear about who and where (issue 14)", () => {
  const lastPost = () =>
    JSON.parse(
      sim
        .requests({ path: '/v1/talk/session' })
        .filter((r) => r.method === 'POST')
        .at(-1)?.body ?? '{}',
    );

  it('by default it creates no one and changes no field, and says so — and where it goes — before sending', async () => {
    const { page, panel } = await inspect('/pages/standard.html');
    // The profile is chosen in an effect, a frame after the select first renders: wait for the sentence that names it.
    const endpoint = await waitForPanelText(panel, 'request-endpoint', 'Simulator (staging)');
    expect(endpoint).toBe(`Sends POST ${sim.origin}/v1/talk/session with the key of “Simulator (staging)” (••••0000).`);
    expect(await panelText(panel, 'request-effect')).toBe(
      'In Ortto, this request: Finds the person by email (creates no one if none matches) and changes none of its fields.',
    );
    expect(await panelText(panel, 'profile')).toContain(`${sim.origin}/v1/talk/session`);
    sim.reset();
    await fillAndRequest(panel, 'nobody@example.com', 'No Body');
    await waitForPanelText(panel, 'request-error', 'created no one');
    expect(lastPost()).toMatchObject({ skip_non_existing: true, merge_strategy: 3 });
    // PRIVACY.md: "Nothing from the web page is added to it": the whole body is the form's, and the
    // page's address, capture key and cookies are in no part of the request.
    expect(lastPost()).toEqual(requestBody({ ...EMPTY_FORM, email: 'nobody@example.com', name: 'No Body' }));
    const sent = sim.requests({ path: '/v1/talk/session' }).filter((r) => r.method === 'POST');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.path).toBe('/v1/talk/session');
    const whole = JSON.stringify(sent[0]);
    for (const fromPage of ['standard.html', INSTANCES.testautomation.captureKey, 'ap3c']) expect(whole).not.toContain(fromPage);
    await page.close();
  });

  it('a request that can create a person or overwrite fields needs an explicit yes first', async () => {
    const { page, panel } = await inspect('/pages/standard.html');
    await panel.$eval('[data-testid="token-request"] details', (d) => {
      (d as HTMLDetailsElement).open = true;
    });
    await clickIn(panel, 'input[name="createPerson"]');
    await waitForPanelText(panel, 'request-effect', 'or creates a new person if none matches');
    await fill(panel, 'input[name="email"]', 'new.person@example.com');
    await fill(panel, 'input[name="name"]', 'New Person');
    expect(await panel.$eval('[data-testid="send-request"]', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    expect(await panelText(panel, 'request-confirm')).toContain('create a person');
    await clickIn(panel, '[data-testid="request-confirm"] input');
    await clickIn(panel, '[data-testid="send-request"]');
    await waitForPanelText(panel, 'person-status', 'created a new person (created)');
    expect(lastPost()).toMatchObject({ skip_non_existing: false });
    await page.close();
  });

  it('says who the token is for, and marks it stale when the person in the form changes', async () => {
    const { page, panel } = await inspect('/pages/standard.html');
    await fillAndRequest(panel);
    await waitForPanelText(panel, 'token-for', 'pat@example.com (person 006281d8ff95c3ed70b70801)');
    // The form's default merge_strategy (3) changes none of the person's fields, and the result says so.
    expect(lastPost()).toMatchObject({ merge_strategy: 3 });
    expect(await panelText(panel, 'person-status')).toBe('found an existing person (none of its fields changed) (merged)');
    expect(await panelText(panel, 'token-stale')).toBe('');
    await fill(panel, 'input[name="email"]', 'sam@example.com');
    await waitForPanelText(panel, 'token-stale', 'not the person in the form any more');
    await page.close();
  });

  it('a second apply needs a yes that names the consequence (a new Talk session)', async () => {
    const { page, panel } = await inspect('/pages/standard.html');
    await fillAndRequest(panel);
    await waitForPanelText(panel, 'person-status', /merged/);
    await clickIn(panel, '[data-testid="apply"]');
    await waitForPanelText(panel, 'apply-result', 'Applied');
    await waitForPanelText(panel, 'apply', `Applied ✓ — apply again (${sim.origin})`);
    expect(await panel.$eval('[data-testid="apply"]', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    expect(await panelText(panel, 'apply-again-confirm')).toContain('starts a new Talk session');
    await clickIn(panel, '[data-testid="apply-again-confirm"] input');
    await clickIn(panel, '[data-testid="apply"]');
    await waitFor(async () => ((await panelText(panel, 'timeline')).match(/setVerifiedSession called/g) ?? []).length === 2, 'the second call');
    await page.close();
  });

  it('first and last name and phone are sent; the person (never the key) is remembered for the site', async () => {
    const { page, panel } = await inspect('/pages/standard.html');
    await fill(panel, 'input[name="first"]', 'Pat');
    await fill(panel, 'input[name="last"]', 'Example');
    await fill(panel, 'input[name="phone"]', '+61 400 000 000');
    await fillAndRequest(panel);
    await waitForPanelText(panel, 'person-status', /merged/);
    expect(lastPost().fields).toEqual({
      'str::email': 'pat@example.com',
      'str::name': 'Pat Example',
      'str::first': 'Pat',
      'str::last': 'Example',
      'phn::phone': '+61 400 000 000',
    });
    await page.close();
    // Another page of the same site: the form starts with that person.
    const again = await inspect('/pages/token.html');
    await waitFor(
      async () => (await again.panel.$eval('input[name="email"]', (i) => (i as HTMLInputElement).value)) === 'pat@example.com',
      'the remembered email',
    );
    expect(await again.panel.$eval('input[name="phone"]', (i) => (i as HTMLInputElement).value)).toBe('+61 400 000 000');
    const session = await (await chromium.worker()).evaluate(async () =>
      JSON.stringify(await (globalThis as unknown as { chrome: { storage: { session: { get(k: null): Promise<object> } } } }).chrome.storage.session.get(null)),
    );
    expect(session).not.toContain(canary);
    // PRIVACY.md: "email, name, first and last name, phone; never the key", and nothing else.
    const remembered = Object.entries(JSON.parse(session) as Record<string, unknown>).filter(([k]) => k.startsWith('lastPerson:'));
    expect(remembered).toEqual([
      [`lastPerson:${sim.origin}`, { email: 'pat@example.com', name: 'Pat Example', firstName: 'Pat', lastName: 'Example', phone: '+61 400 000 000' }],
    ]);
    await again.page.close();
  });

  it("keeps a history of this panel's requests, and an earlier token can be applied from it", async () => {
    const { page, panel } = await inspect('/pages/standard.html');
    await fillAndRequest(panel);
    await waitForPanelText(panel, 'token-for', 'pat@example.com');
    await fillAndRequest(panel, 'sam@example.com', 'Sam Example');
    await waitForPanelText(panel, 'token-for', 'sam@example.com');
    const history = await waitForPanelText(panel, 'request-history', 'Requests in this panel (2)');
    expect(history).toMatch(/pat@example\.com/);
    await clickIn(panel, '[data-testid="history-show"]');
    await waitForPanelText(panel, 'token-for', 'pat@example.com');
    await clickIn(panel, '[data-testid="apply"]');
    await waitForPanelText(panel, 'apply-result', 'Applied');
    await page.close();
  });

  it('a request cut off by a stopped service worker ends with a clear message, and the panel can send again', async () => {
    const { page, panel } = await inspect('/pages/standard.html');
    sim.reset();
    sim.fault({ delayMs: 8_000 });
    await fillAndRequest(panel);
    await waitForPanelText(panel, 'request-progress', 'Sending');
    await chromium.stopWorker();
    await waitForPanelText(panel, 'request-error', "connection to the extension's background was lost", 10_000);
    await waitFor(async () => !(await panel.$eval('[data-testid="send-request"]', (b) => (b as HTMLButtonElement).disabled)), 'the send button to work again');
    await fillAndRequest(panel);
    await waitForPanelText(panel, 'person-status', /merged/, 15_000);
    await page.close();
  });

  it('the "no token" verdict leads straight to the support form; the header links every section', async () => {
    const { page, panel } = await inspect('/pages/standard.html');
    await waitForPanelText(panel, 'verdict-to-support', 'Get a verified token');
    expect(await panel.$eval('[data-testid="verdict-to-support"]', (a) => (a as HTMLAnchorElement).getAttribute('href'))).toBe('#support');
    await clickIn(panel, '[data-testid="verdict-to-support"]');
    await waitFor(() => panel.evaluate(() => location.hash === '#support'), 'the support section');
    const links = await panel.$$eval('[data-testid="sections"] a', (as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
    expect(links).toEqual([
      ['Checklist', '#checklist-section'],
      ['Try a fix', '#try-fix'],
      ['Token & config', '#config-section'],
      ['Timeline', '#timeline-section'],
      ['Support', '#support'],
    ]);
    for (const [, href] of links) expect(await panel.$(href as string)).not.toBeNull();
    // A section link lands below the sticky header, not under it (the header's height is the scroll padding).
    for (const [, href] of links) {
      await clickIn(panel, `[data-testid="sections"] a[href="${href}"]`);
      await waitFor(
        () =>
          panel.evaluate((sel) => {
            const header = document.querySelector('.panel-header')?.getBoundingClientRect();
            const target = document.querySelector(sel as string)?.getBoundingClientRect();
            const scrollable = document.documentElement.scrollHeight - innerHeight - scrollY > 1;
            // (The last sections may not scroll all the way up: then they are at least below the header.)
            return header !== undefined && target !== undefined && target.top >= header.bottom - 1 && (!scrollable || target.top <= header.bottom + 16);
          }, href),
        `${href} below the header`,
      );
    }
    // The header stays in view while the panel scrolls.
    expect(await panel.$eval('.panel-header', (h) => getComputedStyle(h).position)).toBe('sticky');
    await page.close();
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

  it('429 every time: it says it tried 3 times and when to try again', async () => {
    const { page, panel } = await inspect('/pages/standard.html');
    sim.reset();
    sim.fault({ status: 429, tryInSeconds: 1, times: 3 });
    await fillAndRequest(panel);
    const text = await waitForPanelText(panel, 'request-error', /after 3 tries/, 15_000);
    expect(text).toMatch(/try again after \d{1,2}:\d{2}:\d{2}/);
    expect(text).not.toContain('asks to wait');
    await page.close();
  });

  it('the 429 countdown is right from its first paint', async () => {
    const { page, panel } = await inspect('/pages/standard.html');
    // The panel has been open a while: a countdown measured from the panel's start would be off.
    await new Promise((r) => setTimeout(r, 4000));
    sim.reset();
    sim.fault({ status: 429, tryInSeconds: 3, times: 1 });
    await fillAndRequest(panel);
    const text = await waitForPanelText(panel, 'request-progress', /Next try in \d+ s/);
    expect(Number(/Next try in (\d+) s/.exec(text)?.[1])).toBeLessThanOrEqual(4);
    await waitForPanelText(panel, 'person-status', /merged/, 10_000);
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
    // The page's own activity has settled (what the recorder sees late, it sees at its next look).
    let timelineBefore = '';
    await waitFor(async () => {
      const first = await panelText(panel, 'timeline');
      await new Promise((r) => setTimeout(r, 500));
      timelineBefore = await panelText(panel, 'timeline');
      return first === timelineBefore;
    }, 'the timeline to settle');
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

/** What a panel button copies (the clipboard itself is not readable here: its writeText is watched). */
async function copiedText(panel: Frame, button: string): Promise<string> {
  await panel.evaluate(() => {
    const w = window as unknown as { __copied: string[] };
    w.__copied = [];
    navigator.clipboard.writeText = async (t: string) => {
      w.__copied.push(t);
    };
  });
  await clickIn(panel, button);
  let text = '';
  await waitFor(async () => {
    text = await panel.evaluate(() => (window as unknown as { __copied: string[] }).__copied.join('\n'));
    return text !== '';
  }, 'the copied text');
  return text;
}

/** Activates a panel control the way assistive tech does (DevTools' own viewport can hide it from mouse clicks). */
async function clickIn(panel: Frame, selector: string): Promise<void> {
  await panel.waitForSelector(selector);
  await panel.$eval(selector, (b) => (b as HTMLElement).click());
}
