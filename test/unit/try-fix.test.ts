/** "Try on reload" (issue 18): the panel's plan, the background's handover decisions, the try client and the port message. */
import { describe, expect, it } from 'vitest';
import { handoverStep, TRY_TIMEOUT_MS, tryOrigin } from '../../src/background/state/try-fix.ts';
import { createTryClient, LOST_TRY, type TryState } from '../../src/panel/try-fix/client.ts';
import {
  captureCodeWithFix,
  draftProblems,
  EMPTY_DRAFT,
  fixSuggestions,
  fixTriedOn,
  initPreview,
  optionsWithFix,
  overrideOf,
} from '../../src/panel/try-fix/fix-plan.ts';
import { diagnose } from '../../src/shared/analysis/index.ts';
import { NoteCode } from '../../src/shared/notes.ts';
import { type PanelMessage, PanelMessageSchema, PortMsg } from '../../src/shared/protocol/panel.ts';
import { parseMessage } from '../../src/shared/protocol/schema.ts';
import { EventKind } from '../../src/shared/protocol/wire.ts';
import { snapshot } from '../../src/shared/snapshot.ts';
import { makeReport, makeTabState } from './helpers/report.ts';
import { EU_CAPTURE, KEY, report, TOKEN, US_CAPTURE } from './support/report.ts';

const NOW = Date.UTC(2026, 10, 25, 9, 1, 0);
const diag = (r: ReturnType<ReturnType<typeof report>['build']>) => diagnose(r, null, NOW);

describe('fixSuggestions', () => {
  it('offers the capture key’s instance for a cookiePath of another instance', () => {
    const d = diag(
      report()
        .snippet(KEY, US_CAPTURE, { talk: { token: TOKEN, cookiePath: '/otherinstance/' } })
        .widget(true)
        .build(),
    );
    expect(fixSuggestions(d)['cookie-path-instance']).toEqual({ draft: { cookiePath: '/testautomation/' }, needs: null });
  });

  it('offers a malformed cookiePath the right one', () => {
    const d = diag(
      report()
        .snippet(KEY, US_CAPTURE, { talk: { token: TOKEN, cookiePath: 'testautomation' } })
        .widget(true)
        .build(),
    );
    expect(fixSuggestions(d)['cookie-path-well-formed']?.draft).toEqual({ cookiePath: '/testautomation/' });
  });

  it('asks for a token where none is given, and turns Talk on where the page turns it off', () => {
    const noToken = diag(report().snippet().widget(true).build());
    expect(fixSuggestions(noToken)['token-present']).toEqual({ draft: {}, needs: 'token' });
    const off = diag(report().snippet(KEY, US_CAPTURE, { disableTalk: true }).build());
    expect(fixSuggestions(off)['talk-enabled']).toEqual({ draft: { talkOn: true }, needs: null });
  });

  it('offers the script’s region capture URL when the two disagree', () => {
    const d = diag(report().snippet(KEY, EU_CAPTURE).build());
    expect(fixSuggestions(d)['region-known']?.draft.captureUrl).toBe('https://capture-api.autopilotapp.com/');
  });

  it('offers nothing without an init call to rewrite, nor on a load that already ran a tried fix', () => {
    expect(fixSuggestions(diag(report().loaded().build()))).toEqual({});
    const tried = report()
      .event(EventKind.FixTried, NoteCode.FixApplied, [{ cookiePath: '/testautomation/' }], 'words')
      .snippet(KEY, US_CAPTURE, { talk: { cookiePath: '/testautomation/' } })
      .widget(true)
      .build();
    expect(fixSuggestions(diag(tried))).toEqual({});
  });
});

describe('the draft', () => {
  it('keeps only the fields filled in, trimmed', () => {
    expect(overrideOf(EMPTY_DRAFT)).toBeNull();
    expect(overrideOf({ token: ' t ', cookiePath: '', talkOn: true, captureUrl: '' })).toEqual({ token: 't', talkOn: true });
  });

  it('says what is wrong in words', () => {
    expect(draftProblems(EMPTY_DRAFT)).toEqual(['Nothing to try: fill in at least one field.']);
    expect(draftProblems({ ...EMPTY_DRAFT, captureUrl: 'javascript:alert(1)' })[0]).toContain('web address');
    expect(draftProblems({ ...EMPTY_DRAFT, cookiePath: 'acme' })[0]).toContain('starts and ends with "/"');
    expect(draftProblems({ ...EMPTY_DRAFT, token: 'a b' })[0]).toContain('spaces');
    expect(draftProblems({ ...EMPTY_DRAFT, cookiePath: '/acme/' })).toEqual([]);
  });
});

describe('what ap3c.init will get', () => {
  it('puts the override in a copy of the options, as the recorder does in the page', () => {
    const options = snapshot({ talk: { token: 'old', cookiePath: '/a/', extra: 1 }, disableTalk: true, other: 'x' });
    const out = optionsWithFix(options, { cookiePath: '/b/', talkOn: true });
    expect(out).toEqual(snapshot({ other: 'x', talk: { token: 'old', extra: 1, cookiePath: '/b/' } }));
    // The page's snapshot is unchanged.
    expect(options).toEqual(snapshot({ talk: { token: 'old', cookiePath: '/a/', extra: 1 }, disableTalk: true, other: 'x' }));
  });

  it('previews the page’s key with the changed options, tokens shortened', () => {
    const d = diag(
      report()
        .snippet(KEY, US_CAPTURE, { talk: { token: TOKEN, cookiePath: '/otherinstance/' } })
        .build(),
    );
    const text = initPreview(d.facts, { cookiePath: '/testautomation/', captureUrl: EU_CAPTURE });
    expect(text).toContain(`ap3c.init("${KEY}", "${EU_CAPTURE}", {`);
    expect(text).toContain('cookiePath: "/testautomation/"');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('otherinstance');
  });

  it('previews a two-argument init as it is: no third argument shown as `undefined`', () => {
    const d = diag(report().snippet(KEY, US_CAPTURE).build());
    expect(initPreview(d.facts, null)).toBe(`ap3c.init("${KEY}", "${US_CAPTURE}")`);
    expect(initPreview(d.facts, { cookiePath: '/testautomation/' })).toMatch(
      new RegExp(`^ap3c\\.init\\("${KEY}", "${US_CAPTURE.replace(/[./]/g, '\\$&')}", \\{`),
    );
  });

  it('writes capture code with the change (Talk on leaves disableTalk out; no token means no talk.token)', () => {
    const d = diag(report().snippet(KEY, US_CAPTURE, { disableTalk: true, keep: 1 }).build());
    const code = captureCodeWithFix(d.facts, { talkOn: true, cookiePath: '/testautomation/' }) ?? '';
    expect(code).toContain(`ap3c.init("${KEY}", "${US_CAPTURE}", {"keep": 1, "talk": {"cookiePath": "/testautomation/"}})`);
    expect(code).not.toContain('disableTalk');
    expect(code).not.toContain('"token"');
    const withToken = captureCodeWithFix(d.facts, { token: TOKEN }) ?? '';
    expect(withToken).toContain(`"talk": {"token": "${TOKEN}"}`);
    expect(withToken).toContain('"disableTalk": true');
  });
});

describe('fixTriedOn', () => {
  it('reads what a load tried, and whether its first init got it', () => {
    const applied = report()
      .event(EventKind.FixTried, NoteCode.FixApplied, [{ token: TOKEN, cookiePath: '/a/', talkOn: true, captureUrl: EU_CAPTURE }])
      .build();
    expect(fixTriedOn(applied)).toMatchObject({
      applied: true,
      changes: ['talk.token tk_4mB…3uYi', 'talk.cookiePath "/a/"', 'disableTalk / disableWidgets removed', `capture URL "${EU_CAPTURE}"`],
    });
    const late = report()
      .event(EventKind.FixTried, NoteCode.FixLate, [{ cookiePath: '/a/' }])
      .build();
    expect(fixTriedOn(late)?.applied).toBe(false);
    expect(fixTriedOn(report().snippet().build())).toBeNull();
  });
});

describe('handoverStep (background)', () => {
  const ctx = { cancelled: null, watched: true, elapsedMs: 10 };
  it('waits out the old document, a document in between and an unreachable frame', () => {
    for (const probe of ['old', 'between', 'failed'] as const) expect(handoverStep(probe, ctx)).toEqual({ done: false, waitMs: 2 });
    expect(handoverStep('old', { ...ctx, elapsedMs: 2000 })).toEqual({ done: false, waitMs: 20 });
  });

  it('is done once the new document holds the override', () => {
    expect(handoverStep('handed', ctx)).toEqual({ done: true, result: { ok: true } });
    expect(handoverStep('left', { ...ctx, watched: false })).toEqual({ done: true, result: { ok: true } });
  });

  it('drops it on another origin, a closed panel, a cancel, no recorder, or after the timeout', () => {
    const reason = (s: ReturnType<typeof handoverStep>) => (s.done && !s.result.ok ? s.result.reason : null);
    expect(reason(handoverStep('elsewhere', ctx))).toBe('elsewhere');
    expect(reason(handoverStep('old', { ...ctx, watched: false }))).toBe('panel-closed');
    expect(reason(handoverStep('old', { ...ctx, cancelled: { ok: false, reason: 'cancelled', message: 'x' } }))).toBe('cancelled');
    expect(reason(handoverStep('unpaired', ctx))).toBe('unreachable');
    expect(reason(handoverStep('old', { ...ctx, elapsedMs: TRY_TIMEOUT_MS + 1 }))).toBe('timeout');
  });
});

describe('tryOrigin (background)', () => {
  it('takes the origin of the document the panel showed, and only that one', () => {
    const state = makeTabState({ url: 'https://shop.example/cart?x=1', report: makeReport({ url: 'https://shop.example/cart?x=1', relayDocId: 'doc-1' }) });
    expect(tryOrigin(state, 'doc-1')).toEqual({ ok: true, origin: 'https://shop.example' });
    expect(tryOrigin(state, 'doc-2')).toMatchObject({ ok: false, result: { reason: 'navigated' } });
    expect(tryOrigin(undefined, 'doc-1')).toMatchObject({ ok: false, result: { reason: 'no-page' } });
  });
});

describe('the try client (panel)', () => {
  it('sends one request, keeps the verdict before, takes its answer, and settles on a lost port', () => {
    const sent: PanelMessage[] = [];
    let state: TryState | null = null;
    const client = createTryClient(
      (m) => sent.push(m),
      () => 'req-00001',
      (s) => {
        state = s;
      },
    );
    client.tryOnReload(7, 'doc-1', { cookiePath: '/a/' }, 'Not verified');
    expect(sent).toEqual([{ type: PortMsg.TryOnReload, requestId: 'req-00001', tabId: 7, relayDocId: 'doc-1', override: { cookiePath: '/a/' } }]);
    expect(state).toMatchObject({ before: { headline: 'Not verified', relayDocId: 'doc-1' }, result: null });
    client.receive({ type: PortMsg.TryResult, requestId: 'other', result: { ok: true } });
    expect((state as TryState | null)?.result).toBeNull();
    client.disconnected();
    expect((state as TryState | null)?.result).toEqual({ ok: false, reason: 'lost', message: LOST_TRY });
  });
});

describe('the port message', () => {
  const msg = (override: unknown) => ({ type: PortMsg.TryOnReload, requestId: 'req-00001', tabId: 1, relayDocId: 'd', override });
  it('accepts an override of the four options only, and never an empty one or a non-web capture URL', () => {
    expect(parseMessage(PanelMessageSchema, msg({ cookiePath: '/a/', talkOn: true }))).toBeTruthy();
    expect(parseMessage(PanelMessageSchema, msg({}))).toBeUndefined();
    expect(parseMessage(PanelMessageSchema, msg({ captureUrl: 'javascript:alert(1)' }))).toBeUndefined();
    expect(parseMessage(PanelMessageSchema, msg({ cookiePath: '/a/', apiKey: 'x' }))).toBeUndefined();
    expect(parseMessage(PanelMessageSchema, msg({ talkOn: false }))).toBeUndefined();
  });
});
