/**
 * Page recorder: runs in the page's MAIN world at document_start, built as one self-contained file.
 * It never imports extension APIs (there are none here). It records what the page does with
 * window.ap3c into a bounded timeline and hands batches to the relay over the paired channel.
 */

import { pickKnown } from '../shared/ap3c-known.ts';
import { BoundedLog } from '../shared/bounded-log.ts';
import { NoteCode } from '../shared/notes.ts';
import { type Ap3cState, EventKind, type RecorderBatch, RecorderMsg, TIMELINE_CAP, type TimelineEvent, Wire } from '../shared/protocol.ts';
import { DEFAULT_LIMITS, snapshot } from '../shared/snapshot.ts';
import { capTimeline, mergeBySeq } from '../shared/timeline.ts';
import { openChannel, type Send } from './channel.ts';
import { installHooks } from './hooks.ts';

// Captured before any page script can replace them.
const { stringify } = JSON;
const { max } = Math;
const { apply } = Reflect;
const { addEventListener } = window;
/**
 * Clocks and timers are taken on first use, when ap3c appears: touching these page APIs costs
 * every page without Ortto a little, and a page that replaced them can only skew our timestamps
 * or delay a live update (the channel's own built-ins are taken at start).
 */
let clock: { now(): number; timeout: typeof setTimeout; microtask: typeof queueMicrotask } | undefined;
const env = () => {
  clock ??= {
    now: performance.now.bind(performance),
    timeout: setTimeout.bind(globalThis),
    microtask: queueMicrotask.bind(globalThis),
  };
  return clock;
};
const now = (): number => env().now();
/** An event whose arguments are not snapshotted yet. */
type PendingEvent = TimelineEvent & { raw?: unknown };

/** Arguments of one call are kept small; init (with its token) gets the full string limit. */
const EVENT_LIMITS = { ...DEFAULT_LIMITS, depth: 4, keys: 50, totalSize: 32 * 1024 };
/** Once live, at most one batch per interval; the first change after a quiet spell goes out on the next task. */
const FLUSH_INTERVAL_MS = 100;

const { random, floor } = Math;
/** 8 hex digits. The recorder's document id must be unique, not secret (the relay's nonce is the secret). */
const hex8 = (): string => (floor(random() * 2 ** 32) + 2 ** 32).toString(16).slice(1);

function start(): void {
  let docId: string | undefined;
  // Injected into a page whose snippet already ran (tab open before install)? (Not asking
  // document.readyState: touching document costs a page without Ortto more.)
  const late = 'ap3c' in window;
  // Two bounded logs, so a flood of track calls can never push init or setVerifiedSession out:
  // `repeats` holds track and cmd.push calls, `marks` everything else plus the first track and the
  // first cmd.push (the checklist orders them against init).
  const repeats = new BoundedLog<PendingEvent>(TIMELINE_CAP);
  const marks = new BoundedLog<PendingEvent>(TIMELINE_CAP);
  let seq = 0;
  let sentSeq = 0;
  let send: Send | undefined;
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let lastFlush = -Infinity;
  // Until a panel watches (live), batches are built only when the relay asks, which the
  // background does a few times per page: the page pays for no timers and no batches meanwhile.
  let live = false;
  let announced = false;
  let seenTrack = false;
  let seenCmd = false;
  const announce = (): void => {
    if (announced || !send) return;
    announced = true;
    send(Wire.Ortto);
    // By load the capture script has filled ap3c in, often without a call we see: live, send it.
    apply(addEventListener, window, [
      'load',
      () => {
        if (live) scheduleFlush();
      },
    ]);
  };

  // One clock reading per task: calls in one synchronous burst share it (a page tracking in a loop
  // would otherwise pay for a clock reading per call). `seq` keeps their order.
  let taskTime = -1;
  const newTask = (): void => {
    taskTime = -1;
  };
  const stamp = (): number => {
    if (taskTime < 0) {
      taskTime = now();
      env().microtask(newTask);
    }
    return taskTime;
  };
  // Arguments of track and cmd.push are kept as they are and snapshotted only when their event is
  // sent: in a burst of 10,000 track calls only the newest 500 survive, so only those are ever
  // snapshotted. The rare calls that decide verification are snapshotted at once, as they were.
  const record = (kind: EventKind, name: string, args?: unknown, note?: string): void => {
    // (Calls saved on purpose: a page may call track thousands of times while its code is cold.)
    const event: PendingEvent = { seq: ++seq, t: taskTime < 0 ? stamp() : taskTime, kind, name, raw: args };
    if (note !== undefined) event.note = note;
    if ((kind === EventKind.Track && seenTrack) || (kind === EventKind.CmdQueued && seenCmd)) repeats.push(event);
    else {
      if (kind === EventKind.Track) seenTrack = true;
      else if (kind === EventKind.CmdQueued) seenCmd = true;
      else settle(event);
      marks.push(event);
    }
    if (live) scheduleFlush();
    else if (!announced) announce();
  };
  const settle = (event: PendingEvent): TimelineEvent => {
    if (event.raw !== undefined) {
      event.args = snapshot(event.raw, EVENT_LIMITS);
      event.raw = undefined; // not serialised (JSON drops undefined)
    }
    return event;
  };

  const hooks = installHooks(window, record);
  if (late) record(EventKind.Attached, 'recorder', undefined, NoteCode.Late);

  // A hostile ap3c (a million keys…) makes snapshots slow: after a slow one, wait 50 times as
  // long before the next, and reuse the last one meanwhile, so the page never pays much.
  let lastSnap: { value: unknown; state: Ap3cState } | undefined;
  let nextSnapAt = 0;
  function readAp3c(): Ap3cState {
    const r = hooks.readAp3c();
    if (r.state !== 'present') return r;
    const start = now();
    if (lastSnap && lastSnap.value === r.value && start < nextSnapAt) return lastSnap.state;
    const state: Ap3cState = { state: 'present', snap: snapshot(pickKnown(r.value)) };
    const took = now() - start;
    nextSnapAt = took > 5 ? now() + took * 50 : 0;
    lastSnap = { value: r.value, state };
    return state;
  }

  /**
   * A batch in the wire format (protocol.ts `Wire`): a 2-character header for the relay, then JSON.
   * `news`: only what the relay has not had yet. A pull (news, not live) leaves out the repeats of
   * track and cmd.push: snapshotting 500 of them is most of a pull's cost on busy pages, and only
   * a panel shows them. Going live sends everything.
   */
  function batch(news: boolean): string {
    // Plain loops: a page may have replaced Array.prototype's methods.
    const fresh = (list: PendingEvent[]): PendingEvent[] => {
      const out: PendingEvent[] = [];
      for (let i = 0; i < list.length; i++) if (!news || (list[i] as PendingEvent).seq > sentSeq) out[out.length] = list[i] as PendingEvent;
      return out;
    };
    const calls = news && !live ? [] : fresh(repeats.toArray());
    const pending = capTimeline(mergeBySeq(fresh(marks.toArray()), calls));
    const events: TimelineEvent[] = [];
    for (let i = 0; i < pending.length; i++) events[i] = settle(pending[i] as PendingEvent);
    sentSeq = seq;
    docId ??= hex8() + hex8();
    const dropped = repeats.dropped + marks.dropped;
    const message: RecorderBatch = { kind: RecorderMsg.Batch, docId, full: !news, late, events, dropped, ap3c: readAp3c() };
    const ortto = message.ap3c.state !== 'absent' || seq > 0;
    return `${Wire.Batch}${ortto ? 1 : 0}${stringify(message)}`;
  }

  function flush(): void {
    flushTimer = undefined;
    lastFlush = now();
    if (send) send(batch(true));
  }

  function scheduleFlush(): void {
    if (flushTimer === undefined && send) flushTimer = env().timeout(flush, max(0, lastFlush + FLUSH_INTERVAL_MS - now()));
  }

  const orttoSeen = (): boolean => seq > 0 || hooks.readAp3c().state !== 'absent';
  openChannel(
    (paired) => {
      send = paired;
      // Pages without Ortto cost nothing more: speak only once there is something to say. (Pairing
      // happens before any page script, so only what was recorded counts; a pull finds the rest.)
      if (seq > 0) announce();
    },
    (request) => {
      if (request === Wire.Live) live = true;
      // A pull on a page without Ortto gets no answer (a page that replaced our accessor on
      // window, e.g. with a non-configurable ap3c, is found here too).
      else if (!orttoSeen()) return;
      announce();
      send?.(batch(request === Wire.News));
    },
  );
}

start();
