/**
 * `talk-inspector check` without a browser: the command line, page lists and sitemaps, shards,
 * result ordering, and every output (table, JSON against the report schema, JUnit through a strict
 * validator, Markdown) with hostile page text. The browser side is test/e2e/check-cli.e2e.test.ts.
 */
import { gzipSync } from 'node:zlib';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { renderSitemap } from '../../simulator/sitemap.ts';
import { buildReport } from '../../src/panel/format/report-export.ts';
import { diagnose } from '../../src/shared/analysis/index.ts';
import { addEntry, EMPTY_NETWORK } from '../../src/shared/analysis/network.ts';
import type { PageOutcome } from '../../tools/check/inspector.ts';
import { JUNIT_TAIL, junitHead, junitSuite, type SuiteCounts } from '../../tools/check/junit.ts';
import { DEFAULTS, helpText, parseCommandLine } from '../../tools/check/options.ts';
import { checkUrl, dedupe, fetchSitemaps, parseSitemap, parseUrlList, shardOf } from '../../tools/check/pages.ts';
import { createProgress } from '../../tools/check/progress.ts';
import { checkOutputSchema } from '../../tools/check/report-schema.ts';
import { type PageResult, runChecks, summarize } from '../../tools/check/run.ts';
import { jsonEntry, markdownSummary, table } from '../../tools/check/summary.ts';
import { validateJUnit } from './helpers/junit-xml.ts';
import { documentedCheckIds } from './helpers/report-doc.ts';
import { KEY, report, TOKEN } from './support/report.ts';

const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);
const HOSTILE = 'https://evil.example/\u001b[2J\u202e<b>&"x"</b>|`]]>\u0000\ufffe';

describe('command line', () => {
  it('parses a full check command', () => {
    const p = parseCommandLine([
      'check',
      'https://a.example/',
      '--urls',
      'list.txt',
      '--sitemap',
      'https://a.example/sitemap.xml',
      '--json',
      '--junit',
      'out.xml',
      '--markdown',
      'out.md',
      '--expect',
      'no-talk',
      '-c',
      '4',
      '--shard',
      '2/3',
      '--timeout',
      '5000',
      '--wait',
      '0',
      '--before',
      'x()',
      '--include-token',
      '--chromium-arg=--foo',
      '--chromium-arg=--bar',
    ]);
    expect(p).toMatchObject({
      kind: 'check',
      options: {
        urls: ['https://a.example/'],
        urlsFile: 'list.txt',
        sitemaps: ['https://a.example/sitemap.xml'],
        json: true,
        junit: 'out.xml',
        markdown: 'out.md',
        expect: 'no-talk',
        concurrency: 4,
        shard: { index: 2, total: 3 },
        timeoutMs: 5000,
        waitMs: 0,
        before: 'x()',
        includeToken: true,
        chromiumArgs: ['--foo', '--bar'],
      },
    });
  });

  it('has the documented defaults', () => {
    const p = parseCommandLine(['check', 'https://a.example/']);
    expect(p.kind === 'check' && p.options).toMatchObject({ concurrency: DEFAULTS.concurrency, timeoutMs: 30_000, waitMs: null, expect: null, shard: null });
    expect(DEFAULTS.concurrency).toBe(2);
  });

  it.each([
    [[], /No command/],
    [['check'], /No pages to check/],
    [['verify', 'x'], /Unknown command/],
    [['check', 'x', '--expect', 'maybe'], /--expect takes one of verified, not-verified, no-talk, no-snippet/],
    [['check', 'x', '--shard', '3/2'], /--shard takes i\/n/],
    [['check', 'x', '--shard', '0/2'], /--shard/],
    [['check', 'x', '--concurrency', '0'], /between 1 and 32/],
    [['check', 'x', '--timeout', 'soon'], /whole number/],
    [['check', 'x', '--nope'], /Unknown option '--nope'/],
    [['check', 'x', '--junit'], /argument missing/],
  ])('refuses %j', (argv, message) => {
    const p = parseCommandLine(argv);
    expect(p.kind).toBe('error');
    expect(p.kind === 'error' && p.message).toMatch(message);
  });

  it('--help is a manual page with every option', () => {
    expect(parseCommandLine(['check', '--help']).kind).toBe('help');
    expect(parseCommandLine(['--version']).kind).toBe('version');
    const help = helpText('9.9.9');
    for (const heading of ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'OUTPUT', 'EXIT STATUS', 'EXAMPLES']) expect(help).toMatch(new RegExp(`^${heading}$`, 'm'));
    for (const flag of [
      '--urls',
      '--sitemap',
      '--shard',
      '--expect',
      '--json',
      '--junit',
      '--markdown',
      '--include-token',
      '--concurrency',
      '--timeout',
      '--wait',
      '--hook',
      '--login-script',
      '--before',
      '--extension',
      '--chromium-arg',
      '--quiet',
    ])
      expect(help).toContain(flag);
    expect(help).toContain('Talk Inspector 9.9.9');
    expect(Math.max(...help.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100);
  });
});

describe('pages', () => {
  it('accepts http(s) URLs only, with a hint for a bare host', () => {
    expect(checkUrl('https://example.com')).toEqual({ ok: true, url: 'https://example.com/' });
    expect(checkUrl('example.com/shop')).toMatchObject({ ok: false, error: expect.stringContaining('did you mean https://example.com/shop') });
    expect(checkUrl('ftp://example.com/')).toMatchObject({ ok: false, error: expect.stringContaining('not an http or https URL') });
    expect(checkUrl('file:///etc/passwd').ok).toBe(false);
    expect(checkUrl('not a url').ok).toBe(false);
  });

  it('reads a URL list with comments and per-page verdicts, and names the bad line', () => {
    const ok = parseUrlList(
      '# pages\nhttps://a.example/  verified\n\nhttps://a.example/#frag # the fragment stays\r\nhttps://b.example/x no-snippet\n',
      'list.txt',
    );
    expect(ok).toEqual({
      ok: true,
      pages: [
        { url: 'https://a.example/', expect: 'verified' },
        { url: 'https://a.example/#frag', expect: null },
        { url: 'https://b.example/x', expect: 'no-snippet' },
      ],
    });
    expect(parseUrlList('https://a.example/\nnope\n', 'list.txt')).toEqual({ ok: false, error: 'list.txt, line 2: "nope" is not a URL.' });
    expect(parseUrlList('https://a.example/ green', 'l')).toMatchObject({ ok: false, error: expect.stringContaining('"green" is not a verdict') });
  });

  it('parses sitemaps and sitemap indexes, entities and CDATA included', () => {
    const set = parseSitemap(
      '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="x"><url><loc> https://a.example/?a=1&amp;b=2 </loc><image:image><image:loc>https://a.example/i.png</image:loc></image:image></url><url><loc><![CDATA[https://a.example/c]]></loc></url></urlset>',
    );
    expect(set).toEqual({ kind: 'urlset', locs: ['https://a.example/?a=1&b=2', 'https://a.example/c'] });
    expect(parseSitemap('<sitemapindex><sitemap><loc>https://a.example/s1.xml</loc></sitemap></sitemapindex>')).toEqual({
      kind: 'index',
      locs: ['https://a.example/s1.xml'],
    });
    expect(parseSitemap('<html></html>').kind).toBe('invalid');
  });

  it("follows the simulator's sitemap index (gzipped parts too) and skips what is not a web page", async () => {
    const origin = 'http://127.0.0.1:9';
    const served = new Map<string, Uint8Array>();
    const get = async (url: string) => {
      const u = new URL(url);
      const got = renderSitemap(u.pathname, u.searchParams, origin);
      if (u.pathname === '/broken.xml') return { ok: true, status: 200, bytes: new TextEncoder().encode('<html/>') };
      if (u.pathname === '/odd.xml')
        return {
          ok: true,
          status: 200,
          bytes: new TextEncoder().encode('<urlset><url><loc>mailto:a@b</loc></url><url><loc>https://x.example/</loc></url></urlset>'),
        };
      if (!got || !('body' in got)) return { ok: false, status: 404, bytes: new Uint8Array() };
      const bytes = new TextEncoder().encode(got.body);
      served.set(url, bytes);
      return { ok: true, status: 200, bytes: u.searchParams.get('part') === '2' ? gzipSync(bytes) : bytes };
    };
    const all = await fetchSitemaps([`${origin}/sitemap-index.xml?parts=3&count=10&pages=standard,verified`], get);
    expect(all.ok && all.urls.length).toBe(10);
    expect(all.ok && new Set(all.urls).size).toBe(10);
    expect(all.ok && all.urls.every((u) => /\/pages\/(standard|verified)\.html\?n=\d+$/.test(u))).toBe(true);
    expect(served.size).toBe(4); // the index and its three parts
    expect(await fetchSitemaps([`${origin}/odd.xml`], get)).toEqual({ ok: true, urls: ['https://x.example/'], skipped: ['mailto:a@b'] });
    expect(await fetchSitemaps([`${origin}/broken.xml`], get)).toMatchObject({ ok: false, error: expect.stringContaining('is not a sitemap') });
    expect(await fetchSitemaps([`${origin}/missing.xml`], get)).toMatchObject({ ok: false, error: expect.stringContaining('HTTP 404') });
    const offline = async () => {
      throw new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND nowhere.invalid') });
    };
    expect(await fetchSitemaps(['https://nowhere.invalid/sitemap.xml'], offline)).toMatchObject({ ok: false, error: expect.stringContaining('ENOTFOUND') });
  });

  it('dedupes, and shards into disjoint shares that cover the list', () => {
    const list = Array.from({ length: 11 }, (_, i) => i);
    const shares = [1, 2, 3].map((index) => shardOf(list, { index, total: 3 }));
    expect(shares).toEqual([
      [0, 3, 6, 9],
      [1, 4, 7, 10],
      [2, 5, 8],
    ]);
    expect(shares.flat().sort((a, b) => a - b)).toEqual(list);
    expect(shardOf(list, null)).toEqual(list);
    expect(shardOf([1], { index: 2, total: 2 })).toEqual([]);
    expect(
      dedupe([
        { url: 'https://a/', expect: 'verified' },
        { url: 'https://a/', expect: null },
        { url: 'https://b/', expect: null },
      ]),
    ).toEqual([
      { url: 'https://a/', expect: 'verified' },
      { url: 'https://b/', expect: null },
    ]);
  });
});

/** A page result as the inspector would give it, from a built report. */
function okOutcome(url: string, kind: 'verified' | 'not-verified', durationMs = 10): PageOutcome {
  const r =
    kind === 'verified'
      ? report()
          .snippet(KEY, undefined, { talk: { token: TOKEN } })
          .widget(false)
          .build()
      : report().snippet(KEY).widget(true).build();
  const built = { ...r, url };
  const network = addEntry(EMPTY_NETWORK, {
    startedDateTime: new Date(NOW).toISOString(),
    request: { method: 'POST', url: 'https://capture-api.autopilotapp.com/-/widgets/get', postData: { text: JSON.stringify({ tk: true, tt: TOKEN }) } },
    response: { status: 200 },
  });
  return {
    ok: true,
    finalUrl: url,
    httpStatus: 200,
    settled: true,
    state: {
      tabId: 1,
      url,
      inspectable: true,
      reason: null,
      report: built,
      browserDocumentId: null,
      pendingNavigation: false,
      loadedWithoutReport: false,
      updatedAt: 0,
    },
    network,
    durationMs,
  };
}

describe('running pages', () => {
  it('hands results over in list order, whatever order they finish in, and checks expectations', async () => {
    const delays = [60, 5, 30, 1, 20];
    const kinds = ['verified', 'not-verified', 'verified', 'not-verified', 'verified'] as const;
    const inspector = {
      async check(url: string): Promise<PageOutcome> {
        const i = Number(new URL(url).searchParams.get('i'));
        await new Promise((r) => setTimeout(r, delays[i]));
        if (i === 4) return { ok: false, error: { kind: 'timeout', message: 'too slow' }, httpStatus: null, durationMs: 1 };
        return okOutcome(url, kinds[i] ?? 'verified');
      },
    };
    const pages = delays.map((_, i) => ({ url: `https://a.example/?i=${i}`, expect: i === 1 ? ('verified' as const) : null }));
    const order: number[] = [];
    const finished: number[] = [];
    let inFlightMax = 0;
    let inFlight = 0;
    const counted = {
      async check(url: string) {
        inFlight++;
        inFlightMax = Math.max(inFlightMax, inFlight);
        try {
          return await inspector.check(url);
        } finally {
          inFlight--;
        }
      },
    };
    const results: PageResult[] = [];
    await runChecks(
      counted,
      pages,
      { concurrency: 2, timeoutMs: 1000, waitMs: null, hooks: { hook: null, scripts: [] }, includeToken: false, toolVersion: '1.2.3' },
      (r) => {
        order.push(r.index);
        results.push(r);
      },
      (r) => finished.push(r.index),
    );
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(finished).not.toEqual([0, 1, 2, 3, 4]);
    expect(inFlightMax).toBe(2);
    expect(results.map((r) => r.check.asExpected)).toEqual([true, false, true, true, false]);
    expect(results[0]?.ok && results[0].diagnosis.verdict.kind).toBe('verified');
    expect(results[0]?.ok && results[0].report.tool.version).toBe('1.2.3');
  });

  it('a slow page holds back at most `concurrency` results after it (docs/check.md)', async () => {
    const concurrency = 3;
    let written = 0;
    let heldMax = 0;
    const inspector = {
      async check(url: string): Promise<PageOutcome> {
        const i = Number(new URL(url).searchParams.get('i'));
        await new Promise((r) => setTimeout(r, i === 0 ? 200 : 1));
        return { ok: false, error: { kind: 'timeout', message: 'slow' }, httpStatus: null, durationMs: 1 };
      },
    };
    const pages = Array.from({ length: 40 }, (_, i) => ({ url: `https://a.example/?i=${i}`, expect: null }));
    const order: number[] = [];
    let finished = 0;
    await runChecks(
      inspector,
      pages,
      { concurrency, timeoutMs: 1000, waitMs: null, hooks: { hook: null, scripts: [] }, includeToken: false, toolVersion: '1.2.3' },
      // Writing a result takes a moment too (a file, a pipe): a result counts as written once that is done.
      async (r) => {
        order.push(r.index);
        await new Promise((done) => setTimeout(done, 5));
        written++;
      },
      () => {
        finished++;
        heldMax = Math.max(heldMax, finished - written);
      },
    );
    expect(order).toEqual(pages.map((_, i) => i));
    // Finished but not yet written: the slow page's own result and the ones behind it.
    expect(heldMax).toBeLessThanOrEqual(concurrency);
    expect(heldMax).toBeGreaterThan(1);
  });

  it('a hole in the list is passed over: the run ends, the others in order', async () => {
    const pages = Array.from({ length: 6 }, (_, i) => ({ url: `https://a.example/?i=${i}`, expect: null }));
    delete (pages as unknown as (typeof pages)[number][])[1];
    const order: number[] = [];
    await runChecks(
      { check: async (): Promise<PageOutcome> => ({ ok: false, error: { kind: 'timeout', message: 'x' }, httpStatus: null, durationMs: 1 }) },
      pages,
      { concurrency: 2, timeoutMs: 1000, waitMs: null, hooks: { hook: null, scripts: [] }, includeToken: false, toolVersion: '1.2.3' },
      (r) => {
        order.push(r.index);
      },
    );
    expect(order).toEqual([0, 2, 3, 4, 5]);
  });
});

async function sampleResults(): Promise<PageResult[]> {
  const results: PageResult[] = [];
  const outcomes: Record<string, PageOutcome> = {
    [HOSTILE]: okOutcome(HOSTILE, 'not-verified'),
    'https://ok.example/': okOutcome('https://ok.example/', 'verified'),
    'https://down.example/': {
      ok: false,
      error: { kind: 'unreachable', message: 'The host name does not resolve (net::ERR_NAME_NOT_RESOLVED).' },
      httpStatus: null,
      durationMs: 3,
    },
  };
  await runChecks(
    { check: async (url: string) => outcomes[url] as PageOutcome },
    [
      { url: HOSTILE, expect: 'verified' },
      { url: 'https://ok.example/', expect: 'verified' },
      { url: 'https://down.example/', expect: null },
    ],
    { concurrency: 3, timeoutMs: 1000, waitMs: null, hooks: { hook: null, scripts: [] }, includeToken: false, toolVersion: '0.1.0' },
    (r) => {
      results.push(r);
    },
  );
  return results;
}

describe('outputs', () => {
  it('JSON: every entry matches docs/report-schema.md, tokens as fingerprints only', async () => {
    const results = await sampleResults();
    const json = JSON.parse(JSON.stringify(results.map((r) => jsonEntry(r, '0.1.0', new Date(NOW)))));
    const parsed = v.safeParse(checkOutputSchema(documentedCheckIds()), json);
    expect(parsed.issues?.map((i) => `${v.getDotPath(i)}: ${i.message}`) ?? []).toEqual([]);
    expect(json[0].check).toMatchObject({ expected: 'verified', asExpected: false });
    expect(json[2]).toMatchObject({ schema: 'talk-inspector-check-error', error: { kind: 'unreachable' }, page: { url: 'https://down.example/' } });
    expect(JSON.stringify(json)).not.toContain(TOKEN);
    expect(json[1].network.widgetsGets[0].tokenFingerprint).toBe(json[1].token.fingerprint);
  });

  it('--include-token puts the token in, as the panel does', () => {
    const outcome = okOutcome('https://ok.example/', 'verified');
    if (!outcome.ok) throw new Error('unreachable');
    const d = diagnose(outcome.state.report, outcome.network, NOW);
    expect(buildReport(d, { includeToken: true, generatedAt: new Date(NOW), toolVersion: '0.1.0' }).token?.value).toBe(TOKEN);
  });

  it('JUnit: valid, a suite per page, a case per check, failures with evidence and fix, page text made safe', async () => {
    const results = await sampleResults();
    const totals: SuiteCounts = { tests: 0, failures: 0, errors: 0, skipped: 0, timeMs: 0 };
    const suites = results.map((r) => {
      const s = junitSuite(r, new Date(NOW));
      for (const k of ['tests', 'failures', 'errors', 'skipped', 'timeMs'] as const) totals[k] += s.counts[k];
      return s.xml;
    });
    const xml = `${junitHead(totals)}${suites.join('\n')}\n${JUNIT_TAIL}`;
    const { problems, root } = validateJUnit(xml);
    expect(problems).toEqual([]);
    const [hostile, ok, down] = root?.children ?? [];
    expect(hostile?.attrs.name).toContain('⟨U+001B⟩');
    expect(hostile?.attrs.name).toContain('⟨U+202E⟩');
    expect(hostile?.attrs.name).toContain('<b>&"x"</b>');
    const cases = (s: typeof ok) => s?.children.filter((c) => c.name === 'testcase') ?? [];
    const verdictCase = cases(hostile).find((c) => c.attrs.name?.startsWith('verdict'));
    expect(verdictCase?.children[0]?.name).toBe('failure');
    expect(verdictCase?.children[0]?.attrs.message).toMatch(/^Expected verified, got not-verified/);
    const tokenCase = cases(hostile).find((c) => c.attrs.name?.startsWith('token-present:'));
    expect(tokenCase?.children[0]?.name).toBe('failure');
    expect(tokenCase?.children[0]?.text).toMatch(/Evidence: .*\nFix: .*\nOrtto's guide: /);
    expect(cases(ok).length).toBeGreaterThan(15);
    expect(cases(down).map((c) => c.attrs.name)).toEqual(['page loads']);
    expect(cases(down)[0]?.children[0]).toMatchObject({ name: 'error', attrs: { type: 'unreachable' } });
    expect(xml).not.toContain(TOKEN);
  });

  it('JUnit (docs/check.md): a warning passes with it in <system-out>, a skipped check is <skipped>', async () => {
    // init called twice: a warning (single-init), and checks skipped for want of a cookie path.
    const outcome = okOutcome('https://twice.example/', 'verified');
    if (!outcome.ok) throw new Error('unreachable');
    const twice = report()
      .snippet(KEY, undefined, { talk: { token: TOKEN } })
      .init(KEY, undefined, { talk: { token: TOKEN } })
      .widget(false)
      .build();
    const results: PageResult[] = [];
    await runChecks(
      { check: async () => ({ ...outcome, state: { ...outcome.state, report: { ...twice, url: 'https://twice.example/' } } }) },
      [{ url: 'https://twice.example/', expect: null }],
      { concurrency: 1, timeoutMs: 1000, waitMs: null, hooks: { hook: null, scripts: [] }, includeToken: false, toolVersion: '0.1.0' },
      (r) => {
        results.push(r);
      },
    );
    const page = results[0];
    if (!page?.ok) throw new Error('the page was not checked');
    const warned = page.diagnosis.results.filter((x) => x.status === 'warn');
    const skippedChecks = page.diagnosis.results.filter((x) => x.status === 'skip');
    expect(warned.map((x) => x.id)).toContain('single-init');
    expect(skippedChecks.length).toBeGreaterThan(0);
    const suite = junitSuite(page, new Date(NOW));
    const { problems, root } = validateJUnit(`${junitHead(suite.counts)}${suite.xml}\n${JUNIT_TAIL}`);
    expect(problems).toEqual([]);
    const cases = root?.children[0]?.children.filter((c) => c.name === 'testcase') ?? [];
    const byId = (id: string) => cases.find((c) => c.attrs.name?.startsWith(`${id}:`));
    for (const check of skippedChecks) expect(byId(check.id)?.children.map((c) => c.name)).toEqual(['skipped']);
    expect(suite.counts.skipped).toBe(skippedChecks.length);
    for (const check of warned) {
      const c = byId(check.id);
      expect(c?.children.map((x) => x.name)).toEqual(['system-out']);
      expect(c?.children[0]?.text).toMatch(/^Warning\n/);
    }
    expect(suite.counts.failures).toBe(0);
  });

  it('Markdown (docs/check.md): at most 200 rows, the rest counted; a page whose network never went quiet is said so in the table', async () => {
    const [, ok] = await sampleResults();
    if (!ok?.ok) throw new Error('the sample page was not checked');
    const many = Array.from({ length: 230 }, (_, i) => summarize({ ...ok, index: i, url: `https://ok.example/${i}` }));
    const md = markdownSummary(many, { version: '0.1.0', generatedAt: new Date(NOW) });
    expect(md.split('\n').filter((l) => l.startsWith('| ✅') || l.startsWith('| ❌') || l.startsWith('| ➖'))).toHaveLength(200);
    expect(md).toContain('…and 30 more pages (all in the JSON or JUnit report).');
    const restless = summarize({ ...ok, check: { ...ok.check, settled: false } });
    expect(table([restless])).toContain("(checked although the page's network never went quiet)");
    expect(table([summarize(ok)])).not.toContain('never went quiet');
  });

  it('the strict validator refuses what CI tools would choke on', () => {
    expect(validateJUnit('<testsuites><testsuite name="a" tests="1"><testcase name="x" classname="c" time="0"/></testsuite></testsuites>').problems).toEqual(
      [],
    );
    for (const bad of [
      '<testsuites><testsuite name="a" name="b" tests="0"/></testsuites>',
      '<testsuites><testsuite name="a&b" tests="0"/></testsuites>',
      '<testsuites><testsuite name="a" tests="0">\u0001</testsuite></testsuites>',
      '<testsuites><testsuite name="a" tests="2"><testcase name="x" classname="c" time="0"/></testsuite></testsuites>',
      '<testsuites><testsuite name="a" tests="1"><testcase name="x" time="0"/></testsuite></testsuites>',
      '<testsuites><testsuite name="a" tests="0"></testsuites>',
    ])
      expect(validateJUnit(bad).problems.length, bad).toBeGreaterThan(0);
  });

  it('the table and the Markdown summary show page text as text', async () => {
    const summaries = (await sampleResults()).map(summarize);
    const text = table(summaries);
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u202e');
    expect(text).toContain('✘ not verified');
    expect(text).toContain('(expected verified)');
    expect(text).toContain('Fix: ');
    expect(text).toContain('✘ error');
    expect(text).toMatch(/3 pages: 1 verified, 1 not verified, 1 could not be checked\. 2 not as expected\.\n$/);
    expect(table(summaries, { color: true })).toContain('\u001b[31m');
    const md = markdownSummary(summaries, { version: '0.1.0', generatedAt: new Date(NOW) });
    expect(md).toContain('| | Page | Verdict | Expected | Failing checks and fixes |');
    const rows = md.split('\n').filter((l) => l.startsWith('| ❌') || l.startsWith('| ✅'));
    expect(rows).toHaveLength(3);
    expect(rows[2]).toContain('ok.example'); // pages not as expected come first
    expect(md).not.toContain('\u202e');
    // Page text is inert: inside code spans (whose fence it cannot close) or escaped.
    const outsideCode = md.replace(/(`+)[^`]*?(?:`(?!`)[^`]*?)*?\1/g, '');
    expect(outsideCode).not.toMatch(/<b>|\]\(|!\[/);
    for (const row of rows) expect(row.replace(/\\\|/g, '').split('|').length).toBe(7); // no page text splits a cell
  });

  it('progress: one line per page in a log, a bar redrawn in place on a terminal, nothing with --quiet', async () => {
    const results = await sampleResults();
    const lines: string[] = [];
    const log = createProgress({ isTTY: false, write: (t: string) => lines.push(t) }, 3);
    for (const r of results) log.page(r);
    log.end();
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\[1\/3\] not-verified .* NOT AS EXPECTED\n$/);
    expect(lines[2]).toMatch(/^\[3\/3\] error \(unreachable\) https:\/\/down\.example\/ /);
    const screen: string[] = [];
    const bar = createProgress({ isTTY: true, columns: 80, write: (t: string) => screen.push(t) }, 3);
    for (const r of results) bar.page(r);
    bar.end();
    expect(screen.every((s) => s.startsWith('\r\u001b[2K'))).toBe(true);
    expect(screen.at(-2)).toMatch(/\] 3\/3 2 not as expected/);
    expect(screen.every((s) => s.length < 200)).toBe(true);
    const quiet: string[] = [];
    const none = createProgress({ isTTY: true, write: (t: string) => quiet.push(t) }, 3, 'none');
    for (const r of results) none.page(r);
    none.end();
    expect(quiet).toEqual([]);
  });
});
