/**
 * `npm start`: builds the extension, starts the Ortto simulator and opens Chromium with the
 * extension on the demo page with DevTools open. Without a display (no $DISPLAY) it runs headless
 * instead: opens the Talk Inspector panel on each demo page, saves a screenshot of each to
 * artifacts/, and prints the verdict and failing checks of every demo page with
 * `talk-inspector check`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import puppeteer from 'puppeteer-core';
import { PAGES } from '../simulator/fixtures.ts';
import { startSimulator } from '../simulator/server.ts';
import { SITEMAP_DEFAULT_PAGES } from '../simulator/sitemap.ts';
import { findBrowser } from '../tools/browsers.ts';
import { CHROME_DIST, launchChromium, openPanel, waitFor } from '../tools/chromium.ts';

const root = resolve(import.meta.dirname, '..');
const build = spawnSync(resolve(root, 'node_modules/.bin/tsx'), ['scripts/build.ts'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const sim = await startSimulator({ port: Number(process.env.SIM_PORT ?? 0) });
console.log(`Ortto simulator on ${sim.origin} (demo pages: ${sim.origin}/)`);

if (process.env.DISPLAY && process.env.HEADLESS !== '1') await interactive();
else await headlessTour();

/** A real window: Chromium with the extension, the demo index open, DevTools docked. */
async function interactive(): Promise<void> {
  const browser = await puppeteer.launch({
    executablePath: findBrowser('chromium'),
    headless: false,
    pipe: true,
    enableExtensions: [CHROME_DIST],
    defaultViewport: null,
    args: ['--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--auto-open-devtools-for-tabs'],
  });
  const [page] = await browser.pages();
  await (page ?? (await browser.newPage())).goto(`${sim.origin}/pages/standard.html`);
  console.log('Chromium is open with DevTools: choose the "Talk Inspector" tab. Close the browser (or press Ctrl+C) to stop.');
  console.log(
    `To try the support flow: in the extension's options, add a profile with the custom base URL ${sim.origin}/ and the made-up key ${sim.apiKeys.default}; people in the simulator: pat@example.com, sam@example.com.`,
  );
  browser.on('disconnected', () => void sim.close().then(() => process.exit(0)));
  process.on('SIGINT', () => void browser.close());
}

/**
 * No display: screenshot the panel on every demo page headless, then print what the panel says
 * about each with `talk-inspector check` (the command CI uses) over the simulator's sitemap of the
 * demo pages, signing in on the single-page-app demo.
 */
async function headlessTour(): Promise<void> {
  const out = resolve(root, 'artifacts');
  mkdirSync(out, { recursive: true });
  console.log('No display found: running headless; screenshots go to artifacts/.');
  const chromium = await launchChromium();
  try {
    await chromium.worker();
    // The demo tour: one page per situation an integrator meets (the hostile pages are for tests).
    for (const demo of PAGES.filter((p) => SITEMAP_DEFAULT_PAGES.includes(p.name))) {
      const page = await chromium.browser.newPage();
      await page.setViewport({ width: 1100, height: 900 });
      await page.goto(`${sim.origin}${demo.path}`, { waitUntil: 'load' });
      if (demo.name === 'spa-login') {
        await page.click('#login');
        await waitFor(() => page.evaluate(() => document.body.innerText.includes('Logged in')), 'the fake login');
      }
      const { panel, devtools } = await openPanel(page, chromium.extensionId);
      await waitFor(() => panel.evaluate(() => !document.querySelector('main[aria-busy="true"]')), 'the panel to render');
      await new Promise((r) => setTimeout(r, 400)); // let the last throttled update land
      const file = resolve(out, `panel-${demo.name}.png`);
      await devtools.setViewport({ width: 1100, height: 900 }).catch(() => undefined);
      await devtools.screenshot({ path: file });
      console.log(`${demo.title} (${demo.path}) → ${file}`);
      await page.close();
    }
    await supportTour(chromium, out);
  } finally {
    await chromium.close();
  }
  try {
    const command = ['check', '--sitemap', `${sim.origin}/sitemap.xml`, '--before', "document.querySelector('#login')?.click()", '--concurrency', '4'];
    console.log(`\nWhat the panel says on each demo page (talk-inspector ${command.map((a) => (/[\s'"?()]/.test(a) ? JSON.stringify(a) : a)).join(' ')}):\n`);
    // Not spawnSync: the simulator answers the pages from this process.
    const check = spawn(process.execPath, [resolve(root, 'bin/talk-inspector.js'), ...command], { cwd: root, stdio: 'inherit' });
    const [code] = (await once(check, 'exit')) as [number | null];
    if (code !== 0 && code !== 1) process.exitCode = code ?? 1;
  } finally {
    await sim.close();
  }
}

/**
 * The support flow, as a support engineer goes through it: a profile on the simulator's Talk API
 * (a made-up key), a token requested for a person in the panel, applied to the page; a screenshot
 * of each step.
 */
async function supportTour(chromium: Awaited<ReturnType<typeof launchChromium>>, out: string): Promise<void> {
  console.log('\nThe support flow:');
  const options = await chromium.browser.newPage();
  await options.goto(`chrome-extension://${chromium.extensionId}/src/options/options.html`);
  await options.waitForSelector('input[name="label"]');
  await options.type('input[name="label"]', 'Simulator');
  await options.select('select[name="region"]', 'custom');
  await options.waitForSelector('input[name="customBaseUrl"]');
  await options.type('input[name="customBaseUrl"]', `${sim.origin}/`);
  await options.type('input[name="key"]', sim.apiKeys.default);
  await options.click('button[type="submit"]');
  await waitFor(() => options.evaluate(() => document.querySelector('[data-testid="key-hint"]') !== null), 'the saved profile');
  await options.close();
  console.log(`  profile "Simulator" saved: custom base URL ${sim.origin}/, a made-up key`);

  const page = await chromium.browser.newPage();
  await page.setViewport({ width: 1100, height: 900 });
  await page.goto(`${sim.origin}/pages/standard.html`, { waitUntil: 'load' });
  const { panel, devtools } = await openPanel(page, chromium.extensionId);
  await devtools.setViewport({ width: 1100, height: 900 }).catch(() => undefined);
  await panel.waitForSelector('[data-testid="token-request"] select');
  const fill = (name: string, value: string) =>
    panel.$eval(
      `input[name="${name}"]`,
      (i, v) => {
        (i as HTMLInputElement).value = v as string;
        i.dispatchEvent(new Event('input', { bubbles: true }));
      },
      value,
    );
  await fill('email', 'pat@example.com');
  await fill('name', 'Pat Example');
  const say = async (id: string) => panel.evaluate((t) => document.querySelector(`[data-testid="${t}"]`)?.textContent ?? '', id);
  console.log(`  ${await say('request-endpoint')}`);
  console.log(`  ${await say('request-effect')}`);
  await panel.$eval('[data-testid="send-request"]', (b) => (b as HTMLButtonElement).click());
  await waitFor(async () => (await say('person-status')) !== '', 'the token');
  console.log(`  token for ${await say('token-for')}: ${await say('person-status')}`);
  await panel.$eval('#support', (s) => s.scrollIntoView());
  await devtools.screenshot({ path: resolve(out, 'panel-support-token.png') });
  await panel.$eval('[data-testid="apply"]', (b) => (b as HTMLButtonElement).click());
  await waitFor(async () => (await say('after-verdict')).startsWith('Verified'), 'the page to turn verified');
  console.log(
    `  applied: before "${(await say('before-after')).split('After')[0]?.replace('Before and afterBefore', '')}" → after "${await say('after-verdict')}"`,
  );
  await panel.$eval('#support', (s) => s.scrollIntoView());
  await devtools.screenshot({ path: resolve(out, 'panel-support-applied.png') });
  console.log(`  screenshots: ${resolve(out, 'panel-support-token.png')}, ${resolve(out, 'panel-support-applied.png')}`);
  await page.close();
}
