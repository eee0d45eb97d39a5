/**
 * Builds the extension for both browsers: dist/chrome (service worker) and dist/firefox
 * (background scripts). `--e2e` also builds dist/firefox-e2e, the Firefox test build with the
 * page ↔ background bridge that the Firefox end-to-end tests need (never shipped).
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const vite = resolve(root, 'node_modules/.bin/vite');
const builds: { target: string; e2e: boolean }[] = [
  { target: 'chrome', e2e: false },
  { target: 'firefox', e2e: false },
];
if (process.argv.includes('--e2e')) builds.push({ target: 'firefox', e2e: true });

for (const b of builds) {
  const label = `dist/${b.target}${b.e2e ? '-e2e' : ''}`;
  const started = Date.now();
  const r = spawnSync(vite, ['build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
    // NODE_ENV=production whatever the shell says: under test or development the JSX carries file paths.
    env: { ...process.env, NODE_ENV: 'production', TARGET: b.target, E2E: b.e2e ? '1' : '0' },
  });
  if (r.status !== 0) {
    console.error(`Build of ${label} failed.`);
    process.exit(r.status ?? 1);
  }
  console.log(`Built ${label} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
