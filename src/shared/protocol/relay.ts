/**
 * Relay → background: a page update (pushed over the RELAY_PORT port while a panel watches, or the
 * answer of a pull through the scripting API), what only the DOM tells, and the names the relay keeps
 * on its isolated world's global object for the background to call.
 */
import * as v from 'valibot';
import { lazySchema } from './schema.ts';
import { MAX_BATCH_CHARS } from './wire.ts';

/** Batches one page update may carry; past it the relay asks for one full batch instead. */
export const MAX_BATCHES_PER_UPDATE = 50;
export const RuntimeMsg = { PageUpdate: 'page-update', E2eGetState: 'e2e:get-state' } as const;
/**
 * Live updates go over a port the relay opens when a panel starts watching: a port message waits
 * for no answer, so nothing is left to arrive after the page unloads (Firefox logs an error for a
 * sendMessage answered after its content script went away), and a disconnect says the update may
 * be lost (the next one starts from everything).
 */
export const RELAY_PORT = 'talk-inspector-relay';

/** Test-only events between a fixture page and the relay of an E2E build (Firefox cannot open devtools). */
export const E2E_QUERY = 'talk-inspector:e2e-query';
export const E2E_ANSWER = 'talk-inspector:e2e-answer';

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

const urlList = () => v.pipe(v.array(v.pipe(v.string(), v.maxLength(2048))), v.maxLength(10));

/**
 * A Content-Security-Policy violation the browser reported to the page (`securitypolicyviolation`),
 * kept when it is about scripts or connections: `directive` is the effective directive
 * (`script-src-elem`, `connect-src`…), `blocked` the blocked URL (or `inline`/`eval`), `disposition`
 * `enforce` (blocked) or `report` (report-only, nothing blocked), `policy` the policy it came from.
 */
export const CspViolationSchema = /*#__PURE__*/ lazySchema(() =>
  v.object({
    directive: v.pipe(v.string(), v.maxLength(64)),
    blocked: v.pipe(v.string(), v.maxLength(2048)),
    disposition: v.picklist(['enforce', 'report']),
    policy: v.pipe(v.string(), v.maxLength(1024)),
    /** The first characters of a blocked inline script, when the policy asks for samples. */
    sample: v.optional(v.pipe(v.string(), v.maxLength(256))),
    /** Milliseconds since the time origin. */
    t: v.number(),
  }),
);
export type CspViolation = v.InferOutput<ReturnType<typeof CspViolationSchema>>;

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
     * answer when asked. Absent when the recorder answered. (`batch-lost` is the background's: a
     * recorder batch could not be read, e.g. one over MAX_BATCH_CHARS, which the relay passes on
     * empty; it holds until a batch replaces the whole timeline.)
     */
    interference: v.optional(v.picklist(['no-pairing', 'no-answer', 'batch-lost'])),
    /** Another page of this origin opened this tab (window.opener), so it could script it before the inspector started. */
    opener: v.optional(v.literal('same-origin')),
    /** Script and connection CSP violations since document_start (Ortto's hosts first; at most 20). */
    csp: v.optional(v.pipe(v.array(CspViolationSchema()), v.maxLength(20))),
    /** `src` of the scripts inserted in the task in which window.ap3c first appeared: the script the snippet loads, whatever its name. */
    snippetScripts: v.optional(urlList()),
    /** The external script that was running when window.ap3c first appeared (a snippet file, or the capture script itself). */
    ap3cDefinedIn: v.optional(v.pipe(v.string(), v.maxLength(2048))),
    /** Fetches of capture-script URLs in this document (resource timing), and capture-script elements in the page now. */
    captureScriptLoads: v.optional(v.number()),
    captureScriptElements: v.optional(v.number()),
  }),
);
export type DomFacts = v.InferOutput<ReturnType<typeof DomFactsSchema>>;

/** Fields every page update and report has: which document, where, since when. */
export const documentFields = () => ({
  relayDocId: v.pipe(v.string(), v.maxLength(64)),
  url: v.pipe(v.string(), v.maxLength(8192)),
  timeOrigin: v.number(),
  /** When this document last became the visible one (load, or a back/forward-cache restore). */
  activeSince: v.number(),
});

/**
 * Relay → background: what changed since the relay's last update. Recorder batches travel as the
 * strings the recorder wrote; the background parses and validates them (background/state/page-report.ts),
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

/**
 * What the relay keeps on its isolated world's global object, where only the extension (the
 * background, through the scripting API) can reach it.
 */
export const RelayGlobal = {
  /** The relay's id for its document (a relay runs once per document; see relayDocId). */
  RelayDocId: '__talkInspectorRelayDocId',
  /** () => boolean: false for a relay orphaned by an extension reload. */
  Alive: '__talkInspectorAlive',
  /** () => Collected: the background pulls the page's news (pages nobody inspects). */
  Collect: '__talkInspectorCollect',
  /** () => void: a panel watches this tab; the relay pushes updates from now on. */
  GoLive: '__talkInspectorGoLive',
  /** (json) => void: "Try on reload": hand the recorder an InitOverride for this document's first ap3c.init. */
  TryFix: '__talkInspectorTryFix',
  /** An override handed over before the relay started (it picks it up when it does). */
  PendingFix: '__talkInspectorPendingFix',
} as const;
/** A pull's answer: an update, `live` (the relay pushes its updates), or null (no Ortto here). */
export type Collected = PageUpdate | 'live' | null;

/** Relay → background. */
export const RuntimeMessageSchema = /*#__PURE__*/ lazySchema(() =>
  v.variant('type', [v.object({ type: v.literal(RuntimeMsg.PageUpdate), update: PageUpdateSchema() }), v.object({ type: v.literal(RuntimeMsg.E2eGetState) })]),
);
export type RuntimeMessage = v.InferOutput<ReturnType<typeof RuntimeMessageSchema>>;
