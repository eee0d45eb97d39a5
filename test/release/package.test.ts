/**
 * `npm run package`: the zips hold exactly the builds, are deterministic (sorted entries, one fixed
 * timestamp, fixed permissions), and the source zip, unpacked in an empty folder, rebuilds the same
 * Firefox (and Chrome) package byte for byte with the README's commands: `npm ci`, `npm run package`.
 * Rebuilds dist/chrome and dist/firefox (same output as `npm run build`); takes about 40 s (npm ci from the cache).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageNames, SOURCE_DIRS, SOURCE_FILES } from '../../scripts/package.ts';
import { FIXED_DOS_DATE, FIXED_DOS_TIME, filesUnder, readZip, type ZipEntry } from '../../scripts/zip.ts';

const root = resolve(import.meta.dirname, '../..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const names = packageNames(version);
const tmp = mkdtempSync(join(tmpdir(), 'ti-release-'));
const first = join(tmp, 'first');

/** The environment of a fresh shell: no npm_* variables inherited from `npm test`. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && !['E2E', 'MINIFY', 'OUT_DIR', 'TARGET'].includes(k)) env[k] = v;
  return env;
}

function run(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, env: cleanEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd} (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
}

const zipAt = (dir: string, name: string): Buffer => readFileSync(join(dir, name));
const listing = (entries: ZipEntry[]) => entries.map((e) => e.path);

beforeAll(() => {
  // The full command (build included), so the source zip and the packages come from the same sources
  // even if a file changed since the build step.
  run('npm', ['run', 'package', '--', '--out', first], root);
});

afterAll(() => (process.env.KEEP_RELEASE_TMP ? console.log(`kept ${tmp}`) : rmSync(tmp, { recursive: true, force: true })));

describe('npm run package', () => {
  for (const target of ['chrome', 'firefox'] as const) {
    it(`${names[target]} holds dist/${target} exactly, deterministically`, () => {
      const entries = readZip(zipAt(first, names[target]));
      const dist = filesUnder(join(root, 'dist', target));
      expect(listing(entries)).toEqual(dist.map((f) => f.path).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
      for (const e of entries) {
        expect(Buffer.compare(e.data, Buffer.from((dist.find((f) => f.path === e.path) as { data: Uint8Array }).data)), e.path).toBe(0);
        expect(e.mode, e.path).toBe(0o100644);
        expect([e.dosDate, e.dosTime], e.path).toEqual([FIXED_DOS_DATE, FIXED_DOS_TIME]);
        expect(e.method, e.path).toBe('store');
      }
      expect(listing(entries)).toContain('manifest.json');
      expect(JSON.parse(entries.find((e) => e.path === 'manifest.json')?.data.toString('utf8') ?? '{}').version).toBe(version);
    });
  }

  it('the source zip holds what the build reads and the reviewer docs, nothing built or installed', () => {
    const paths = listing(readZip(zipAt(first, names.source)));
    for (const f of SOURCE_FILES) expect(paths).toContain(f);
    for (const p of paths) {
      expect(SOURCE_FILES.includes(p) || SOURCE_DIRS.some((d) => p.startsWith(`${d}/`)), p).toBe(true);
      expect(p).not.toMatch(/(^|\/)(node_modules|dist|release)\//);
    }
    expect(paths).toContain('src/background/index.ts');
  });

  it('Mozilla’s linter reads the Firefox zip with no error', () => {
    const linter = resolve(root, 'node_modules/.bin/addons-linter');
    const r = spawnSync(linter, ['--output', 'json', join(first, names.firefox)], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const report = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))) as { errors: unknown[] };
    expect(report.errors).toEqual([]);
  });

  it('rebuilds the same packages, byte for byte, from the unpacked source zip (npm ci && npm run package)', () => {
    const src = join(tmp, 'source');
    for (const e of readZip(zipAt(first, names.source))) {
      mkdirSync(dirname(join(src, e.path)), { recursive: true });
      writeFileSync(join(src, e.path), e.data);
    }
    // The README's commands. --prefer-offline only lets npm use its cache; the lockfile decides what is installed.
    run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], src);
    run('npm', ['run', 'package'], src);
    const again = join(src, 'release');
    for (const name of [names.firefox, names.chrome]) {
      expect(existsSync(join(again, name)), name).toBe(true);
      expect(zipAt(again, name).equals(zipAt(first, name)), `${name} differs from the rebuild`).toBe(true);
    }
    // The source zip is compressed (zlib output may vary between Node builds): compare what it holds.
    const a = readZip(zipAt(first, names.source));
    const b = readZip(zipAt(again, names.source));
    expect(listing(b)).toEqual(listing(a));
    for (const [i, e] of a.entries()) expect((b[i] as ZipEntry).data.equals(e.data), e.path).toBe(true);
  });
});
