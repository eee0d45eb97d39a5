/**
 * What the recorder has recorded and not yet sent, and what it sends next. Pure (runs in the
 * page: plain loops, no Array.prototype method a page could replace).
 *
 * Two bounded logs, so a flood of track calls can never push init or setVerifiedSession out:
 * `repeats` holds repeated track and cmd.push calls, `marks` everything else plus the first track
 * and the first cmd.push (the checklist orders them against init; timeline.ts repeatTracker).
 */
import { TIMELINE_CAP, type TimelineEvent } from '../shared/protocol/wire.ts';
import { capTimeline, mergeBySeq, repeatTracker } from '../shared/timeline.ts';
import { boundedLog } from './bounded-log.ts';

/** An event whose arguments may not be snapshotted yet (`raw`: the call's own arguments). */
export type PendingEvent = TimelineEvent & { raw?: unknown };

export interface RecorderLog {
  /** The last event's sequence number (0: nothing recorded yet). */
  seq(): number;
  /** Events pushed out of the bounded logs. */
  dropped(): number;
  /** Records an event (giving it its seq); true when it is a repeated call (its arguments can wait until it is sent). */
  add(event: PendingEvent): boolean;
  /**
   * The events of the next batch, in seq order and capped. `news`: only what was not sent yet.
   * `repeats`: include the repeated calls (a pull leaves them out: snapshotting 500 of them is most
   * of a pull's cost on busy pages, and only a panel shows them).
   */
  next(news: boolean, repeats: boolean): PendingEvent[];
  /** Everything recorded so far has been sent. */
  markSent(): void;
}

/** (A closure, not a class: its names shrink in the page's bundle.) */
export function recorderLog(): RecorderLog {
  const repeats = boundedLog<PendingEvent>(TIMELINE_CAP);
  const marks = boundedLog<PendingEvent>(TIMELINE_CAP);
  const isRepeat = repeatTracker();
  let seq = 0;
  let sentSeq = 0;
  return {
    seq: () => seq,
    dropped: () => repeats.dropped() + marks.dropped(),
    add(event) {
      event.seq = ++seq;
      const repeat = isRepeat(event.kind);
      (repeat ? repeats : marks).push(event);
      return repeat;
    },
    next(news, withRepeats) {
      const sent = sentSeq;
      const fresh = (list: PendingEvent[]): PendingEvent[] => {
        const out: PendingEvent[] = [];
        for (let i = 0; i < list.length; i++) if (!news || (list[i] as PendingEvent).seq > sent) out[out.length] = list[i] as PendingEvent;
        return out;
      };
      return capTimeline(mergeBySeq(fresh(marks.toArray()), withRepeats ? fresh(repeats.toArray()) : []));
    },
    markSent() {
      sentSeq = seq;
    },
  };
}
