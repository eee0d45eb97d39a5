/**
 * What the built extension asks for, pinned: permissions, host permissions, CSP and the Firefox
 * data collection declaration of dist/chrome and dist/firefox (run after a build). A new permission,
 * host or a looser policy fails here until this test, docs/store.md and PRIVACY.md say why.
 * Also checks, in the sources, the claims docs/store.md and PRIVACY.md make about network, storage
 * and cookies, so a change that breaks a promise breaks a test.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPILE_HINT, STRICT } from '../../scripts/strict-mode.ts';
import { E2E_ANSWER, E2E_QUERY } from '../../src/shared/protocol/relay.ts';

const root = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; description: string };

const PERMISSIONS = ['cookies', 'scripting', 'storage'];
const HOST_PERMISSIONS = ['http://*/*', 'https://*/*', 'https://api.ap3api.com/*', 'https://api.eu.ap3api.com/*', 'https://api.au.ap3api.com/*'];
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self' https: http://127.0.0.1:* http://localhost:*; object-src 'none'; base-uri 'none'; form-action 'none'";
const CONTENT_SCRIPTS = [
  { js: ['src/page/recorder.js'], matches: ['http://*/*', 'https://*/*'], run_at: 'document_start', world: 'MAIN', all_frames: false },
  { js: ['src/content/relay.js'], matches: ['http://*/*', 'https://*/*'], run_at: 'document_start', all_frames: false },
];
/** Keys that would widen what the extension can do or who can talk to it; none is used. */
const ABSENT = [
  'optional_permissions',
  'optional_host_permissions',
  'web_accessible_resources',
  'externally_connectable',
  'sandbox',
  'declarative_net_request',
  'content_security_policy.sandbox',
  'update_url',
  'key',
  'chrome_url_overrides',
  'oauth2',
];

type Manifest = Record<string, unknown> & {
  permissions: string[];
  host_permissions: string[];
  content_security_policy: Record<string, string>;
  content_scripts: unknown[];
  background: Record<string, unknown>;
  browser_specific_settings?: { gecko: Record<string, unknown> };
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

for (const target of ['chrome', 'firefox'] as const) {
  const dist = join(root, 'dist', target);
  describe(`dist/${target}/manifest.json`, () => {
    if (!existsSync(join(dist, 'manifest.json'))) {
      it('exists (run `npm run build` first)', () => expect.fail(`dist/${target}/manifest.json is missing`));
      return;
    }
    const m = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as Manifest;

    it('asks for exactly the documented permissions and hosts', () => {
      expect([...m.permissions].sort()).toEqual(PERMISSIONS);
      expect(m.host_permissions).toEqual(HOST_PERMISSIONS);
      expect(m.content_scripts).toEqual(CONTENT_SCRIPTS);
      for (const key of ABSENT) {
        const [a, b] = key.split('.') as [string, string | undefined];
        expect(b ? (m[a] as Record<string, unknown> | undefined)?.[b] : m[a], key).toBeUndefined();
      }
    });

    it('gives its pages the strict CSP', () => {
      expect(m.content_security_policy).toEqual({ extension_pages: CSP });
    });

    it('takes its version and description from package.json', () => {
      expect(m.version).toBe(pkg.version);
      expect(m.description).toBe(pkg.description);
      expect(m.manifest_version).toBe(3);
    });

    if (target === 'firefox') {
      it('declares its data collection truthfully (docs/store.md, "Data collection")', () => {
        const gecko = m.browser_specific_settings?.gecko;
        expect(gecko?.data_collection_permissions).toEqual({ required: ['none'], optional: ['authenticationInfo', 'personallyIdentifyingInfo'] });
        expect(gecko?.id).toBe('talk-inspector@talk-inspector.dev');
        expect(m.background).toEqual({ scripts: ['service-worker-loader.js'], type: 'module' });
      });
    } else {
      it('runs its background as a service worker and has no Firefox settings', () => {
        expect(m.background).toEqual({ service_worker: 'service-worker-loader.js', type: 'module' });
        expect(m.browser_specific_settings).toBeUndefined();
      });
    }

    it('starts the recorder in strict mode, and neither content script with the compile hint (scripts/strict-mode.ts)', () => {
      // The recorder is strict (its first statement), so page code never gets its functions through `caller`.
      expect(readFileSync(join(dist, 'src/page/recorder.js'), 'utf8').startsWith(STRICT)).toBe(true);
      // Compiled lazily: the hint made every page compile all of both files (docs/performance.md).
      for (const file of ['src/page/recorder.js', 'src/content/relay.js']) expect(readFileSync(join(dist, file), 'utf8'), file).not.toContain(COMPILE_HINT);
    });

    it('loads no remote code: pages load only packaged scripts, with no inline script', () => {
      for (const file of files(dist)) {
        const rel = relative(dist, file);
        const text = readFileSync(file, 'utf8');
        if (rel.endsWith('.html')) {
          for (const tag of text.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? []) {
            expect(tag, rel).toMatch(/\ssrc="\/[^"]+\.js"/);
            expect(tag.replace(/<script\b[^>]*>|<\/script>/g, '').trim(), rel).toBe('');
          }
          expect(text, rel).not.toMatch(/(src|href)="(https?:)?\/\//);
        }
        if (rel.endsWith('.js')) {
          // A production build: no development JSX calls carrying this machine's paths.
          expect(text.includes(root), `${rel} contains the path ${root}`).toBe(false);
          expect(text, rel).not.toMatch(/importScripts\(|import\(\s*["'`]https?:/);
          expect(text, rel).not.toMatch(/\beval\(/);
          expect(text, rel).not.toMatch(/\b(?:new\s+)?Function\s*\(/);
        }
      }
    });

    it("carries none of the test builds' bridges (a page could read its tab's state through them)", () => {
      // The e2e builds (dist/*-e2e) let a test page ask the relay for the tab's whole state, token
      // included, with these DOM events (relay.ts under __E2E__): never in what ships.
      for (const file of files(dist)) {
        const text = readFileSync(file, 'utf8');
        for (const name of [E2E_QUERY, E2E_ANSWER]) expect(text.includes(name), `${relative(dist, file)} contains ${name}`).toBe(false);
      }
    });

    it('asks for the browser versions README.md names (Chrome 111, Firefox 142)', () => {
      const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as Manifest & { minimum_chrome_version?: string };
      if (target === 'chrome') expect(manifest.minimum_chrome_version).toBe('111');
      else expect(manifest.browser_specific_settings?.gecko.strict_min_version).toBe('142.0');
      const readme = readFileSync(join(root, 'README.md'), 'utf8');
      expect(readme).toContain('(Chrome 111, Firefox 142)');
      expect(readme).toContain('**Firefox** (142 or newer)');
    });
  });
}

/** Source files with comments removed (crudely: enough to find API names in code). */
function sources(): { rel: string; code: string }[] {
  return files(join(root, 'src'))
    .filter((f) => /\.(ts|tsx)$/.test(f))
    .map((f) => ({
      rel: relative(root, f),
      code: readFileSync(f, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, ''),
    }));
}

describe('what docs/store.md and PRIVACY.md promise, checked in src/', () => {
  const src = sources();
  const using = (re: RegExp) => src.filter((s) => re.test(s.code)).map((s) => s.rel);

  it('sends requests from one place only: the Talk session request in the background', () => {
    const calls = src.flatMap((s) => (s.code.match(/(?<![.\w$])fetch\(/g) ?? []).map(() => s.rel));
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatch(/^src\/background\//);
    expect(using(/\bXMLHttpRequest\b|\bsendBeacon\b|\bWebSocket\b|\bEventSource\b|\bRTCPeerConnection\b/)).toEqual([]);
    expect(using(/\bnew Image\(|\.src\s*=\s*["'`]https?:/)).toEqual([]);
  });

  it('keeps keys in storage.local or storage.session, never storage.sync, and only the key store touches storage.local', () => {
    expect(using(/storage\.sync\b/)).toEqual([]);
    expect(using(/\bstorage\.local\b/)).toEqual(['src/background/key-store.ts']);
  });

  it('reads cookies in one place, keeping only Ortto (ap3…) cookies', () => {
    const readers = using(/\bcookies\.(getAll|get|set|remove|getAllCookieStores)\(/);
    expect(readers).toHaveLength(1);
    const code = src.find((s) => s.rel === readers[0])?.code ?? '';
    expect(code).toMatch(/\bcookies\.getAll\(/);
    expect(code).not.toMatch(/\bcookies\.(set|remove)\(/);
    expect(code).toMatch(/pickOrttoCookies\(/);
  });

  it('never renders HTML from strings (so the linter warning in Preact is dead code here)', () => {
    expect(using(/dangerouslySetInnerHTML|\.innerHTML\s*=|insertAdjacentHTML|outerHTML\s*=/)).toEqual([]);
  });

  it('docs/store.md explains every permission, every host permission and the CSP', () => {
    const doc = readFileSync(join(root, 'docs/store.md'), 'utf8');
    for (const p of [...PERMISSIONS, ...HOST_PERMISSIONS]) expect(doc, p).toContain(`\`${p}\``);
    expect(doc).toContain(CSP);
    for (const d of ['authenticationInfo', 'personallyIdentifyingInfo']) expect(doc).toContain(`\`${d}\``);
  });
});
