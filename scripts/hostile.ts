/**
 * `npm run test:hostile`: the adversarial suite (Chromium, and Firefox for the cases that do not
 * need the panel). Builds first, prints one line per case and a closing `N passed, N failed`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
if (!process.argv.includes('--no-build')) {
  const b = spawnSync(resolve(root, 'node_modules/.bin/tsx'), ['scripts/build.ts', '--e2e'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) process.exit(1);
}
mkdirSync(resolve(root, '.cache'), { recursive: true });
const out = resolve(root, '.cache/hostile.json');
rmSync(out, { force: true });
const r = spawnSync(resolve(root, 'node_modules/.bin/vitest'), ['run', '--config', 'vitest.hostile.config.ts', '--reporter=json', `--outputFile=${out}`], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (!existsSync(out)) {
  console.error('The hostile suite did not run.');
  process.exit(1);
}
type Result = { fullName: string; status: string; duration?: number; failureMessages?: string[] };
const report = JSON.parse(readFileSync(out, 'utf8')) as { testResults: { name: string; assertionResults: Result[] }[] };
let passed = 0;
let failed = 0;
for (const file of report.testResults) {
  const browser = file.name.includes('firefox') ? 'Firefox ' : 'Chromium';
  for (const t of file.assertionResults) {
    const ok = t.status === 'passed';
    if (ok) passed++;
    else failed++;
    console.log(`${ok ? 'PASS' : 'FAIL'}  ${browser}  ${t.fullName}  (${Math.round(t.duration ?? 0)} ms)`);
    if (!ok) for (const m of t.failureMessages ?? []) console.log(`      ${m.split('\n')[0]}`);
  }
}
console.log(`hostile: ${passed} passed, ${failed} failed`);
process.exit(r.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
