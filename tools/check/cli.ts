/**
 * `talk-inspector check`: reads the command line and the page lists, starts the inspector
 * (inspector.ts), runs the pages (run.ts) and writes the outputs as results come in: the JSON
 * array and the JUnit suites are streamed, so only a short summary per page stays in memory.
 * Returns the exit status: 0 as expected, 1 some page not, 2 usage, input or browser problem.
 */
import { once } from 'node:events';
import {
  accessSync,
  constants,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  type WriteStream,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { findBrowser } from '../browsers.ts';
// Type only: the browser side (puppeteer) is loaded once there are pages to check, so a usage error answers at once.
import type { Inspector, PageHooks } from './inspector.ts';
import { JUNIT_TAIL, junitHead, junitSuite, type SuiteCounts } from './junit.ts';
import { type CheckOptions, helpText, parseCommandLine } from './options.ts';
import { checkUrl, dedupe, fetchSitemaps, type PageToCheck, parseUrlList, type SitemapFetch, shardOf } from './pages.ts';
import { createProgress } from './progress.ts';
import { type PageResult, type PageSummary, runChecks, summarize } from './run.ts';
import { jsonEntry, MARKDOWN_MAX_ROWS, markdownSummary, Tally, tableBlock, totalsLine } from './summary.ts';

export const EXIT = { asExpected: 0, notAsExpected: 1, usage: 2 } as const;

const PACKAGE_ROOT = resolve(import.meta.dirname, '../..');
/** The shipped Chrome build (tools/chromium.ts CHROME_DIST, without loading puppeteer for it). */
const CHROME_DIST = join(PACKAGE_ROOT, 'dist/chrome');

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

interface Out {
  isTTY?: boolean;
  columns?: number;
  write(text: string): boolean;
  once(event: 'drain', cb: () => void): unknown;
}

export interface CliIo {
  stdout: Out;
  stderr: Out;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Sitemap fetch (tests may pass their own). */
  fetch?: SitemapFetch;
}

class UsageError extends Error {}

const defaultIo = (): CliIo => ({ stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });

/** Writes respecting backpressure, so a long --json run never buffers the whole output. */
async function put(out: Out, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((r) => out.once('drain', r));
}

export async function main(argv: readonly string[], io: CliIo = defaultIo()): Promise<number> {
  const parsed = parseCommandLine(argv);
  if (parsed.kind === 'help') {
    await put(io.stdout, helpText(packageVersion()));
    return EXIT.asExpected;
  }
  if (parsed.kind === 'version') {
    await put(io.stdout, `${packageVersion()}\n`);
    return EXIT.asExpected;
  }
  if (parsed.kind === 'error') {
    await put(io.stderr, `talk-inspector: ${parsed.message}\nRun \`talk-inspector check --help\` for the options.\n`);
    return EXIT.usage;
  }
  try {
    return await check(parsed.options, io);
  } catch (e) {
    if (e instanceof UsageError) {
      await put(io.stderr, `talk-inspector: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
}

/** The pages to check, in order, each once, cut to the shard. Throws UsageError on unreadable input. */
async function collectPages(o: CheckOptions, io: CliIo, warn: (text: string) => void): Promise<{ pages: PageToCheck[]; before: number }> {
  const list: PageToCheck[] = [];
  for (const text of o.urls) {
    const checked = checkUrl(text);
    if (!checked.ok) throw new UsageError(checked.error);
    list.push({ url: checked.url, expect: o.expect });
  }
  if (o.urlsFile !== null) {
    const file = resolve(io.cwd, o.urlsFile);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`Cannot read the --urls file ${o.urlsFile}: ${(e as NodeJS.ErrnoException).code ?? String(e)}.`);
    }
    const parsed = parseUrlList(text, o.urlsFile);
    if (!parsed.ok) throw new UsageError(parsed.error);
    list.push(...parsed.pages.map((p) => ({ url: p.url, expect: p.expect ?? o.expect })));
  }
  if (o.sitemaps.length > 0) {
    const got = await fetchSitemaps(o.sitemaps, io.fetch);
    if (!got.ok) throw new UsageError(`${got.error[0]?.toUpperCase()}${got.error.slice(1)}.`);
    if (got.skipped.length > 0)
      warn(`Skipped ${got.skipped.length} sitemap entr${got.skipped.length === 1 ? 'y' : 'ies'} that are not http(s) URLs (first: "${got.skipped[0]}").`);
    list.push(...got.urls.map((url) => ({ url, expect: o.expect })));
  }
  const unique = dedupe(list);
  if (unique.length < list.length) warn(`${list.length - unique.length} duplicate URL${list.length - unique.length === 1 ? '' : 's'} checked once.`);
  return { pages: shardOf(unique, o.shard), before: unique.length };
}

async function loadHooks(o: CheckOptions, io: CliIo): Promise<PageHooks> {
  const hooks: PageHooks = { hook: null, scripts: [] };
  if (o.hook !== null) {
    const file = resolve(io.cwd, o.hook);
    if (!existsSync(file)) throw new UsageError(`The --hook module ${o.hook} does not exist.`);
    let mod: { default?: unknown };
    try {
      mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
    } catch (e) {
      throw new UsageError(`The --hook module ${o.hook} could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (typeof mod.default !== 'function') throw new UsageError(`The --hook module ${o.hook} must export a function as its default export.`);
    hooks.hook = mod.default as PageHooks['hook'];
  }
  if (o.loginScript !== null) {
    try {
      hooks.scripts.push({ name: `--login-script ${o.loginScript}`, code: readFileSync(resolve(io.cwd, o.loginScript), 'utf8') });
    } catch (e) {
      throw new UsageError(`Cannot read the --login-script file ${o.loginScript}: ${(e as NodeJS.ErrnoException).code ?? String(e)}.`);
    }
  }
  if (o.before !== null) hooks.scripts.push({ name: '--before script', code: o.before });
  return hooks;
}

/** The extension to load, and its version. Throws UsageError with the command that fixes it. */
function findExtension(o: CheckOptions, io: CliIo, warn: (text: string) => void): { dir: string; version: string } {
  const dir = o.extension === null ? CHROME_DIST : resolve(io.cwd, o.extension);
  const manifestFile = join(dir, 'manifest.json');
  const fix =
    o.extension === null
      ? `Build it first: \`npm run build\` (in ${PACKAGE_ROOT}), or pass --extension <dir> with an unzipped talk-inspector-<version>-chrome.zip.`
      : 'Pass the folder of an unpacked Chrome build (the one with manifest.json), e.g. an unzipped talk-inspector-<version>-chrome.zip.';
  if (!existsSync(manifestFile)) throw new UsageError(`No Chrome build of Talk Inspector in ${dir} (no manifest.json). ${fix}`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { name?: string; version?: string; background?: { service_worker?: string } };
  if (!manifest.background?.service_worker)
    throw new UsageError(`${dir} is not a Chrome build of Talk Inspector (its manifest has no service worker; a Firefox build?). ${fix}`);
  const version = manifest.version ?? '0.0.0';
  const ours = packageVersion();
  if (o.extension === null && version !== ours)
    warn(`dist/chrome is Talk Inspector ${version} but this package is ${ours}: run \`npm run build\` to check with the current code.`);
  return { dir, version };
}

function findChromium(): string {
  try {
    return findBrowser('chromium', { install: false });
  } catch (e) {
    throw new UsageError(`Chromium could not start: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Checks an output file can be written, so a bad path stops the run before the browser starts. */
function prepareFile(io: CliIo, path: string, flag: string): string {
  const file = resolve(io.cwd, path);
  try {
    mkdirSync(dirname(file), { recursive: true });
    accessSync(existsSync(file) ? file : dirname(file), constants.W_OK);
  } catch (e) {
    throw new UsageError(`Cannot write ${flag} ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}.`);
  }
  return file;
}

async function check(o: CheckOptions, io: CliIo): Promise<number> {
  const progress = createProgress(io.stderr, 0, 'none');
  const warn = (text: string): void => progress.note(`talk-inspector: ${text}`);
  const { pages, before } = await collectPages(o, io, warn);
  const hooks = await loadHooks(o, io);
  const extension = findExtension(o, io, warn);
  const junitFile = o.junit === null ? null : prepareFile(io, o.junit, '--junit');
  const markdownFile = o.markdown === null ? null : prepareFile(io, o.markdown, '--markdown');

  // Kept per run, not per page: counts, and at most what the Markdown summary shows.
  const tally = new Tally();
  const kept = { notAsExpected: [] as PageSummary[], asExpected: [] as PageSummary[] };
  const style = { color: io.stdout.isTTY === true && !io.env.NO_COLOR };
  const totals: SuiteCounts = { tests: 0, failures: 0, errors: 0, skipped: 0, timeMs: 0 };
  let junitPart: WriteStream | null = null;
  const junitPartFile = junitFile === null ? null : `${junitFile}.part`;
  let jsonCount = 0;
  const startedAt = new Date();

  const finishOutputs = async (): Promise<void> => {
    if (o.json) await put(io.stdout, jsonCount === 0 ? '[]\n' : '\n]\n');
    if (junitFile !== null && junitPartFile !== null) {
      if (junitPart) {
        junitPart.end();
        await once(junitPart, 'close');
      }
      const out = createWriteStream(junitFile);
      out.write(junitHead(totals));
      if (existsSync(junitPartFile)) await pipeline(createReadStream(junitPartFile), out, { end: false });
      out.end(JUNIT_TAIL);
      await once(out, 'close');
      rmSync(junitPartFile, { force: true });
    }
    if (markdownFile !== null)
      writeFileSync(
        markdownFile,
        markdownSummary([...kept.notAsExpected, ...kept.asExpected], {
          version: extension.version,
          generatedAt: startedAt,
          totals: tally.totals,
          anyExpectation: tally.anyExpectation,
        }),
      );
    if (!o.json) await put(io.stdout, `${tally.totals.pages > 0 ? '\n' : ''}${totalsLine(tally.totals, tally.anyExpectation)}\n`);
  };

  if (pages.length === 0) {
    progress.note(`talk-inspector: no pages to check${o.shard ? ` in shard ${o.shard.index}/${o.shard.total} (${before} in all)` : ''}.`);
    await finishOutputs();
    return EXIT.asExpected;
  }

  const chromium = findChromium();
  let inspector: Inspector;
  try {
    const { Inspector } = await import('./inspector.ts');
    inspector = await Inspector.start({ extensionDir: extension.dir, executablePath: chromium, chromiumArgs: o.chromiumArgs });
  } catch (e) {
    throw new UsageError(
      `Chromium (${chromium}) could not start with the extension: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}\n` +
        `Check that \`${chromium} --headless --version\` runs; on Debian or Ubuntu: \`sudo apt-get install -y chromium\`` +
        ` (or set CHROMIUM_PATH to a Chromium or Chrome 111 or newer).`,
    );
  }
  const stop = (): void => {
    void inspector.close().finally(() => {
      if (junitPartFile) rmSync(junitPartFile, { force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  const shown = createProgress(io.stderr, pages.length, o.quiet ? 'none' : 'auto');
  if (junitPartFile !== null) junitPart = createWriteStream(junitPartFile);
  try {
    await runChecks(
      inspector,
      pages,
      { concurrency: o.concurrency, timeoutMs: o.timeoutMs, waitMs: o.waitMs, hooks, includeToken: o.includeToken, toolVersion: extension.version },
      async (r: PageResult) => {
        const summary = summarize(r);
        tally.add(summary);
        const keep = summary.check.asExpected ? kept.asExpected : kept.notAsExpected;
        if (keep.length < MARKDOWN_MAX_ROWS) keep.push(summary);
        if (!o.json) await shown.around(() => put(io.stdout, tableBlock(summary, style)));
        if (o.json) {
          const text = JSON.stringify(jsonEntry(r, extension.version), null, 2).replace(/\n/g, '\n  ');
          await put(io.stdout, `${jsonCount++ === 0 ? '[\n  ' : ',\n  '}${text}`);
        }
        if (junitPart) {
          const { xml, counts } = junitSuite(r, new Date(Date.now() - r.check.durationMs));
          for (const k of ['tests', 'failures', 'errors', 'skipped', 'timeMs'] as const) totals[k] += counts[k];
          if (!junitPart.write(`${xml}\n`)) await once(junitPart, 'drain');
        }
      },
      (r) => shown.page(r),
    );
  } finally {
    shown.end();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await inspector.close();
  }
  await finishOutputs();
  return tally.totals.asExpected === tally.totals.pages ? EXIT.asExpected : EXIT.notAsExpected;
}
