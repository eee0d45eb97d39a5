/**
 * Signals only the DOM and the performance timeline can give, read cheaply and only on pages
 * that use Ortto: capture-script tags and their load errors, the page's own calls to the Talk
 * session API (a leaked secret key), and the first pointer, key or click inside the Talk widget
 * (the best public sign that a conversation may have started).
 */
import { CAPTURE_SCRIPT_PATH, CAPTURE_SCRIPT_SELECTOR, ORTTO_URL, TALK_SESSION_PATH } from '../shared/ortto-hosts.ts';
import type { CspViolation } from '../shared/protocol/relay.ts';
import { WIDGET_HOST_ID } from './widget-reader.ts';

const MAX = 10;

const pushUnique = (list: string[], value: string): boolean => {
  if (list.length >= MAX || list.includes(value)) return false;
  list.push(value.slice(0, 2048));
  return true;
};

/**
 * Load errors of capture scripts, and of the scripts the snippet inserted (`snippetScripts`, whatever
 * their name), from the moment Ortto is seen, at almost no cost.
 */
export function watchScriptErrors(onChange: () => void, snippetScripts: string[] = []): { errors: string[]; stop(): void } {
  const errors: string[] = [];
  const onError = (e: Event): void => {
    const t = e.target;
    if (t instanceof HTMLScriptElement && (CAPTURE_SCRIPT_PATH.test(t.src) || snippetScripts.includes(t.src)) && pushUnique(errors, t.src)) onChange();
  };
  addEventListener('error', onError, true);
  return { errors, stop: () => removeEventListener('error', onError, true) };
}

/** Capture-script URLs in the page now (each once), and how many such elements there are. */
export function captureScriptFacts(doc: Document): { urls: string[]; elements: number } {
  const urls: string[] = [];
  let elements = 0;
  // The selector runs in the browser: only candidates get an object in this world (a page may
  // have hundreds of scripts); the pattern then checks their resolved URL.
  const scripts = doc.querySelectorAll(CAPTURE_SCRIPT_SELECTOR);
  for (let i = 0; i < scripts.length; i++) {
    const src = (scripts[i] as HTMLScriptElement).src;
    if (src && CAPTURE_SCRIPT_PATH.test(src)) {
      elements++;
      pushUnique(urls, src);
    }
  }
  return { urls, elements };
}

/** Capture-script URLs in the page now. */
export const captureScripts = (doc: Document): string[] => captureScriptFacts(doc).urls;

/**
 * From resource timing (URLs only, no bodies): the page's own Talk session API calls so far, and how
 * many times a capture script was fetched in this document (a second copy of the snippet, a
 * remount). Each read looks only at the entries that came after the last one it saw; what a page
 * clears from the buffer (performance.clearResourceTimings) stays counted.
 */
export function resourceReader(): () => { talkSessionCalls: string[]; captureScriptLoads: number } {
  const talkSessionCalls: string[] = [];
  let captureScriptLoads = 0;
  let seen = 0;
  let last: PerformanceEntry | undefined;
  return () => {
    const entries = performance.getEntriesByType('resource');
    // (The same entry is the same object on every read: another one there means the buffer was cleared.)
    if (entries[seen - 1] !== last) seen = 0;
    for (; seen < entries.length; seen++) {
      const e = entries[seen] as PerformanceResourceTiming;
      if (TALK_SESSION_PATH.test(e.name)) pushUnique(talkSessionCalls, e.name);
      else if (CAPTURE_SCRIPT_PATH.test(e.name) && e.initiatorType === 'script') captureScriptLoads++;
      last = e;
    }
    // (The same list each time: an update is copied when it is sent.)
    return { talkSessionCalls, captureScriptLoads };
  };
}

/** Most violations kept of each kind: Ortto's (its hosts, its URL shapes), and others (a custom tracking domain, a consent manager's copy). */
const MAX_CSP = 10;
const CSP_DIRECTIVE = /^(?:script-src|connect-src)/;

/**
 * Content-Security-Policy violations about scripts and connections, from document_start (the
 * capture script's violation can come before Ortto is known to be on the page). The browser fires
 * `securitypolicyviolation` at the element or the document, and it reaches window; this listener
 * is in the isolated world, so no page code runs in it. Cost on a page without violations: one listener.
 */
export function watchCsp(onChange: () => void): { violations(): CspViolation[]; stop(): void } {
  const ortto: CspViolation[] = [];
  const other: CspViolation[] = [];
  const onViolation = (event: Event): void => {
    const e = event as SecurityPolicyViolationEvent;
    const directive = e.effectiveDirective || e.violatedDirective;
    if (!CSP_DIRECTIVE.test(directive)) return;
    const blocked = e.blockedURI;
    const sample = e.sample;
    // An inline script counts only when its sample shows it is the snippet.
    const isUrl = /^(?:https?|wss?):/i.test(blocked);
    if (!isUrl && !sample.includes('ap3c')) return;
    // Ortto's by host or shape first; the analysis matches the others against the snippet's own URLs.
    const list = isUrl && !ORTTO_URL.test(blocked) ? other : ortto;
    if (list.length >= MAX_CSP || list.some((v) => v.blocked === blocked && v.directive === directive)) return;
    list.push({
      directive: directive.slice(0, 64),
      blocked: blocked.slice(0, 2048),
      disposition: e.disposition === 'report' ? 'report' : 'enforce',
      policy: e.originalPolicy.slice(0, 1024),
      ...(sample ? { sample: sample.slice(0, 256) } : {}),
      t: performance.now(),
    });
    onChange();
  };
  addEventListener('securitypolicyviolation', onViolation, true);
  return { violations: () => [...ortto, ...other], stop: () => removeEventListener('securitypolicyviolation', onViolation, true) };
}

/**
 * Called while the page gives window.ap3c a new object (the recorder's `A` arrives inside that
 * assignment): notes the external script running then (`definedIn`: a snippet file, or the capture
 * script itself on pages that load it first), and, at `finish()` (the recorder's `E`, once the
 * page's code has returned), the scripts with a `src` that code inserted: the snippet's `<script
 * src>`, whatever its name. Should `finish` never come, the observer is dropped in the next task
 * and keeps nothing (the parser may have inserted other scripts meanwhile).
 */
export function watchSnippetScripts(
  onChange: () => void,
  into: string[] = [],
): { scripts: string[]; definedIn: string | undefined; finish(): void; stop(): void } {
  const current = document.currentScript;
  // (This world's mutation records may be delivered before the recorder's E: kept until then.)
  let seen: MutationRecord[] = [];
  const observer = new MutationObserver((records) => {
    seen = seen.concat(records);
  });
  observer.observe(document, { childList: true, subtree: true });
  const timer = setTimeout(() => {
    observer.disconnect();
    seen = [];
  }, 0);
  return {
    scripts: into,
    definedIn: current instanceof HTMLScriptElement && current.src ? current.src.slice(0, 2048) : undefined,
    finish() {
      clearTimeout(timer);
      const records = seen.concat(observer.takeRecords());
      observer.disconnect();
      seen = [];
      let added = false;
      for (const r of records) for (const node of r.addedNodes) if (node instanceof HTMLScriptElement && node.src) added = pushUnique(into, node.src) || added;
      if (added) onChange();
    },
    stop: () => observer.disconnect(),
  };
}

/** Calls `onCall` when the page calls the Talk session API; only while a panel watches (it is not free). */
export function watchTalkApiCalls(onCall: () => void): { stop(): void } {
  try {
    const observer = new PerformanceObserver((list) => {
      if (list.getEntries().some((e) => TALK_SESSION_PATH.test(e.name))) onCall();
    });
    observer.observe({ type: 'resource' });
    return { stop: () => observer.disconnect() };
  } catch {
    return { stop() {} };
  }
}

/**
 * How a visitor can use the widget: a pointer, a key (Tab to the launcher, Enter or Space), and a
 * click without either (a screen reader activating a button, or the page's own script).
 */
const INTERACTIONS = ['pointerdown', 'keydown', 'click'] as const;

/** When the visitor first used the Talk widget (ms since time origin). */
export function watchWidgetInteraction(onChange: () => void): { at: number | null; stop(): void } {
  // On window, not document: touching document costs the page more, and window sees every
  // event first in the capture phase.
  const state = {
    at: null as number | null,
    stop() {
      for (const type of INTERACTIONS) removeEventListener(type, onInteract, true);
    },
  };
  const onInteract = (e: Event): void => {
    if (state.at !== null) return;
    const host = document.getElementById(WIDGET_HOST_ID);
    if (host && e.composedPath().includes(host)) {
      state.at = performance.now();
      state.stop();
      onChange();
    }
  };
  for (const type of INTERACTIONS) addEventListener(type, onInteract, true);
  return state;
}
