/**
 * `talk-inspector check` end to end: the command as a user runs it (node bin/talk-inspector.js, a
 * process of its own) with the shipped dist/chrome, against the simulator's pages. Each run starts
 * one Chromium; the sitemap runs use a few dozen URLs at high concurrency (the 1,000-URL memory
 * run is `npm run bench:check`, docs/check.md).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { checkOutputSchema } from '../../tools/check/report-schema.ts';
import { validateJUnit, type XmlElement } from '../unit/helpers/junit-xml.ts';
import { documentedCheckIds } from '../unit/helpers/report-doc.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/talk-inspector.js');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

let sim: Simulator;
let dir: string;

beforeAll(async () => {
  sim = await startSimulator();
  dir = mkdtempSync(join(tmpdir(), 'ti-check-'));
});

afterAll(async () => {
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: dir, env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

// biome-ignore lint/suspicious/noExplicitAny: JSON read back for assertions, after the schema check
type Json = any;

const sha12 = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 12);

/** Every Talk token the simulator's pages sent to -/widgets/get so far (as `tt`). */
function tokensSent(): string[] {
  return sim
    .requests({ path: '-/widgets/get' })
    .map((r) => {
      try {
        return String((JSON.parse(r.body) as { tt?: string }).tt ?? '');
      } catch {
        return new URLSearchParams(r.body).get('tt') ?? '';
      }
    })
    .filter((t) => t.length > 8);
}

describe('talk-inspector check', () => {
  it('gives each page the verdict the panel gives, from the extension; JSON, JUnit and Markdown; a page not as expected exits 1', async () => {
    const o = sim.origin;
    const list = [
      [`${o}/pages/standard.html`, 'not-verified', 'token-present'],
      [`${o}/pages/verified.html`, 'verified', null],
      [`${o}/pages/disable-talk.html`, 'no-talk', 'talk-enabled'],
      [`${o}/pages/no-snippet.html`, 'no-snippet', 'snippet-present'],
      [`${o}/pages/script-fails.html`, 'not-verified', 'script-loaded'],
      // Only the network evidence (widgets/get answered, widget still "Not verified") names this cause.
      [`${o}/pages/token-other-instance.html`, 'not-verified', 'token-accepted'],
      // Verified only after the --login-script signed in.
      [`${o}/pages/spa-login.html`, 'verified', null],
      // Deliberately wrong: this page is not verified.
      [`${o}/pages/standard.html?n=2`, 'verified', 'token-present'],
    ] as const;
    writeFileSync(join(dir, 'pages.txt'), `# one page per verdict\n${list.map(([url, expect]) => `${url} ${expect}`).join('\n')}\n`);
    writeFileSync(join(dir, 'login.js'), "const button = document.querySelector('#login');\nif (button) button.click();\n");
    sim.reset();
    const run = await cli([
      'check',
      '--urls',
      'pages.txt',
      '--login-script',
      'login.js',
      '--json',
      '--junit',
      'out/junit.xml',
      '--markdown',
      'out/summary.md',
      '-c',
      '3',
    ]);
    expect(run.code, run.stderr).toBe(1);

    // JSON: one array, in list order, every entry valid against docs/report-schema.md.
    const json: Json[] = JSON.parse(run.stdout);
    const valid = v.safeParse(checkOutputSchema(documentedCheckIds()), json);
    expect(valid.issues?.map((i) => `${v.getDotPath(i)}: ${i.message}`) ?? []).toEqual([]);
    expect(json.map((r) => r.page.url)).toEqual(list.map(([url]) => url));
    const kind = { verified: 'verified', 'not-verified': 'not-verified', 'no-talk': 'talk-disabled', 'no-snippet': 'no-snippet' } as const;
    list.forEach(([, expect_, rule], i) => {
      const r = json[i];
      expect(r.verdict.ruleId, r.page.url).toBe(rule);
      if (i < list.length - 1) expect(r.verdict.kind, r.page.url).toBe(kind[expect_]);
      expect(r.check.expected).toBe(expect_);
      expect(r.check.asExpected).toBe(i < list.length - 1);
      expect(r.tool.version).toBe(VERSION);
    });
    // Network evidence read over CDP, as the panel's DevTools evidence: the token it saw sent is the page's.
    const verified = json[1];
    expect(verified.network.scripts[0]).toMatchObject({ status: 200, error: null });
    expect(verified.network.widgetsGets[0]).toMatchObject({ status: 200, tk: true, tokenFingerprint: verified.token.fingerprint });
    expect(json[4].network.scripts[0].url).toContain('/missing/app.js');
    // Tokens only as fingerprints, in every output.
    const sent = tokensSent();
    expect(sent.length).toBeGreaterThan(2);
    expect(sent.map(sha12)).toContain(verified.token.fingerprint);
    expect(verified.token.value).toBeUndefined();
    const junit = readFileSync(join(dir, 'out/junit.xml'), 'utf8');
    const markdown = readFileSync(join(dir, 'out/summary.md'), 'utf8');
    for (const token of sent) for (const text of [run.stdout, run.stderr, junit, markdown]) expect(text).not.toContain(token);

    // JUnit: valid; a suite per page; the mismatch fails its verdict case; a failing check carries evidence and fix.
    const { problems, root } = validateJUnit(junit);
    expect(problems).toEqual([]);
    const suites = root?.children ?? [];
    expect(suites.map((s) => s.attrs.name)).toEqual(list.map(([url]) => url));
    const caseOf = (suite: XmlElement | undefined, prefix: string) => suite?.children.find((c) => c.name === 'testcase' && c.attrs.name?.startsWith(prefix));
    expect(caseOf(suites[7], 'verdict')?.children[0]).toMatchObject({ name: 'failure', attrs: { type: 'verdict' } });
    expect(caseOf(suites[0], 'verdict')?.children.some((c) => c.name === 'failure')).toBe(false);
    const scriptCase = caseOf(suites[4], 'script-loaded:')?.children[0];
    expect(scriptCase?.name).toBe('failure');
    expect(scriptCase?.text).toMatch(/Evidence: .*missing\/app\.js[\s\S]*\nFix: /);
    expect(suites[1]?.children.filter((c) => c.name === 'testcase').length).toBe(json[1].checklist.length + 2);

    // Markdown: the page not as expected first.
    expect(markdown).toMatch(/^## Talk Inspector check\n\n\*\*8 pages: .*1 not as expected\.\*\*/);
    const rows = markdown.split('\n').filter((l) => /^\| (✅|❌|➖) \|/.test(l));
    expect(rows).toHaveLength(8);
    expect(rows[0]).toMatch(/^\| ❌ \| `[^`]*standard\.html\?n=2`/);

    // Progress: stderr is not a terminal here, so one line per page.
    expect(run.stderr.split('\n').filter((l) => /^\[\d\/8\] /.test(l))).toHaveLength(8);
  });

  it('--hook signs in with puppeteer before the check; --include-token puts the token in, as the panel can', async () => {
    writeFileSync(
      join(dir, 'sign-in.mjs'),
      "export default async function ({ page }) {\n  await page.click('#login');\n  await page.waitForFunction(() => document.body.innerText.includes('Logged in'));\n}\n",
    );
    sim.reset();
    const run = await cli(['check', `${sim.origin}/pages/spa-login.html`, '--hook', 'sign-in.mjs', '--expect', 'verified', '--include-token', '--json', '-q']);
    expect(run.code, run.stderr).toBe(0);
    const [report] = JSON.parse(run.stdout) as Json[];
    expect(report.verdict.kind).toBe('verified');
    expect(report.token.source).toBe('setVerifiedSession');
    expect(tokensSent()).toContain(report.token.value);
    expect(report.token.fingerprint).toBe(sha12(report.token.value));
  });

  it('--hook gets { page, url, browser }; --before runs in the page; a hook or script that throws fails its page alone (error kind script)', async () => {
    writeFileSync(
      join(dir, 'look.mjs'),
      "export default async function ({ page, url, browser }) {\n  if (!url.includes('/pages/')) throw new Error('no url');\n  if (!(await browser.version()).includes('Chrom')) throw new Error('no browser');\n  if (new URL(url).searchParams.get('n') === '2') throw new Error('the sign-in form is not there');\n  await page.evaluate(() => { window.__hookRan = true; });\n}\n",
    );
    const o = sim.origin;
    const run = await cli([
      'check',
      `${o}/pages/verified.html?n=1`,
      `${o}/pages/verified.html?n=2`,
      '--hook',
      'look.mjs',
      '--before',
      "if (!window.__hookRan) throw new Error('the hook did not run first');",
      '--json',
      '-q',
    ]);
    expect(run.code, run.stderr).toBe(1);
    const [ok, failed] = JSON.parse(run.stdout) as Json[];
    expect(ok.verdict.kind).toBe('verified');
    expect(failed).toMatchObject({
      schema: 'talk-inspector-check-error',
      error: { kind: 'script', message: 'The --hook module failed: the sign-in form is not there' },
    });
    const before = await cli(['check', `${o}/pages/verified.html`, '--before', "throw new Error('no form here')", '--json', '-q']);
    expect(before.code, before.stderr).toBe(1);
    const [beforeFailed] = JSON.parse(before.stdout) as Json[];
    expect(beforeFailed.error.kind).toBe('script');
    expect(beforeFailed.error.message).toMatch(/^The --before script threw: (Error: )?no form here$/);
  });

  it('a page that never finishes loading and a host that does not resolve fail alone; the table says why', async () => {
    const o = sim.origin;
    const run = await cli([
      'check',
      `${o}/pages/standard.html?slow-body=10000`,
      'http://nowhere.invalid/',
      `${o}/pages/verified.html`,
      '--timeout',
      '6000',
      '--concurrency',
      '3',
      // No DNS is asked: the name fails the way an unknown host does, on any machine.
      '--chromium-arg=--host-resolver-rules=MAP nowhere.invalid ~NOTFOUND',
    ]);
    expect(run.code, run.stderr).toBe(1);
    const out = run.stdout;
    expect(out).toMatch(/✘ error +http:\/\/127\.0\.0\.1:\d+\/pages\/standard\.html\?slow-body=10000\n {4}The page did not finish loading within 6000 ms/);
    expect(out).toMatch(/✘ error +http:\/\/nowhere\.invalid\/\n {4}The host name does not resolve \(net::ERR_NAME_NOT_RESOLVED\)/);
    expect(out).toMatch(/• verified +http:\/\/127\.0\.0\.1:\d+\/pages\/verified\.html\n {4}Verified/);
    expect(out).toMatch(/3 pages: 1 verified, 2 could not be checked\. 2 not as expected\.\n$/);
  });

  it('a sitemap split into two shards: disjoint, together the whole sitemap, every page as expected (exit 0)', async () => {
    const sitemap = `${sim.origin}/sitemap.xml?pages=standard&count=16`;
    const all = [...(await (await fetch(sitemap)).text()).matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => (m[1] ?? '').replace(/&amp;/g, '&'));
    expect(all).toHaveLength(16);
    const runs = await Promise.all(
      ['1/2', '2/2'].map((shard) => cli(['check', '--sitemap', sitemap, '--shard', shard, '--expect', 'not-verified', '--json', '-c', '4', '--quiet'])),
    );
    const urls = runs.map((run) => {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toBe('');
      const json: Json[] = JSON.parse(run.stdout);
      expect(v.safeParse(checkOutputSchema(documentedCheckIds()), json).success).toBe(true);
      for (const r of json) expect(r.verdict.kind).toBe('not-verified');
      return json.map((r) => r.page.url as string);
    });
    expect(urls[0]).toHaveLength(8);
    expect(urls[1]).toHaveLength(8);
    expect(urls[0]?.filter((u) => urls[1]?.includes(u))).toEqual([]);
    expect([...(urls[0] ?? []), ...(urls[1] ?? [])].sort()).toEqual([...all].sort());
  });

  it('usage errors exit 2 before any browser starts, with the reason', async () => {
    writeFileSync(join(dir, 'bad.txt'), 'https://example.com/\nexample.com/shop\n');
    // A port nothing listens on: taken, then given back.
    const closed = await new Promise<number>((done) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => done(port));
      });
    });
    const cases: [string[], RegExp][] = [
      [['check', 'not a url'], /"not a url" is not a URL\./],
      [['check', 'ftp://example.com/'], /not an http or https URL/],
      [['check', '--urls', 'bad.txt'], /bad\.txt, line 2: "example\.com\/shop" is not a URL \(did you mean https:\/\/example\.com\/shop \?\)/],
      [['check', '--urls', 'missing.txt'], /Cannot read the --urls file missing\.txt: ENOENT/],
      [['check', 'https://example.com/', '--expect', 'green'], /--expect takes one of/],
      [['check', 'https://example.com/', '--shard', '3/2'], /--shard takes i\/n/],
      [
        ['check', '--sitemap', `http://127.0.0.1:${closed}/sitemap.xml`],
        new RegExp(`Could not read the sitemap http://127\\.0\\.0\\.1:${closed}/sitemap\\.xml: .*ECONNREFUSED`),
      ],
    ];
    const runs = await Promise.all(cases.map(([args]) => cli(args)));
    runs.forEach((run, i) => {
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(cases[i]?.[1] ?? /never/);
      expect(run.stdout).toBe('');
    });
  });

  it('a browser that cannot start exits 2 with the reason and the command that fixes it', async () => {
    const url = `${sim.origin}/pages/standard.html`;
    mkdirSync(join(dir, 'not-an-extension'), { recursive: true });
    const [noChromium, noBuild] = await Promise.all([
      cli(['check', url], { CHROMIUM_PATH: join(dir, 'no-such-chromium') }),
      cli(['check', url, '--extension', 'not-an-extension']),
    ]);
    expect(noChromium.code).toBe(2);
    expect(noChromium.stderr).toMatch(/Chromium could not start: CHROMIUM_PATH is set to .*no-such-chromium, but no file is there\./);
    expect(noBuild.code).toBe(2);
    expect(noBuild.stderr).toMatch(
      /No Chrome build of Talk Inspector in .*not-an-extension \(no manifest\.json\)\. Pass the folder of an unpacked Chrome build/,
    );
  });

  it('--help reads like a manual page; --version is the package version', async () => {
    const [help, version] = await Promise.all([cli(['check', '--help']), cli(['--version'])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^TALK-INSPECTOR-CHECK\(1\)/);
    for (const heading of ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'EXIT STATUS', 'EXAMPLES']) expect(help.stdout).toMatch(new RegExp(`^${heading}$`, 'm'));
    expect(version).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });
});
