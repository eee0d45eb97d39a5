import { describe, expect, it } from 'vitest';
import { EMPTY_VIEW, mergeBatch, type RecorderView } from '../../src/background/state/page-report.ts';
import { parseMessage } from '../../src/shared/protocol/schema.ts';
import { EventKind, type RecorderBatch, RecorderBatchSchema, TIMELINE_CAP, type TimelineEvent } from '../../src/shared/protocol/wire.ts';
import { snapshot } from '../../src/shared/snapshot.ts';

const DOC_A = 'aaaaaaaaaaaaaaaa';
const DOC_B = 'bbbbbbbbbbbbbbbb';

const ev = (seq: number): TimelineEvent => ({ seq, t: seq, kind: EventKind.Track, name: 'track' });
const range = (from: number, to: number): TimelineEvent[] => Array.from({ length: to - from + 1 }, (_, i) => ev(from + i));
const seqs = (view: RecorderView): number[] => view.events.map((e) => e.seq);

function batch(recorderDocId: string, full: boolean, events: TimelineEvent[], extra: Partial<RecorderBatch> = {}): RecorderBatch {
  return { kind: 'batch', recorderDocId, full, late: false, events, dropped: 0, ap3c: { state: 'absent' }, ...extra };
}

describe('mergeBatch', () => {
  it('starts from an empty view', () => {
    expect(EMPTY_VIEW).toEqual({ recorderDocId: null, late: false, events: [], dropped: 0, ap3c: { state: 'absent' } });
  });

  it('a full batch replaces everything', () => {
    let view = mergeBatch(EMPTY_VIEW, batch(DOC_A, true, range(1, 3)));
    expect(seqs(view)).toEqual([1, 2, 3]);
    expect(view.recorderDocId).toBe(DOC_A);
    view = mergeBatch(view, batch(DOC_A, true, range(1, 5), { dropped: 2, late: true }));
    expect(seqs(view)).toEqual([1, 2, 3, 4, 5]);
    expect(view.dropped).toBe(2);
    expect(view.late).toBe(true);
    // Even a smaller full batch replaces (e.g. the recorder's log was re-sent after a drop).
    view = mergeBatch(view, batch(DOC_A, true, range(4, 5)));
    expect(seqs(view)).toEqual([4, 5]);
  });

  it('an incremental batch appends', () => {
    let view = mergeBatch(EMPTY_VIEW, batch(DOC_A, true, range(1, 2)));
    view = mergeBatch(view, batch(DOC_A, false, range(3, 4)));
    view = mergeBatch(view, batch(DOC_A, false, []));
    view = mergeBatch(view, batch(DOC_A, false, range(5, 5)));
    expect(seqs(view)).toEqual([1, 2, 3, 4, 5]);
  });

  it('takes ap3c, late and dropped from the newest batch', () => {
    const snap = snapshot({ init() {} });
    let view = mergeBatch(EMPTY_VIEW, batch(DOC_A, true, range(1, 1)));
    view = mergeBatch(view, batch(DOC_A, false, range(2, 2), { ap3c: { state: 'present', snap }, dropped: 9, late: true }));
    expect(view.ap3c).toEqual({ state: 'present', snap });
    expect(view.dropped).toBe(9);
    expect(view.late).toBe(true);
  });

  it('a batch from a new recorder docId replaces, even when not marked full', () => {
    let view = mergeBatch(EMPTY_VIEW, batch(DOC_A, true, range(1, 10)));
    view = mergeBatch(view, batch(DOC_B, false, range(1, 2)));
    expect(view.recorderDocId).toBe(DOC_B);
    expect(seqs(view)).toEqual([1, 2]);
  });

  it('an incremental first batch on an empty view is taken as it is', () => {
    const view = mergeBatch(EMPTY_VIEW, batch(DOC_A, false, range(4, 6)));
    expect(seqs(view)).toEqual([4, 5, 6]);
  });

  it('does not append events already in the view (by seq)', () => {
    let view = mergeBatch(EMPTY_VIEW, batch(DOC_A, true, range(1, 3)));
    view = mergeBatch(view, batch(DOC_A, false, range(2, 5)));
    expect(seqs(view)).toEqual([1, 2, 3, 4, 5]);
    view = mergeBatch(view, batch(DOC_A, false, range(1, 5)));
    expect(seqs(view)).toEqual([1, 2, 3, 4, 5]);
  });

  it('does not show a stray duplicate twice when it repeats within one incremental batch', () => {
    let view = mergeBatch(EMPTY_VIEW, batch(DOC_A, true, range(1, 2)));
    view = mergeBatch(view, batch(DOC_A, false, [ev(3), ev(3), ev(4)]));
    expect(seqs(view)).toEqual([1, 2, 3, 4]);
  });

  it('caps the timeline at TIMELINE_CAP (500), keeping the newest (and the first track)', () => {
    let view = mergeBatch(EMPTY_VIEW, batch(DOC_A, true, range(1, TIMELINE_CAP)));
    expect(view.events).toHaveLength(TIMELINE_CAP);
    view = mergeBatch(view, batch(DOC_A, false, range(TIMELINE_CAP + 1, TIMELINE_CAP + 120)));
    expect(view.events).toHaveLength(TIMELINE_CAP);
    expect(seqs(view).slice(0, 2)).toEqual([1, 122]);
    expect(view.events[TIMELINE_CAP - 1]?.seq).toBe(TIMELINE_CAP + 120);
    // A full batch over the cap (not valid on the wire, but mergeBatch must still bound it).
    view = mergeBatch(view, batch(DOC_A, true, range(1, TIMELINE_CAP + 50)));
    expect(view.events).toHaveLength(TIMELINE_CAP);
    expect(seqs(view).slice(0, 2)).toEqual([1, 52]);
  });

  it('does not change the view it was given', () => {
    const first = mergeBatch(EMPTY_VIEW, batch(DOC_A, true, range(1, 2)));
    const before = structuredClone(first);
    mergeBatch(first, batch(DOC_A, false, range(3, 4)));
    mergeBatch(first, batch(DOC_B, true, range(1, 1)));
    expect(first).toEqual(before);
    expect(EMPTY_VIEW.events).toEqual([]);
  });

  it('works on batches that went through the wire schema', () => {
    const wire = parseMessage(RecorderBatchSchema, JSON.parse(JSON.stringify(batch(DOC_A, true, range(1, 3)))));
    expect(wire).toBeDefined();
    if (wire) expect(seqs(mergeBatch(EMPTY_VIEW, wire))).toEqual([1, 2, 3]);
  });
});
