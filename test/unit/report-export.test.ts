import { describe, expect, it } from 'vitest';
import { buildReport, REPORT_SCHEMA_VERSION, toMarkdown } from '../../src/panel/format/report-export.ts';
import { visible } from '../../src/panel/format/visible-text.ts';
import { diagnose } from '../../src/shared/analysis/index.ts';
import { addEntry, EMPTY_NETWORK } from '../../src/shared/analysis/network.ts';
import { EventKind } from '../../src/shared/protocol/wire.ts';
import { readInline, tableCells } from './helpers/markdown-reader.ts';
import { KEY, report, TOKEN, US_CAPTURE } from './support/report.ts';

const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);
const opts = { generatedAt: new Date(NOW), toolVersion: '0.1.0' };
const exportOpts = (includeToken: boolean) => ({ ...opts, includeToken });
const CANARY_KEY = 'made-up-canary-api-key-0042';

function scenario() {
  const r = report()
    .snippet(KEY, undefined, { talk: { token: TOKEN, cookiePath: '/testautomation/' } })
    .event(EventKind.SetVerifiedSession, 'talk.setVerifiedSession', [{ token: TOKEN }])
    .widget(false)
    .build();
  const network = addEntry(EMPTY_NETWORK, {
    request: { method: 'POST', url: 'https://api.ap3api.com/v1/talk/session', headers: [{ name: 'X-Api-Key', value: CANARY_KEY }] },
    response: { status: 200 },
  });
  return diagnose(r, network, NOW);
}

describe('exports', () => {
  it('JSON: versioned, token only as a fingerprint by default, never an API key', () => {
    const out = buildReport(scenario(), { ...opts, includeToken: false });
    expect(out.schema).toBe('talk-inspector-report');
    expect(out.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(out.token?.fingerprint).toMatch(/^[0-9a-f]{12}$/);
    const text = JSON.stringify(out);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(TOKEN.slice(0, 20));
    expect(text).not.toContain(CANARY_KEY);
    expect(out.timeline.some((e) => e.args?.includes(`sha256:${out.token?.fingerprint}`))).toBe(true);
    expect(out.configuration.instance).toBe('testautomation');
    expect(out.checklist.length).toBeGreaterThan(10);
  });

  it('includes the token only when asked, and still never the API key', () => {
    const out = buildReport(scenario(), { ...opts, includeToken: true });
    expect(out.token?.value).toBe(TOKEN);
    expect(JSON.stringify(out)).not.toContain(CANARY_KEY);
  });

  it('Markdown: verdict first, a checklist table, no secrets', () => {
    const md = toMarkdown(buildReport(scenario(), { ...opts, includeToken: false }));
    expect(md.split('\n')[2]).toContain('**');
    expect(md).toContain('| Check | Result | Evidence | Fix |');
    expect(md).toContain('The page does not request tokens itself | ❌ fail');
    expect(md).not.toContain(TOKEN);
    expect(md).not.toContain(CANARY_KEY);
  });

  it('escapes page text that would break the Markdown table', () => {
    const r = report().snippet('a|b\nc').build();
    const md = toMarkdown(buildReport(diagnose(r, null, NOW), { ...opts, includeToken: false }));
    const row = md.split('\n').find((l) => l.startsWith('| Capture key is a valid Ortto key'));
    expect(row).toBeDefined();
    expect(row?.split(/(?<!\\)\|/).length).toBe(6);
  });
});

/** The issue's capture key, and every other way page text could become Markdown. */
const EVIL =
  '\n\n# ✅ Verified — nothing to fix\n[Open the fix](javascript:alert(1)) <img src=x onerror=alert(1)> | cell|break `tick`` ``` \r\n CR\r' +
  '**bold** _it_ &#x202E; ![i](x.png) www.evil.example https://evil.example/ a@evil.example \\';
const HEADINGS = ['# Talk Inspector report', '## Checklist', '## Configuration', '## Token', '## Timeline'];

/** Everything in the document is our structure or text that renders as written. */
function expectInert(md: string): string[] {
  expect(md).not.toMatch(/[\r\u2028\u2029]/);
  const lines = md.split('\n');
  expect(lines.filter((l) => /^ {0,3}#/.test(l))).toEqual(HEADINGS);
  for (const [i, line] of lines.entries()) {
    expect(line).toMatch(/^(|#{1,2} [A-Z].*|\*\*.*\*\*|- .*|\| .* \||\|---\|---\|---\|---\||No token\.)$/);
    if (line.startsWith('#') || line === '|---|---|---|---|') continue;
    let bare = readInline(line).bare.replace('*(empty)*', ''); // ours, for an empty value
    if (i === 2) bare = bare.slice(2, -2); // the verdict's own **bold**
    if (line.startsWith('| ')) {
      // GFM splits rows before it reads code spans: a cell's text is read on its own.
      const cells = tableCells(line);
      expect(cells, line.slice(0, 80)).toHaveLength(6);
      expect(readInline(line).code).toEqual([]);
      bare = cells
        .slice(1, -1)
        .map((c) => readInline(c).bare)
        .join('');
    }
    expect(bare, line.slice(0, 120)).not.toMatch(/[<>[\]&`*_~$|!#@\\]/);
    expect(bare).not.toContain('://');
    expect(bare.toLowerCase()).not.toContain('www.');
  }
  return lines;
}

/** The one code span a "- Label: value" line holds after its label. */
function labelValue(lines: string[], label: string): { code: string[]; after: string } {
  const line = lines.find((l) => l.startsWith(`- ${label}: `));
  if (line === undefined) throw new Error(`no "${label}" line`);
  const read = readInline(line.slice(label.length + 4));
  return { code: read.code, after: read.bare };
}

describe('Markdown with page text that tries to be markup', () => {
  const visibleEvil = visible(EVIL);

  it('a loaded snippet: page URL, capture key and URL, script URL, cookiePath and token are code spans holding exactly the value', () => {
    const r = report()
      .snippet(EVIL, EVIL, { talk: { token: EVIL, cookiePath: EVIL } })
      .with({ url: EVIL, scripts: [EVIL], talkSessionCalls: [EVIL] })
      .build();
    const lines = expectInert(toMarkdown(buildReport(diagnose(r, null, NOW), { ...opts, includeToken: true })));
    for (const label of ['Page', 'Capture key', 'Capture script', 'cookiePath', 'Value']) {
      expect(labelValue(lines, label), label).toEqual({ code: [visibleEvil], after: '' });
    }
    expect(labelValue(lines, 'Capture URL').code).toEqual([visibleEvil]);
    // Evidence quoting page values: rendered text holds the value, as text.
    const rendered = (id: string): string => readInline(lines.find((l) => l.startsWith(`| ${id} |`)) ?? '').text;
    expect(rendered('cookiePath is well formed')).toContain(`cookiePath "${visibleEvil}" must start with "/"`);
    expect(rendered('Capture script (app.js) loaded')).toContain(`from ${visibleEvil}`);
    expect(rendered('The page does not request tokens itself')).toContain(`The page called ${visibleEvil}`);
    // The timeline's arguments too.
    expect(lines.filter((l) => l.includes('ap3c.init called')).flatMap((l) => readInline(l).code)[0]).toContain('[Open the fix](javascript:alert(1))');
  });

  it('a blocked script: failing evidence with page URLs, network URLs and the verdict stay text', () => {
    const r = report()
      .event(EventKind.Ap3cAssigned, 'ap3c', undefined, 'an object')
      .with({ url: EVIL, scriptErrors: [EVIL] })
      .build();
    const network = addEntry(EMPTY_NETWORK, { request: { method: 'GET', url: `https://cdn3l.ink/app.js?${EVIL}` }, response: { status: 0 } });
    const lines = expectInert(toMarkdown(buildReport(diagnose(r, network, NOW), exportOpts(false))));
    const row = lines.find((l) => l.startsWith('| Capture script (app.js) loaded |')) ?? '';
    expect(readInline(row).text).toContain(`${visibleEvil} failed to load`);
  });

  it('the verdict sentence quoting evidence stays text', () => {
    const r = report()
      .snippet(KEY, undefined, { talk: { token: '[object Object]' } })
      .build();
    const lines = expectInert(toMarkdown(buildReport(diagnose(r, null, NOW), exportOpts(false))));
    expect(readInline(lines[2] ?? '').text).toBe(
      '**Not verified because the token on the page is not a real token: The token is the text "[object Object]": the value was missing when the page was built.**',
    );
  });

  it('a very long value stays one code span, an empty one says so', () => {
    // Under the recorder's 16 KiB string limit, so the report keeps all of it.
    const long = `${'`'.repeat(9)}${'|'.repeat(5_000)}${'x\n'.repeat(4_000)}\``;
    const r = report().snippet(long, '').build();
    const lines = expectInert(toMarkdown(buildReport(diagnose(r, null, NOW), exportOpts(false))));
    expect(labelValue(lines, 'Capture key')).toEqual({ code: [visible(long)], after: '' });
    expect(lines.find((l) => l.startsWith('- Capture key: '))?.startsWith(`- Capture key: ${'`'.repeat(10)} `)).toBe(true);
    expect(lines.find((l) => l.startsWith('- Capture URL: '))).toMatch(/^- Capture URL: \*\(empty\)\* \(/);
  });

  it('bidi and invisible characters: shown as ⟨U+XXXX⟩ in Markdown, exact in the JSON values (timeline args are display text)', () => {
    const key = 'KEY-\u202ecba\u202c';
    const url = 'https://shop.example/\u2066admin\u2069\u200b';
    const r = report()
      .snippet(key, US_CAPTURE, { talk: { token: TOKEN, cookiePath: '/x\u2067/' } })
      .with({ url, scripts: ['https://cdn3l.ink/app.js\ufeff\u061c'] })
      .build();
    const exported = buildReport(diagnose(r, null, NOW), exportOpts(false));
    const md = toMarkdown(exported);
    expectInert(md);
    expect(md.replace(/\n/g, '')).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
    const lines = md.split('\n');
    expect(labelValue(lines, 'Capture key').code).toEqual(['KEY-⟨U+202E⟩cba⟨U+202C⟩']);
    expect(labelValue(lines, 'Page').code).toEqual(['https://shop.example/⟨U+2066⟩admin⟨U+2069⟩⟨U+200B⟩']);
    expect(labelValue(lines, 'cookiePath').code).toEqual(['/x⟨U+2067⟩/']);
    expect(labelValue(lines, 'Capture script').code).toEqual(['https://cdn3l.ink/app.js⟨U+FEFF⟩⟨U+061C⟩']);
    // JSON keeps machine data exact: a consumer compares it with what the page holds.
    expect(exported.configuration.captureKey).toBe(key);
    expect(exported.page.url).toBe(url);
    expect(exported.configuration.cookiePath).toBe('/x\u2067/');
    expect(exported.timeline.find((e) => e.event === 'ap3c.init called')?.args).toContain('"KEY-⟨U+202E⟩cba⟨U+202C⟩"');
  });

  it('a load that ran a fix tried on reload says so (JSON and Markdown), the token only as its fingerprint', () => {
    const r = report()
      .event(EventKind.FixTried, 'applied', [{ token: TOKEN, cookiePath: '/testautomation/' }], 'applied')
      .snippet(KEY, US_CAPTURE, { talk: { token: TOKEN, cookiePath: '/testautomation/' } })
      .widget(false)
      .build();
    const out = buildReport(diagnose(r, null, NOW), exportOpts(false));
    expect(out.fixTried?.applied).toBe(true);
    expect(out.fixTried?.changes[0]).toMatch(/^talk\.token sha256:[0-9a-f]{12}$/);
    expect(out.fixTried?.changes[1]).toBe('talk.cookiePath "/testautomation/"');
    expect(JSON.stringify(out)).not.toContain(TOKEN.slice(0, 12));
    expect(toMarkdown(out)).toContain('This load ran a fix tried with Talk Inspector (Try on reload), not the site’s own ap3c.init options');
    expect(buildReport(scenario(), exportOpts(false)).fixTried).toBeUndefined();
  });
});
