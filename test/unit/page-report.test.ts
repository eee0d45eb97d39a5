import { describe, expect, it } from 'vitest';
import { parseBatch, reportFromUpdate } from '../../src/background/state/page-report.ts';
import { withPageUpdate } from '../../src/background/state/tab-state.ts';
import type { PageUpdate } from '../../src/shared/protocol/relay.ts';
import { EventKind, type RecorderBatch, TIMELINE_CAP, type TimelineEvent } from '../../src/shared/protocol/wire.ts';

const DOC = '0123456789abcdef';
const ev = (seq: number, kind: TimelineEvent['kind'] = EventKind.Track): TimelineEvent => ({ seq, t: seq, kind, name: kind });
const batch = (full: boolean, seqs: number[], extra: Partial<RecorderBatch> = {}): string =>
  JSON.stringify({ kind: 'batch', recorderDocId: DOC, full, late: false, events: seqs.map((s) => ev(s)), dropped: 0, ap3c: { state: 'absent' }, ...extra });
const dom: PageUpdate['dom'] = {
  widget: { present: false, inBody: false, visible: false, shadow: 'closed-or-none', notVerifiedLabel: null, text: '' },
  scripts: ['https://cdn.example/app.js'],
  scriptErrors: [],
  talkSessionCalls: [],
  widgetInteractedAt: null,
};
const update = (batches: string[], over: Partial<PageUpdate> = {}): PageUpdate => ({
  relayDocId: 'relay-1',
  url: 'https://shop.example/',
  timeOrigin: 1000,
  activeSince: 1000,
  batches,
  dom,
  ...over,
});
const seqs = (r: { events: TimelineEvent[] }) => r.events.map((e) => e.seq);
const jar = [{ name: 'ap3c', value: 'x' }];

describe('parseBatch', () => {
  it('parses and validates a batch the recorder wrote', () => {
    expect(parseBatch(batch(true, [1, 2]))?.events).toHaveLength(2);
  });

  it('refuses what is not a valid batch, without throwing', () => {
    for (const raw of ['', 'not json', '{}', '[]', 'null', batch(true, [1]).replace('"batch"', '"other"'), `${'['.repeat(100_000)}${']'.repeat(100_000)}`]) {
      expect(parseBatch(raw)).toBeUndefined();
    }
    expect(parseBatch(`{"kind":"batch","x":"${'a'.repeat(4 * 1024 * 1024)}"}`)).toBeUndefined();
  });

  it('refuses nesting deeper than anything the recorder sends', () => {
    let deep = '1';
    for (let i = 0; i < 60; i++) deep = `{"t":"arr","items":[${deep}],"more":0}`;
    expect(parseBatch(batch(true, [], { ap3c: JSON.parse(`{"state":"present","snap":${deep}}`) }))).toBeUndefined();
  });
});

describe('reportFromUpdate', () => {
  it('a batch that could not be read (the relay hands an oversize one on empty) makes the report incomplete until a batch brings the whole timeline', () => {
    const first = reportFromUpdate(null, update([batch(true, [1, 2])]), jar);
    expect(first.interference).toBeUndefined();
    const lost = reportFromUpdate(first, update(['', batch(false, [4])]), jar);
    expect(lost.interference).toBe('batch-lost');
    expect(seqs(lost)).toEqual([1, 2, 4]);
    // News that follows does not bring the lost events back: still incomplete.
    const news = reportFromUpdate(lost, update([batch(false, [5])]), jar);
    expect(news.interference).toBe('batch-lost');
    // What the relay itself reports comes first, and the loss is not forgotten meanwhile.
    const silent = reportFromUpdate(news, update([], { dom: { ...dom, interference: 'no-answer' } }), jar);
    expect(silent.interference).toBe('no-answer');
    expect(reportFromUpdate(silent, update([batch(false, [6])]), jar).interference).toBe('batch-lost');
    // Everything again: complete.
    const whole = reportFromUpdate(news, update([batch(true, [1, 2, 3, 4, 5])]), jar);
    expect(whole.interference).toBeUndefined();
    expect(seqs(whole)).toEqual([1, 2, 3, 4, 5]);
  });

  it('starts a report from a first update: recorder view plus DOM facts', () => {
    const r = reportFromUpdate(null, update([batch(true, [1, 2], { ap3c: { state: 'present', snap: { t: 'obj', entries: [], more: 0 } }, late: true })]), jar);
    expect(r).toMatchObject({ relayDocId: 'relay-1', url: 'https://shop.example/', recorderPaired: true, recorderDocId: DOC, late: true, cookies: jar });
    expect(seqs(r)).toEqual([1, 2]);
    expect(r.ap3c.state).toBe('present');
  });

  it('appends deltas, in order, to the report of the same document', () => {
    const first = reportFromUpdate(null, update([batch(true, [1, 2])]), jar);
    const next = reportFromUpdate(first, update([batch(false, [3]), batch(false, [4, 5])]), jar);
    expect(seqs(next)).toEqual([1, 2, 3, 4, 5]);
  });

  it('a full batch replaces the timeline (a resync after a lost update)', () => {
    const first = reportFromUpdate(null, update([batch(true, [1, 2, 3])]), jar);
    expect(seqs(reportFromUpdate(first, update([batch(true, [2, 3, 4])]), jar))).toEqual([2, 3, 4]);
  });

  it('drops a malformed batch alone and keeps the rest of the update', () => {
    const first = reportFromUpdate(null, update([batch(true, [1])]), jar);
    const next = reportFromUpdate(first, update(['{"kind":"batch"', batch(false, [2])], { dom: { ...dom, scripts: [] } }), jar);
    expect(seqs(next)).toEqual([1, 2]);
    expect(next.scripts).toEqual([]);
  });

  it('an update without a valid batch leaves the recorder unpaired', () => {
    const r = reportFromUpdate(null, update(['garbage']), jar);
    expect(r).toMatchObject({ recorderPaired: false, recorderDocId: null, events: [], ap3c: { state: 'absent' } });
  });

  it('keeps at most the timeline cap', () => {
    let r = reportFromUpdate(
      null,
      update([
        batch(
          true,
          Array.from({ length: TIMELINE_CAP }, (_, i) => i + 1),
        ),
      ]),
      jar,
    );
    r = reportFromUpdate(r, update([batch(false, [TIMELINE_CAP + 1, TIMELINE_CAP + 2])]), jar);
    expect(r.events).toHaveLength(TIMELINE_CAP);
    expect(r.events.at(-1)?.seq).toBe(TIMELINE_CAP + 2);
  });
});

describe('withPageUpdate', () => {
  it('folds updates of the same document and starts over for a new one', () => {
    let state = withPageUpdate(undefined, 4, update([batch(true, [1])]), jar, 10, 'DOC-A');
    state = withPageUpdate(state, 4, update([batch(false, [2])]), jar, 20, 'DOC-A');
    expect(state && seqs(state.report as never)).toEqual([1, 2]);
    expect(state?.browserDocumentId).toBe('DOC-A');
    const other = withPageUpdate(state, 4, update([batch(false, [7])], { relayDocId: 'relay-2', activeSince: 2000 }), jar, 30);
    expect(other && seqs(other.report as never)).toEqual([7]);
  });

  it('ignores a late update of a document the tab already left', () => {
    const state = withPageUpdate(undefined, 4, update([batch(true, [1])], { relayDocId: 'new', activeSince: 5000 }), jar, 10);
    expect(withPageUpdate(state, 4, update([batch(true, [9])], { relayDocId: 'old', activeSince: 1000 }), jar, 20)).toBeUndefined();
  });
});
