/**
 * Timeline rules shared by the recorder and the background. Pure.
 * `track` and `cmd.push` repeat (a page may call them thousands of times); every other event
 * (ap3c assigned, init, setVerifiedSession, a call that threw…) is rare and decides the
 * diagnosis, so when the timeline is over its cap the oldest repeats go first.
 * The recorder runs these in the page: they call no Array.prototype method a page could replace.
 */
import { EventKind, TIMELINE_CAP } from './protocol/wire.ts';

export const isRepeatable = (kind: string): boolean => kind === EventKind.Track || kind === EventKind.CmdQueued;

/**
 * Tells, event by event in seq order, whether an event is a repeat: a track or cmd.push that is
 * not the first of its kind (the first ones are kept: the checklist orders them against init).
 * The one place of that rule, for the recorder's logs and for capTimeline.
 */
export function repeatTracker(): (kind: string) => boolean {
  let seenTrack = false;
  let seenCmd = false;
  return (kind) => {
    if (kind === EventKind.Track) {
      if (seenTrack) return true;
      seenTrack = true;
    } else if (kind === EventKind.CmdQueued) {
      if (seenCmd) return true;
      seenCmd = true;
    }
    return false;
  };
}

/**
 * The events (in seq order) cut to `cap`: the oldest repeats go first, except the first track and
 * the first cmd.push (the checklist orders them against init), then the oldest of the rest.
 */
export function capTimeline<T extends { kind: string }>(events: T[], cap = TIMELINE_CAP): T[] {
  let excess = events.length - cap;
  if (excess <= 0) return events;
  const kept: T[] = [];
  const isRepeat = repeatTracker();
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as T;
    if (isRepeat(e.kind) && excess > 0) excess--;
    else kept[kept.length] = e;
  }
  if (kept.length <= cap) return kept;
  const out: T[] = [];
  for (let i = kept.length - cap; i < kept.length; i++) out[out.length] = kept[i] as T;
  return out;
}

/** Two seq-ordered lists with no event in common merged into one, in seq order. */
export function mergeBySeq<T extends { seq: number }>(a: T[], b: T[]): T[] {
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && x.seq < y.seq)) {
      out[out.length] = x as T;
      i++;
    } else {
      out[out.length] = y;
      j++;
    }
  }
  return out;
}
