/** Folds recorder batches into the relay's view of the document. Pure. */
import type { RecorderBatch, TimelineEvent } from './protocol.ts';
import { capTimeline } from './timeline.ts';

export interface RecorderView {
  recorderDocId: string | null;
  late: boolean;
  events: TimelineEvent[];
  dropped: number;
  ap3c: RecorderBatch['ap3c'];
}

export const EMPTY_VIEW: RecorderView = { recorderDocId: null, late: false, events: [], dropped: 0, ap3c: { state: 'absent' } };

/** A full batch, or one from another recorder document, replaces the view's timeline. */
export const replacesTimeline = (view: RecorderView, batch: RecorderBatch): boolean => batch.full || view.recorderDocId !== batch.docId;

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
  return { recorderDocId: batch.docId, late: batch.late, events, dropped: batch.dropped, ap3c: batch.ap3c };
}
