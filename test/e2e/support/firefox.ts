/**
 * Starts Firefox ESR over WebDriver BiDi with the Firefox test build installed as a temporary
 * add-on. Firefox cannot open devtools panels from puppeteer, so tests read the background's
 * state for a tab through the test build's page ↔ relay bridge (E2E_QUERY / E2E_ANSWER).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { TabState } from '../../../src/shared/protocol/model.ts';
import { E2E_ANSWER, E2E_QUERY } from '../../../src/shared/protocol/relay.ts';
import { findBrowser } from '../../../tools/browsers.ts';

export const FIREFOX_TEST_DIST = resolve(import.meta.dirname, '../../../dist/firefox-e2e');

// Keep Firefox off the network: no updates, telemetry, safe browsing or captive-portal checks.
export const QUIET_PREFS: Record<string, unknown> = {
  'app.update.enabled': false,
  'app.update.auto': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.blockedURIs.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.unified': false,
  'browser.newtabpage.enabled': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'extensions.update.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'extensions.systemAddon.update.enabled': false,
  'media.gmp-manager.updateEnabled': false,
  'browser.region.network.url': '',
  'browser.topsites.contile.enabled': false,
  'services.settings.server': 'http://127.0.0.1:9/',
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
};

export interface FirefoxSession {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchFirefox(): Promise<FirefoxSession> {
  const profile = mkdtempSync(join(tmpdir(), 'ti-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: findBrowser('firefox'),
    headless: true,
    userDataDir: profile,
    extraPrefsFirefox: QUIET_PREFS,
  });
  await browser.installExtension(FIREFOX_TEST_DIST);
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Asks the background (through the test bridge in the relay) what it holds for this page's tab.
 * By default the relay also goes live, as when a panel opens; `pulled` leaves it as a page nobody
 * inspects, so the answer is what the background's pulls alone delivered.
 */
export async function backgroundState(page: Page, mode: 'live' | 'pulled' = 'live'): Promise<TabState | null> {
  return page.evaluate(
    (query, answer, detail) =>
      new Promise<TabState | null>((resolveState, reject) => {
        const timer = setTimeout(() => reject(new Error('no answer from the extension')), 3000);
        document.addEventListener(
          answer,
          (e) => {
            clearTimeout(timer);
            resolveState(JSON.parse((e as CustomEvent<string>).detail));
          },
          { once: true },
        );
        document.dispatchEvent(new CustomEvent(query, { detail }));
      }),
    E2E_QUERY,
    E2E_ANSWER,
    mode,
  );
}
