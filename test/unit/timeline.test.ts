import { describe, expect, it } from 'vitest';
import { EMPTY_VIEW, mergeBatch } from '../../src/background/state/page-report.ts';
import { EventKind, type RecorderBatch, TIMELINE_CAP, type TimelineEvent } from '../../src/shared/protocol/wire.ts';
import { capTimeline, isRepeatable, mergeBySeq } from '../../src/shared/timeline.ts';

const ev = (seq: number, kind: TimelineEvent['kind'] = EventKind.Track): TimelineEvent => ({ seq, t: seq, kind });
const seqs = (events: { seq: number }[]) => events.map((e) => e.seq);

describe('capTimeline', () => {
  it('leaves a timeline within the cap alone', () => {
    const events = [ev(1), ev(2, EventKind.Init)];
    expect(capTimeline(events, 5)).toBe(events);
  });

  it('drops the oldest track and cmd.push calls first, so init survives a flood; the first of each stays', () => {
    const events = [
      ev(1, EventKind.Ap3cAssigned),
      ev(2, EventKind.CmdQueued),
      ev(3, EventKind.CmdQueued),
      ev(4, EventKind.Init),
      ev(5),
      ev(6),
      ev(7),
      ev(8, EventKind.SetVerifiedSession),
      ev(9),
    ];
    expect(seqs(capTimeline(events, 6))).toEqual([1, 2, 4, 5, 8, 9]);
  });

  it('drops the oldest of the rest only when they alone are over the cap', () => {
    const events = [ev(1, EventKind.Init), ev(2), ev(3, EventKind.Init), ev(4, EventKind.Init), ev(5, EventKind.Init)];
    expect(seqs(capTimeline(events, 3))).toEqual([3, 4, 5]);
  });

  it('knows which kinds repeat', () => {
    expect([EventKind.Track, EventKind.CmdQueued].every(isRepeatable)).toBe(true);
    expect([EventKind.Init, EventKind.SetVerifiedSession, EventKind.Ap3cAssigned, EventKind.CallThrew].some(isRepeatable)).toBe(false);
  });
});

describe('mergeBySeq', () => {
  it('merges two ordered lists in order', () => {
    expect(seqs(mergeBySeq([ev(1), ev(4), ev(6)], [ev(2), ev(5), ev(7)]))).toEqual([1, 2, 4, 5, 6, 7]);
    expect(seqs(mergeBySeq([], [ev(3)]))).toEqual([3]);
    expect(seqs(mergeBySeq([ev(3)], []))).toEqual([3]);
  });
});

describe('mergeBatch keeps the calls that decide the diagnosis', () => {
  it('a flood of track deltas never pushes init out of the background timeline', () => {
    const batch = (full: boolean, events: TimelineEvent[]): RecorderBatch => ({
      kind: 'batch',
      recorderDocId: '0123456789abcdef',
      full,
      late: false,
      events,
      dropped: 0,
      ap3c: { state: 'absent' },
    });
    let view = mergeBatch(EMPTY_VIEW, batch(true, [ev(1, EventKind.Ap3cAssigned), ev(2, EventKind.Init)]));
    for (let start = 3; start < 3 + 3 * TIMELINE_CAP; start += 100)
      view = mergeBatch(
        view,
        batch(
          false,
          Array.from({ length: 100 }, (_, i) => ev(start + i)),
        ),
      );
    expect(view.events).toHaveLength(TIMELINE_CAP);
    expect(view.events.slice(0, 2).map((e) => e.kind)).toEqual([EventKind.Ap3cAssigned, EventKind.Init]);
    expect(view.events.at(-1)?.seq).toBe(2 + 3 * TIMELINE_CAP);
  });
});
