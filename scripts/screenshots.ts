/**
 * `npm run screenshots`: the README's pictures of the panel, taken on the local simulator in
 * headless Chromium: a "Not verified" page and a verified one, with DevTools in its light and its
 * dark theme, and a fix tried on reload (light). Writes docs/img/panel-<page>-<theme>.png (256-colour PNGs, about 40 KB each).
 * Fails if the panel does not show the expected verdict or theme, or if an extension page logs an
 * error (a Content Security Policy violation, for one). `--no-build` uses dist/chrome as it is.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Frame } from 'puppeteer-core';
import { startSimulator } from '../simulator/server.ts';
import { findBrowser } from '../tools/browsers.ts';
import { CHROME_DIST, openPanel, waitFor } from '../tools/chromium.ts';
import { decodePng, encodePalettePng } from './png.ts';

const root = resolve(import.meta.dirname, '..');
const out = resolve(root, 'docs/img');

/** Demo page → file name and the verdict kind the panel must show (data-kind of the verdict banner). */
const SHOTS: { page: string; name: string; verdict: string; themes?: string[]; act?: (panel: Frame) => Promise<void> }[] = [
  { page: 'standard', name: 'not-verified', verdict: 'not-verified' },
  { page: 'verified', name: 'verified', verdict: 'verified' },
  // "Try on reload": the check's button, the reload with the fix, the tried load's verdict.
  {
    page: 'cookie-path-other-instance',
    name: 'try-on-reload',
    verdict: 'verified',
    themes: ['light'],
    act: async (panel) => {
      await panel.waitForSelector('[data-testid="try-cookie-path-instance"]');
      await panel.$eval('[data-testid="try-cookie-path-instance"]', (b) => (b as HTMLButtonElement).click());
      await panel.waitForSelector('[data-testid="try-reload"]:not([disabled])');
      await panel.$eval('[data-testid="try-reload"]', (b) => (b as HTMLButtonElement).click());
      await panel.waitForSelector('[data-testid="fix-tried-verdict"]', { timeout: 15_000 });
      await waitFor(
        () => panel.evaluate(() => document.querySelector('[data-testid="verdict"]')?.getAttribute('data-kind') === 'verified'),
        'the tried load verified',
      );
      await panel.evaluate(() => window.scrollTo(0, 0));
    },
  },
];
const THEMES = [
  { name: 'light', devtools: 'default' },
  { name: 'dark', devtools: 'dark' },
];

/**
 * Errors the extension's own pages and worker logged so far (CSP violations included: the browser
 * reports them in the Log domain, which replays what it collected when enabled).
 */
async function extensionErrors(browser: Browser, extensionId: string): Promise<string[]> {
  const found: string[] = [];
  for (const target of browser.targets()) {
    if (!target.url().startsWith(`chrome-extension://${extensionId}/`)) continue;
    const session = await target.createCDPSession().catch(() => null);
    if (!session) continue;
    const where = target.url().replace(`chrome-extension://${extensionId}`, '');
    session.on('Log.entryAdded', (e) => {
      if (e.entry.level === 'error') found.push(`${where}: ${e.entry.text}`);
    });
    session.on('Runtime.exceptionThrown', (e) => found.push(`${where}: ${e.exceptionDetails.exception?.description ?? e.exceptionDetails.text}`));
    await session.send('Log.enable').catch(() => undefined);
    await session.send('Runtime.enable').catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    await session.detach().catch(() => undefined);
  }
  return [...new Set(found)];
}

if (!process.argv.includes('--no-build')) {
  const r = spawnSync(resolve(root, 'node_modules/.bin/tsx'), [resolve(root, 'scripts/build.ts')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
mkdirSync(out, { recursive: true });
const sim = await startSimulator({ port: Number(process.env.SIM_PORT ?? 0) });
const problems: string[] = [];
try {
  for (const theme of THEMES) {
    // DevTools reads its theme and dock state from the profile: an undocked DevTools window fills
    // the screenshot with the panel, and the extension gets the theme as devtools.panels.themeName.
    const userDataDir = mkdtempSync(join(tmpdir(), 'ti-screenshots-'));
    mkdirSync(join(userDataDir, 'Default'));
    const prefs = { 'ui-theme': JSON.stringify(theme.devtools), uiTheme: JSON.stringify(theme.devtools), currentDockState: JSON.stringify('undocked') };
    writeFileSync(join(userDataDir, 'Default/Preferences'), JSON.stringify({ devtools: { preferences: prefs } }));
    const browser = await puppeteer.launch({
      executablePath: findBrowser('chromium'),
      headless: true,
      pipe: true,
      userDataDir,
      enableExtensions: [CHROME_DIST],
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--hide-scrollbars',
      ],
    });
    try {
      const target = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'), { timeout: 20_000 });
      const extensionId = new URL(target.url()).host;
      const worker = await target.worker();
      await waitFor(
        async () => (await worker?.evaluate(() => (globalThis as Record<string, unknown>).__talkInspectorReady === true)) === true,
        'service worker ready',
      );
      for (const shot of SHOTS) {
        if (shot.themes && !shot.themes.includes(theme.name)) continue;
        const page = await browser.newPage();
        await page.setViewport({ width: 1100, height: 800 });
        await page.goto(`${sim.origin}/pages/${shot.page}.html`, { waitUntil: 'load' });
        const { panel, devtools } = await openPanel(page, extensionId);
        await devtools.setViewport({ width: 900, height: 1000 });
        await waitFor(() => panel.evaluate(() => !document.querySelector('main[aria-busy="true"]')), 'the panel to render');
        await shot.act?.(panel);
        await new Promise((r) => setTimeout(r, 600)); // the last throttled update, and layout after the resize
        const seen = await panel.evaluate(() => ({
          theme: document.documentElement.dataset.theme,
          verdict: (document.querySelector('[data-testid="verdict"]') as HTMLElement | null)?.dataset.kind ?? '',
          headline: document.querySelector('[data-testid="verdict"] p')?.textContent ?? '',
        }));
        if (seen.theme !== theme.name) problems.push(`${shot.name}/${theme.name}: the panel's theme is ${seen.theme}`);
        if (seen.verdict !== shot.verdict) problems.push(`${shot.name}/${theme.name}: verdict ${seen.verdict} ("${seen.headline}"), expected ${shot.verdict}`);
        const png = encodePalettePng(decodePng(Buffer.from(await devtools.screenshot({ type: 'png' }))));
        const file = join(out, `panel-${shot.name}-${theme.name}.png`);
        writeFileSync(file, png);
        console.log(`${file}  ${(png.length / 1024).toFixed(1)} KB  ${seen.verdict}: ${seen.headline.trim()}`);
        for (const e of await extensionErrors(browser, extensionId)) problems.push(`${shot.name}/${theme.name}: ${e}`);
        await page.close();
      }
    } finally {
      await browser.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    }
  }
} finally {
  await sim.close();
}
if (problems.length) {
  console.error(`\n${problems.join('\n')}`);
  process.exit(1);
}
