import { describe, expect, it } from 'vitest';
import { reportFromUpdate } from '../../src/background/state/page-report.ts';
import { ARGS_LEFT_OUT_NOTE, fitReport, fitTabState, jsonLength, REPORT_BUDGET } from '../../src/background/state/report-budget.ts';
import { buildReport } from '../../src/panel/format/report-export.ts';
import { trimmedText } from '../../src/panel/format/trimmed-text.ts';
import { diagnose } from '../../src/shared/analysis/index.ts';
import { summarize } from '../../src/shared/analysis/page-summary.ts';
import type { PageReport } from '../../src/shared/protocol/model.ts';
import type { PageUpdate } from '../../src/shared/protocol/relay.ts';
import { EventKind, type TimelineEvent } from '../../src/shared/protocol/wire.ts';
import { makeTabState } from './helpers/report.ts';
import { KEY, OTHER_KEY, report, TOKEN, US_CAPTURE } from './support/report.ts';

const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);
/** About 30 KB of arguments, as the attack page passes them (two strings at the recorder's 16 KB string limit). */
const bulk = (i: number) => ({ junk: `${i}`.padEnd(15_000, 'x'), more: 'y'.repeat(15_000) });

/** Everything the diagnosis concludes, as plain data (verdict and every rule's status and evidence). */
function conclusions(r: PageReport) {
  const d = diagnose(r, null, NOW);
  return { verdict: d.verdict, results: d.results.map((x) => [x.id, x.status, x.evidence]) };
}

describe('fitReport', () => {
  it('returns a report within the budget unchanged (the same object)', () => {
    const r = report()
      .snippet(KEY, US_CAPTURE, { talk: { token: TOKEN } })
      .widget(true)
      .build();
    expect(fitReport(r)).toBe(r);
    expect(fitReport(r).trimmed).toBeUndefined();
  });

  it('the attack: 350 inits of ~30 KB fit the budget, the first and latest keep their arguments, the verdict is the same', () => {
    const b = report().snippet(KEY, US_CAPTURE, { talk: { token: TOKEN } });
    for (let i = 1; i < 349; i++) b.init(KEY, US_CAPTURE, bulk(i));
    b.init(KEY, US_CAPTURE, { talk: { token: TOKEN }, ...bulk(349) });
    const full = b.widget(true).build();
    const before = jsonLength(full);
    expect(before).toBeGreaterThan(10 * 1024 * 1024);

    const fitted = fitReport(full);
    const after = jsonLength(fitted);
    expect(after).toBeLessThanOrEqual(REPORT_BUDGET);
    // Arguments go, events stay: nothing had to be dropped.
    expect(fitted.events).toHaveLength(full.events.length);
    const inits = fitted.events.filter((e) => e.kind === EventKind.Init);
    expect(inits).toHaveLength(350);
    expect(inits[0]).toEqual(full.events.find((e) => e.kind === EventKind.Init));
    expect(inits[349]).toEqual(full.events.at(-1));
    // Oldest first: the newest of the middle inits may keep theirs if the budget allows.
    const leftOut = fitted.events.filter((e) => e.note === ARGS_LEFT_OUT_NOTE);
    expect(leftOut.length).toBeGreaterThan(300);
    expect(fitted.trimmed).toEqual({ events: 0, args: leftOut.length });
    expect(inits[1]?.note).toBe(ARGS_LEFT_OUT_NOTE);
    // A trimmed init keeps its (short) capture key and URL.
    expect(inits[1]?.args).toEqual({ t: 'arr', items: [KEY, US_CAPTURE, { t: 'cut' }], more: 0 });
    expect(conclusions(fitted)).toEqual(conclusions(full));
    expect(summarize(fitted).token?.value).toBe(TOKEN);
    // Measured figures for docs/reliability.md.
    console.info(`attack report: ${before} characters of JSON before, ${after} after (${fitted.trimmed?.args} calls without arguments)`);
  });

  it('the arguments of repeated calls go first, oldest first', () => {
    const b = report().snippet(KEY, US_CAPTURE, bulk(0));
    for (let i = 0; i < 100; i++) b.event(EventKind.Track, 'track', [bulk(i)]);
    b.init(KEY, US_CAPTURE, { talk: { token: TOKEN }, ...bulk(1) });
    const full = b.widget(true).build();
    const fitted = fitReport(full, 1024 * 1024);
    expect(jsonLength(fitted)).toBeLessThanOrEqual(1024 * 1024);
    const tracks = fitted.events.filter((e) => e.kind === EventKind.Track);
    const trimmedTracks = tracks.filter((e) => e.note === ARGS_LEFT_OUT_NOTE);
    expect(trimmedTracks.length).toBeGreaterThan(60);
    expect(trimmedTracks.length).toBeLessThan(100);
    // The oldest are the ones without arguments.
    expect(tracks.slice(0, trimmedTracks.length).every((e) => e.note === ARGS_LEFT_OUT_NOTE)).toBe(true);
    // No init lost anything.
    expect(fitted.events.filter((e) => e.kind === EventKind.Init)).toEqual(full.events.filter((e) => e.kind === EventKind.Init));
    expect(fitted.trimmed).toEqual({ events: 0, args: trimmedTracks.length });
    expect(conclusions(fitted)).toEqual(conclusions(full));
  });

  it('a trimmed middle init keeps the instance of its capture key (several instances on the page)', () => {
    const b = report().snippet(KEY, US_CAPTURE, { talk: { token: TOKEN, cookiePath: '/testautomation/' } });
    for (let i = 0; i < 40; i++) b.init(OTHER_KEY, US_CAPTURE, bulk(i));
    b.init(KEY, US_CAPTURE, { talk: { token: TOKEN, cookiePath: '/testautomation/' } });
    const full = b.widget(true).build();
    const fitted = fitReport(full, 200 * 1024);
    expect(jsonLength(fitted)).toBeLessThanOrEqual(200 * 1024);
    expect(fitted.trimmed?.args).toBeGreaterThan(30);
    const before = conclusions(full);
    expect(before.results.find(([id]) => id === 'cookie-path-instance')?.[1]).toBe('warn');
    expect(conclusions(fitted)).toEqual(before);
  });

  it('every setVerifiedSession keeps its arguments while other calls lose theirs; a late one is still seen as late', () => {
    const b = report().snippet(KEY, US_CAPTURE, bulk(0));
    for (let i = 0; i < 60; i++) b.event(EventKind.CallThrew, 'track', [bulk(i)]);
    b.event(EventKind.SetVerifiedSession, 'talk.setVerifiedSession', [{ token: 'early', pad: bulk(1) }]);
    for (let i = 0; i < 60; i++) b.init(KEY, US_CAPTURE, bulk(i));
    b.event(EventKind.SetVerifiedSession, 'talk.setVerifiedSession', [{ token: TOKEN }]);
    const full = b.widget(true).with({ widgetInteractedAt: 100 }).build();
    const fitted = fitReport(full, 300 * 1024);
    expect(jsonLength(fitted)).toBeLessThanOrEqual(300 * 1024);
    const sessions = fitted.events.filter((e) => e.kind === EventKind.SetVerifiedSession);
    expect(sessions).toEqual(full.events.filter((e) => e.kind === EventKind.SetVerifiedSession));
    expect(fitted.events.filter((e) => e.kind === EventKind.CallThrew).every((e) => e.note === ARGS_LEFT_OUT_NOTE)).toBe(true);
    const before = conclusions(full);
    expect(before.results.find(([id]) => id === 'verified-before-conversation')?.[1]).toBe('fail');
    expect(conclusions(fitted)).toEqual(before);
  });

  it('then the oldest events go, repeats first, keeping what the diagnosis orders (track before init)', () => {
    const b = report();
    b.event(EventKind.Ap3cAssigned, 'ap3c', undefined, 'an object');
    b.event(EventKind.Track, 'track', [{ early: true }]);
    b.loaded();
    b.init(KEY, US_CAPTURE, { talk: { token: TOKEN } });
    for (let i = 0; i < 450; i++) b.event(i % 2 ? EventKind.Track : EventKind.CmdQueued, i % 2 ? 'track' : 'cmd.push', [{ i }]);
    for (let i = 0; i < 20; i++) b.event(EventKind.HookFailed, 'talk', undefined, 'threw');
    const full = b.widget(true).build();
    const budget = 8 * 1024;
    const fitted = fitReport(full, budget);
    expect(jsonLength(fitted)).toBeLessThanOrEqual(budget);
    expect(fitted.trimmed?.events).toBeGreaterThan(300);
    expect(fitted.events.length + (fitted.trimmed?.events ?? 0)).toBe(full.events.length);
    const kinds = fitted.events.map((e) => e.kind);
    expect(kinds.slice(0, 4)).toEqual([EventKind.Ap3cAssigned, EventKind.Track, EventKind.MethodDefined, EventKind.Init]);
    expect(fitted.events.find((e) => e.kind === EventKind.Init)?.args).toEqual(full.events.find((e) => e.kind === EventKind.Init)?.args);
    const before = conclusions(full);
    expect(before.results.find(([id]) => id === 'track-after-init')?.[1]).toBe('warn');
    expect(conclusions(fitted)).toEqual(before);
  });

  it('when nothing else is left, even the protected arguments and then every event go, without throwing', () => {
    const b = report().snippet(KEY, US_CAPTURE, { talk: { token: TOKEN }, ...bulk(0) });
    b.event(EventKind.SetVerifiedSession, 'talk.setVerifiedSession', [{ token: TOKEN, ...bulk(1) }]);
    b.init(KEY, US_CAPTURE, bulk(2));
    const full = b.build();
    const base = jsonLength({ ...full, events: [], trimmed: { events: 1e9, args: 1e9 } });
    const small = fitReport(full, base + 2_000);
    expect(jsonLength(small)).toBeLessThanOrEqual(base + 2_000);
    expect(small.events.filter((e) => e.kind === EventKind.Init)).toHaveLength(2);
    expect(small.events.every((e) => e.args === undefined || jsonLength(e.args) < 200)).toBe(true);
    const none = fitReport(full, 100);
    expect(none.events).toEqual([]);
    expect(none.trimmed?.events).toBe(full.events.length);
  });

  it('is stable: fitting a fitted report changes nothing', () => {
    const b = report().snippet(KEY, US_CAPTURE, { talk: { token: TOKEN } });
    for (let i = 0; i < 100; i++) b.init(KEY, US_CAPTURE, bulk(i));
    const once = fitReport(b.build(), 256 * 1024);
    expect(fitReport(once, 256 * 1024)).toEqual(once);
  });

  it('never throws, even on a report it cannot measure', () => {
    const r = report().snippet().build();
    (r as unknown as { odd: bigint }).odd = 1n;
    expect(() => fitReport(r, 10)).not.toThrow();
  });

  it('fitTabState fits the report of a state and leaves a state without one alone', () => {
    const empty = makeTabState();
    expect(fitTabState(empty, 10)).toBe(empty);
    const b = report().snippet();
    for (let i = 0; i < 20; i++) b.init(KEY, US_CAPTURE, bulk(i));
    const fitted = fitTabState(makeTabState({ report: b.build() }), 64 * 1024);
    expect(jsonLength(fitted.report)).toBeLessThanOrEqual(64 * 1024);
  });
});

describe('what was trimmed adds up over updates of the same timeline', () => {
  const DOC = '0123456789abcdef';
  const dom: PageUpdate['dom'] = {
    widget: { present: false, inBody: false, visible: false, shadow: 'closed-or-none', notVerifiedLabel: null, text: '' },
    scripts: [],
    scriptErrors: [],
    talkSessionCalls: [],
    widgetInteractedAt: null,
  };
  const ev = (seq: number): TimelineEvent => ({ seq, t: seq, kind: EventKind.Track, name: 'track', args: { t: 'arr', items: ['z'.repeat(2_000)], more: 0 } });
  const update = (full: boolean, from: number, to: number): PageUpdate => {
    const events: TimelineEvent[] = [];
    for (let s = from; s <= to; s++) events.push(ev(s));
    const batch = { kind: 'batch', recorderDocId: DOC, full, late: false, events, dropped: 0, ap3c: { state: 'absent' } };
    return { relayDocId: 'relay-1', url: 'https://shop.example/', timeOrigin: 1, activeSince: 1, batches: [JSON.stringify(batch)], dom };
  };
  const budget = 4 * 1024;

  it('events left out accumulate; a full batch starts the count again', () => {
    const first = fitReport(reportFromUpdate(null, update(true, 1, 50), []), budget);
    const firstDropped = first.trimmed?.events ?? 0;
    expect(firstDropped).toBeGreaterThan(0);
    expect(first.events.length + firstDropped).toBe(50);
    const second = fitReport(reportFromUpdate(first, update(false, 51, 100), []), budget);
    expect(second.events.length + (second.trimmed?.events ?? 0)).toBe(100);
    expect(second.trimmed?.args).toBe(second.events.filter((e) => e.note === ARGS_LEFT_OUT_NOTE).length);
    const again = fitReport(reportFromUpdate(second, update(true, 1, 100), []), budget);
    expect(again.events.length + (again.trimmed?.events ?? 0)).toBe(100);
  });
});

describe('trimmedText', () => {
  it('says what was left out, in plain words', () => {
    expect(trimmedText(undefined)).toBeNull();
    expect(trimmedText({ events: 0, args: 0 })).toBeNull();
    expect(trimmedText({ events: 12, args: 340 })).toBe(
      "This report was trimmed to stay within the browser's storage limit: 12 older events and the arguments of 340 calls were left out.",
    );
    expect(trimmedText({ events: 1, args: 0 })).toBe("This report was trimmed to stay within the browser's storage limit: 1 older event was left out.");
    expect(trimmedText({ events: 0, args: 1 })).toBe(
      "This report was trimmed to stay within the browser's storage limit: the arguments of 1 call were left out.",
    );
  });
});

describe('export', () => {
  const opts = { includeToken: false, generatedAt: new Date(NOW), toolVersion: 'test' };
  it('carries timelineTrimmed only when the report was trimmed', () => {
    const plain = report().snippet().build();
    expect('timelineTrimmed' in buildReport(diagnose(plain, null, NOW), opts)).toBe(false);
    const trimmed = { ...plain, trimmed: { events: 3, args: 40 } };
    expect(buildReport(diagnose(trimmed, null, NOW), opts).timelineTrimmed).toEqual({ events: 3, args: 40 });
  });
});
