import { describe, expect, it } from 'vitest';
import {
  afterPullAnswer,
  INITIAL_RELAY_STATE,
  interferenceOf,
  onCollect,
  onGoLive,
  onRecorderMessage,
  onSendDue,
  onSendFailed,
  type RelayState,
} from '../../src/content/relay-state.ts';
import { MAX_BATCHES_PER_UPDATE } from '../../src/shared/protocol/relay.ts';
import { MAX_BATCH_CHARS, Wire } from '../../src/shared/protocol/wire.ts';

const S = (patch: Partial<RelayState> = {}): RelayState => ({ ...INITIAL_RELAY_STATE, ...patch });

describe('relay state', () => {
  it('keeps batches without their header, and notes Ortto once', () => {
    const a = onRecorderMessage(S(), 'B0{"x":1}');
    expect(a).toMatchObject({ state: { batches: ['{"x":1}'], ortto: false }, orttoAppeared: false, changed: true });
    const b = onRecorderMessage(a.state, 'B1{"y":2}');
    expect(b).toMatchObject({ state: { batches: ['{"x":1}', '{"y":2}'], ortto: true }, orttoAppeared: true });
    expect(onRecorderMessage(b.state, 'B1{}').orttoAppeared).toBe(false);
    expect(onRecorderMessage(S(), 'O')).toMatchObject({ state: { ortto: true }, orttoAppeared: true });
    expect(onRecorderMessage(S({ ortto: true }), 'O').orttoAppeared).toBe(false);
  });

  it('"nothing" answers a request without changing what is held', () => {
    const r = onRecorderMessage(S({ silent: true, batches: ['a'] }), 'N');
    expect(r).toMatchObject({ state: { silent: false, batches: ['a'] } });
  });

  it('past the per-update cap it asks for one full batch instead of piling up', () => {
    const full = S({ batches: Array.from({ length: MAX_BATCHES_PER_UPDATE }, (_, i) => String(i)) });
    const r = onRecorderMessage(full, 'B1{}');
    expect(r.state.needFull).toBe(true);
    expect(r.state.batches).toHaveLength(MAX_BATCHES_PER_UPDATE);
    const due = onSendDue(r.state);
    expect(due.step).toEqual({ kind: 'request-full' });
    expect(due.state).toMatchObject({ needFull: false, batches: [] });
  });

  it('a send hands the batches over once; a failed send makes the next one start from everything', () => {
    const due = onSendDue(S({ batches: ['a', 'b'] }));
    expect(due.step).toEqual({ kind: 'send', batches: ['a', 'b'] });
    expect(due.state.batches).toEqual([]);
    expect(onSendFailed(due.state, true).needFull).toBe(true);
    expect(onSendFailed(due.state, false).stopped).toBe(true);
    expect(onSendDue(S({ stopped: true, batches: ['a'] })).step).toEqual({ kind: 'nothing' });
  });

  it('a batch over the size limit is handed on empty, so the background knows one was lost (it used to vanish, init with it)', () => {
    const big = `${Wire.Batch}1${'x'.repeat(MAX_BATCH_CHARS + 1)}`;
    const r = onRecorderMessage(S({ batches: ['a'] }), big);
    expect(r.state.batches).toEqual(['a', '']);
    expect(r.changed).toBe(true);
    expect(r.state.ortto).toBe(true);
    const fits = `${Wire.Batch}1${'x'.repeat(MAX_BATCH_CHARS)}`;
    expect(onRecorderMessage(S(), fits).state.batches[0]).toHaveLength(MAX_BATCH_CHARS);
  });

  it('going live starts from everything, once', () => {
    const first = onGoLive(S({ batches: ['old'], needFull: true }));
    expect(first).toEqual({ state: S({ live: true }), first: true });
    expect(onGoLive(first.state).first).toBe(false);
    expect(onGoLive(S({ stopped: true })).first).toBe(false);
  });

  it('a pull: live relays push, an unpaired relay reports at once, a paired one asks the recorder', () => {
    expect(onCollect(S({ stopped: true }), true)).toBe('stopped');
    expect(onCollect(S({ live: true }), true)).toBe('live');
    expect(onCollect(S(), false)).toBe('report-now');
    expect(onCollect(S(), true)).toBe('ask-recorder');
  });

  it('after a pull: Ortto pages report, pages without Ortto say nothing, a silent recorder is reported', () => {
    expect(afterPullAnswer(S({ ortto: true, batches: ['a'] }), true)).toEqual({ state: S({ ortto: true, batches: ['a'] }), report: true });
    expect(afterPullAnswer(S({ batches: ['a'] }), true)).toEqual({ state: S(), report: false });
    const silent = afterPullAnswer(S(), false);
    expect(silent.report).toBe(true);
    expect(interferenceOf(silent.state, true)).toBe('no-answer');
    expect(interferenceOf(S(), false)).toBe('no-pairing');
    expect(interferenceOf(S(), true)).toBeUndefined();
  });

  it('O: Ortto appeared (once), answers no request and follows no script', () => {
    expect(onRecorderMessage(S(), Wire.Ortto)).toStrictEqual({ state: S({ ortto: true }), orttoAppeared: true });
    expect(onRecorderMessage(S({ ortto: true }), Wire.Ortto)).toStrictEqual({
      state: S({ ortto: true }),
      orttoAppeared: false,
    });
  });

  it('A and E (issue 13): the page gave ap3c a new object, then its code returned; neither answers a request', () => {
    const a = onRecorderMessage(S(), Wire.Assigned);
    expect(a).toEqual({ state: S({ ortto: true }), orttoAppeared: true, ap3cAssigned: 'start' });
    expect(onRecorderMessage(a.state, Wire.Assigned).orttoAppeared).toBe(false);
    expect(onRecorderMessage(a.state, Wire.AssignedEnd)).toEqual({
      state: a.state,
      orttoAppeared: false,
      ap3cAssigned: 'end',
    });
  });
});
