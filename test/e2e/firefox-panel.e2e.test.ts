/**
 * The SHIPPED Firefox build (dist/firefox) in the real Firefox DevTools panel: Firefox ESR under a
 * private Xvfb display, driven over Marionette; the toolbox is opened on a tab and the Talk
 * Inspector tool selected as a user does, and every assertion reads the panel's own DOM.
 * One browser, one tab, one toolbox for the whole file (as a user works): the panel stays open
 * while the tab moves from page to page, and is closed only at the end.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { INSTANCES } from '../../simulator/fixtures.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { fingerprint } from '../../src/shared/analysis/fingerprint.ts';
import { type FirefoxDevtools, type FirefoxPanel, launchFirefoxDevtools, poll } from './support/firefox-devtools.ts';

let sim: Simulator;
let ff: FirefoxDevtools;
let panel: FirefoxPanel | undefined;
let canary: string;

beforeAll(async () => {
  sim = await startSimulator();
  canary = sim.apiKeys.default; // made up by the simulator; never a real key
  ff = await launchFirefoxDevtools();
});

afterAll(async () => {
  await ff?.close();
  await sim?.close();
});

let errorsSeen = 0;

/** Extension errors that reached the browser console since the last call. */
async function newExtensionErrors(): Promise<string[]> {
  const all = await ff.extensionErrors();
  const fresh = all.slice(errorsSeen);
  errorsSeen = all.length;
  return fresh;
}

// Whatever a test did, the extension left no error in the browser console.
afterEach(async () => {
  expect(await newExtensionErrors()).toEqual([]);
});

/** The panel of the tab under test, opened if DevTools is closed (an earlier test may have failed). */
async function openPanel(): Promise<FirefoxPanel> {
  if (!panel) panel = await ff.openPanel();
  return panel;
}

/** The token the page gave ap3c.init, read from the page itself (the test's ground truth). */
async function pageToken(): Promise<string> {
  const html = await ff.page(() => document.documentElement.outerHTML);
  const m = /"token":"([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error('no token in the fixture page');
  return m[1];
}

/** Asserts `check` keeps holding for `ms` (polled), failing as soon as it does not. */
async function holds(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!(await check())) throw new Error(`${what} no longer holds`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const VERIFIED = 'Verified: the page gives Talk a token and the widget shows no "Not verified" label.';

// The demo tour of `npm start` (scripts/start.ts), with the verdicts Chromium's panel shows there.
const DEMOS: { name: string; kind: string; rule: string; headline: string; network?: boolean }[] = [
  {
    name: 'standard',
    kind: 'not-verified',
    rule: 'token-present',
    headline: 'Not verified because the page gives Talk no token, so Talk cannot prove who the visitor is.',
  },
  { name: 'token', kind: 'verified', rule: '', headline: VERIFIED, network: true },
  { name: 'verified', kind: 'verified', rule: '', headline: VERIFIED, network: true },
  { name: 'disable-talk', kind: 'talk-disabled', rule: 'talk-enabled', headline: 'Talk is switched off on this page (init option disableTalk: true).' },
  { name: 'no-snippet', kind: 'no-snippet', rule: 'snippet-present', headline: "Ortto's capture code is not on this page, so Talk cannot run here." },
  {
    name: 'script-fails',
    kind: 'not-verified',
    rule: 'script-loaded',
    // (The address it failed from is named in the middle: checked below by its two ends.)
    headline: "Ortto's capture script did not load from ",
  },
  {
    name: 'placeholder-token',
    kind: 'not-verified',
    rule: 'token-well-formed',
    headline: 'Not verified because the token on the page is not a real token: The token is a placeholder copied from the documentation, not a real token.',
  },
  {
    name: 'token-other-instance',
    kind: 'not-verified',
    rule: 'token-accepted',
    headline: 'Ortto rejected the token: it was most likely issued for another Ortto instance or region.',
    network: true,
  },
  {
    name: 'cookie-path-other-instance',
    kind: 'not-verified',
    rule: 'cookie-path-instance',
    headline: 'The cookiePath names another Ortto instance, so Talk looks for the contact in the wrong account.',
    network: true,
  },
];

describe('Firefox DevTools panel: what it shows', () => {
  it('opens in the toolbox on a page that was already loaded, and shows its report', async () => {
    await ff.navigate(`${sim.origin}/pages/standard.html`);
    const p = await openPanel();
    await p.waitForText('status-snippet', 'Found');
    await p.waitForText('status-init', 'Called once');
    expect(await p.text('capture-key')).toBe(INSTANCES.testautomation.captureKey);
    expect(await p.text('capture-url')).toBe(`${sim.origin}/`);
    expect(await p.text('status-script')).toBe('Loaded');
    await p.waitForText('widget-label', 'Shows "Not verified"');
    const timeline = await p.text('timeline');
    expect(timeline).toMatch(/window\.ap3c set[\s\S]*ap3c\.init defined[\s\S]*ap3c\.init called[\s\S]*ap3c\.track called/);
    const v = await p.until((x) => x.verdictRule === 'token-present', 'the verdict');
    expect(v.verdictKind).toBe('not-verified');
  });

  for (const demo of DEMOS) {
    it(`demo page ${demo.name}: ${demo.kind}${demo.rule ? ` (${demo.rule})` : ''}`, async () => {
      const p = await openPanel();
      await ff.navigate(`${sim.origin}/pages/${demo.name}.html`);
      await p.waitForText('page-url', `/pages/${demo.name}.html`);
      const v = await p.until(
        // script-fails: the address comes from the relay or the network log, maybe a batch after the rule fails.
        (x) =>
          x.verdictKind === demo.kind &&
          x.verdictRule === demo.rule &&
          (!demo.network || x.statuses['token-reached-ortto'] === 'pass') &&
          (demo.name !== 'script-fails' || x.verdict.includes('did not load from')),
        `the verdict of ${demo.name}${demo.network ? ' with the network evidence' : ''}`,
      );
      expect(v.verdict).toContain(demo.headline);
      if (demo.name === 'script-fails')
        expect(v.verdict).toMatch(/did not load from http:\/\/127\.0\.0\.1:\d+\/\S+ \(blocked by an ad-blocker or a wrong address\), so Talk cannot start\.$/);
      if (demo.rule) expect(v.statuses[demo.rule]).toBe('fail');
      if (demo.kind === 'verified') expect(Object.entries(v.statuses).filter(([, s]) => s === 'fail')).toEqual([]);
    });
  }

  it('demo page spa-login: not verified, then verified after the page logs in', async () => {
    const p = await openPanel();
    await ff.navigate(`${sim.origin}/pages/spa-login.html`);
    await p.waitForText('page-url', '/pages/spa-login.html');
    await p.until((x) => x.verdictRule === 'token-present', 'the verdict before login');
    await ff.clickElement('#login');
    await p.waitForText('timeline', 'ap3c.talk.setVerifiedSession called');
    await p.waitForText('status-token', 'Present (from setVerifiedSession)');
    const v = await p.until(
      (x) => x.verdictKind === 'verified' && x.statuses['token-reached-ortto'] === 'pass',
      'verified, with the token seen reaching Ortto',
    );
    expect(v.verdict).toContain(VERIFIED);
  });

  it('demo page page-calls-api: verified, but the exposed API key is flagged with a fingerprint only', async () => {
    const p = await openPanel();
    await ff.navigate(`${sim.origin}/pages/page-calls-api.html`);
    await p.waitForText('page-url', '/pages/page-calls-api.html');
    const v = await p.until((x) => x.verdictKind === 'verified' && x.statuses['no-page-session-call'] === 'fail', 'the exposed-key check');
    // One top message: verified, but a security problem to fix now (the alert is in the verdict banner).
    expect(v.verdict).toContain('Verified, but the page exposes your Ortto API key');
    await p.waitForText('key-exposed', 'Your API key is exposed in the browser');
    // The request and its key header come from DevTools' network view.
    await poll(async () => /API key fingerprint [0-9a-f]{12}/.test(await p.bodyText()), 'the key fingerprint from the network evidence');
    expect(await p.evaluate((win) => win.document.documentElement.outerHTML)).not.toContain(sim.apiKeys.default);
  });
});

describe('Firefox DevTools panel: network evidence after a reload with the panel open', () => {
  /**
   * Reloads, waits until DevTools saw the new page finish loading (Firefox's onNavigated comes
   * from that event) and the panel shows `evidence` (a timeline text), then checks the evidence
   * is still there a second later.
   */
  async function reloadAndKeep(p: FirefoxPanel, evidence: () => Promise<string>): Promise<void> {
    const loads = await ff.domCompleteCount();
    await ff.reload();
    const expected = await evidence();
    await poll(async () => (await ff.domCompleteCount()) > loads, "DevTools to see the new page's load event");
    await p.waitForText('timeline', expected);
    await holds(async () => (await p.text('timeline')).includes(expected), 1000, `"${expected}" in the timeline`);
  }

  it("keeps the new page's -/widgets/get after every reload (token page, 6 reloads)", async () => {
    const p = await openPanel();
    await ff.navigate(`${sim.origin}/pages/token.html`);
    await ff.domCompleteCount(); // start counting
    for (let i = 0; i < 6; i++) {
      await reloadAndKeep(p, async () => `token sent (sha256:${fingerprint(await pageToken())})`);
      const v = await p.view();
      expect(v.statuses['token-reached-ortto'], `reload ${i + 1}`).toBe('pass');
      expect(v.verdictKind, `reload ${i + 1}`).toBe('verified');
    }
  });

  it("keeps it when the page's load event comes long after -/widgets/get (slow image, 2 reloads)", async () => {
    const p = await openPanel();
    // The page's image answers after 3 s: every request of the page finishes before its load event.
    await ff.navigate(`${sim.origin}/pages/slow-load.html`);
    await ff.domCompleteCount();
    for (let i = 0; i < 2; i++) {
      await reloadAndKeep(p, async () => 'Ortto -/widgets/get → HTTP 200: Talk off, no token sent');
      // It is this page load's request (time from this document's start), not the previous one's.
      const rows = await p.evaluate((win) => {
        const out: string[] = [];
        const items = win.document.querySelectorAll('[data-testid="timeline"] li');
        for (let j = 0; j < items.length; j++) out.push(items[j]?.textContent ?? '');
        return out.filter((t) => t.includes('-/widgets/get'));
      });
      expect(rows, `reload ${i + 1}`).toHaveLength(1);
      expect(Number.parseFloat(rows[0] ?? ''), `reload ${i + 1}: ${rows[0]}`).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('Firefox DevTools panel: support flow (panel → options page → request → apply)', () => {
  /** Runs `body` in the options page the panel opened (a new tab), then closes that tab. */
  async function inOptionsPage(body: () => Promise<void>): Promise<void> {
    await ff.inTab(
      (url) => url.startsWith('moz-extension://') && url.includes('/src/options/options.html'),
      'the options page to open in a tab',
      async () => {
        await body();
        await ff.closeCurrentTab();
      },
    );
  }

  it('"Add an API key" opens the options page; a profile saved there appears in the panel', async () => {
    const p = await openPanel();
    await ff.navigate(`${sim.origin}/pages/standard.html`);
    await p.waitForText('widget-label', 'Shows "Not verified"');
    await p.waitForText('token-request', 'No API key profile yet');
    await p.click('[data-testid="token-request"] button');
    await inOptionsPage(async () => {
      // Real input (WebDriver element commands): a profile on the simulator's Talk API, made-up key.
      await ff.type('input[name="label"]', 'Simulator (staging)');
      await ff.clickElement('select[name="region"]');
      await ff.clickElement('select[name="region"] option[value="custom"]');
      await ff.type('input[name="customBaseUrl"]', `${sim.origin}/`);
      await ff.type('input[name="key"]', canary);
      // Firefox asks, at the first save, to allow what a token request sends (optional data collection).
      await ff.clickElement('button[type="submit"]');
      await ff.answerPermissionPrompt(false);
      await poll(() => ff.page(() => document.body.innerText.includes('Firefox needs your permission')), 'the refusal said');
      expect(await ff.page(() => document.querySelector('[data-testid="key-hint"]'))).toBeNull();
      await ff.clickElement('button[type="submit"]');
      const prompt = await ff.answerPermissionPrompt(true);
      expect(prompt).toMatch(/authentication|personal/i);
      await poll(() => ff.page(() => document.querySelector('[data-testid="key-hint"]')?.textContent === '••••0000'), 'the saved profile');
      // Write-only: the key is nowhere in the options page any more.
      expect(await ff.page(() => document.documentElement.outerHTML)).not.toContain(canary);
    });
    await p.waitForText('profile', 'Simulator (staging)');
  });

  it('requests a token and applies it: the page turns verified', async () => {
    const p = await openPanel();
    await p.waitForText('profile', 'Simulator (staging)');
    sim.reset();
    await p.fill('input[name="email"]', 'pat@example.com');
    await p.fill('input[name="name"]', 'Pat Example');
    await p.click('[data-testid="send-request"]');
    await p.waitForText('person-status', /created|merged|by-id/);
    const calls = sim.requests({ path: '/v1/talk/session' }).filter((r) => r.method === 'POST');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.headers['x-api-key']).toBe(canary);
    expect(JSON.parse(calls[0]?.body ?? '{}').fields).toEqual({ 'str::email': 'pat@example.com', 'str::name': 'Pat Example' });
    await p.click('[data-testid="apply"]');
    await p.waitForText('apply-result', 'Applied');
    await p.waitForText('widget-label', 'No "Not verified" label');
    await p.waitForText('timeline', 'ap3c.talk.setVerifiedSession called');
    await p.waitForText('after-verdict', 'Verified');
    expect(await ff.page(() => document.querySelector('#ap3-talk-widget-ui')?.shadowRoot?.textContent ?? '')).not.toContain('Not verified');
    // The key reached neither the panel nor the page.
    expect(await p.evaluate((win) => win.document.documentElement.outerHTML)).not.toContain(canary);
    expect(await ff.page(() => document.documentElement.outerHTML + document.cookie)).not.toContain(canary);
  });

  it('"Try on reload with this token": a token requested in the panel goes into the editor, and the tried load is verified', async () => {
    const p = await openPanel();
    await ff.navigate(`${sim.origin}/pages/standard.html`);
    await p.waitForText('page-url', '/pages/standard.html');
    await p.until((x) => x.verdictKind === 'not-verified' && x.verdictRule === 'token-present', 'the verdict of standard');
    await p.waitForText('profile', 'Simulator (staging)');
    await p.fill('input[name="email"]', 'pat@example.com');
    await p.fill('input[name="name"]', 'Pat Example');
    await p.click('[data-testid="send-request"]');
    await p.waitForText('person-status', /created|merged|by-id/);
    await p.click('[data-testid="try-with-token"]');
    await p.waitForText('try-preview', 'talk: { token: ');
    await p.click('[data-testid="try-reload"]');
    await p.waitForText('fix-tried-changes', 'talk.token', 15_000);
    // The handover can lose its race with the capture script on a busy machine (docs/architecture.md):
    // the panel says so and the engineer tries again. A second late one fails.
    if ((await p.text('fix-tried-late')) !== '') {
      await p.click('[data-testid="try-reload"]');
      await poll(async () => (await p.text('fix-tried-late')) === '' && (await p.text('fix-tried-changes')) !== '', 'the second tried load');
    }
    await p.until((x) => x.verdictKind === 'verified', 'verified on the tried load', 15_000);
    await poll(
      async () => !(await ff.page(() => document.querySelector('#ap3-talk-widget-ui')?.shadowRoot?.textContent ?? 'Not verified')).includes('Not verified'),
      'the widget without "Not verified"',
    );
  });

  it('"Manage API keys" opens the options page too', async () => {
    const p = await openPanel();
    await p.click('[data-testid="token-request"] button.link');
    await inOptionsPage(async () => {
      await poll(
        () => ff.page(() => document.querySelector('[data-testid="profiles"]')?.textContent?.includes('Simulator (staging)') ?? false),
        'the profile list',
      );
    });
  });

  it('without the permission to send the data, the background refuses the request and says how to allow it', async () => {
    const p = await openPanel();
    await p.click('[data-testid="token-request"] button.link');
    await inOptionsPage(async () => {
      await poll(
        () => ff.page(() => document.querySelector('[data-testid="profiles"]')?.textContent?.includes('Simulator (staging)') ?? false),
        'the profile list',
      );
      // The engineer withdrew the permission (about:addons → Permissions and data).
      const removed = await ff.page(() =>
        (globalThis as unknown as { browser: { permissions: { remove(p: { data_collection: string[] }): Promise<boolean> } } }).browser.permissions.remove({
          data_collection: ['authenticationInfo', 'personallyIdentifyingInfo'],
        }),
      );
      expect(removed).toBe(true);
    });
    sim.reset();
    await p.fill('input[name="email"]', 'pat@example.com');
    await p.fill('input[name="name"]', 'Pat Example');
    await p.click('[data-testid="send-request"]');
    await p.waitForText('request-error', 'Firefox has not been allowed to send your API key');
    expect(sim.requests({ path: '/v1/talk/session' })).toHaveLength(0);
  });
});

describe('Firefox DevTools panel: Try on reload (one reload of this tab with corrected ap3c.init options)', () => {
  const widget = (): Promise<string> => ff.page(() => document.querySelector('#ap3-talk-widget-ui')?.shadowRoot?.textContent ?? '');
  const widgetSays = (notVerified: boolean): Promise<boolean> =>
    poll(
      async () => {
        const text = await widget();
        return text !== '' && text.includes('Not verified') === notVerified;
      },
      `the widget ${notVerified ? 'to say' : 'without'} "Not verified"`,
    );

  /**
   * The extension's storage, read in the panel's own page (an extension page: it sees storage.local
   * and storage.session): the tabs' reports counted, everything else as JSON. docs/architecture.md:
   * a try stores nothing.
   */
  const stored = (p: FirefoxPanel): Promise<{ reports: number; rest: string }> =>
    p.evaluate(async (win) => {
      type Area = { get(k: null): Promise<Record<string, unknown>> };
      // (The frame script sees the panel's window through an Xray: the extension API is on the page's own side.)
      const page = ((win as unknown as { wrappedJSObject?: Window }).wrappedJSObject ?? win) as unknown as {
        browser: { storage: Record<'local' | 'session', Area> };
      };
      const { local, session } = page.browser.storage;
      const all = { local: await local.get(null), session: await session.get(null) };
      const rest = (area: Record<string, unknown>) =>
        Object.keys(area)
          .filter((k) => !k.startsWith('tab:'))
          .sort()
          .map((k) => [k, area[k]]);
      return {
        reports: Object.keys(all.session).filter((k) => k.startsWith('tab:')).length,
        rest: JSON.stringify({ local: rest(all.local), session: rest(all.session) }),
      };
    });

  /** Opens `page`, waits for `kind` from `rule`, lets `prepare` fill the editor, reloads with the fix: verified; then the page's own again. */
  async function tryFix(page: string, kind: string, rule: string, prepare: (p: FirefoxPanel) => Promise<void>, changes: string): Promise<void> {
    const p = await openPanel();
    await ff.navigate(`${sim.origin}/pages/${page}.html`);
    await p.waitForText('page-url', `/pages/${page}.html`);
    await p.until((x) => x.verdictKind === kind && x.verdictRule === rule, `the verdict of ${page}`);
    await p.click(`[data-testid="try-${rule}"]`);
    await prepare(p);
    const storedBefore = await stored(p);
    // (The reader sees the extension's storage: this tab's report is there.)
    expect(storedBefore.reports).toBeGreaterThan(0);
    await p.click('[data-testid="try-reload"]');
    await p.waitForText('fix-tried-changes', changes, 15_000);
    await p.until((x) => x.verdictKind === 'verified', 'verified on the tried load', 15_000);
    await widgetSays(false);
    expect(await p.text('fix-tried-verdict')).toMatch(/^Before: .+ → After: Verified/);
    // The fix lived in memory for that one load: nothing of it was stored.
    expect((await stored(p)).rest).toBe(storedBefore.rest);
    // The next reload is the page's own.
    await ff.reload();
    await p.until((x) => x.verdictKind === kind && x.verdictRule === rule, `${page} with its own options again`, 15_000);
    expect(await p.text('fix-tried')).toBe('');
    if (kind !== 'talk-disabled') await widgetSays(true);
  }

  it('cookiePath: the capture key’s instance', async () => {
    await tryFix(
      'cookie-path-other-instance',
      'not-verified',
      'cookie-path-instance',
      async (p) => {
        await p.waitForText('try-preview', `cookiePath: "/${INSTANCES.testautomation.name}/"`);
      },
      `talk.cookiePath "/${INSTANCES.testautomation.name}/"`,
    );
  });

  it('token: a token pasted in the editor', async () => {
    await tryFix(
      'standard',
      'not-verified',
      'token-present',
      async (p) => {
        await p.fill('[data-testid="try-token"]', sim.issueToken(INSTANCES.testautomation.name, 'pat@example.com'));
        await p.waitForText('try-preview', 'talk: { token: ');
      },
      'talk.token',
    );
  });

  it('disableTalk: Talk turned on, with a token', async () => {
    await tryFix(
      'disable-talk',
      'talk-disabled',
      'talk-enabled',
      async (p) => {
        await p.fill('[data-testid="try-token"]', sim.issueToken(INSTANCES.testautomation.name, 'pat@example.com'));
        expect(await p.text('try-preview')).not.toContain('disableTalk');
      },
      'disableTalk / disableWidgets removed',
    );
  });
});

describe('Firefox DevTools panel: closing DevTools', () => {
  it('leaves no extension error in the browser console, each time (3 times)', async () => {
    for (let i = 0; i < 3; i++) {
      const p = await openPanel();
      await ff.navigate(`${sim.origin}/pages/standard.html`);
      await p.waitForText('status-init', 'Called once');
      await ff.closeToolbox();
      panel = undefined;
      // The panel's and the devtools page's contexts are gone in the parent process...
      await poll(async () => !(await ff.views()).some((v) => v.startsWith('devtools')), 'the panel to unload');
      // ... and for a second after that nothing of ours reached the console.
      await holds(async () => (await newExtensionErrors()).length === 0, 1000, `no extension error after closing DevTools (${i + 1})`);
    }
  });
});
