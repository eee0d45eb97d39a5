/**
 * What the panel says about a page, derived from the content scripts' report. Pure: the panel
 * renders it and the unit tests check it directly.
 *
 * The page's history is read as runs: each object window.ap3c holds is one run of the snippet (a
 * single-page app may remove window.ap3c and run the snippet again). What the panel calls current
 * is the latest run; an earlier run is never shown as if it still held.
 */
import type { PageReport } from '../protocol/model.ts';
import { EventKind, type TimelineEvent } from '../protocol/wire.ts';
import { type Snap, snapGet, snapString } from '../snapshot.ts';

/** How the page starts Ortto: which call carries the capture key and URL. */
export type InitVia = 'init' | 'initMagento' | 'initWooCommerce';

export interface InitCall {
  t: number;
  seq: number;
  captureKey: string | undefined;
  captureUrl: string | undefined;
  /** The options argument (`init` and `initMagento`: the third; `initWooCommerce`: none is known). */
  options: Snap | undefined;
  argCount: number;
  via: InitVia;
  /** The call's arguments as recorded. */
  args: Snap[];
}

export interface TokenInfo {
  value: string;
  /** The recorder kept only the first part of a very long token. */
  cut: boolean;
  source: 'init' | 'setVerifiedSession';
}

/** Ortto's integrations (ortto-facts.md): the capture snippet, the Magento and WooCommerce connectors, the in-app webview runner. */
export type IntegrationKind = 'snippet' | 'magento' | 'woocommerce' | 'webview';
/** Each integration in words (the panel's cards, the checklist's fixes). */
export const INTEGRATION_NAMES: Record<IntegrationKind, string> = {
  snippet: 'capture snippet',
  magento: 'Magento connector',
  woocommerce: 'WooCommerce plugin',
  webview: "Ortto's in-app webview runner",
};

export interface Integration {
  kind: IntegrationKind;
  /** What shows it. */
  evidence: string[];
  /** `seen`: a call of the integration was recorded; `inferred`: only its names or settings are on the page. */
  basis: 'seen' | 'inferred';
}

export interface PageErrorInfo {
  t: number;
  message: string;
  /** The script the error came from (the page's URL for an inline script). */
  source: string | null;
  line: number | null;
}

/** A call through ap3c that threw (the recorder saw it from inside its wrapper). */
export interface CallErrorInfo {
  t: number;
  name: string;
  message: string;
}

/** What window.ap3c went through after the snippet first set it up. */
export interface Lifecycle {
  /** How many objects window.ap3c held (each one a run of the snippet). */
  runs: number;
  /** window.ap3c no longer holds Ortto's object: set to undefined or null at `t`, or gone (deleted) by the time the page was read (`t` null). */
  removed: { t: number | null; how: string } | null;
  /** window.ap3c was given a new object after the first (the latest replacement). */
  replacedAt: number | null;
  /** The capture script ran on the current object (it defined ap3c.init there, or init's traces are on it). */
  currentSetUp: boolean;
  /** The latest uncaught error naming ap3c, if it came after the last change of window.ap3c: the latest run of the snippet threw. */
  latestRunError: PageErrorInfo | null;
}

/**
 * ap3c.cmd (and the connectors' queues) while the capture script has not run: what is waiting.
 * Functions cannot be read before they run; plain data can.
 */
export interface QueuedCommands {
  /** Which queue (`cmd`, `cmdMagento`, `cmdWooCommerce`). */
  queue: string;
  functions: number;
  /** Entries that are plain data, as recorded (shown masked). */
  data: Snap[];
  /** A token found in those data entries (under a key named token). */
  dataToken: TokenInfo | null;
  /** An init call written as data (`['init', key, url, options]`), if one is queued. */
  dataInit: InitCall | null;
}

export interface PageSummary {
  snippetFound: boolean;
  /** ap3c.init exists: the capture script (app.js) ran. */
  scriptLoaded: boolean;
  initCalls: InitCall[];
  /** Init calls on the current ap3c object (a replaced ap3c starts over). */
  currentInitCalls: InitCall[];
  token: TokenInfo | null;
  cookiePath: string | null;
  talkDisabledBy: string[];
  verifiedSessionCalls: TimelineEvent[];
  ap3cUnreadable: string | null;
  integration: Integration;
  lifecycle: Lifecycle;
  pageErrors: PageErrorInfo[];
  callErrors: CallErrorInfo[];
  /** Commands queued and never run (the capture script has not run), or null. */
  queued: QueuedCommands | null;
  /**
   * How many times a capture script set ap3c up (it defined both ap3c.init and ap3c.track): a second
   * copy of app.js does it again. (A page that replaces init alone does not count.)
   */
  captureScriptRuns: number;
}

function args(event: TimelineEvent): Snap[] {
  const a = event.args;
  if (a !== null && typeof a === 'object' && a.t === 'arr') return a.items;
  if (a !== null && typeof a === 'object' && a.t === 'obj') return a.entries.map(([, s]) => s);
  return [];
}

function tokenOf(snap: Snap | undefined, source: TokenInfo['source']): TokenInfo | null {
  if (typeof snap === 'string') return { value: snap, cut: false, source };
  if (snap !== null && typeof snap === 'object' && snap.t === 'str') return { value: snap.v, cut: true, source };
  return null;
}

const isFunctionSnap = (s: Snap | undefined): boolean => s !== null && typeof s === 'object' && s.t === 'fn';
const isObjectNote = (note: string | undefined): boolean => note === 'an object' || note === 'function' || note === 'an array';

/** The capture key, URL and options of a call, by the way it starts Ortto. */
function initCallOf(e: TimelineEvent, a: Snap[]): InitCall {
  const via: InitVia = e.name === 'initMagento' || e.name === 'initWooCommerce' ? e.name : 'init';
  // initWooCommerce(context, ap3Options, event): the key and URL are in the plugin's settings.
  if (via === 'initWooCommerce') {
    const o = a[1];
    return {
      t: e.t,
      seq: e.seq,
      captureKey: snapString(snapGet(o, 'tracking_key')),
      captureUrl: snapString(snapGet(o, 'capture_api_url')),
      options: undefined,
      argCount: a.length,
      via,
      args: a,
    };
  }
  return { t: e.t, seq: e.seq, captureKey: snapString(a[0]), captureUrl: snapString(a[1]), options: a[2], argCount: a.length, via, args: a };
}

/** The first string under a key named like "token", depth-first, in a snapshot. */
function findToken(snap: Snap | undefined, depth = 0): Snap | undefined {
  if (snap === null || typeof snap !== 'object' || depth > 6) return undefined;
  if (snap.t === 'obj') {
    for (const [k, v] of snap.entries) {
      if (/token/i.test(k) && (typeof v === 'string' || (v !== null && typeof v === 'object' && v.t === 'str'))) return v;
      const inner = findToken(v, depth + 1);
      if (inner !== undefined) return inner;
    }
  }
  if (snap.t === 'arr')
    for (const v of snap.items) {
      const inner = findToken(v, depth + 1);
      if (inner !== undefined) return inner;
    }
  return undefined;
}

const QUEUES = ['cmd', 'cmdMagento', 'cmdWooCommerce'] as const;

/**
 * The items of a queue, or null when it is not one. The recorder's own `push` wrapper makes an
 * array an object with a named key in the snapshot: its index entries are the items.
 */
function queueItems(snap: Snap | undefined): Snap[] | null {
  if (snap === null || typeof snap !== 'object') return null;
  if (snap.t === 'arr') return snap.items;
  if (snap.t !== 'obj' || snap.cls !== undefined) return null;
  const items = snap.entries.filter(([k]) => /^(?:0|[1-9]\d*)$/.test(k));
  return items.length > 0 && snap.entries.every(([k, v]) => /^(?:0|[1-9]\d*)$/.test(k) || (k === 'push' && isFunctionSnap(v))) ? items.map(([, v]) => v) : null;
}

function queuedOf(ap3c: Snap | undefined, initCalls: InitCall[], scriptLoaded: boolean): QueuedCommands | null {
  if (ap3c === undefined || initCalls.length > 0 || scriptLoaded) return null;
  for (const queue of QUEUES) {
    const items = queueItems(snapGet(ap3c, queue));
    if (items === null || items.length === 0) continue;
    let functions = 0;
    const data: Snap[] = [];
    let dataInit: InitCall | null = null;
    for (const item of items) {
      if (isFunctionSnap(item)) functions++;
      else {
        data.push(item);
        // ['init', key, url, options]: an init written as data.
        if (dataInit === null && item !== null && typeof item === 'object' && item.t === 'arr' && /^init/.test(snapString(item.items[0]) ?? '')) {
          const name = snapString(item.items[0]) as string;
          dataInit = initCallOf({ seq: 0, t: 0, kind: EventKind.Init, name }, item.items.slice(1));
        }
      }
    }
    let dataToken: TokenInfo | null = null;
    for (const d of data) dataToken ??= tokenOf(findToken(d), 'init');
    return { queue, functions, data, dataToken, dataInit };
  }
  return null;
}

function integrationOf(report: PageReport, ap3c: Snap | undefined, initCalls: InitCall[]): Integration {
  const via = (name: InitVia): boolean => initCalls.some((c) => c.via === name);
  const has = (name: string): boolean => snapGet(ap3c, name) !== undefined;
  if (via('initMagento')) return { kind: 'magento', evidence: ['ap3c.initMagento was called'], basis: 'seen' };
  if (via('initWooCommerce')) return { kind: 'woocommerce', evidence: ['ap3c.initWooCommerce was called'], basis: 'seen' };
  // Ortto's in-app webview runner: init(key, endpoint), then ap3c.enableTalk = false.
  const events = report.events;
  const firstInit = events.find((e) => e.kind === EventKind.Init);
  const offAfterInit = events.find(
    (e) => e.kind === EventKind.FlagSet && e.name === 'enableTalk' && args(e)[0] === false && firstInit !== undefined && e.seq > firstInit.seq,
  );
  if (offAfterInit)
    return {
      kind: 'webview',
      evidence: [`ap3c.enableTalk = false was set at ${offAfterInit.t.toFixed(0)} ms, after ap3c.init, as Ortto's in-app webview runner does`],
      basis: 'inferred',
    };
  if (has('cmdMagento') || has('initMagento'))
    return { kind: 'magento', evidence: ['ap3c has cmdMagento / initMagento (Magento connector)'], basis: 'inferred' };
  if (has('cmdWooCommerce') || has('initWooCommerce') || report.ap3Options !== undefined)
    return {
      kind: 'woocommerce',
      evidence: [report.ap3Options !== undefined ? 'window.ap3Options (WooCommerce plugin settings) is set' : 'ap3c has cmdWooCommerce / initWooCommerce'],
      basis: 'inferred',
    };
  return { kind: 'snippet', evidence: ["Ortto's capture snippet (ap3c.init)"], basis: initCalls.length > 0 ? 'seen' : 'inferred' };
}

/** The lifecycle, and the seq of the event that gave window.ap3c its current object (0: the first one). */
function lifecycleOf(
  report: PageReport,
  events: TimelineEvent[],
  ap3c: Snap | undefined,
  initCalls: InitCall[],
  pageErrors: PageErrorInfo[],
): { lifecycle: Lifecycle; since: number } {
  const assigned = events.filter((e) => e.kind === EventKind.Ap3cAssigned);
  const objects = assigned.filter((e) => isObjectNote(e.note));
  const last = assigned[assigned.length - 1];
  const lastObject = objects[objects.length - 1];
  let removed: Lifecycle['removed'] = null;
  if (last && lastObject && (last.note === 'undefined' || last.note === 'null') && last.seq > lastObject.seq)
    removed = { t: last.t, how: `window.ap3c = ${last.note}` };
  else if (lastObject && report.ap3c.state === 'absent') removed = { t: null, how: 'window.ap3c is gone (deleted)' };
  const replaced = objects.length > 1 ? (objects[objects.length - 1] as TimelineEvent) : null;
  const since = replaced?.seq ?? 0;
  const currentSetUp =
    removed === null &&
    (events.some((e) => e.kind === EventKind.MethodDefined && e.name === 'init' && e.seq > since) ||
      initCalls.some((c) => c.seq > since) ||
      (replaced === null && (isFunctionSnap(snapGet(ap3c, 'init')) || snapGet(ap3c, 'apiHost') !== undefined)));
  const lastChange = last?.t ?? -Infinity;
  // A run of the snippet failed as a whole (a second declaration of ap3c), or ap3c is gone and the
  // page's code that followed threw; an error in a call of the page is not a run failing.
  const latest = [...pageErrors].reverse().find((e) => removed !== null || /already been declared|redeclaration|SyntaxError/i.test(e.message));
  return {
    lifecycle: {
      runs: objects.length,
      removed,
      replacedAt: replaced?.t ?? null,
      currentSetUp,
      latestRunError: latest && latest.t >= lastChange && assigned.length > 0 ? latest : null,
    },
    since,
  };
}

function errorText(snap: Snap | undefined): string {
  const text = snapString(snap);
  if (text !== undefined) return text;
  const message = snapString(snapGet(snap, 'message'));
  return message ?? 'an error';
}

export function summarize(report: PageReport): PageSummary {
  const ap3c = report.ap3c.state === 'present' ? report.ap3c.snap : undefined;
  const events = report.events;
  const initCalls: InitCall[] = events.filter((e) => e.kind === EventKind.Init).map((e) => initCallOf(e, args(e)));
  // The init that counts for the token and options: the latest plain init, else the connector's.
  const plain = initCalls.filter((c) => c.via !== 'initWooCommerce');
  const lastInit = plain[plain.length - 1];
  const talk = snapGet(lastInit?.options, 'talk');
  const verifiedSessionCalls = events.filter((e) => e.kind === EventKind.SetVerifiedSession);
  let token = tokenOf(snapGet(talk, 'token'), 'init');
  const lastVerified = verifiedSessionCalls[verifiedSessionCalls.length - 1];
  if (lastVerified) token = tokenOf(snapGet(args(lastVerified)[0], 'token'), 'setVerifiedSession') ?? token;

  const talkDisabledBy: string[] = [];
  if (snapGet(lastInit?.options, 'disableTalk') === true) talkDisabledBy.push('init option disableTalk: true');
  if (snapGet(lastInit?.options, 'disableWidgets') === true) talkDisabledBy.push('init option disableWidgets: true');
  if (snapGet(ap3c, 'enableTalk') === false) talkDisabledBy.push('ap3c.enableTalk = false');

  const pageErrors: PageErrorInfo[] = events
    .filter((e) => e.kind === EventKind.PageError)
    .map((e) => {
      const [message, source, line] = args(e);
      return {
        t: e.t,
        message: snapString(message) ?? 'an error',
        source: snapString(source) || null,
        line: typeof line === 'number' && line > 0 ? line : null,
      };
    });
  const callErrors: CallErrorInfo[] = events
    .filter((e) => e.kind === EventKind.CallThrew)
    .map((e) => ({ t: e.t, name: e.name ?? '?', message: errorText(args(e)[0]) }));

  const scriptLoaded =
    isFunctionSnap(snapGet(ap3c, 'init')) ||
    snapGet(ap3c, 'apiHost') !== undefined ||
    events.some((e) => e.kind === EventKind.MethodDefined && e.name === 'init');
  const { lifecycle, since } = lifecycleOf(report, events, ap3c, initCalls, pageErrors);
  const defined = (name: string): number => events.filter((e) => e.kind === EventKind.MethodDefined && e.name === name).length;

  return {
    snippetFound: report.ap3c.state !== 'absent' || events.some((e) => e.kind === EventKind.Ap3cAssigned),
    scriptLoaded,
    initCalls,
    currentInitCalls: initCalls.filter((c) => c.seq > since),
    token,
    cookiePath: snapString(snapGet(talk, 'cookiePath')) ?? null,
    talkDisabledBy,
    verifiedSessionCalls,
    ap3cUnreadable: report.ap3c.state === 'unreadable' ? report.ap3c.reason : null,
    integration: integrationOf(report, ap3c, initCalls),
    lifecycle,
    pageErrors,
    callErrors,
    queued: queuedOf(ap3c, initCalls, scriptLoaded),
    captureScriptRuns: Math.min(defined('init'), defined('track')),
  };
}

/** Words for a timeline event, for people rather than for the code. */
export function describeEvent(e: TimelineEvent): string {
  switch (e.kind) {
    case EventKind.Ap3cAssigned:
      return `window.ap3c set (${e.note ?? 'value'})`;
    case EventKind.CmdQueued:
      return 'A command was queued on ap3c.cmd';
    case EventKind.MethodDefined:
      return `ap3c.${e.name} defined by the capture script`;
    case EventKind.Init:
      return e.name && e.name !== 'init' ? `ap3c.${e.name} called` : 'ap3c.init called';
    case EventKind.Track:
      return 'ap3c.track called';
    case EventKind.SetVerifiedSession:
      return 'ap3c.talk.setVerifiedSession called';
    case EventKind.CallThrew:
      return `ap3c.${e.name} threw an error`;
    case EventKind.HookFailed:
      return `Could not watch ${e.name}: ${e.note ?? ''}`;
    case EventKind.Attached:
      return e.note ? `Inspector attached: ${e.note}` : 'Inspector attached';
    case EventKind.PageError: {
      const message = snapString(args(e)[0]);
      return message === undefined ? 'The page threw an uncaught error naming ap3c' : `Uncaught error: ${message.slice(0, 300)}`;
    }
    case EventKind.FlagSet:
      return `ap3c.${e.name ?? 'flag'} set by the page`;
    case EventKind.FixTried:
      return `Try on reload: ${e.note ?? 'a fix was handed to this load'}`;
  }
}
