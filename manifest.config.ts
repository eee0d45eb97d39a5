import { defineManifest } from '@crxjs/vite-plugin';
import pkg from './package.json' with { type: 'json' };
import { API_HOSTS } from './src/shared/ortto-hosts.ts';
import { TOKEN_REQUEST_DATA } from './src/shared/talk-session.ts';

export type BrowserTarget = 'chrome' | 'firefox';

/** Paths of the two content scripts; the background injects the same files on demand. */
export const RECORDER_SRC = 'src/page/recorder.ts';
export const RELAY_SRC = 'src/content/relay.ts';

/** The Talk session API hosts of the three regions (ortto-facts.md, src/shared/ortto-hosts.ts). */
export const ORTTO_API_HOSTS = Object.values(API_HOSTS).map((host) => `${host}*`);

const PAGE_MATCHES = ['http://*/*', 'https://*/*'];

/**
 * The extension's own pages (panel, devtools page, options page, background): only its own
 * scripts, styles and images; no plugins, <base>, form posts or inline code. connect-src allows
 * https: because a support profile may name a custom (staging) API base URL, and plain http only
 * on this machine (validBaseUrl in src/shared/profiles.ts; the local simulator). No
 * frame-ancestors: DevTools frames the panel. docs/store.md explains each directive;
 * test/release/manifest.test.ts pins it.
 */
export const EXTENSION_PAGES_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self' https: http://127.0.0.1:* http://localhost:*",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * Firefox's data collection declaration (docs/store.md, "Data collection"): the support flow sends
 * an Ortto API key (authenticationInfo) and the name and email of a person, optionally a person id
 * and an IP address (personallyIdentifyingInfo), to Ortto's API when the engineer asks for a token.
 * Nothing else leaves the browser.
 */
export const FIREFOX_DATA_COLLECTION = { required: ['none'], optional: [...TOKEN_REQUEST_DATA] };

export function manifestFor(target: BrowserTarget) {
  return defineManifest({
    manifest_version: 3,
    name: 'Talk Inspector',
    short_name: 'Talk Inspector',
    version: pkg.version,
    description: pkg.description,
    icons: { 16: 'icons/icon-16.png', 48: 'icons/icon-48.png', 128: 'icons/icon-128.png' },
    action: { default_title: 'Talk Inspector', default_icon: { 16: 'icons/icon-16.png', 48: 'icons/icon-48.png' } },
    devtools_page: 'src/devtools/devtools.html',
    options_ui: { page: 'src/options/options.html', open_in_tab: true },
    // cookies: Ortto's cookies are read here, not through document.cookie in the page (cost).
    permissions: ['storage', 'scripting', 'cookies'],
    // Page hosts are needed to inject into tabs opened before install and to read a tab's URL.
    host_permissions: [...PAGE_MATCHES, ...ORTTO_API_HOSTS],
    background: target === 'firefox' ? { scripts: ['src/background/index.ts'], type: 'module' } : { service_worker: 'src/background/index.ts', type: 'module' },
    content_security_policy: { extension_pages: EXTENSION_PAGES_CSP },
    content_scripts: [
      { matches: PAGE_MATCHES, js: [RECORDER_SRC], run_at: 'document_start', world: 'MAIN', all_frames: false },
      { matches: PAGE_MATCHES, js: [RELAY_SRC], run_at: 'document_start', all_frames: false },
    ],
    ...(target === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'talk-inspector@talk-inspector.dev',
              strict_min_version: '142.0',
              data_collection_permissions: FIREFOX_DATA_COLLECTION,
            },
          },
        }
      : { minimum_chrome_version: '111' }),
  } as Parameters<typeof defineManifest>[0]);
}
