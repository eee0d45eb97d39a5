/** Issue 13's facts in the exported report (docs/report-schema.md): optional fields within schema version 1. */
import { describe, expect, it } from 'vitest';
import { buildReport, REPORT_SCHEMA_VERSION, toMarkdown } from '../../src/panel/format/report-export.ts';
import { diagnose } from '../../src/shared/analysis/index.ts';
import { EventKind } from '../../src/shared/protocol/wire.ts';
import { KEY, report, US_CAPTURE } from './support/report.ts';

const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);
const opts = { generatedAt: new Date(NOW), toolVersion: '0.1.0', includeToken: false };

describe('export of the real-world facts', () => {
  it('integration, key creation date, config source, loads, the snippet script, CSP findings, lifecycle and page errors', () => {
    const r = report()
      .snippet(KEY, US_CAPTURE)
      .event(EventKind.PageError, 'error', ['Uncaught TypeError: ap3c.track is not a function', 'https://shop.example/', 3])
      .event(EventKind.Ap3cAssigned, 'ap3c', undefined, 'undefined')
      .with({
        ap3c: { state: 'absent' },
        captureScriptElements: 2,
        snippetScripts: ['https://cdn3l.ink/app.js'],
        csp: [
          {
            directive: 'connect-src',
            blocked: 'https://capture-api.autopilotapp.com/-/widgets/get',
            disposition: 'enforce',
            policy: "connect-src 'self'",
            t: 9,
          },
        ],
      })
      .build();
    const out = buildReport(diagnose(r, null, NOW), opts);
    expect(out.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(out.configuration).toMatchObject({
      keyCreatedAt: '2021-05-25T04:05:27.000Z',
      integration: { kind: 'snippet', basis: 'seen' },
      configSource: 'call',
      snippetScript: { url: 'https://cdn3l.ink/app.js', source: 'dom' },
      captureScriptLoads: 2,
    });
    expect(out.csp).toEqual([
      {
        target: 'capture-api',
        directive: 'connect-src',
        blocked: 'https://capture-api.autopilotapp.com/-/widgets/get',
        disposition: 'enforce',
        policyDirective: "connect-src 'self'",
      },
    ]);
    expect(out.ap3cLifecycle).toMatchObject({ removed: true, replacedAt: null });
    expect(out.ap3cLifecycle?.removedAt).toBeGreaterThan(0);
    expect(out.pageErrors?.[0]?.message).toBe('Uncaught TypeError: ap3c.track is not a function');
    const md = toMarkdown(out);
    expect(md).toContain('created 2021-05-25');
    expect(md).toContain('loaded 2 times');
  });
});
