/**
 * `talk-inspector check`: its command line (parsed here, pure) and its manual page (`--help`).
 * Parsing never touches the file system, the network or a browser: a usage error is found before
 * anything starts, and exits with code 2.
 */
import { parseArgs } from 'node:util';
import type { VerdictKind } from '../../src/shared/analysis/verdict.ts';

/** What `--expect` accepts, and the verdict kind each one means. */
export const EXPECTATIONS = {
  verified: 'verified',
  'not-verified': 'not-verified',
  'no-talk': 'talk-disabled',
  'no-snippet': 'no-snippet',
} as const satisfies Record<string, VerdictKind>;
export type Expectation = keyof typeof EXPECTATIONS;

export const isExpectation = (word: string): word is Expectation => Object.hasOwn(EXPECTATIONS, word);

export const DEFAULTS = { concurrency: 2, timeoutMs: 30_000 } as const;

export interface CheckOptions {
  /** URLs given as arguments, as typed. */
  urls: string[];
  urlsFile: string | null;
  sitemaps: string[];
  json: boolean;
  junit: string | null;
  markdown: string | null;
  expect: Expectation | null;
  concurrency: number;
  shard: { index: number; total: number } | null;
  timeoutMs: number;
  /** After the load event, wait this long instead of for the network to go quiet. */
  waitMs: number | null;
  loginScript: string | null;
  before: string | null;
  hook: string | null;
  includeToken: boolean;
  /** An unpacked Chrome build of the extension; null: this package's dist/chrome. */
  extension: string | null;
  chromiumArgs: string[];
  quiet: boolean;
}

export type Parsed = { kind: 'help' } | { kind: 'version' } | { kind: 'check'; options: CheckOptions } | { kind: 'error'; message: string };

const NON_NEGATIVE_INT = /^\d+$/;

function integer(name: string, text: string, min: number, max: number): number | string {
  if (!NON_NEGATIVE_INT.test(text)) return `${name} takes a whole number, not "${text}".`;
  const n = Number(text);
  if (n < min || n > max) return `${name} must be between ${min} and ${max} (got ${n}).`;
  return n;
}

/** Parses the arguments after the program name, e.g. `['check', '--json', 'https://example.com/']`. */
export function parseCommandLine(argv: readonly string[]): Parsed {
  let parsed: ReturnType<typeof parseArgs<typeof CONFIG>>;
  try {
    parsed = parseArgs({ ...CONFIG, args: [...argv] });
  } catch (e) {
    return { kind: 'error', message: e instanceof Error ? e.message.replace(/\. To specify a positional argument.*$/s, '.') : String(e) };
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const [command, ...urls] = positionals;
  if (command === undefined) return { kind: 'error', message: 'No command: try `talk-inspector check <url>…`.' };
  if (command === 'help') return { kind: 'help' };
  if (command !== 'check') return { kind: 'error', message: `Unknown command "${command}": the only command is \`check\`.` };

  const concurrency = values.concurrency === undefined ? DEFAULTS.concurrency : integer('--concurrency', values.concurrency, 1, 32);
  if (typeof concurrency === 'string') return { kind: 'error', message: concurrency };
  const timeoutMs = values.timeout === undefined ? DEFAULTS.timeoutMs : integer('--timeout', values.timeout, 1000, 3_600_000);
  if (typeof timeoutMs === 'string') return { kind: 'error', message: timeoutMs };
  const waitMs = values.wait === undefined ? null : integer('--wait', values.wait, 0, 600_000);
  if (typeof waitMs === 'string') return { kind: 'error', message: waitMs };

  let shard: CheckOptions['shard'] = null;
  if (values.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(values.shard);
    const index = Number(m?.[1]);
    const total = Number(m?.[2]);
    if (!m || total < 1 || index < 1 || index > total)
      return { kind: 'error', message: `--shard takes i/n with 1 ≤ i ≤ n (e.g. --shard 2/4), not "${values.shard}".` };
    shard = { index, total };
  }
  const expect = values.expect ?? null;
  if (expect !== null && !isExpectation(expect))
    return { kind: 'error', message: `--expect takes one of ${Object.keys(EXPECTATIONS).join(', ')}, not "${expect}".` };
  for (const [name, value] of [
    ['--junit', values.junit],
    ['--markdown', values.markdown],
    ['--urls', values.urls],
    ['--login-script', values['login-script']],
    ['--hook', values.hook],
    ['--extension', values.extension],
  ] as const)
    if (value === '') return { kind: 'error', message: `${name} needs a file name.` };

  const sitemaps = values.sitemap ?? [];
  if (urls.length === 0 && values.urls === undefined && sitemaps.length === 0)
    return { kind: 'error', message: 'No pages to check: give URLs, --urls <file> or --sitemap <url>.' };

  return {
    kind: 'check',
    options: {
      urls,
      urlsFile: values.urls ?? null,
      sitemaps,
      json: values.json ?? false,
      junit: values.junit ?? null,
      markdown: values.markdown ?? null,
      expect,
      concurrency,
      shard,
      timeoutMs,
      waitMs,
      loginScript: values['login-script'] ?? null,
      before: values.before ?? null,
      hook: values.hook ?? null,
      includeToken: values['include-token'] ?? false,
      extension: values.extension ?? null,
      chromiumArgs: values['chromium-arg'] ?? [],
      quiet: values.quiet ?? false,
    },
  };
}

const CONFIG = {
  allowPositionals: true,
  strict: true,
  options: {
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'V' },
    urls: { type: 'string' },
    sitemap: { type: 'string', multiple: true },
    json: { type: 'boolean' },
    junit: { type: 'string' },
    markdown: { type: 'string' },
    expect: { type: 'string' },
    concurrency: { type: 'string', short: 'c' },
    shard: { type: 'string' },
    timeout: { type: 'string' },
    wait: { type: 'string' },
    'login-script': { type: 'string' },
    before: { type: 'string' },
    hook: { type: 'string' },
    'include-token': { type: 'boolean' },
    extension: { type: 'string' },
    'chromium-arg': { type: 'string', multiple: true },
    quiet: { type: 'boolean', short: 'q' },
  },
} as const;

/** `talk-inspector check --help`: a manual page. */
export function helpText(version: string): string {
  return `TALK-INSPECTOR-CHECK(1)                Talk Inspector ${version}

NAME
    talk-inspector check - why Ortto's Talk widget says "Not verified", page by page,
    from the command line and in CI

SYNOPSIS
    talk-inspector check [options] <url>...
    talk-inspector check [options] --urls <file>
    talk-inspector check [options] --sitemap <url>
    talk-inspector --help | --version

DESCRIPTION
    Opens every page in headless Chromium with the Talk Inspector extension loaded (the
    Chrome build of this package, dist/chrome), waits until the page settles, and prints the
    verdict the DevTools panel would give: the one most likely cause of "Not verified" and
    the QA checklist, with a fix for every failing check.

    The diagnosis is the extension's own: the report its background holds for the tab, run
    through the same rules as the panel, with the page's network evidence (capture script
    requests, -/widgets/get with tk and tt, calls to the Talk session API) read over the
    Chrome DevTools Protocol the way the panel reads DevTools' network log. The command needs
    no Ortto API key, and writes Talk tokens only as fingerprints (first 12 hex digits of
    their SHA-256) unless --include-token is given.

    A page settles when its load event has fired and the network has been quiet for 0.5 s
    (or, with --wait, that many milliseconds after the load event). Pages are checked
    --concurrency at a time in one browser, each in a tab of its own (the one page its
    window shows), closed afterwards. A page whose load event does not come within
    --timeout fails alone; one whose network never goes quiet is checked when its time is
    nearly up.

PAGES
    <url>...            Pages to check (http or https).
    --urls <file>       One URL per line; "#" starts a comment. A line may name the verdict
                        that page must have after the URL: "https://example.com/ verified".
    --sitemap <url>     Every <loc> of a sitemap (or of the sitemaps a sitemap index lists,
                        gzipped or not). May be given more than once. Duplicates are checked
                        once.
    --shard <i>/<n>     Check only the i-th of n shares of the list (pages i, i+n, i+2n, …
                        counting from 1), to split one list across n CI jobs.

WHAT TO EXPECT
    --expect <verdict>  Every page must have this verdict: verified, not-verified, no-talk
                        (Talk switched off with disableTalk) or no-snippet (no Ortto capture
                        code). A verdict given in the --urls file wins for its page.
                        Without --expect, every page that could be checked counts as
                        expected, whatever its verdict.

OUTPUT
    (default)           A table on stdout: the verdict of every page and, under it, its
                        failing checks with their fix.
    --json              Instead of the table, a JSON array on stdout: one Talk Inspector
                        report per page (docs/report-schema.md, the panel's "Export report"),
                        with a "check" field; a page that could not be checked is an object
                        with "schema": "talk-inspector-check-error".
    --junit <file>      JUnit XML: a test suite per page, a test case per check (failures
                        carry the evidence and the fix), plus "verdict" and "page loads".
    --markdown <file>   A Markdown summary for a pull-request comment.
    --include-token     Put Talk tokens in the reports as they are, not as fingerprints.
    -q, --quiet         No progress on stderr. Otherwise: a progress bar when stderr is a
                        terminal, one line per page when it is not (CI logs).

LOADING
    -c, --concurrency <n>  Pages at once (default ${DEFAULTS.concurrency}, at most 32).
    --timeout <ms>      Time for one page, from opening it to its verdict (default ${DEFAULTS.timeoutMs}).
    --wait <ms>         After the load event wait this long instead of for a quiet network
                        (pages that poll the network forever).

SIGNING IN
    Talk is verified only for people who are signed in. These run after the page settled,
    in this order; the page then settles again before the check.
    --hook <module>     A Node module whose default export is called with { page, url,
                        browser } (puppeteer-core objects), e.g. to fill in and submit a
                        sign-in form. TypeScript modules work too.
    --login-script <file>  JavaScript run in the page (top-level await allowed).
    --before <js>       The same, given on the command line.

BROWSER
    --extension <dir>   Check with another unpacked Chrome build of Talk Inspector (an
                        unzipped talk-inspector-<version>-chrome.zip) instead of dist/chrome.
    --chromium-arg <arg>  Pass a switch to Chromium (repeatable), e.g.
                        --chromium-arg=--host-resolver-rules="MAP staging.example 10.0.0.5"
    Chromium is CHROMIUM_PATH, or /usr/bin/chromium (Debian: apt-get install chromium).

EXIT STATUS
    0   Every page was checked and is as expected.
    1   Some page is not as expected, or could not be checked (it did not load, did not
        settle in time, or the extension could not see it).
    2   Usage error, an input that cannot be read (URL list, sitemap, script), or the
        browser could not start; the message says why and what command fixes it.

EXAMPLES
    talk-inspector check https://example.com/ https://example.com/account
    talk-inspector check --sitemap https://example.com/sitemap.xml --expect verified \\
        --junit talk-inspector.xml --concurrency 4
    talk-inspector check --urls pages.txt --shard 2/4 --json > report-2.json
    talk-inspector check --hook sign-in.mjs https://example.com/account --expect verified

SEE ALSO
    README.md ("Use in CI"), docs/report-schema.md, docs/check.md
`;
}
