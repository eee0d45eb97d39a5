/**
 * Builds the background's report of a document from the relay's updates. Pure.
 * Recorder batches arrive as the strings the recorder wrote: each is parsed and validated here,
 * and one that fails is dropped on its own (the rest of the update still counts).
 */
import { EMPTY_VIEW, mergeBatch, type RecorderView, replacesTimeline } from './merge-batch.ts';
import { noteText } from './notes.ts';
import { type CookieInfo, MAX_BATCH_CHARS, type PageReport, type PageUpdate, parseMessage, type RecorderBatch, RecorderBatchSchema } from './protocol.ts';

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
    ? { recorderDocId: previous.recorderDocId, late: previous.late, events: previous.events, dropped: previous.dropped, ap3c: previous.ap3c }
    : EMPTY_VIEW;
  // What the storage budget left out of this timeline so far (report-budget.ts recounts and adds):
  // a batch that replaces the timeline brings the recorder's own events back, so it starts again.
  let trimmed = previous?.trimmed;
  for (const raw of update.batches) {
    const batch = parseBatch(raw);
    if (!batch) continue;
    if (replacesTimeline(view, batch)) trimmed = undefined;
    view = mergeBatch(view, batch);
  }
  return {
    docId: update.docId,
    url: update.url,
    timeOrigin: update.timeOrigin,
    activeSince: update.activeSince,
    ...update.dom,
    cookies,
    recorderPaired: view.recorderDocId !== null,
    recorderDocId: view.recorderDocId,
    late: view.late,
    events: view.events,
    dropped: view.dropped,
    ap3c: view.ap3c,
    ...(trimmed ? { trimmed } : {}),
  };
}
