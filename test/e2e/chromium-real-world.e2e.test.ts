/**
 * Issue 13 in the real DevTools panel (Chromium): pages shaped like real installs
 * (simulator/real-world-pages.ts). Items 1–4 of the issue (a CSP that blocks Ortto, a page that
 * removes window.ap3c and runs the snippet again, init queued but never run, the snippet's script
 * named whatever its name), then the other shapes once each.
 */
import type { Frame, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { type ChromiumSession, launchChromium, openPanel, panelText, waitFor, waitForPanelText } from '../../tools/chromium.ts';

// Real Ortto host names, mapped to loopback only; cdn31.ink (the document's typo) resolves nowhere.
const ORTTO_HOST = 'capture-api.ap3prod.com';
const STAGING_HOST = 'static.ap3stg.com';
let sim: Simulator;
let chromium: ChromiumSession;
let ortto: string;

beforeAll(async () => {
  sim = await startSimulator();
  chromium = await launchChromium({
    args: [`--host-resolver-rules=MAP ${ORTTO_HOST} 127.0.0.1, MAP ${STAGING_HOST} 127.0.0.1, MAP cdn31.ink ~NOTFOUND`],
  });
  await chromium.worker();
  ortto = `http://${ORTTO_HOST}:${sim.port}`;
});

afterAll(async () => {
  await chromium?.close();
  await sim?.close();
});

interface View {
  rule: string;
  kind: string;
  headline: string;
  statuses: Record<string, string>;
}

async function view(panel: Frame): Promise<View> {
  return panel.evaluate(() => {
    const v = document.querySelector('[data-testid="verdict"]') as HTMLElement | null;
    const statuses: Record<string, string> = {};
    for (const li of document.querySelectorAll<HTMLElement>('[data-testid="checklist"] > li')) statuses[li.dataset.rule ?? ''] = li.dataset.status ?? '';
    return {
      rule: v?.dataset.rule ?? '',
      kind: v?.dataset.kind ?? '',
      headline: v?.querySelector('.verdict-text')?.textContent ?? v?.textContent ?? '',
      statuses,
    };
  });
}

async function until(panel: Frame, check: (v: View) => boolean, what: string, timeoutMs = 10_000): Promise<View> {
  let last: View | undefined;
  await waitFor(
    async () => {
      last = await view(panel);
      return check(last);
    },
    () => `${what} (last: ${JSON.stringify(last)})`,
    timeoutMs,
  );
  return last as View;
}

/** A check's title, evidence and fix (a passing or warning check's details are closed: textContent, not innerText). */
const ruleText = (panel: Frame, id: string): Promise<string> =>
  panel.evaluate((rule) => document.querySelector(`[data-testid="checklist"] > li[data-rule="${rule}"]`)?.textContent ?? '', id);

/**
 * Waits for a check's text to match. A check's status can settle from one source (the network log) before
 * the recorder's next pull brings the rest (the second init call), so its text is awaited, not read once.
 */
async function untilRuleText(panel: Frame, id: string, pattern: RegExp): Promise<string> {
  let last = '';
  const matches = async (): Promise<boolean> => {
    last = await ruleText(panel, id);
    return pattern.test(last);
  };
  await waitFor(matches, () => `${id} to match ${pattern} (last: ${JSON.stringify(last)})`);
  return last;
}

/** Opens the page, then the panel, then reloads so DevTools sees the page's network from the start. */
async function inspect(url: string): Promise<{ page: Page; panel: Frame }> {
  const page = await chromium.browser.newPage();
  await page.goto(url, { waitUntil: 'load' });
  const { panel } = await openPanel(page, chromium.extensionId);
  await page.reload({ waitUntil: 'load' });
  return { page, panel };
}

async function pageWorks(page: Page): Promise<void> {
  await waitFor(async () => (await page.evaluate(() => document.body?.dataset.pageOk ?? '')) === 'yes', `the page's own script (${page.url()})`, 15_000);
}

describe('1. a Content-Security-Policy that blocks Ortto', () => {
  it('script-src blocks app.js (minified Next.js head): the verdict names the policy and the blocked host; the fix adds the hosts', async () => {
    const { page, panel } = await inspect(`${ortto}/pages/rw-nextjs-csp.html`);
    await pageWorks(page);
    const v = await until(panel, (x) => x.rule === 'csp-allows-ortto', 'the CSP verdict');
    const blocked = `http://localhost:${sim.port}/app.js`;
    expect(v.kind).toBe('not-verified');
    expect(v.headline).toContain('Content-Security-Policy blocks Ortto');
    expect(v.headline).toContain(blocked);
    expect(v.statuses['script-loaded']).toBe('fail');
    const csp = await ruleText(panel, 'csp-allows-ortto');
    expect(csp).toContain("script-src 'self' 'unsafe-inline' (script-src-elem falls back to it)");
    expect(csp).toContain(`add http://localhost:${sim.port} to script-src`);
    // init never ran (its function waits on ap3c.cmd), so the capture host is not known: it says so.
    expect(csp).toContain("add your capture URL's host (the second ap3c.init argument) to connect-src");
    // Not an ad-blocker: the script check points at the policy.
    expect(await ruleText(panel, 'script-loaded')).toContain('Content-Security-Policy blocks the capture script');
    await page.close();
  });

  it('connect-src blocks the capture API (GTM tag on load, CSP <meta>): names -/widgets/get and the host to add', async () => {
    const { page, panel } = await inspect(`${ortto}/pages/rw-gtm-csp-connect.html`);
    await pageWorks(page);
    // The violation (relay) and the loaded script (recorder) arrive in separate batches: wait for both.
    await until(panel, (x) => x.rule === 'csp-allows-ortto' && x.statuses['script-loaded'] === 'pass', 'the CSP verdict, with the script loaded');
    const csp = await ruleText(panel, 'csp-allows-ortto');
    expect(csp).toMatch(new RegExp(`Ortto's capture API, http://localhost:${sim.port}/-/widgets/get .*connect-src 'self'`));
    expect(csp).toContain(`add http://localhost:${sim.port} to connect-src`);
    await page.close();
  });
});

describe('2. the page removes window.ap3c and runs the snippet again', () => {
  it('shows the current state: removed at T, the latest run threw with its text; not the first run', async () => {
    const { page, panel } = await inspect(`${ortto}/pages/rw-spa-reinject.html`);
    await pageWorks(page);
    await until(panel, (x) => x.rule === 'token-present', 'the first run (no token)');
    await waitForPanelText(panel, 'status-snippet', 'Found');
    await page.click('#to-account');
    const v = await until(panel, (x) => x.rule === 'ap3c-intact', 'the removal verdict');
    expect(v.headline).toMatch(/removed window\.ap3c at [\d,]+ ms \(window\.ap3c = undefined\)/);
    expect(v.headline).toContain("Identifier 'ap3c' has already been declared");
    expect(await panelText(panel, 'status-snippet')).toMatch(/^Found, then removed by the page at [\d,]+ ms: window\.ap3c = undefined$/);
    expect(await panelText(panel, 'status-latest-run')).toMatch(/^Threw at [\d,]+ ms: .*Identifier 'ap3c' has already been declared/);
    expect(await panelText(panel, 'status-init')).toContain('before window.ap3c was removed');
    expect(await ruleText(panel, 'ap3c-intact')).toMatch(/declare ap3c with var/);
    await page.close();
  });
});

describe('3. init queued, the capture script never arrives', () => {
  it('a queued function: the token is "unknown until ap3c.init runs", never "none"', async () => {
    const { page, panel } = await inspect(`${ortto}/pages/rw-gtm-queued.html`);
    await pageWorks(page);
    const v = await until(panel, (x) => x.rule === 'script-loaded', 'the script verdict');
    expect(v.statuses['token-present']).toBe('skip');
    expect(await panelText(panel, 'status-token')).toBe('Unknown until ap3c.init runs (the queued command is a function)');
    expect(await panelText(panel, 'token')).toMatch(/^Unknown until ap3c\.init runs: 1 queued function/);
    expect(await ruleText(panel, 'token-present')).toContain('Unknown until ap3c.init runs');
    expect(await panelText(panel, 'status-init')).toBe('Not called (queued, waiting for the capture script)');
    const body = await panel.evaluate(() => document.body.innerText);
    expect(body).not.toMatch(/Talk token\s*None given/);
    await page.close();
  });

  it('plain data in the queue: the token is shown masked, and the key read from it is marked inferred', async () => {
    const { page, panel } = await inspect(`${ortto}/pages/rw-queued-data.html`);
    await pageWorks(page);
    await until(panel, (x) => x.rule === 'script-loaded', 'the script verdict');
    await waitForPanelText(panel, 'status-token', /^In a queued command, not run yet: .{6}….{4}$/);
    await waitForPanelText(panel, 'config-source', 'an init queued as data that has not run');
    expect(await panelText(panel, 'instance')).toContain('testautomation');
    await page.close();
  });
});

describe('4. the script the snippet inserted is named, whatever its name', () => {
  it('a consent manager’s template loads …/core/v4/appcues.js: the verdict and the configuration name that address', async () => {
    const { page, panel } = await inspect(`${ortto}/pages/rw-consent-late.html`);
    await pageWorks(page);
    const url = `${ortto}/core/v4/appcues.js`;
    const v = await until(panel, (x) => x.rule === 'script-loaded', 'the script verdict');
    expect(v.headline).toContain(`did not load from ${url}`);
    expect(v.headline).toContain("not the address of Ortto's capture script");
    expect(await panelText(panel, 'snippet-script')).toContain(url);
    expect(await ruleText(panel, 'script-loaded')).toContain(`instead of ${url}`);
    await page.close();
  });
});

describe('the other real-world shapes, once each', () => {
  it('5. the theme tracks before app.js: the uncaught "ap3c.track is not a function" is listed', async () => {
    const { page, panel } = await inspect(`${ortto}/pages/rw-wordpress-onload.html`);
    await pageWorks(page);
    await until(panel, (x) => x.statuses['no-ap3c-errors'] === 'warn', 'the errors warning');
    expect(await ruleText(panel, 'no-ap3c-errors')).toMatch(/ap3c\.track is not a function/);
    await page.close();
  });

  it('6. the help-page sample: the cdn31.ink typo is the verdict, with the host meant', async () => {
    const { page, panel } = await inspect(`${ortto}/pages/rw-help-sample.html`);
    await pageWorks(page);
    const v = await until(panel, (x) => x.rule === 'script-host-typo', 'the typo verdict');
    expect(v.headline).toContain('cdn31.ink');
    expect(await ruleText(panel, 'script-host-typo')).toContain('did you mean "cdn3l.ink"');
    await page.close();
  });

  it('6. the sample with the host fixed: the placeholder token and the example identity, each with a did-you-mean', async () => {
    const { page, panel } = await inspect(`${ortto}/pages/rw-help-sample-identity.html`);
    await pageWorks(page);
    const v = await until(panel, (x) => x.rule === 'token-well-formed', 'the placeholder verdict');
    expect(v.headline).toContain('{{<reponse_token>}}');
    expect(v.headline).toContain('did you mean');
    expect(v.statuses['no-sample-identity']).toBe('warn');
    await page.close();
  });

  it('7. React Helmet remount: app.js loaded twice, next to the init calls', async () => {
    const { page, panel } = await inspect(`${ortto}/pages/rw-helmet-remount.html`);
    await pageWorks(page);
    await until(panel, (x) => x.statuses['single-capture-script'] === 'warn', 'the double-load warning');
    expect(await untilRuleText(panel, 'single-capture-script', /loaded 2 times; ap3c\.init called 2 times/)).toContain('React Helmet');
    await waitForPanelText(panel, 'status-script', 'Loaded 2 times');
    await page.close();
  });

  it('7. theme + plugin: two copies of the snippet, app.js loaded twice, init called twice', async () => {
    const { page, panel } = await inspect(`${ortto}/pages/rw-theme-plugin.html`);
    await pageWorks(page);
    // Both warnings, each from its own source (the script count; the recorder's second init call).
    await until(
      panel,
      (x) => x.statuses['single-capture-script'] === 'warn' && x.statuses['single-init'] === 'warn',
      'the double-load and double-init warnings',
    );
    await untilRuleText(panel, 'single-capture-script', /loaded 2 times; ap3c\.init called 2 times/);
    await page.close();
  });

  it('8. Magento and WooCommerce: the integration, key and region are read from the connector', async () => {
    for (const [path, name] of [
      ['/pages/rw-magento.html', 'Magento connector'],
      ['/pages/rw-woocommerce.html', 'WooCommerce plugin'],
    ] as const) {
      const { page, panel } = await inspect(`${ortto}${path}`);
      await pageWorks(page);
      await waitForPanelText(panel, 'integration', name);
      await waitForPanelText(panel, 'instance', 'testautomation');
      expect(await panelText(panel, 'key-created')).toContain('key created 2021-05-25');
      expect(await panelText(panel, 'region')).toContain('default (US)');
      await page.close();
    }
  });

  it('8. the in-app webview runner: Talk off after init, said as inferred', async () => {
    const { page, panel } = await inspect(`${ortto}/pages/rw-webview.html`);
    await pageWorks(page);
    const v = await until(panel, (x) => x.kind === 'talk-disabled', 'Talk disabled');
    expect(v.rule).toBe('talk-enabled');
    await waitForPanelText(panel, 'integration', "Ortto's in-app webview runner");
    await page.close();
  });

  it('10. staging: capture.js on static.ap3stg.com is a capture script of region "staging"', async () => {
    const { page, panel } = await inspect(`${ortto}/pages/rw-staging.html`);
    await waitForPanelText(panel, 'status-script', 'Loaded');
    await waitForPanelText(panel, 'region', 'Ortto staging');
    expect(await panelText(panel, 'script-url')).toContain(`${STAGING_HOST}:${sim.port}/capture/master/capture.js`);
    await page.close();
  });
});
