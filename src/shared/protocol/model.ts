/**
 * The background's model: what it knows of a document (PageReport, built from page updates) and of a
 * tab (TabState, what the panel renders). Stored in storage.session; exported (docs/report-schema.md).
 */
import * as v from 'valibot';
import { DomFactsSchema, documentFields } from './relay.ts';
import { lazySchema, shortString } from './schema.ts';
import { Ap3cStateSchema, SnapSchema, TIMELINE_CAP, TimelineEventSchema } from './wire.ts';

export const CookieSchema = /*#__PURE__*/ lazySchema(() => v.object({ name: shortString(), value: v.pipe(v.string(), v.maxLength(4096)) }));
export type CookieInfo = v.InferOutput<ReturnType<typeof CookieSchema>>;

/** Everything known about one document: what the background builds from page updates. */
export const PageReportSchema = /*#__PURE__*/ lazySchema(() =>
  v.object({
    ...documentFields(),
    ...DomFactsSchema().entries,
    /** The page's Ortto cookies, read by the background (cookies API): the page pays nothing. */
    cookies: v.pipe(v.array(CookieSchema()), v.maxLength(50)),
    /** False until a valid recorder batch arrived (no recorder in this document yet). */
    recorderPaired: v.boolean(),
    /** The recorder's id for this document, which its batches carry. */
    recorderDocId: v.nullable(v.pipe(v.string(), v.maxLength(64))),
    /** The recorder was injected after the page had started (tab open before install). */
    late: v.boolean(),
    events: v.pipe(v.array(TimelineEventSchema()), v.maxLength(TIMELINE_CAP)),
    dropped: v.number(),
    ap3c: Ap3cStateSchema(),
    /** `window.ap3Options` (the WooCommerce plugin's settings), its known keys, when the page has it. */
    ap3Options: v.optional(SnapSchema()),
    /**
     * What the background left out to keep the report within its storage budget
     * (src/shared/report-budget.ts): older events, and calls whose arguments were replaced. Absent when nothing was.
     */
    trimmed: v.optional(v.object({ events: v.number(), args: v.number() })),
    /** A recorder batch could not be read since the last one that brought the whole timeline (see page-report.ts). */
    batchLost: v.optional(v.literal(true)),
  }),
);
export type PageReport = v.InferOutput<ReturnType<typeof PageReportSchema>>;

/** What the background knows of one tab; what the panel renders. */
export interface TabState {
  tabId: number;
  url: string | null;
  inspectable: boolean;
  /** Why the page cannot be inspected, in words for a person. */
  reason: string | null;
  report: PageReport | null;
  /** The browser's id of the reporting document (Chrome), so an action never lands on a newer page. */
  browserDocumentId: string | null;
  /** A navigation started and the new document has not reported yet. */
  pendingNavigation: boolean;
  /** The new document finished loading without reporting: it has no Ortto snippet. */
  loadedWithoutReport: boolean;
  /** Date.now() of the last change. */
  updatedAt: number;
  /**
   * Set when storage.session refused to store this state (e.g. its quota is full): the background
   * keeps it in memory only, and these words tell the panel why.
   */
  notStored?: string;
}
