/**
 * The one message protocol of Talk Inspector: every name, shape and schema used between
 *   recorder (page, MAIN world) ⇄ relay (content script)   — DOM CustomEvents on per-document secret types
 *   relay → background                                       — runtime.sendMessage
 *   panel ⇄ background                                       — a runtime port named PANEL_PORT
 * Everything that crosses a hop is validated with these schemas on arrival; anything else is dropped.
 */
import * as v from 'valibot';
import { PROFILE_LABEL_MAX, type ProfileInfo } from './profiles.ts';
import type { Snap } from './snapshot.ts';
import type { FlowOutcome, FlowProgress } from './talk-session.ts';

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

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

export const RecorderMsg = { Batch: 'batch' } as const;
/**
 * Recorder ⇄ relay wire format on the private event types: one string whose first character says
 * what it is, so the relay can forward a batch without parsing it (the background validates it).
 *   `B` + Ortto flag + batch JSON   recorder → relay, when asked (or, once live, on its own).
 *       Ortto flag `1`: ap3c exists or something was recorded.
 *   `N`   recorder → relay: asked, but there is nothing to report (no Ortto on this page).
 *   `O`   recorder → relay: ap3c appeared (sent once).
 *   `S0` / `S1`   relay → recorder: answer with the news / with everything.
 *   `L`   relay → recorder: a panel is watching: answer with everything, then send news by itself.
 * The recorder answers a request in a task of its own, never inside the request's dispatch:
 * building a batch can run page code (a Proxy's traps), and during a dispatch `window.event`
 * would show that code the private event's type.
 */
export const Wire = { Batch: 'B', Nothing: 'N', Ortto: 'O', News: 'S0', Full: 'S1', Live: 'L' } as const;
export type WireRequest = typeof Wire.News | typeof Wire.Full | typeof Wire.Live;
/** Longest batch the relay forwards and the background accepts. */
export const MAX_BATCH_CHARS = 4 * 1024 * 1024;
/** Batches one page update may carry; past it the relay asks for one full batch instead. */
export const MAX_BATCHES_PER_UPDATE = 50;
export const RuntimeMsg = { PageUpdate: 'page-update', E2eGetState: 'e2e:get-state' } as const;
export const PortMsg = {
  Subscribe: 'subscribe',
  TabState: 'tab-state',
  ListProfiles: 'list-profiles',
  /** The panel asks the background to open the options page (Firefox has no runtime.openOptionsPage in a DevTools panel). */
  OpenOptions: 'open-options',
  Profiles: 'profiles',
  RequestToken: 'request-token',
  TokenProgress: 'token-progress',
  TokenResult: 'token-result',
  ApplyToken: 'apply-token',
  ApplyResult: 'apply-result',
} as const;
/** Options page → background (runtime.sendMessage); accepted only from the extension's own pages. */
export const ProfileMsg = {
  List: 'profiles:list',
  Save: 'profiles:save',
  Rename: 'profiles:rename',
  Delete: 'profiles:delete',
  ForgetAll: 'profiles:forget-all',
} as const;
export const PANEL_PORT = 'talk-inspector-panel';

/** Test-only events between a fixture page and the relay of an E2E build (Firefox cannot open devtools). */
export const E2E_QUERY = 'talk-inspector:e2e-query';
export const E2E_ANSWER = 'talk-inspector:e2e-answer';

export const TIMELINE_CAP = 500;

export const EventKind = {
  Ap3cAssigned: 'ap3c-assigned',
  CmdQueued: 'cmd-queued',
  MethodDefined: 'method-defined',
  Init: 'init',
  Track: 'track',
  SetVerifiedSession: 'set-verified-session',
  CallThrew: 'call-threw',
  HookFailed: 'hook-failed',
  Attached: 'attached',
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

// ---------------------------------------------------------------------------------------------
// Schemas (and the types inferred from them)
// ---------------------------------------------------------------------------------------------

/**
 * Schemas are built on first use, so a bundle that only needs names and types (the recorder)
 * carries no validation code at all.
 */
function lazySchema<T>(build: () => T): () => T {
  let schema: T | undefined;
  return () => {
    if (schema === undefined) schema = build();
    return schema;
  };
}

const shortString = () => v.pipe(v.string(), v.maxLength(300));
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
    kind: v.picklist(Object.values(EventKind)),
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

/** Recorder → relay. `full` batches replace everything the relay had for this document. */
export const RecorderBatchSchema = /*#__PURE__*/ lazySchema(() =>
  v.object({
    kind: v.literal(RecorderMsg.Batch),
    docId: v.pipe(v.string(), v.regex(/^[0-9a-f]{16}$/)),
    full: v.boolean(),
    late: v.boolean(),
    events: v.pipe(v.array(TimelineEventSchema()), v.maxLength(TIMELINE_CAP)),
    dropped: v.number(),
    ap3c: Ap3cStateSchema(),
  }),
);
export type RecorderBatch = v.InferOutput<ReturnType<typeof RecorderBatchSchema>>;

export const WidgetStateSchema = /*#__PURE__*/ lazySchema(() =>
  v.object({
    present: v.boolean(),
    /** Host element is a direct child of <body> as Ortto renders it. */
    inBody: v.boolean(),
    visible: v.boolean(),
    shadow: v.picklist(['open', 'closed-or-none']),
    /** Whether the words "Not verified" appear in the widget; null when the widget cannot be read. */
    notVerifiedLabel: v.nullable(v.boolean()),
    /** Visible text of the widget, cut, for evidence. */
    text: v.pipe(v.string(), v.maxLength(2000)),
  }),
);
export type WidgetState = v.InferOutput<ReturnType<typeof WidgetStateSchema>>;

export const CookieSchema = /*#__PURE__*/ lazySchema(() => v.object({ name: shortString(), value: v.pipe(v.string(), v.maxLength(4096)) }));
export type CookieInfo = v.InferOutput<ReturnType<typeof CookieSchema>>;

const urlList = () => v.pipe(v.array(v.pipe(v.string(), v.maxLength(2048))), v.maxLength(10));

/** What only the DOM can tell about a document; the relay reads it, the background keeps it. */
export const DomFactsSchema = /*#__PURE__*/ lazySchema(() =>
  v.object({
    widget: WidgetStateSchema(),
    /** Capture-script URLs in the page (<script src> ending in /app.js), and the ones that failed to load. */
    scripts: urlList(),
    scriptErrors: urlList(),
    /** URLs of /v1/talk/session calls the page itself made (resource timing: no headers, no bodies). */
    talkSessionCalls: urlList(),
    /** When the visitor first clicked or typed in the Talk widget (ms since time origin), or null. */
    widgetInteractedAt: v.nullable(v.number()),
    /**
     * The page got in the inspector's way (docs/architecture.md, "Trust"): `no-pairing`, no
     * recorder took the relay's hello (the page intercepted it); `no-answer`, the recorder did not
     * answer when asked. Absent when the recorder answered.
     */
    interference: v.optional(v.picklist(['no-pairing', 'no-answer'])),
    /** Another page of this origin opened this tab (window.opener), so it could script it before the inspector started. */
    opener: v.optional(v.literal('same-origin')),
  }),
);
export type DomFacts = v.InferOutput<ReturnType<typeof DomFactsSchema>>;

const documentFields = () => ({
  docId: v.pipe(v.string(), v.maxLength(64)),
  url: v.pipe(v.string(), v.maxLength(8192)),
  timeOrigin: v.number(),
  /** When this document last became the visible one (load, or a back/forward-cache restore). */
  activeSince: v.number(),
});

/**
 * Relay → background: what changed since the relay's last update. Recorder batches travel as the
 * strings the recorder wrote; the background parses and validates them (src/shared/page-update.ts),
 * which keeps that work and its code out of every page.
 */
export const PageUpdateSchema = /*#__PURE__*/ lazySchema(() =>
  v.object({
    ...documentFields(),
    batches: v.pipe(v.array(v.pipe(v.string(), v.maxLength(MAX_BATCH_CHARS))), v.maxLength(MAX_BATCHES_PER_UPDATE)),
    dom: DomFactsSchema(),
  }),
);
export type PageUpdate = v.InferOutput<ReturnType<typeof PageUpdateSchema>>;

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
    /**
     * What the background left out to keep the report within its storage budget
     * (src/shared/report-budget.ts): older events, and calls whose arguments were replaced. Absent when nothing was.
     */
    trimmed: v.optional(v.object({ events: v.number(), args: v.number() })),
  }),
);
export type PageReport = v.InferOutput<ReturnType<typeof PageReportSchema>>;

/**
 * What the relay keeps on its isolated world's global object, where only the extension (the
 * background, through the scripting API) can reach it.
 */
export const RelayGlobal = {
  /** The relay's document id (a relay runs once per document). */
  DocId: '__talkInspectorRelay',
  /** () => boolean: false for a relay orphaned by an extension reload. */
  Alive: '__talkInspectorAlive',
  /** () => Collected: the background pulls the page's news (pages nobody inspects). */
  Collect: '__talkInspectorCollect',
  /** () => void: a panel watches this tab; the relay pushes updates from now on. */
  Live: '__talkInspectorWake',
} as const;
/** A pull's answer: an update, `live` (the relay pushes its updates), or null (no Ortto here). */
export type Collected = PageUpdate | 'live' | null;

/** Relay → background. */
export const RuntimeMessageSchema = /*#__PURE__*/ lazySchema(() =>
  v.variant('type', [v.object({ type: v.literal(RuntimeMsg.PageUpdate), update: PageUpdateSchema() }), v.object({ type: v.literal(RuntimeMsg.E2eGetState) })]),
);
export type RuntimeMessage = v.InferOutput<ReturnType<typeof RuntimeMessageSchema>>;

/** What the background knows of one tab; what the panel renders. */
export interface TabState {
  tabId: number;
  url: string | null;
  inspectable: boolean;
  /** Why the page cannot be inspected, in words for a person. */
  reason: string | null;
  report: PageReport | null;
  /** The browser's id of the reporting document (Chrome), so an action never lands on a newer page. */
  documentId: string | null;
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

/** Panel → background over the port. */
const tabIdSchema = () => v.pipe(v.number(), v.integer(), v.minValue(0));
const requestIdSchema = () => v.pipe(v.string(), v.regex(/^[A-Za-z0-9-]{1,64}$/));
const profileIdSchema = () => v.pipe(v.string(), v.regex(/^[0-9a-f-]{36}$/));

export const PanelMessageSchema = /*#__PURE__*/ lazySchema(() =>
  v.variant('type', [
    v.object({ type: v.literal(PortMsg.Subscribe), tabId: tabIdSchema() }),
    v.object({ type: v.literal(PortMsg.ListProfiles) }),
    v.object({ type: v.literal(PortMsg.OpenOptions) }),
    v.object({
      type: v.literal(PortMsg.RequestToken),
      requestId: requestIdSchema(),
      profileId: profileIdSchema(),
      body: v.pipe(
        v.record(v.string(), v.unknown()),
        v.check((b) => JSON.stringify(b).length < 64 * 1024, 'body too large'),
      ),
    }),
    v.object({
      type: v.literal(PortMsg.ApplyToken),
      requestId: requestIdSchema(),
      tabId: tabIdSchema(),
      docId: v.pipe(v.string(), v.maxLength(64)),
      token: v.pipe(v.string(), v.minLength(1), v.maxLength(16_384)),
    }),
  ]),
);
export type PanelMessage = v.InferOutput<ReturnType<typeof PanelMessageSchema>>;

export type ApplyResult = { ok: true } | { ok: false; reason: 'navigated' | 'missing' | 'threw' | 'not-allowed' | 'no-page'; message: string };

/** Background → panel over the port. */
export type BackgroundMessage =
  | { type: typeof PortMsg.TabState; state: TabState }
  | { type: typeof PortMsg.Profiles; profiles: ProfileInfo[] }
  | { type: typeof PortMsg.TokenProgress; requestId: string; progress: FlowProgress }
  | { type: typeof PortMsg.TokenResult; requestId: string; outcome: FlowOutcome }
  | { type: typeof PortMsg.ApplyResult; requestId: string; result: ApplyResult };

const profileInputSchema = () =>
  v.object({
    label: v.pipe(v.string(), v.maxLength(PROFILE_LABEL_MAX)),
    region: v.picklist(['default', 'eu', 'au', 'custom']),
    customBaseUrl: v.pipe(v.string(), v.maxLength(2048)),
    key: v.pipe(v.string(), v.maxLength(1024)),
    remember: v.boolean(),
  });

export const ProfileMessageSchema = /*#__PURE__*/ lazySchema(() =>
  v.variant('type', [
    v.object({ type: v.literal(ProfileMsg.List) }),
    v.object({ type: v.literal(ProfileMsg.Save), input: profileInputSchema() }),
    v.object({ type: v.literal(ProfileMsg.Rename), id: profileIdSchema(), label: v.pipe(v.string(), v.maxLength(PROFILE_LABEL_MAX)) }),
    v.object({ type: v.literal(ProfileMsg.Delete), id: profileIdSchema() }),
    v.object({ type: v.literal(ProfileMsg.ForgetAll) }),
  ]),
);
export type ProfileMessage = v.InferOutput<ReturnType<typeof ProfileMessageSchema>>;
export type ProfileAnswer = { ok: true; profiles: ProfileInfo[] } | { ok: false; errors: Record<string, string>; profiles: ProfileInfo[] };

/** Parses a message from another hop; returns undefined for anything that does not match. */
export function parseMessage<T>(schema: () => v.GenericSchema<unknown, T>, data: unknown): T | undefined {
  // Nothing we send nests deeper than ~20 levels: refuse deeper input before the recursive
  // validator can spend long on it or overflow the stack.
  if (nestedDeeperThan(data, 40)) return undefined;
  try {
    const r = v.safeParse(schema(), data);
    return r.success ? r.output : undefined;
  } catch {
    return undefined;
  }
}

/** Iterative depth check (no recursion, so it cannot overflow itself). */
function nestedDeeperThan(data: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[data, 0]];
  let visited = 0;
  while (stack.length) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (node === null || typeof node !== 'object') continue;
    if (depth > limit || ++visited > 200_000) return true;
    for (const key in node) {
      const child = (node as Record<string, unknown>)[key];
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
