import { describe, expect, it } from 'vitest';
import { describeEvent, summarize } from '../../src/shared/analysis/page-summary.ts';
import { EventKind, type TimelineEvent } from '../../src/shared/protocol/wire.ts';
import { snapshot } from '../../src/shared/snapshot.ts';
import { CAPTURE_URL, EVENT_LIMITS, event, initEvent, makeReport, verifiedSessionEvent } from './helpers/report.ts';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJl';

/** ap3c as the page shows it once the capture script has run (init is a function value). */
const presentAp3c = (extra: Record<string, unknown> = {}) => ({ state: 'present' as const, snap: snapshot({ cmd: [], init() {}, ...extra }) });

describe('summarize', () => {
  it('finds nothing on a page without Ortto', () => {
    const s = summarize(makeReport());
    expect(s).toEqual({
      snippetFound: false,
      scriptLoaded: false,
      initCalls: [],
      currentInitCalls: [],
      token: null,
      cookiePath: null,
      talkDisabledBy: [],
      verifiedSessionCalls: [],
      ap3cUnreadable: null,
      integration: { kind: 'snippet', evidence: ["Ortto's capture snippet (ap3c.init)"], basis: 'inferred' },
      lifecycle: { runs: 0, removed: null, replacedAt: null, currentSetUp: false, latestRunError: null },
      pageErrors: [],
      callErrors: [],
      queued: null,
      captureScriptRuns: 0,
    });
  });

  it('reads the capture key, URL, token and cookiePath from init', () => {
    const init = initEvent(3, 'KEY', CAPTURE_URL, { talk: { token: TOKEN, cookiePath: '/x/' } });
    const s = summarize(makeReport({ events: [init], ap3c: presentAp3c() }));
    expect(s.snippetFound).toBe(true);
    expect(s.scriptLoaded).toBe(true);
    expect(s.initCalls).toHaveLength(1);
    expect(s.initCalls[0]).toMatchObject({ t: 30, captureKey: 'KEY', captureUrl: CAPTURE_URL, argCount: 3 });
    expect(s.token).toEqual({ value: TOKEN, cut: false, source: 'init' });
    expect(s.cookiePath).toBe('/x/');
    expect(s.talkDisabledBy).toEqual([]);
  });

  it('marks a very long token as cut and keeps its first part', () => {
    const long = `T${'x'.repeat(20_000)}`;
    const s = summarize(makeReport({ events: [initEvent(1, 'KEY', CAPTURE_URL, { talk: { token: long } })] }));
    expect(s.token?.cut).toBe(true);
    expect(s.token?.source).toBe('init');
    expect(long.startsWith(s.token?.value ?? '!')).toBe(true);
    expect(s.token?.value.length).toBeLessThan(long.length);
  });

  it('takes the token from a later setVerifiedSession call', () => {
    const s = summarize(
      makeReport({
        events: [initEvent(1, 'KEY', CAPTURE_URL, { talk: { token: 'from-init-token-0000' } }), verifiedSessionEvent(2, { token: TOKEN })],
      }),
    );
    expect(s.token).toEqual({ value: TOKEN, cut: false, source: 'setVerifiedSession' });
    expect(s.verifiedSessionCalls).toHaveLength(1);
  });

  it('uses the last of several setVerifiedSession calls', () => {
    const s = summarize(
      makeReport({ events: [verifiedSessionEvent(1, { token: 'first-token-aaaaaaaaa' }), verifiedSessionEvent(2, { token: 'second-token-bbbbbbbb' })] }),
    );
    expect(s.token?.value).toBe('second-token-bbbbbbbb');
    expect(s.verifiedSessionCalls.map((e) => e.seq)).toEqual([1, 2]);
  });

  it('keeps the init token when setVerifiedSession was given no token', () => {
    const s = summarize(makeReport({ events: [initEvent(1, 'KEY', CAPTURE_URL, { talk: { token: TOKEN } }), verifiedSessionEvent(2, {})] }));
    expect(s.token).toEqual({ value: TOKEN, cut: false, source: 'init' });
  });

  it('has no token when talk.token is not a string', () => {
    for (const token of [42, null, undefined, { nested: 'x' }, ['a']]) {
      const s = summarize(makeReport({ events: [initEvent(1, 'KEY', CAPTURE_URL, { talk: { token } })] }));
      expect(s.token).toBeNull();
    }
  });

  it('does not call a getter on the page’s init options (token shows as none)', () => {
    let reads = 0;
    const options = {
      talk: {
        get token() {
          reads++;
          return TOKEN;
        },
      },
    };
    const s = summarize(makeReport({ events: [initEvent(1, 'KEY', CAPTURE_URL, options)] }));
    expect(reads).toBe(0);
    expect(s.token).toBeNull();
  });

  it('lists what disables Talk', () => {
    const s = summarize(
      makeReport({
        events: [initEvent(1, 'KEY', CAPTURE_URL, { disableTalk: true, disableWidgets: true })],
        ap3c: presentAp3c({ enableTalk: false }),
      }),
    );
    expect(s.talkDisabledBy).toEqual(['init option disableTalk: true', 'init option disableWidgets: true', 'ap3c.enableTalk = false']);
  });

  it('only counts the exact values that disable Talk', () => {
    const s = summarize(
      makeReport({
        events: [initEvent(1, 'KEY', CAPTURE_URL, { disableTalk: 'true', disableWidgets: 1 })],
        ap3c: presentAp3c({ enableTalk: 0 }),
      }),
    );
    expect(s.talkDisabledBy).toEqual([]);
  });

  it('reports two init calls, and reads the options of the last one', () => {
    const s = summarize(
      makeReport({
        events: [
          initEvent(1, 'KEY-1', CAPTURE_URL, { talk: { token: 'first-token-aaaaaaaaa', cookiePath: '/one/' } }),
          initEvent(2, 'KEY-2', CAPTURE_URL, { talk: { cookiePath: '/two/' }, disableTalk: true }),
        ],
      }),
    );
    expect(s.initCalls.map((c) => c.captureKey)).toEqual(['KEY-1', 'KEY-2']);
    expect(s.cookiePath).toBe('/two/');
    expect(s.token).toBeNull();
    expect(s.talkDisabledBy).toEqual(['init option disableTalk: true']);
  });

  it('describes a two-argument init', () => {
    const s = summarize(makeReport({ events: [initEvent(1, 'KEY', CAPTURE_URL)] }));
    expect(s.initCalls[0]).toMatchObject({ captureKey: 'KEY', captureUrl: CAPTURE_URL, argCount: 2, options: undefined });
    expect(s.token).toBeNull();
    expect(s.cookiePath).toBeNull();
  });

  it('describes an init with arguments of the wrong type', () => {
    const s = summarize(makeReport({ events: [initEvent(1, 12345, null, 'options')] }));
    expect(s.initCalls[0]).toMatchObject({ captureKey: undefined, captureUrl: undefined, argCount: 3, options: 'options' });
    expect(s.token).toBeNull();
  });

  it('reads init args recorded as an object (array with extra keys)', () => {
    const args: unknown[] & { extra?: number } = ['KEY', CAPTURE_URL, { talk: { token: TOKEN } }];
    args.extra = 1;
    const e: TimelineEvent = { seq: 1, t: 1, kind: EventKind.Init, name: 'init', args: snapshot(args, EVENT_LIMITS) };
    const s = summarize(makeReport({ events: [e] }));
    expect(s.initCalls[0]?.captureKey).toBe('KEY');
    expect(s.token?.value).toBe(TOKEN);
  });

  it('has no init calls when init was not called', () => {
    const s = summarize(makeReport({ events: [event(1, EventKind.Ap3cAssigned, { name: 'ap3c', note: 'an object' })] }));
    expect(s.snippetFound).toBe(true);
    expect(s.scriptLoaded).toBe(false);
    expect(s.initCalls).toEqual([]);
  });

  it('reports an unreadable ap3c', () => {
    const s = summarize(makeReport({ ap3c: { state: 'unreadable', reason: 'window.ap3c is a getter' } }));
    expect(s.snippetFound).toBe(true);
    expect(s.ap3cUnreadable).toBe('window.ap3c is a getter');
    expect(s.scriptLoaded).toBe(false);
  });

  it('knows the capture script loaded from a snapshot with init as a function', () => {
    expect(summarize(makeReport({ ap3c: presentAp3c() })).scriptLoaded).toBe(true);
    // The snippet alone (cmd queue, no init) is not the capture script.
    expect(summarize(makeReport({ ap3c: { state: 'present', snap: snapshot({ cmd: [() => 1] }) } })).scriptLoaded).toBe(false);
    // init as a hooked accessor (not a function value) does not count by itself…
    const hooked = {};
    Object.defineProperty(hooked, 'init', { get: () => () => 1, configurable: true });
    expect(summarize(makeReport({ ap3c: { state: 'present', snap: snapshot(hooked) } })).scriptLoaded).toBe(false);
    // …but the recorder's "method defined" event does.
    expect(
      summarize(makeReport({ ap3c: { state: 'present', snap: snapshot(hooked) }, events: [event(1, EventKind.MethodDefined, { name: 'init' })] })).scriptLoaded,
    ).toBe(true);
    // Another method being defined is not init.
    expect(summarize(makeReport({ events: [event(1, EventKind.MethodDefined, { name: 'track' })] })).scriptLoaded).toBe(false);
    // apiHost is set by the capture script too.
    expect(summarize(makeReport({ ap3c: { state: 'present', snap: snapshot({ apiHost: 'x' }) } })).scriptLoaded).toBe(true);
  });
});

describe('describeEvent', () => {
  const all: Record<EventKind, TimelineEvent> = {
    [EventKind.Ap3cAssigned]: event(1, EventKind.Ap3cAssigned, { name: 'ap3c', note: 'an object' }),
    [EventKind.CmdQueued]: event(2, EventKind.CmdQueued, { name: 'cmd.push' }),
    [EventKind.MethodDefined]: event(3, EventKind.MethodDefined, { name: 'init' }),
    [EventKind.Init]: event(4, EventKind.Init, { name: 'init' }),
    [EventKind.Track]: event(5, EventKind.Track, { name: 'track' }),
    [EventKind.SetVerifiedSession]: event(6, EventKind.SetVerifiedSession, { name: 'talk.setVerifiedSession' }),
    [EventKind.CallThrew]: event(7, EventKind.CallThrew, { name: 'init' }),
    [EventKind.HookFailed]: event(8, EventKind.HookFailed, { name: 'init', note: 'object is frozen' }),
    [EventKind.Attached]: event(9, EventKind.Attached, { name: 'recorder', note: 'late' }),
    [EventKind.PageError]: event(10, EventKind.PageError, { name: 'error', args: ['ap3c.track is not a function', 'https://shop.example/', 3] }),
    [EventKind.FlagSet]: event(11, EventKind.FlagSet, { name: 'enableTalk', args: [false] }),
    [EventKind.FixTried]: event(12, EventKind.FixTried, {
      name: 'applied',
      note: 'the options of the first ap3c.init call were changed for this load (Try on reload)',
    }),
  };

  it('gives distinct, non-empty text for every EventKind', () => {
    const texts = Object.values(EventKind).map((kind) => describeEvent(all[kind]));
    for (const text of texts) {
      expect(typeof text).toBe('string');
      expect(text.length).toBeGreaterThan(5);
      expect(text).not.toContain('undefined');
    }
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('names the property or method the event is about', () => {
    expect(describeEvent(all[EventKind.Ap3cAssigned])).toContain('an object');
    expect(describeEvent(all[EventKind.MethodDefined])).toContain('ap3c.init');
    expect(describeEvent(all[EventKind.CallThrew])).toContain('ap3c.init');
    expect(describeEvent(all[EventKind.HookFailed])).toContain('object is frozen');
    expect(describeEvent(all[EventKind.Attached])).toContain('late');
  });

  it('copes with missing notes', () => {
    expect(describeEvent({ seq: 1, t: 0, kind: EventKind.Ap3cAssigned })).toBe('window.ap3c set (value)');
    expect(describeEvent({ seq: 1, t: 0, kind: EventKind.Attached })).toBe('Inspector attached');
    expect(describeEvent({ seq: 1, t: 0, kind: EventKind.HookFailed, name: 'cmd' })).not.toContain('undefined');
  });
});
