/**
 * `npm test`: typecheck, lint, unit tests, both builds (plus the Firefox test build), the Firefox
 * add-on linter, the release checks (manifests, `npm run package` rebuilt from its source zip), then
 * the end-to-end tests in Chromium and Firefox. Stops at the first failing
 * step, and always ends with one `N passed, N failed` line counting the tests that ran.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const bin = (name: string): string => resolve(root, 'node_modules/.bin', name);
const cache = resolve(root, '.cache');
mkdirSync(cache, { recursive: true });

interface Counts {
  passed: number;
  failed: number;
}
const total: Counts = { passed: 0, failed: 0 };

function run(label: string, command: string, args: string[]): boolean {
  console.log(`\n▶ ${label}`);
  const started = Date.now();
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  const ok = r.status === 0;
  console.log(`${ok ? '✔' : '✘'} ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return ok;
}

/** Runs a vitest config and adds its counts (read from its JSON report) to the total. */
function vitest(label: string, config: string): boolean {
  const out = resolve(cache, `${label.replace(/\W+/g, '-')}.json`);
  rmSync(out, { force: true });
  const ok = run(label, bin('vitest'), ['run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  if (existsSync(out)) {
    const report = JSON.parse(readFileSync(out, 'utf8')) as { numPassedTests: number; numFailedTests: number; numTotalTests: number };
    total.passed += report.numPassedTests;
    total.failed += report.numFailedTests;
    if (report.numTotalTests === 0) {
      console.error(`${label}: no test ran.`);
      return false;
    }
  } else total.failed += 1;
  return ok;
}

const steps: (() => boolean)[] = [
  () => run('Typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']),
  () => run('Lint (biome)', bin('biome'), ['check', '.']),
  () => vitest('Unit tests', 'vitest.config.ts'),
  () => run('Build (Chrome, Firefox, Firefox test build)', bin('tsx'), ['scripts/build.ts', '--e2e']),
  () => run('Lint the Firefox add-on (web-ext)', bin('tsx'), ['scripts/lint-firefox.ts']),
  () => vitest('Release checks (built manifests, packages rebuilt from the source zip)', 'vitest.release.config.ts'),
  () => vitest('End-to-end tests (Chromium, Firefox)', 'vitest.e2e.config.ts'),
  () => {
    const ok = run('Hostile pages and faults (npm run test:hostile)', bin('tsx'), ['scripts/hostile.ts', '--no-build']);
    const out = resolve(cache, 'hostile.json');
    if (existsSync(out)) {
      const report = JSON.parse(readFileSync(out, 'utf8')) as { numPassedTests: number; numFailedTests: number };
      total.passed += report.numPassedTests;
      total.failed += report.numFailedTests;
    } else total.failed += 1;
    return ok;
  },
];

let ok = true;
for (const step of steps) {
  if (!step()) {
    ok = false;
    break;
  }
}
if (!ok && total.failed === 0) total.failed = 1; // a failing check that is not a test still fails the run
console.log(`\n${total.passed} passed, ${total.failed} failed`);
process.exit(ok ? 0 : 1);
