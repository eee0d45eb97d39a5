import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/shared/analysis/index.ts';
import { addEntry, EMPTY_NETWORK } from '../../src/shared/analysis/network.ts';
import { EventKind } from '../../src/shared/protocol.ts';
import { buildReport, REPORT_SCHEMA_VERSION, toMarkdown } from '../../src/shared/report-export.ts';
import { KEY, report, TOKEN } from './support/report.ts';

const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);
const opts = { generatedAt: new Date(NOW), toolVersion: '0.1.0' };
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
