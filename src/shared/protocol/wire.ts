/**
 * Page ⇄ relay: the recorder (page, MAIN world) and the relay (content script, isolated world) talk
 * with DOM CustomEvents on two per-document secret types (see page/channel.ts, content/pairing.ts), in
 * a one-character wire format; the recorder's batches (schemas below) travel on, unparsed, to the
 * background, which validates them (background/state/page-report.ts). Schemas are lazy: the
 * recorder's bundle, which needs only the names, carries no validation code.
 */
import * as v from 'valibot';
import type { Snap } from '../snapshot.ts';
import * as EventKinds from './event-kinds.ts';
import { lazySchema, shortString } from './schema.ts';
import * as WireCodes from './wire-codes.ts';

/**
 * The pairing handshake (page/channel.ts, content/pairing.ts). Both hellos are events of type
 * `load` dispatched on `document` with a string detail: the DOM never propagates a `load` event
 * from document to window (Document's "get the parent"), so a listener left on a reused window
 * (one that another page opened with window.open and scripted before it navigated) hears none of
 * them, and a new document has no listeners before document_start. The relay's hello carries its
 * nonce after HELLO_FROM_RELAY; it is cancelable: the recorder cancels it to say "paired" within
 * the same dispatch (the relay then stops answering hellos, so a page script asking later never
 * learns the nonce).
 */
export const HELLO_EVENT = 'load';
export const HELLO_FROM_RELAY = 'talk-inspector:relay-hello:';
export const HELLO_FROM_RECORDER = 'talk-inspector:recorder-hello';
/**
 * After pairing, one secret event type per direction, dispatched on window: the recorder never
 * hears its own messages (no page-world listener runs while a batch is handed over).
 */
export const privateEventTypes = (nonce: string): { toRecorder: string; toRelay: string } => ({
  toRecorder: `talk-inspector:${nonce}:to-recorder`,
  toRelay: `talk-inspector:${nonce}:to-relay`,
});
/** The relay's nonce: 32 lower-case hex digits. */
export const NONCE_LENGTH = 32;

/** The `kind` of a recorder batch (a plain string: the recorder's bundle holds no object of names). */
export const BATCH_KIND = 'batch';
/**
 * Recorder ⇄ relay wire format on the private event types: one string whose first character says
 * what it is, so the relay can forward a batch without parsing it (the background validates it).
 *   `B` + Ortto flag + batch JSON   recorder → relay, when asked (or, once live, on its own).
 *       Ortto flag `1`: ap3c exists or something was recorded.
 *   `N`   recorder → relay: asked, but there is nothing to report (no Ortto on this page). Said
 *         without a message where the recorder's own state tells (the page never touched
 *         window.ap3c): it cancels the request within its dispatch.
 *   `O`   recorder → relay: ap3c appeared (sent once).
 *   `A`   recorder → relay: the page gave window.ap3c a new object, and its code is still running
 *         (sent inside the assignment, each time): the relay notes the scripts that code inserts…
 *   `E`   recorder → relay: …until that code has returned (sent from a microtask of the page's world;
 *         the isolated world's own microtasks run as soon as its listener returns, too early).
 *   `S0` / `S1`   relay → recorder: answer with the news / with everything.
 *   `L`   relay → recorder: a panel is watching: answer with everything, then send news by itself.
 *   `V` + override JSON   relay → recorder: "Try on reload" (InitOverride): rewrite the options of
 *         the first ap3c.init call of this document; kept as the string until that call.
 * The recorder answers a request in a task of its own, never inside the request's dispatch:
 * building a batch can run page code (a Proxy's traps), and during a dispatch `window.event`
 * would show that code the private event's type.
 */
export { WireCodes as Wire };
export type WireRequest = typeof WireCodes.News | typeof WireCodes.Full | typeof WireCodes.Live;
/** Longest batch the relay forwards and the background accepts. */
export const MAX_BATCH_CHARS = 4 * 1024 * 1024;

export const TIMELINE_CAP = 500;

export { EventKinds as EventKind };
export type EventKind = (typeof EventKinds)[keyof typeof EventKinds];

const MAX_STRING = 64 * 1024;

export const SnapSchema: () => v.GenericSchema<Snap> = /*#__PURE__*/ lazySchema(() => {
  const longString = v.pipe(v.string(), v.maxLength(MAX_STRING));
  const short = shortString();
  // Tagged snapshots are told apart by `t` with one lookup: a variant would try the tags one by
  // one and record an issue for every miss, which is most of the relay's time on busy pages.
  const snap = v.lazy(() => SnapSchema());
  const byTag: Record<string, v.GenericSchema<Snap>> = {
    undef: v.object({ t: v.literal('undef') }),
    num: v.object({ t: v.literal('num'), v: short }),
    big: v.object({ t: v.literal('big'), v: short }),
    sym: v.object({ t: v.literal('sym'), v: longString }),
    str: v.object({ t: v.literal('str'), v: longString, len: v.number() }),
    fn: v.object({ t: v.literal('fn'), name: short }),
    get: v.object({ t: v.literal('get'), set: v.boolean() }),
    cycle: v.object({ t: v.literal('cycle') }),
    deep: v.object({ t: v.literal('deep') }),
    cut: v.object({ t: v.literal('cut') }),
    err: v.object({ t: v.literal('err'), v: short }),
    arr: v.object({ t: v.literal('arr'), items: v.pipe(v.array(snap), v.maxLength(1000)), more: v.number() }),
    obj: v.object({
      t: v.literal('obj'),
      entries: v.pipe(v.array(v.tuple([longString, snap])), v.maxLength(1000)),
      more: v.number(),
      cls: v.optional(short),
    }),
  };
  const unknownTag = v.object({ t: v.picklist(Object.keys(byTag)) }) as unknown as v.GenericSchema<Snap>;
  const tagged = v.lazy((input) => {
    const t = (input as { t?: unknown }).t;
    return (typeof t === 'string' && Object.hasOwn(byTag, t) ? byTag[t] : undefined) ?? unknownTag;
  });
  const primitive = { boolean: v.boolean(), number: v.number(), string: longString } as const;
  const nothing = v.null();
  // Dispatch on the input's type so a valid value never pays for failed alternatives.
  return v.lazy((input) => {
    if (input === null) return nothing;
    const t = typeof input;
    return t === 'boolean' || t === 'number' || t === 'string' ? primitive[t] : tagged;
  }) as v.GenericSchema<Snap>;
});

export const TimelineEventSchema = /*#__PURE__*/ lazySchema(() =>
  v.object({
    seq: v.number(),
    /** Milliseconds since the document's time origin. */
    t: v.number(),
    kind: v.picklist(Object.values(EventKinds)),
    /** Which property or method the event is about (e.g. "init", "talk.setVerifiedSession"). */
    name: v.optional(shortString()),
    args: v.optional(SnapSchema()),
    note: v.optional(shortString()),
  }),
);
export type TimelineEvent = v.InferOutput<ReturnType<typeof TimelineEventSchema>>;

export const Ap3cStateSchema = /*#__PURE__*/ lazySchema(() =>
  v.variant('state', [
    v.object({ state: v.literal('absent') }),
    v.object({ state: v.literal('present'), snap: SnapSchema() }),
    /** window.ap3c is an accessor the page defined: reading it could run page code, so it is not read. */
    v.object({ state: v.literal('unreadable'), reason: shortString() }),
  ]),
);
export type Ap3cState = v.InferOutput<ReturnType<typeof Ap3cStateSchema>>;

/** Recorder → background (the relay forwards it unread). A `full` batch replaces the timeline the background had for this document. */
export const RecorderBatchSchema = /*#__PURE__*/ lazySchema(() =>
  v.object({
    kind: v.literal(BATCH_KIND),
    /** The recorder's own id for its document (the relay's is relayDocId, the browser's browserDocumentId). */
    recorderDocId: v.pipe(v.string(), v.regex(/^[0-9a-f]{16}$/)),
    full: v.boolean(),
    late: v.boolean(),
    events: v.pipe(v.array(TimelineEventSchema()), v.maxLength(TIMELINE_CAP)),
    dropped: v.number(),
    ap3c: Ap3cStateSchema(),
    /**
     * `window.ap3Options`, the WooCommerce plugin's settings (`tracking_key`, `capture_api_url`),
     * read as a data property (a getter is not called), its known keys only.
     */
    ap3Options: v.optional(SnapSchema()),
  }),
);
export type RecorderBatch = v.InferOutput<ReturnType<typeof RecorderBatchSchema>>;

/**
 * "Try on reload" (issue 18): what may change in the options of a document's first ap3c.init call,
 * for one reload of one tab. `talkOn` removes disableTalk and disableWidgets.
 */
export interface InitOverride {
  token?: string;
  cookiePath?: string;
  talkOn?: true;
  captureUrl?: string;
}
export const InitOverrideSchema = /*#__PURE__*/ lazySchema(() =>
  v.strictObject({
    token: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(16_384))),
    cookiePath: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(300))),
    talkOn: v.optional(v.literal(true)),
    captureUrl: v.optional(v.pipe(v.string(), v.url(), v.regex(/^https?:\/\//i, 'http(s) only'), v.maxLength(2048))),
  }),
);
