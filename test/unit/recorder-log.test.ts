import { describe, expect, it } from 'vitest';
import { type RecorderLog, recorderLog } from '../../src/page/recorder-log.ts';
import { EventKind, TIMELINE_CAP } from '../../src/shared/protocol/wire.ts';
import { capTimeline, repeatTracker } from '../../src/shared/timeline.ts';

describe('repeatTracker', () => {
  it('the first track and the first cmd.push are not repeats; later ones are; other calls never are', () => {
    const isRepeat = repeatTracker();
    const kinds = [EventKind.Track, EventKind.Init, EventKind.Track, EventKind.CmdQueued, EventKind.CmdQueued, EventKind.Init];
    expect(kinds.map(isRepeat)).toEqual([false, false, true, false, true, false]);
  });
});

describe('RecorderLog', () => {
  /** As the recorder does: a repeat goes to the ring, anything else is added; true for a repeat. */
  const add = (log: RecorderLog, kind: EventKind, raw?: unknown): boolean => {
    if (log.repeat(kind, 0, raw)) return true;
    log.add({ t: 0, kind, name: kind === EventKind.Track ? 'track' : 'cmd.push', seq: 0, raw });
    return false;
  };

  it('a flood of track calls never pushes out init or the first track', () => {
    const log = recorderLog();
    add(log, EventKind.Track);
    add(log, EventKind.Init);
    for (let i = 0; i < 10_000; i++) add(log, EventKind.Track);
    const all = log.next(false, true);
    expect(all).toHaveLength(TIMELINE_CAP);
    expect(all[0]?.seq).toBe(1);
    expect(all[1]?.kind).toBe(EventKind.Init);
    expect(log.dropped()).toBeGreaterThan(9_000);
    // Without repeats (a pull): only the first track and init.
    expect(log.next(false, false).map((e) => e.kind)).toEqual([EventKind.Track, EventKind.Init]);
  });

  it('news are what came after the last batch', () => {
    const log = recorderLog();
    add(log, EventKind.Init);
    expect(log.next(true, true)).toHaveLength(1);
    log.markSent();
    expect(log.next(true, true)).toEqual([]);
    add(log, EventKind.SetVerifiedSession);
    expect(log.next(true, true).map((e) => e.kind)).toEqual([EventKind.SetVerifiedSession]);
    expect(log.next(false, true).map((e) => e.kind)).toEqual([EventKind.Init, EventKind.SetVerifiedSession]);
  });

  it('a repeat becomes an event with its seq, kind, name and raw arguments when a batch takes it', () => {
    const log = recorderLog();
    add(log, EventKind.Track, ['first']);
    add(log, EventKind.Track, ['second']);
    add(log, EventKind.CmdQueued, ['q1']);
    add(log, EventKind.CmdQueued, ['q2']);
    const once = log.next(true, true);
    expect(once.map((e) => [e.seq, e.kind, e.name, e.raw])).toEqual([
      [1, EventKind.Track, 'track', ['first']],
      [2, EventKind.Track, 'track', ['second']],
      [3, EventKind.CmdQueued, 'cmd.push', ['q1']],
      [4, EventKind.CmdQueued, 'cmd.push', ['q2']],
    ]);
    expect(log.next(false, true)).toEqual(once);
    log.markSent();
    expect(log.next(true, true)).toEqual([]);
    add(log, EventKind.Track, ['third']);
    expect(log.next(true, true).map((e) => e.raw)).toEqual([['third']]);
    expect(log.next(true, false)).toEqual([]);
  });

  it('keeps the newest repeats in order once the ring has wrapped, and counts the rest', () => {
    const log = recorderLog();
    for (let i = 0; i < TIMELINE_CAP * 2 + 7; i++) add(log, EventKind.Track, [i]);
    const all = log.next(false, true);
    expect(all[0]?.raw).toEqual([0]);
    const repeats = all.slice(1).map((e) => (e.raw as number[])[0] as number);
    expect(repeats).toHaveLength(TIMELINE_CAP - 1);
    expect(repeats.at(-1)).toBe(TIMELINE_CAP * 2 + 6);
    expect(repeats).toEqual([...repeats].sort((a, b) => a - b));
    expect(log.dropped()).toBe(TIMELINE_CAP + 6); // (the ring keeps TIMELINE_CAP; the batch is capped after)
  });

  it('stays bounded under a flood of 100,000 calls of each kind: the newest in order, the rest counted', () => {
    const log = recorderLog();
    for (let i = 0; i < 100_000; i++) add(log, EventKind.Track, [i]);
    for (let i = 0; i < 100_000; i++) add(log, EventKind.Init, [i]);
    // 99,999 repeats and 100,001 marks (the first track, the inits), each ring keeping TIMELINE_CAP.
    expect(log.dropped()).toBe(99_999 + 100_001 - 2 * TIMELINE_CAP);
    const all = log.next(false, true);
    // Only the marks ring fits in a batch: the newest TIMELINE_CAP inits, one after the other.
    expect(all).toHaveLength(TIMELINE_CAP);
    expect(all.every((e) => e.kind === EventKind.Init)).toBe(true);
    expect(all[TIMELINE_CAP - 1]?.raw).toEqual([99_999]);
    for (let i = 1; i < all.length; i++) expect((all[i]?.seq ?? 0) - (all[i - 1]?.seq ?? 0)).toBe(1);
  });

  it('a batch of marks and repeats is in seq order, capped by dropping the oldest repeats first', () => {
    const log = recorderLog();
    for (let i = 0; i < 300; i++) {
      add(log, EventKind.Track, [i]);
      if (i % 3 === 0) add(log, EventKind.Init, [i]);
    }
    const all = log.next(false, true);
    expect(all).toHaveLength(300 + 100);
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 400 }, (_, k) => k + 1));
    for (let i = 0; i < 300; i++) add(log, EventKind.Track, [300 + i]);
    const capped = log.next(false, true);
    expect(capped).toHaveLength(TIMELINE_CAP);
    // All 100 inits and the first track stay; the newest 399 repeats fill the rest.
    expect(capped.filter((e) => e.kind === EventKind.Init)).toHaveLength(100);
    expect(capped[0]?.raw).toEqual([0]);
    const repeats = capped.filter((e, i) => i > 0 && e.kind === EventKind.Track).map((e) => (e.raw as number[])[0]);
    expect(repeats).toEqual(Array.from({ length: 399 }, (_, k) => 201 + k));
    expect(capped.map((e) => e.seq)).toEqual([...capped.map((e) => e.seq)].sort((a, b) => a - b));
    // News after a batch: only the unsent, and within the cap.
    log.markSent();
    add(log, EventKind.Track, ['new']);
    expect(log.next(true, true).map((e) => e.raw)).toEqual([['new']]);
  });

  it('caps a full batch as capTimeline caps the same events (one rule, written twice for the page bundle)', () => {
    // A fixed pseudo-random mix of kinds; the full batch checked along the way.
    let x = 12345;
    const rand = () => {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      return x / 2 ** 31;
    };
    const kinds = [EventKind.Track, EventKind.Track, EventKind.Track, EventKind.CmdQueued, EventKind.CmdQueued, EventKind.Init, EventKind.SetVerifiedSession];
    const log = recorderLog();
    const isRepeat = repeatTracker();
    const all: { seq: number; kind: EventKind; repeat: boolean }[] = [];
    let checked = 0;
    for (let i = 1; i <= 3000; i++) {
      const kind = kinds[Math.floor(rand() * kinds.length)] as EventKind;
      add(log, kind);
      all.push({ seq: i, kind, repeat: isRepeat(kind) });
      if (rand() < 0.02 || i === 499 || i === 500 || i === 501 || i === 3000) {
        const batch = log.next(false, true).map((e) => e.seq);
        const marks = all.filter((e) => !e.repeat);
        if (marks.length <= TIMELINE_CAP) {
          // Every mark still held (the first track and cmd.push among them): capTimeline's result.
          const held = [...all.filter((e) => e.repeat).slice(-TIMELINE_CAP), ...marks].sort((p, q) => p.seq - q.seq);
          expect(batch, `after ${i} events`).toEqual(capTimeline(held).map((e) => e.seq));
          checked++;
        } else {
          // The marks ring has dropped its oldest (the first track may be gone): the newest marks fill the batch.
          expect(batch, `after ${i} events`).toEqual(marks.slice(-TIMELINE_CAP).map((e) => e.seq));
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('says which calls are repeats, so only the rare ones are snapshotted at once', () => {
    const log = recorderLog();
    expect(add(log, EventKind.Track)).toBe(false);
    expect(add(log, EventKind.Track)).toBe(true);
    expect(add(log, EventKind.Init)).toBe(false);
  });
});
