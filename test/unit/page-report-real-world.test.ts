/** Issue 13: the background keeps the new facts of a document (the relay's DOM facts, the recorder's ap3Options). */
import { describe, expect, it } from 'vitest';
import { reportFromUpdate } from '../../src/background/state/page-report.ts';
import { PageReportSchema } from '../../src/shared/protocol/model.ts';
import type { PageUpdate } from '../../src/shared/protocol/relay.ts';
import { parseMessage } from '../../src/shared/protocol/schema.ts';

const DOC = '0123456789abcdef';
const batch = (full: boolean, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ kind: 'batch', recorderDocId: DOC, full, late: false, events: [], dropped: 0, ap3c: { state: 'absent' }, ...extra });
const dom: PageUpdate['dom'] = {
  widget: { present: false, inBody: false, visible: false, shadow: 'closed-or-none', notVerifiedLabel: null, text: '' },
  scripts: [],
  scriptErrors: ['https://cmp.example/core/v4/appcues.js'],
  talkSessionCalls: [],
  widgetInteractedAt: null,
  csp: [{ directive: 'script-src-elem', blocked: 'https://cdn3l.ink/app.js', disposition: 'enforce', policy: "script-src 'self'", t: 5 }],
  snippetScripts: ['https://cmp.example/core/v4/appcues.js'],
  ap3cDefinedIn: 'https://shop.example/snippet.js',
  captureScriptLoads: 2,
  captureScriptElements: 1,
};
const update = (batches: string[], d: PageUpdate['dom'] = dom): PageUpdate => ({
  relayDocId: 'relay-1',
  url: 'https://shop.example/',
  timeOrigin: 1000,
  activeSince: 1000,
  batches,
  dom: d,
});

describe('the report keeps issue 13’s facts', () => {
  it('CSP violations, the snippet’s script, capture-script counts and ap3Options reach a valid report', () => {
    const options = { t: 'obj', entries: [['tracking_key', 'KEY']], more: 0 };
    const r = reportFromUpdate(null, update([batch(true, { ap3Options: options })]), []);
    expect(r.csp?.[0]?.blocked).toBe('https://cdn3l.ink/app.js');
    expect(r.snippetScripts).toEqual(['https://cmp.example/core/v4/appcues.js']);
    expect(r.ap3cDefinedIn).toBe('https://shop.example/snippet.js');
    expect([r.captureScriptLoads, r.captureScriptElements]).toEqual([2, 1]);
    expect(r.ap3Options).toEqual(options);
    expect(parseMessage(PageReportSchema, r)).toBeTruthy();
    // A later update without a batch keeps the recorder's view, ap3Options included.
    expect(reportFromUpdate(r, update([]), []).ap3Options).toEqual(options);
  });

  it('an update from an older relay (none of the new fields) is still valid', () => {
    const { csp: _c, snippetScripts: _s, ap3cDefinedIn: _a, captureScriptLoads: _l, captureScriptElements: _e, ...old } = dom;
    const r = reportFromUpdate(null, update([batch(true)], old), []);
    expect(parseMessage(PageReportSchema, r)).toBeTruthy();
    expect(r.csp).toBeUndefined();
  });
});
