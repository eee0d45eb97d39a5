import { describe, expect, it } from 'vitest';
import { type RecorderLog, recorderLog } from '../../src/page/recorder-log.ts';
import { EventKind, TIMELINE_CAP } from '../../src/shared/protocol/wire.ts';
import { repeatTracker } from '../../src/shared/timeline.ts';

describe('repeatTracker', () => {
  it('the first track and the first cmd.push are not repeats; later ones are; other calls never are', () => {
    const isRepeat = repeatTracker();
    const kinds = [EventKind.Track, EventKind.Init, EventKind.Track, EventKind.CmdQueued, EventKind.CmdQueued, EventKind.Init];
    expect(kinds.map(isRepeat)).toEqual([false, false, true, false, true, false]);
  });
});

describe('RecorderLog', () => {
  const add = (log: RecorderLog, kind: EventKind) => log.add({ t: 0, kind, name: kind, seq: 0 });

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

  it('says which calls are repeats, so only the rare ones are snapshotted at once', () => {
    const log = recorderLog();
    expect(add(log, EventKind.Track)).toBe(false);
    expect(add(log, EventKind.Track)).toBe(true);
    expect(add(log, EventKind.Init)).toBe(false);
  });
});
