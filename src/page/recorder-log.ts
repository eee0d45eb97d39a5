/**
 * What the recorder has recorded and not yet sent, and what it sends next. Pure (runs in the
 * page: plain loops, no Array.prototype method a page could replace).
 *
 * Two bounded logs (rings), so a flood of track calls can never push init or setVerifiedSession
 * out: the repeats are repeated track and cmd.push calls, `marks` everything else plus the first
 * track and the first cmd.push (the checklist orders them against init; timeline.ts repeatTracker).
 */
import { EventKind, TIMELINE_CAP, type TimelineEvent } from '../shared/protocol/wire.ts';
import { mergeBySeq } from '../shared/timeline.ts';

/** An event whose arguments may not be snapshotted yet (`raw`: the call's own arguments). */
export type PendingEvent = TimelineEvent & { raw?: unknown };

export interface RecorderLog {
  /** The last event's sequence number (0: nothing recorded yet). */
  seq(): number;
  /** Events pushed out of the bounded logs. */
  dropped(): number;
  /**
   * Records a call if it is a repeat (a track or cmd.push after the first) and says whether it
   * was; otherwise the caller records it with `add`. A repeat gets no object of its own until a
   * batch takes it: a page may call track thousands of times while its code is cold, and an
   * object per call cost it ~0.4 µs a call (10,000 cold calls in Chromium: 8.0 → 4.4 ms).
   */
  repeat(kind: EventKind, t: number, raw: unknown): boolean;
  /** Records an event that is not a repeat (giving it its seq). */
  add(event: PendingEvent): void;
  /**
   * The events of the next batch, in seq order and capped. `news`: only what was not sent yet.
   * `repeats`: include the repeated calls (a pull leaves them out: snapshotting 500 of them is most
   * of a pull's cost on busy pages, and only a panel shows them).
   */
  next(news: boolean, repeats: boolean): PendingEvent[];
  /** Everything recorded so far has been sent. */
  markSent(): void;
}

/** How many of `count` items pushed into a ring of TIMELINE_CAP were pushed out. */
const over = (count: number): number => (count > TIMELINE_CAP ? count - TIMELINE_CAP : 0);

/** (A closure, not a class: its names shrink in the page's bundle.) */
export function recorderLog(): RecorderLog {
  let seenTrack = false;
  let seenCmd = false;
  // Two rings of the newest TIMELINE_CAP: `marks` holds events; the repeats are parallel arrays.
  // (A push is one store, no copying: a page may call ap3c.track thousands of times during its load.)
  const marks: PendingEvent[] = [];
  const kinds: EventKind[] = [];
  const times: number[] = [];
  const raws: unknown[] = [];
  const seqs: number[] = [];
  let marked = 0;
  let repeats = 0;
  let seq = 0;
  let sentSeq = 0;
  return {
    seq: () => seq,
    dropped: () => over(repeats) + over(marked),
    repeat(kind, t, raw) {
      // timeline.ts repeatTracker's rule, written out: a call fewer per track (a test ties the two).
      if (kind === EventKind.Track) {
        if (!seenTrack) {
          seenTrack = true;
          return false;
        }
      } else if (kind === EventKind.CmdQueued) {
        if (!seenCmd) {
          seenCmd = true;
          return false;
        }
      } else return false;
      const i = repeats++ % TIMELINE_CAP;
      kinds[i] = kind;
      times[i] = t;
      raws[i] = raw;
      seqs[i] = ++seq;
      return true;
    },
    add(event) {
      event.seq = ++seq;
      marks[marked++ % TIMELINE_CAP] = event;
    },
    next(news, withRepeats) {
      const sent = news ? sentSeq : 0;
      const fresh: PendingEvent[] = [];
      for (let n = over(marked); n < marked; n++) {
        const event = marks[n % TIMELINE_CAP] as PendingEvent;
        if (event.seq > sent) fresh[fresh.length] = event;
      }
      // The repeats after `sent`; where the batch would go over TIMELINE_CAP the oldest give way
      // (timeline.ts capTimeline's rule, written out to keep the page's bundle small; a test ties
      // the two. Once the marks ring has dropped some, the newest marks fill the batch.)
      let n = withRepeats ? over(repeats) : repeats;
      while (n < repeats && (seqs[n % TIMELINE_CAP] as number) <= sent) n++;
      if (repeats - n > TIMELINE_CAP - fresh.length) n = repeats - TIMELINE_CAP + fresh.length;
      // (Built for each batch: a repeat sent again in a full batch is snapshotted again, from its
      // arguments as they are then, as its first sending was. Its name follows from its kind, as
      // hooks.ts labels them: no name is kept per call.)
      const again: PendingEvent[] = [];
      for (; n < repeats; n++) {
        const i = n % TIMELINE_CAP;
        again[again.length] = {
          t: times[i] as number,
          kind: kinds[i] as EventKind,
          name: kinds[i] === EventKind.Track ? 'track' : 'cmd.push',
          raw: raws[i],
          args: undefined, // (own, as in recorder.ts: settling it reaches no setter of the page's)
          seq: seqs[i] as number,
        };
      }
      return mergeBySeq(fresh, again);
    },
    markSent() {
      sentSeq = seq;
    },
  };
}
