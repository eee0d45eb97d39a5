/**
 * `npm run package`: builds both browsers and writes, in release/,
 *   talk-inspector-<version>-chrome.zip   (dist/chrome, for the Chrome Web Store or "Load unpacked")
 *   talk-inspector-<version>-firefox.zip  (dist/firefox, for addons.mozilla.org)
 *   talk-inspector-<version>-source.zip   (what Mozilla's reviewers rebuild the Firefox zip from)
 * The zips are deterministic (scripts/zip.ts): `npm ci && npm run package` in the unpacked source
 * zip gives the same Firefox and Chrome zips, byte for byte (test/release/package.test.ts).
 *
 * Options: --no-build packs dist/ as it is; --out DIR writes somewhere else than release/.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { filesUnder, writeZip, type ZipInput } from './zip.ts';

const root = resolve(import.meta.dirname, '..');

/** Files and folders of the source zip: everything the build reads, and the docs a reviewer needs. */
export const SOURCE_FILES = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.base.json',
  'tsconfig.src.json',
  'manifest.config.ts',
  'vite.config.ts',
  'scripts/build.ts',
  'scripts/strict-mode.ts',
  'scripts/package.ts',
  'scripts/zip.ts',
  'README.md',
  'PRIVACY.md',
  'CHANGELOG.md',
  'docs/store.md',
  'docs/architecture.md',
];
export const SOURCE_DIRS = ['src', 'public'];

export const packageNames = (version: string) => ({
  chrome: `talk-inspector-${version}-chrome.zip`,
  firefox: `talk-inspector-${version}-firefox.zip`,
  source: `talk-inspector-${version}-source.zip`,
});

export function sourceFiles(base: string): ZipInput[] {
  const out: ZipInput[] = [];
  for (const f of SOURCE_FILES) {
    const full = join(base, f);
    if (!existsSync(full)) throw new Error(`Source file missing: ${f}`);
    out.push({ path: f, data: readFileSync(full) });
  }
  for (const d of SOURCE_DIRS) {
    // Dot files (editor and OS litter such as .DS_Store) are not part of the source.
    out.push(...filesUnder(join(base, d), `${d}/`).filter((f) => !f.path.split('/').some((p) => p.startsWith('.'))));
  }
  return out;
}

function main(): void {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const outDir = outIndex >= 0 && args[outIndex + 1] ? resolve(args[outIndex + 1] as string) : resolve(root, 'release');
  const { version } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string };

  if (!args.includes('--no-build')) {
    // A build for the stores: none of the knobs for tests and profiles (E2E, MINIFY, OUT_DIR, TARGET),
    // and NODE_ENV=production whatever the shell says (under NODE_ENV=test or development, the JSX
    // transform emits development calls carrying the absolute path of every component file).
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
    for (const k of ['E2E', 'MINIFY', 'OUT_DIR', 'TARGET']) delete env[k];
    const r = spawnSync(resolve(root, 'node_modules/.bin/tsx'), [resolve(root, 'scripts/build.ts')], { cwd: root, stdio: 'inherit', env });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }

  const names = packageNames(version);
  const zips: { name: string; bytes: Buffer }[] = [];
  for (const target of ['chrome', 'firefox'] as const) {
    const dist = resolve(root, 'dist', target);
    const manifestPath = join(dist, 'manifest.json');
    if (!existsSync(manifestPath)) {
      console.error(`dist/${target} is missing: run \`npm run build\` first (or leave out --no-build).`);
      process.exit(1);
    }
    const built = (JSON.parse(readFileSync(manifestPath, 'utf8')) as { version: string }).version;
    if (built !== version) {
      console.error(`dist/${target} is version ${built}, package.json says ${version}: rebuild.`);
      process.exit(1);
    }
    zips.push({ name: names[target], bytes: writeZip(filesUnder(dist), 'store') });
  }
  zips.push({ name: names.source, bytes: writeZip(sourceFiles(root), 'deflate') });

  mkdirSync(outDir, { recursive: true });
  for (const z of zips) {
    const file = join(outDir, z.name);
    writeFileSync(file, z.bytes);
    const kb = (statSync(file).size / 1024).toFixed(1);
    console.log(`${file}  ${kb} KB  sha256 ${createHash('sha256').update(z.bytes).digest('hex')}`);
  }
}

if (import.meta.filename === resolve(process.argv[1] ?? '')) main();
