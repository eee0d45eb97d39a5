/**
 * `npm test`: every package script CI needs, in order — typecheck, lint, unit tests, the builds
 * (plus the Firefox test build), the Firefox add-on linter, release checks, then the end-to-end and
 * hostile suites in Chromium and Firefox. Stops at the first failing step, and always ends with one
 * `N passed, N failed` line counting the tests that ran. Each step is `npm run <script>` of
 * package.json, so there is one definition of each.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const cache = resolve(root, '.cache');
mkdirSync(cache, { recursive: true });

interface Counts {
  passed: number;
  failed: number;
}
const total: Counts = { passed: 0, failed: 0 };

/** `npm run <script> [-- args]`. */
function run(label: string, script: string, args: string[] = []): boolean {
  console.log(`\n▶ ${label} (npm run ${script})`);
  const started = Date.now();
  const r = spawnSync('npm', ['run', '--silent', script, ...(args.length ? ['--', ...args] : [])], { cwd: root, stdio: 'inherit', env: process.env });
  const ok = r.status === 0;
  console.log(`${ok ? '✔' : '✘'} ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return ok;
}

/** Runs a vitest package script and adds its counts (read from its JSON report) to the total. */
function vitest(label: string, script: string): boolean {
  const out = resolve(cache, `${label.replace(/\W+/g, '-')}.json`);
  rmSync(out, { force: true });
  const ok = run(label, script, ['--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
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
  () => run('Typecheck (Node code, and browser code without Node types)', 'typecheck'),
  () => run('Lint (biome)', 'lint'),
  () => vitest('Unit tests', 'test:unit'),
  () => run('Build (Chrome, Firefox, Firefox test build)', 'build:test'),
  () => run('Lint the Firefox add-on (web-ext)', 'lint:firefox'),
  () => vitest('Release checks (built manifests, packages rebuilt from the source zip)', 'test:release'),
  () => vitest('End-to-end tests (Chromium, Firefox)', 'e2e'),
  () => {
    const ok = run('Hostile pages and faults', 'test:hostile', ['--no-build']);
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
