/**
 * Runs Mozilla's add-on linter on dist/firefox (offline). Fails on any error, and on any warning
 * or notice that is not one of the explained ones below. Each explained warning must also be
 * explained in docs/store.md (under its code), so a reviewer reads the same reason.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dist = resolve(root, 'dist/firefox');

interface LintMessage {
  code: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

/** Warnings we keep, each with a check that it is the known case and not a new one with the same code. */
const EXPLAINED: { code: string; why: string; matches(m: LintMessage, source: string): boolean }[] = [
  {
    code: 'UNSAFE_VAR_ASSIGNMENT',
    why: "Preact's renderer assigns innerHTML only for dangerouslySetInnerHTML, which the extension never uses",
    matches(m, source) {
      if (m.message !== 'Unsafe assignment to innerHTML' || m.line === undefined || m.column === undefined) return false;
      const line = source.split('\n')[m.line - 1] ?? '';
      // Preact's diff: `…f==`dangerouslySetInnerHTML`?g=b…g?(…||(t.innerHTML=g.__html),…`: the flagged
      // statement starts at the column and assigns the __html of the dangerouslySetInnerHTML prop.
      const before = line.slice(Math.max(0, m.column - 400), m.column);
      const at = line.slice(Math.max(0, m.column - 1), m.column + 160);
      return before.includes('dangerouslySetInnerHTML') && /[\w$]+\.innerHTML=[\w$]+\.__html\b/.test(at);
    },
  },
];

if (!existsSync(resolve(dist, 'manifest.json'))) {
  console.error('dist/firefox is missing: run `npm run build` first.');
  process.exit(1);
}
const r = spawnSync(resolve(root, 'node_modules/.bin/web-ext'), ['lint', '--source-dir', dist, '--output', 'json', '--no-config-discovery'], {
  cwd: root,
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
let report: { errors: LintMessage[]; warnings: LintMessage[]; notices: LintMessage[] };
try {
  report = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
} catch {
  console.error(`web-ext lint gave no report (exit ${r.status}).\n${r.stdout}\n${r.stderr}`);
  process.exit(1);
}

const storeDoc = readFileSync(resolve(root, 'docs/store.md'), 'utf8');
const where = (m: LintMessage) => `${m.file ?? ''}${m.line !== undefined ? `:${m.line}:${m.column ?? 0}` : ''}`;
let failed = 0;
for (const m of report.errors) {
  console.error(`✘ error ${m.code}: ${m.message} (${where(m)})`);
  failed++;
}
for (const m of [...report.warnings, ...report.notices]) {
  const source = m.file && existsSync(resolve(dist, m.file)) ? readFileSync(resolve(dist, m.file), 'utf8') : '';
  const known = EXPLAINED.find((e) => e.code === m.code && e.matches(m, source));
  if (!known) {
    console.error(`✘ ${m.code}: ${m.message} (${where(m)}): not an explained warning (scripts/lint-firefox.ts, docs/store.md)`);
    failed++;
  } else if (!storeDoc.includes(m.code)) {
    console.error(`✘ ${m.code} is allowed here but docs/store.md does not explain it.`);
    failed++;
  } else console.log(`• ${m.code} (${where(m)}): explained — ${known.why}.`);
}
console.log(
  `web-ext lint: ${report.errors.length} errors, ${report.warnings.length} warnings, ${report.notices.length} notices; ${failed === 0 ? 'all explained' : `${failed} not accepted`}`,
);
process.exit(failed === 0 ? 0 : 1);
