/**
 * Folds the relay's updates into the background's report of a document. Pure.
 * Recorder batches arrive as the strings the recorder wrote: each is parsed and validated here,
 * and one that fails is dropped on its own (the rest of the update still counts); then it is
 * merged into the recorder's view of the document by sequence number.
 */

import type { CookieInfo, PageReport } from '../../shared/protocol/model.ts';
import type { PageUpdate } from '../../shared/protocol/relay.ts';
import { parseMessage } from '../../shared/protocol/schema.ts';
import { MAX_BATCH_CHARS, type RecorderBatch, RecorderBatchSchema, type TimelineEvent } from '../../shared/protocol/wire.ts';
import { capTimeline } from '../../shared/timeline.ts';
import { noteText } from './note-words.ts';

export function parseBatch(raw: string): RecorderBatch | undefined {
  if (raw.length > MAX_BATCH_CHARS) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return undefined; // also a nesting too deep for the parser
  }
  const batch = parseMessage(RecorderBatchSchema, data);
  if (!batch) return undefined;
  // The recorder sends short codes for what it could not watch: put the words in.
  for (const e of batch.events) if (e.note !== undefined) e.note = noteText(e.note);
  if (batch.ap3c.state === 'unreadable') batch.ap3c.reason = noteText(batch.ap3c.reason);
  return batch;
}

/** `previous` is the report of the same document so far, or null for a new document. */
export function reportFromUpdate(previous: PageReport | null, update: PageUpdate, cookies: CookieInfo[]): PageReport {
  let view: RecorderView = previous
    ? {
        recorderDocId: previous.recorderDocId,
        late: previous.late,
        events: previous.events,
        dropped: previous.dropped,
        ap3c: previous.ap3c,
        ...(previous.ap3Options !== undefined ? { ap3Options: previous.ap3Options } : {}),
      }
    : EMPTY_VIEW;
  // What the storage budget left out of this timeline so far (report-budget.ts recounts and adds):
  // a batch that replaces the timeline brings the recorder's own events back, so it starts again.
  let trimmed = previous?.trimmed;
  // A batch that could not be read (over the size limit: the relay passes it on empty) took events
  // with it: what the page did is incomplete, never "none", until a batch brings the whole timeline.
  // (Kept apart from `interference`, which the relay's own `no-answer` may hold for a while.)
  let lost = previous?.batchLost === true;
  for (const raw of update.batches) {
    const batch = parseBatch(raw);
    if (!batch) {
      lost = true;
      continue;
    }
    if (replacesTimeline(view, batch)) {
      trimmed = undefined;
      lost = false;
    }
    view = mergeBatch(view, batch);
  }
  const interference = update.dom.interference ?? (lost ? 'batch-lost' : undefined);
  return {
    relayDocId: update.relayDocId,
    url: update.url,
    timeOrigin: update.timeOrigin,
    activeSince: update.activeSince,
    ...update.dom,
    ...(interference ? { interference } : {}),
    ...(lost ? { batchLost: true as const } : {}),
    cookies,
    recorderPaired: view.recorderDocId !== null,
    recorderDocId: view.recorderDocId,
    late: view.late,
    events: view.events,
    dropped: view.dropped,
    ap3c: view.ap3c,
    ...(view.ap3Options !== undefined ? { ap3Options: view.ap3Options } : {}),
    ...(trimmed ? { trimmed } : {}),
  };
}

// ---- The recorder's view of the document: batches merged by sequence number ----
export interface RecorderView {
  recorderDocId: string | null;
  late: boolean;
  events: TimelineEvent[];
  dropped: number;
  ap3c: RecorderBatch['ap3c'];
  ap3Options?: RecorderBatch['ap3Options'];
}

export const EMPTY_VIEW: RecorderView = { recorderDocId: null, late: false, events: [], dropped: 0, ap3c: { state: 'absent' } };

/** A full batch, or one from another recorder document, replaces the view's timeline. */
export const replacesTimeline = (view: RecorderView, batch: RecorderBatch): boolean => batch.full || view.recorderDocId !== batch.recorderDocId;

export function mergeBatch(view: RecorderView, batch: RecorderBatch): RecorderView {
  const replace = replacesTimeline(view, batch);
  let events: TimelineEvent[];
  if (replace) events = capTimeline(batch.events);
  else {
    let lastSeq = view.events.length > 0 ? (view.events[view.events.length - 1] as TimelineEvent).seq : 0;
    // A batch never repeats events, but a stray duplicate must not appear twice in the timeline.
    const fresh = batch.events.filter((e) => {
      if (e.seq <= lastSeq) return false;
      lastSeq = e.seq;
      return true;
    });
    // Over the cap, the oldest track and cmd.push calls go first: init must not be pushed out.
    events = capTimeline(view.events.concat(fresh));
  }
  // ap3Options is read with every batch; a batch without it says the page has none (now).
  return {
    recorderDocId: batch.recorderDocId,
    late: batch.late,
    events,
    dropped: batch.dropped,
    ap3c: batch.ap3c,
    ...(batch.ap3Options !== undefined ? { ap3Options: batch.ap3Options } : {}),
  };
}
