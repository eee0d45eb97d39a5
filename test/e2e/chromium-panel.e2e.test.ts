/**
 * The built extension in real Chromium, checked through the real devtools panel, on the
 * simulator's fixture pages.
 */
import type { Frame, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSTANCES } from '../../simulator/fixtures.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { type ChromiumSession, launchChromium, openPanel, panelText, waitForPanelText } from '../../tools/chromium.ts';

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

async function inspect(path: string): Promise<{ page: Page; panel: Frame }> {
  const page = await chromium.browser.newPage();
  await page.goto(`${sim.origin}${path}`, { waitUntil: 'load' });
  const { panel } = await openPanel(page, chromium.extensionId);
  return { page, panel };
}

/** The token the page gave ap3c.init, read from the page itself (the test's ground truth). */
async function pageToken(page: Page): Promise<string> {
  const html = await page.content();
  const m = /"token":"([^"]+)"/.exec(html) ?? /token:\s*['"]([^'"]+)['"]/.exec(html);
  if (!m?.[1]) throw new Error('no token in the fixture page');
  return m[1];
}

describe('devtools panel in Chromium', () => {
  it('"Add an API key" opens the options page (through the background: a panel cannot everywhere)', async () => {
    const { page, panel } = await inspect('/pages/standard.html');
    const opened = chromium.browser.waitForTarget((t) => t.url() === `chrome-extension://${chromium.extensionId}/src/options/options.html`, {
      timeout: 10_000,
    });
    await panel.waitForSelector('[data-testid="token-request"] button');
    await panel.$eval('[data-testid="token-request"] button', (b) => (b as HTMLButtonElement).click());
    const options = await (await opened).page();
    expect(await options?.title()).toBeTruthy();
    await options?.close();
    await page.close();
  });

  it('says when a page has no Ortto snippet', async () => {
    const { page, panel } = await inspect('/pages/no-snippet.html');
    await waitForPanelText(panel, 'status-snippet', 'Not found on this page');
    expect(await panelText(panel, 'status-token')).toContain('None given');
    expect(await panelText(panel, 'widget-present')).toBe('No');
    await page.close();
  });

  it('shows the init arguments of a snippet without a token, and the Not verified widget', async () => {
    const { page, panel } = await inspect('/pages/standard.html');
    await waitForPanelText(panel, 'status-snippet', 'Found');
    await waitForPanelText(panel, 'status-init', 'Called once');
    expect(await panelText(panel, 'capture-key')).toBe(INSTANCES.testautomation.captureKey);
    expect(await panelText(panel, 'capture-url')).toBe(`${sim.origin}/`);
    expect(await panelText(panel, 'init-options')).toContain('none (two-argument init)');
    expect(await panelText(panel, 'status-token')).toContain('None given');
    expect(await panelText(panel, 'status-script')).toBe('Loaded');
    await waitForPanelText(panel, 'widget-label', 'Shows "Not verified"');
    expect(await panelText(panel, 'widget-visible')).toBe('Yes');
    expect(await panelText(panel, 'cookies')).toContain('ap3c');
    const timeline = await panelText(panel, 'timeline');
    expect(timeline).toMatch(/window\.ap3c set[\s\S]*ap3c\.init defined[\s\S]*ap3c\.init called[\s\S]*ap3c\.track called/);
    await page.close();
  });

  it('shows the masked token and the cookiePath, never the whole token', async () => {
    const { page, panel } = await inspect('/pages/token.html');
    const token = await pageToken(page);
    const masked = `${token.slice(0, 6)}…${token.slice(-4)}`;
    await waitForPanelText(panel, 'token', masked);
    expect(await panelText(panel, 'cookie-path')).toBe('/testautomation/');
    expect(await panelText(panel, 'status-token')).toContain('Present (from ap3c.init)');
    await waitForPanelText(panel, 'widget-label', 'No "Not verified" label');
    const everything = await panel.evaluate(() => document.body.innerText);
    expect(everything).not.toContain(token);
    await page.close();
  });

  it('says Talk is disabled by disableTalk', async () => {
    const { page, panel } = await inspect('/pages/disable-talk.html');
    await waitForPanelText(panel, 'status-talk', 'Disabled by init option disableTalk: true');
    expect(await panelText(panel, 'widget-present')).toBe('No');
    await page.close();
  });

  it('follows a single-page app through its login: the timeline shows setVerifiedSession', async () => {
    const { page, panel } = await inspect('/pages/spa-login.html');
    await waitForPanelText(panel, 'status-init', 'Called once');
    expect(await panelText(panel, 'status-token')).toContain('None given');
    await waitForPanelText(panel, 'widget-label', 'Shows "Not verified"');
    await page.click('#login');
    await waitForPanelText(panel, 'timeline', 'ap3c.talk.setVerifiedSession called');
    await waitForPanelText(panel, 'status-token', 'Present (from setVerifiedSession)');
    await waitForPanelText(panel, 'widget-label', 'No "Not verified" label');
    await page.close();
  });

  it('follows a reload: the panel shows the new document', async () => {
    const { page, panel } = await inspect('/pages/token.html');
    const first = await pageToken(page);
    await waitForPanelText(panel, 'token', first.slice(-4));
    await page.reload({ waitUntil: 'load' });
    const second = await pageToken(page);
    expect(second).not.toBe(first);
    await waitForPanelText(panel, 'token', `${second.slice(0, 6)}…${second.slice(-4)}`);
    await page.close();
  });

  it('follows a page live while it still loads (the panel does not wait for the load event)', async () => {
    const { page, panel } = await inspect('/pages/standard.html');
    await waitForPanelText(panel, 'status-init', 'Called once');
    // The slow page's image holds its load event back for 3 s.
    await page.goto(`${sim.origin}/pages/slow-load.html`, { waitUntil: 'domcontentloaded' });
    // Only the new document says Talk is disabled: the old report cannot pass for it.
    await waitForPanelText(panel, 'status-talk', 'Disabled');
    expect(await page.evaluate(() => document.readyState)).not.toBe('complete');
    await page.close();
  });

  it('follows navigation to another page in the same tab', async () => {
    const { page, panel } = await inspect('/pages/disable-talk.html');
    await waitForPanelText(panel, 'status-talk', 'Disabled');
    await page.goto(`${sim.origin}/pages/no-snippet.html`, { waitUntil: 'load' });
    await waitForPanelText(panel, 'status-snippet', 'Not found on this page');
    await waitForPanelText(panel, 'page-url', '/pages/no-snippet.html');
    await page.close();
  });

  it('says clearly when a page cannot be inspected', async () => {
    const { page, panel } = await inspect('/pages/no-snippet.html');
    await waitForPanelText(panel, 'status-snippet', 'Not found');
    await page.goto('about:blank');
    await waitForPanelText(panel, 'not-inspectable', 'Cannot inspect this page');
    await page.close();
  });

  it('tells the truth after the service worker was stopped between two page changes', async () => {
    const { page, panel } = await inspect('/pages/standard.html');
    await waitForPanelText(panel, 'status-init', 'Called once');
    await chromium.stopWorker();
    await page.goto(`${sim.origin}/pages/token.html`, { waitUntil: 'load' });
    const token = await pageToken(page);
    await waitForPanelText(panel, 'token', `${token.slice(0, 6)}…${token.slice(-4)}`);
    await chromium.stopWorker();
    await page.goto(`${sim.origin}/pages/disable-talk.html`, { waitUntil: 'load' });
    await waitForPanelText(panel, 'status-talk', 'Disabled by init option disableTalk: true');
    await waitForPanelText(panel, 'status-token', 'None given');
    await page.close();
  });
});
