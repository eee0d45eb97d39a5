import { describe, expect, it } from 'vitest';
import { createSupportClient, LOST_APPLY, LOST_REQUEST, type SupportState } from '../../src/panel/support/client.ts';
import type { PanelMessage } from '../../src/shared/protocol/panel.ts';

function client() {
  const sent: PanelMessage[] = [];
  const states: SupportState[] = [];
  let n = 0;
  const c = createSupportClient(
    (m) => sent.push(m),
    () => `id-${++n}`,
    (s) => states.push(s),
  );
  return { c, sent, states };
}

describe('support client', () => {
  it('sends requests and applies, and follows their progress and outcome', () => {
    const { c, sent } = client();
    const id = c.requestToken('00000000-0000-0000-0000-000000000000', { fields: {} });
    expect(sent[0]).toMatchObject({ type: 'request-token', requestId: id });
    c.receive({ type: 'token-progress', requestId: id, progress: { attempt: 1, retryAt: null, message: 'Sending' } });
    expect(c.state().jobs[id]?.progress?.message).toBe('Sending');
    const session = { session_id: 's', token: 't', person_id: 'p', person_status: 'merged' };
    c.receive({ type: 'token-result', requestId: id, outcome: { ok: true, attempts: 1, session } });
    expect(c.state().jobs[id]?.outcome).toEqual({ ok: true, attempts: 1, session });
    // A late progress message does not undo the outcome.
    c.receive({ type: 'token-progress', requestId: id, progress: { attempt: 2, retryAt: null, message: 'late' } });
    expect(c.state().jobs[id]?.progress?.message).toBe('Sending');
    const a = c.applyToken(3, 'doc', 't');
    expect(c.state().applies[a]).toBeNull();
    c.receive({ type: 'apply-result', requestId: a, result: { ok: true } });
    expect(c.state().applies[a]).toEqual({ ok: true });
  });

  it('answers for nobody else: unknown request ids are ignored', () => {
    const { c, states } = client();
    c.receive({ type: 'token-result', requestId: 'forged', outcome: { ok: false, attempts: 1, error: { kind: 'network', message: 'x' } } });
    c.receive({ type: 'apply-result', requestId: 'forged', result: { ok: true } });
    expect(states).toEqual([]);
  });

  it('when the port drops, everything still waiting settles with a plain message; finished ones stay', () => {
    const { c } = client();
    const done = c.requestToken('00000000-0000-0000-0000-000000000000', {});
    c.receive({ type: 'token-result', requestId: done, outcome: { ok: false, attempts: 1, error: { kind: 'timeout', message: 'slow' } } });
    const waiting = c.requestToken('00000000-0000-0000-0000-000000000000', {});
    const applying = c.applyToken(1, 'doc', 't');
    c.disconnected();
    expect(c.state().jobs[waiting]?.outcome).toEqual({ ok: false, attempts: 0, error: { kind: 'lost', message: LOST_REQUEST } });
    expect(c.state().jobs[done]?.outcome).toMatchObject({ error: { kind: 'timeout' } });
    expect(c.state().applies[applying]).toEqual({ ok: false, reason: 'lost', message: LOST_APPLY });
  });
});
