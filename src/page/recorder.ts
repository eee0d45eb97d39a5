/**
 * Page recorder: runs in the page's MAIN world at document_start, built as one self-contained file.
 * It never imports extension APIs (there are none here). It records what the page does with
 * window.ap3c into a bounded timeline and hands batches to the relay over the paired channel.
 */

import { apply, floor, isArray, max, ownDescriptor, ownKeys, random, stringIndexOf, stringify } from '../shared/intrinsics.ts';
import { NoteCode } from '../shared/notes.ts';
import { type Ap3cState, BATCH_KIND, EventKind, type RecorderBatch, type TimelineEvent, Wire, type WireRequest } from '../shared/protocol/wire.ts';
import { DEFAULT_LIMITS, snapshot } from '../shared/snapshot.ts';
import { AP3_OPTIONS_KEYS, pickKnown } from './ap3c-known.ts';
import { openChannel, type Send } from './channel.ts';
import { installHooks } from './hooks.ts';
import { applyOverride, parseOverride } from './init-override.ts';
import { errorGetter, microtask, perf, perfNow, timeout, win, winListen } from './page-globals.ts';
import { type PendingEvent, type RecorderLog, recorderLog } from './recorder-log.ts';

// Captured at document_start, before any page script can replace them: a batch is built while
// page code may run (a Proxy's traps), and nothing the page replaced may run in our own steps.
const now = (): number => apply(perfNow, perf, []) as number;

/** Arguments of one call are kept small; init (with its token) gets the full string limit. */
const EVENT_LIMITS = { ...DEFAULT_LIMITS, depth: 4, keys: 50, totalSize: 32 * 1024 };
/** Once live, at most one batch per interval; the first change after a quiet spell goes out on the next task. */
const FLUSH_INTERVAL_MS = 100;
/** Uncaught errors that name ap3c kept per document (a page may throw the same one in a loop). */
const MAX_PAGE_ERRORS = 50;

const HEX = '0123456789abcdef';
/**
 * 16 hex digits. The recorder's document id must be unique, not secret (the relay's nonce is the
 * secret). Built by indexing a string: Number.prototype.toString may be the page's.
 */
function docIdOf(): string {
  let id = '';
  for (let i = 0; i < 16; i++) id += HEX[floor(random() * 16)];
  return id;
}

/**
 * JSON of the recorder's own batch. Not JSON.stringify on objects: it would call a `toJSON` the
 * page put on Object.prototype or Array.prototype (and let it rewrite the batch). Every object
 * here is the recorder's own (snapshots are plain data), so own enumerable keys are all there is;
 * strings, numbers and booleans go through JSON.stringify as primitives, which never looks a method
 * up (no bigint reaches here: snapshots encode it as an object); anything else is `null`.
 */
function toJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return stringify(value) ?? 'null';
  let out = '';
  if (isArray(value)) {
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + toJson(value[i]);
    return `[${out}]`;
  }
  const keys = ownKeys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (typeof key !== 'string') continue;
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    out += `${out === '' ? '' : ','}${stringify(key)}:${toJson(v)}`;
  }
  return `{${out}}`;
}

function start(): void {
  if (__STEPS__) __tiStep('recorder: script loaded (compiled, its modules run)');
  let recorderDocId: string | undefined;
  // Injected into a page whose snippet already ran (tab open before install)? (Not asking
  // document.readyState: touching document costs a page without Ortto more.)
  const late = 'ap3c' in win;
  // Built at the first event: a page without Ortto never needs it.
  let events: RecorderLog | undefined;
  const log = (): RecorderLog => {
    events ??= recorderLog();
    return events;
  };
  const seq = (): number => (events ? events.seq() : 0);
  let send: Send | undefined;
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let lastFlush = -Infinity;
  // Until a panel watches (live), batches are built only when the relay asks, which the
  // background does a few times per page: the page pays for no timers and no batches meanwhile.
  let live = false;
  let announced = false;
  const announce = (): void => {
    if (announced || !send) return;
    announced = true;
    send(Wire.Ortto);
    // By load the capture script has filled ap3c in, often without a call we see: live, send it.
    apply(winListen, win, [
      'load',
      () => {
        if (live) scheduleFlush();
      },
    ]);
    // Uncaught errors that name ap3c (`ap3c.track is not a function`, a snippet run again that
    // throws `Identifier 'ap3c' has already been declared`). Only the main world hears the page's
    // errors. ErrorEvent's getters, not the event's own properties (page-globals.ts).
    const messageOf = errorGetter('message');
    const fileOf = errorGetter('filename');
    const lineOf = errorGetter('lineno');
    let errors = 0;
    apply(winListen, win, [
      'error',
      (event: Event) => {
        try {
          const message = apply(messageOf, event, []);
          if (errors < MAX_PAGE_ERRORS && typeof message === 'string' && (apply(stringIndexOf, message, ['ap3c']) as number) >= 0) {
            errors++;
            record(EventKind.PageError, 'error', [message, apply(fileOf, event, []), apply(lineOf, event, [])]);
          }
        } catch {
          // Not an ErrorEvent (a page may dispatch a plain `error` event on window).
        }
      },
    ]);
  };

  // One clock reading per task: calls in one synchronous burst share it (a page tracking in a loop
  // would otherwise pay for a clock reading per call). `seq` keeps their order.
  let taskTime = -1;
  // A/E notes sent (the relay follows the first 20 runs of the snippet; a page that assigns in a loop pays for no more).
  let assignedNotes = 0;
  const newTask = (): void => {
    taskTime = -1;
  };
  const stamp = (): number => {
    if (taskTime < 0) {
      taskTime = now();
      apply(microtask, win, [newTask]);
    }
    return taskTime;
  };
  // Arguments of track and cmd.push are kept as they are and snapshotted only when their event is
  // sent: in a burst of 10,000 track calls only the newest 500 survive, so only those are ever
  // snapshotted. The rare calls that decide verification are snapshotted at once, as they were.
  const record = (kind: EventKind, name: string, args?: unknown, note?: string): void => {
    const t = taskTime < 0 ? stamp() : taskTime;
    // A repeated track or cmd.push is kept as it came (recorder-log.ts), with as few calls as
    // can be: a page's cold track loop pays for each (its first repeat was announced already).
    events ??= recorderLog();
    if (!events.repeat(kind, t, args)) {
      // The rare calls are snapshotted at once; the first track and cmd.push wait too. (`note` may be
      // undefined: the batch's JSON leaves it out. `seq` and `args` are in the literal so every event has
      // one shape, and so that setting them later never reaches a setter the page put on Object.prototype.)
      const event = { t, kind, name, raw: args, args: undefined, note, seq: 0 } as PendingEvent;
      events.add(event);
      if (kind !== EventKind.Track && kind !== EventKind.CmdQueued) settle(event);
      // A new object for window.ap3c: the page's code that set it up is still running; the relay
      // notes the script it inserts (whatever its name).
      if (kind === EventKind.Ap3cAssigned && note === 'an object' && send && assignedNotes++ < 20) {
        send(Wire.Assigned);
        apply(microtask, win, [() => send?.(Wire.AssignedEnd)]);
      }
      if (!live && !announced) announce();
    }
    if (live) scheduleFlush();
  };
  const settle = (event: PendingEvent): TimelineEvent => {
    if (event.raw !== undefined) {
      event.args = snapshot(event.raw, EVENT_LIMITS);
      event.raw = undefined; // not serialised (JSON drops undefined)
    }
    return event;
  };

  // "Try on reload" (issue 18): an override for this document's first ap3c.init, as the relay
  // handed it (JSON, read only at that call), and whether that call has happened.
  let override: string | undefined;
  let initCalled = false;
  /** The override, once (undefined if there is none), recorded as applied or too late. */
  const takeOverride = (code: typeof NoteCode.FixApplied | typeof NoteCode.FixLate) => {
    const o = override === undefined ? undefined : parseOverride(override);
    override = undefined;
    if (o) record(EventKind.FixTried, code, [o], code);
    return o;
  };
  const rewriteInit = (args: unknown[]): unknown[] | undefined => {
    if (initCalled) return undefined;
    initCalled = true;
    const o = takeOverride(NoteCode.FixApplied);
    return o && applyOverride(args, o);
  };
  const hooks = installHooks(win, record, rewriteInit);
  if (__STEPS__) __tiStep('recorder: the accessor on window.ap3c');
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
    const state: Ap3cState = { state: 'present', snap: snapshot(pickKnown(r.value, undefined, hooks.ours)) };
    const took = now() - start;
    nextSnapAt = took > 5 ? now() + took * 50 : 0;
    lastSnap = { value: r.value, state };
    return state;
  }

  /**
   * A batch in the wire format (protocol/wire.ts `Wire`): a 2-character header for the relay, then JSON.
   * `news`: only what the relay has not had yet. A pull (news, not live) leaves out the repeats of
   * track and cmd.push: snapshotting 500 of them is most of a pull's cost on busy pages, and only
   * a panel shows them. Going live sends everything.
   */
  function batch(news: boolean): string {
    const pending = log().next(news, !news || live);
    const events: TimelineEvent[] = [];
    for (let i = 0; i < pending.length; i++) events[i] = settle(pending[i] as PendingEvent);
    log().markSent();
    recorderDocId ??= docIdOf();
    // The WooCommerce plugin's settings (a `var`: a data property of window; a getter is not called).
    const options = ownDescriptor(win, 'ap3Options');
    const message: RecorderBatch = {
      kind: BATCH_KIND,
      recorderDocId,
      full: !news,
      late,
      events,
      dropped: log().dropped(),
      ap3c: readAp3c(),
      ap3Options: options && 'value' in options && options.value != null ? snapshot(pickKnown(options.value, AP3_OPTIONS_KEYS), EVENT_LIMITS) : undefined,
    };
    const ortto = message.ap3c.state !== 'absent' || seq() > 0;
    return `${Wire.Batch}${ortto ? 1 : 0}${toJson(message)}`;
  }

  function flush(): void {
    if (__STEPS__) __tiStep('', true);
    flushTimer = undefined;
    lastFlush = now();
    if (send) send(batch(true));
    if (__STEPS__) __tiStep('recorder (live): a batch pushed');
  }

  function scheduleFlush(): void {
    if (flushTimer === undefined && send)
      flushTimer = apply(timeout, win, [flush, max(0, lastFlush + FLUSH_INTERVAL_MS - now())]) as ReturnType<typeof setTimeout>;
  }

  const orttoSeen = (): boolean => seq() > 0 || hooks.readAp3c().state !== 'absent';
  openChannel(
    (paired) => {
      send = paired;
      // Pages without Ortto cost nothing more: speak only once there is something to say. (Pairing
      // happens before any page script, so only what was recorded counts; a pull finds the rest.)
      if (seq() > 0) announce();
    },
    // (In a task of its own: see channel.ts.)
    __STEPS__
      ? (request) => {
          __tiStep('', true);
          answer(request);
          __tiStep('recorder: an answer in a task of its own (a batch)');
        }
      : answer,
    // (Inside the relay's dispatch: only the string is kept; a late one is said in a task of its own.)
    (json) => {
      override = json;
      if (initCalled) apply(timeout, win, [() => takeOverride(NoteCode.FixLate), 0]);
    },
    // A pull on a page where nothing happened and window.ap3c is still our empty accessor: "nothing"
    // at once, from our own state (most pages; a pull then costs no timer, no task, no event).
    (request) => request === Wire.News && seq() === 0 && hooks.untouched(),
  );
  if (__STEPS__) __tiStep('recorder: its side of the pairing (its hello)');

  function answer(request: WireRequest): void {
    if (request === Wire.Live) live = true;
    // A pull on a page without Ortto gets "nothing" (a page that replaced our accessor on
    // window, e.g. with a non-configurable ap3c, is found here too).
    else if (!orttoSeen()) {
      send?.(Wire.Nothing);
      return;
    }
    announce();
    send?.(batch(request === Wire.News));
  }
}

start();
