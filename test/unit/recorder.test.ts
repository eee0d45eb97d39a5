// @vitest-environment happy-dom
/**
 * The real recorder (src/page/recorder.ts) paired with the real relay channel in one DOM: what a
 * pull gets, what going live sends, and silence on a page without ap3c.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseBatch } from '../../src/background/state/page-report.ts';
import type { RelayChannel } from '../../src/content/pairing.ts';
import { EventKind, type RecorderBatch, TIMELINE_CAP, Wire } from '../../src/shared/protocol/wire.ts';
import { startRealRecorder } from './helpers/real-recorder.ts';

const messages: string[] = [];
let relay: RelayChannel;
const w = window as unknown as { ap3c?: { cmd: unknown[]; init(...a: unknown[]): unknown; track(e: unknown): unknown } };

beforeAll(async () => {
  relay = await startRealRecorder(messages);
});

/**
 * Asks the recorder and returns the batch it answered with (or undefined for "nothing"). It
 * answers in a task of its own, never inside the request's dispatch.
 */
async function ask(request: typeof Wire.News | typeof Wire.Full | typeof Wire.Live): Promise<RecorderBatch | undefined> {
  const before = messages.length;
  relay.request(request);
  expect(messages.length).toBe(before); // not within the dispatch
  await new Promise((r) => setTimeout(r, 0));
  const batch = messages.slice(before).find((m) => m.startsWith(Wire.Batch));
  if (!batch) return undefined;
  expect(batch[1]).toBe('1'); // Ortto flag
  return parseBatch(batch.slice(2));
}

describe('recorder, as the relay sees it', () => {
  it('stays silent on a page without ap3c; pulled, it answers "nothing" at once, within the request', async () => {
    expect(messages).toEqual([]);
    // Nothing happened and window.ap3c is still its empty accessor: no task, no timer.
    expect(relay.request(Wire.News)).toBe(true);
    expect(messages).toEqual([Wire.Nothing]);
    await new Promise((r) => setTimeout(r, 0));
    expect(messages).toEqual([Wire.Nothing]);
    messages.length = 0;
  });

  it('announces ap3c once, and a pull gets the calls that matter but only the first track', async () => {
    w.ap3c = { cmd: [], init: () => 'ok', track: () => undefined };
    // A: a new ap3c, inside the assignment (the relay notes the scripts the page's code inserts
    // until E, once that code returned); O: Ortto is here (once).
    expect(messages).toEqual([Wire.Assigned, Wire.Ortto]);
    await Promise.resolve();
    expect(messages).toEqual([Wire.Assigned, Wire.Ortto, Wire.AssignedEnd]);
    w.ap3c.track({ early: true });
    w.ap3c.init('KEY', 'https://capture-api.example/', { talk: { token: 'tok' } });
    for (let i = 0; i < TIMELINE_CAP + 100; i++) w.ap3c.track({ i });
    expect(messages).toEqual([Wire.Assigned, Wire.Ortto, Wire.AssignedEnd]); // nothing is sent until asked

    const pulled = await ask(Wire.News);
    expect(pulled?.full).toBe(false);
    const kinds = pulled?.events.map((e) => e.kind) ?? [];
    expect(kinds.filter((k) => k === EventKind.Track)).toHaveLength(1);
    const firstTrack = pulled?.events.find((e) => e.kind === EventKind.Track);
    const init = pulled?.events.find((e) => e.kind === EventKind.Init);
    // The first track left the ring of the newest 500 long ago, and is still sent, in order.
    expect(firstTrack && init && firstTrack.seq < init.seq).toBe(true);
    expect(JSON.stringify(init?.args)).toContain('tok');
    expect(pulled?.ap3c.state).toBe('present');
    expect(pulled?.dropped).toBeGreaterThan(0);
    const seqs = pulled?.events.map((e) => e.seq) ?? [];
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it("only Ortto's documented names on ap3c are read: the page's other properties never leave it (docs/reliability.md)", async () => {
    const ap3c = w.ap3c as unknown as Record<string, unknown>;
    ap3c.apiHost = 'https://capture-api.example/';
    ap3c.userEmail = 'canary-private@example.com';
    ap3c.settings = { secret: 'canary-secret' };
    const full = await ask(Wire.Full);
    const seen = JSON.stringify(full?.ap3c);
    expect(seen).toContain('apiHost');
    expect(seen).not.toContain('canary');
    expect(JSON.stringify(full)).not.toContain('canary');
    delete ap3c.userEmail;
    delete ap3c.settings;
  });

  it('a second pull has only the news', async () => {
    expect((await ask(Wire.News))?.events).toEqual([]);
    w.ap3c?.track({ later: true });
    expect((await ask(Wire.News))?.events).toEqual([]); // a repeated track is left out of pulls
  });

  it('going live sends everything (tracks included), then news by itself', async () => {
    w.ap3c?.cmd.push(() => 1);
    w.ap3c?.cmd.push(() => 2);
    void w.ap3c; // (the queue is looked at on the next read of window.ap3c)
    const live = await ask(Wire.Live);
    expect(live?.full).toBe(true);
    // A repeat's name comes from its kind (recorder-log.ts keeps no name per call).
    const names = (kind: string) => [...new Set(live?.events.filter((e) => e.kind === kind).map((e) => e.name))];
    expect(names(EventKind.Track)).toEqual(['track']);
    expect(live?.events.filter((e) => e.kind === EventKind.CmdQueued)).toHaveLength(2);
    expect(names(EventKind.CmdQueued)).toEqual(['cmd.push']);
    expect(live?.events).toHaveLength(TIMELINE_CAP);
    // A flood of track calls never pushes out the calls the diagnosis needs.
    expect(live?.events.some((e) => e.kind === EventKind.Init)).toBe(true);
    expect(live?.events.filter((e) => e.kind === EventKind.Track)[0]?.args).toEqual({
      t: 'arr',
      items: [{ t: 'obj', entries: [['early', true]], more: 0 }],
      more: 0,
    });
    expect(live?.events.filter((e) => e.kind === EventKind.Track).length).toBeGreaterThan(TIMELINE_CAP - 10);
    const before = messages.length;
    w.ap3c?.track({ live: true });
    await new Promise((r) => setTimeout(r, 250)); // the live flush interval is 100 ms
    const news = messages.slice(before).filter((m) => m.startsWith(Wire.Batch));
    expect(news).toHaveLength(1);
    expect(JSON.stringify(parseBatch((news[0] as string).slice(2))?.events)).toContain('"live"');
  });

  it('live, a page calling ap3c all the time gets at most one batch per 100 ms (docs/architecture.md: ≤ 10 a second)', async () => {
    if (!w.ap3c) w.ap3c = { cmd: [], init: () => 'ok', track: () => undefined };
    await ask(Wire.Live); // (live already when run after the test above; the answer is not counted)
    const before = messages.length;
    const started = performance.now();
    await new Promise<void>((done) => {
      const timer = setInterval(() => {
        w.ap3c?.track({ busy: true });
        if (performance.now() - started > 1000) {
          clearInterval(timer);
          done();
        }
      }, 5);
    });
    await new Promise((r) => setTimeout(r, 150));
    const batches = messages.slice(before).filter((m) => m.startsWith(Wire.Batch)).length;
    // ~190 calls in ~1.15 s: one batch per interval, not one per call (the first goes out at once).
    expect(batches).toBeGreaterThanOrEqual(2);
    expect(batches).toBeLessThanOrEqual(13);
  });

  it('an override that comes after the first ap3c.init is not used, and says so (Try on reload: too late)', async () => {
    const before = messages.length;
    relay.override(JSON.stringify({ cookiePath: '/late/' }));
    expect(messages.length).toBe(before); // nothing inside the relay's dispatch
    w.ap3c?.init('KEY2', 'https://capture-api.example/', { talk: { token: 'tok2' } });
    await new Promise((r) => setTimeout(r, 250));
    const events = messages
      .slice(before)
      .filter((m) => m.startsWith(Wire.Batch))
      .flatMap((m) => parseBatch(m.slice(2))?.events ?? []);
    const tried = events.filter((e) => e.kind === EventKind.FixTried);
    expect(tried.map((e) => e.name)).toEqual(['too-late']);
    expect(tried[0]?.note).toContain('after the first ap3c.init call');
    const init = events.find((e) => e.kind === EventKind.Init);
    expect(JSON.stringify(init?.args)).toContain('tok2');
    expect(JSON.stringify(init?.args)).not.toContain('/late/');
  });
});
