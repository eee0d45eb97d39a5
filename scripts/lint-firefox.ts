/** Runs Mozilla's add-on linter on dist/firefox (offline). Fails on errors; prints warnings. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dist = resolve(root, 'dist/firefox');
if (!existsSync(resolve(dist, 'manifest.json'))) {
  console.error('dist/firefox is missing: run `npm run build` first.');
  process.exit(1);
}
const r = spawnSync(resolve(root, 'node_modules/.bin/web-ext'), ['lint', '--source-dir', dist, '--output', 'text', '--no-config-discovery'], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
