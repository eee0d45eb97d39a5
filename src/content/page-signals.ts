/**
 * Signals only the DOM and the performance timeline can give, read cheaply and only on pages
 * that use Ortto: capture-script tags and their load errors, the page's own calls to the Talk
 * session API (a leaked secret key), and the first pointer, key or click inside the Talk widget
 * (the best public sign that a conversation may have started).
 */
import { CAPTURE_SCRIPT_PATH, TALK_SESSION_PATH } from '../shared/ortto-hosts.ts';
import { WIDGET_HOST_ID } from './widget-reader.ts';

const MAX = 10;

const pushUnique = (list: string[], value: string): boolean => {
  if (list.length >= MAX || list.includes(value)) return false;
  list.push(value.slice(0, 2048));
  return true;
};

/** Script load errors are recorded from the start (before Ortto is known to be there), at almost no cost. */
export function watchScriptErrors(onChange: () => void): { errors: string[]; stop(): void } {
  const errors: string[] = [];
  const onError = (e: Event): void => {
    const t = e.target;
    if (t instanceof HTMLScriptElement && CAPTURE_SCRIPT_PATH.test(t.src) && pushUnique(errors, t.src)) onChange();
  };
  addEventListener('error', onError, true);
  return { errors, stop: () => removeEventListener('error', onError, true) };
}

/** Capture-script URLs in the page now. */
export function captureScripts(doc: Document): string[] {
  const out: string[] = [];
  // The selector runs in the browser: only candidates get an object in this world (a page may
  // have hundreds of scripts); the pattern then checks their resolved URL.
  const scripts = doc.querySelectorAll('script[src*="app.js"]');
  for (let i = 0; i < scripts.length; i++) {
    const src = (scripts[i] as HTMLScriptElement).src;
    if (src && CAPTURE_SCRIPT_PATH.test(src)) pushUnique(out, src);
  }
  return out;
}

/** The page's own Talk session API calls so far (resource timing: URLs only). */
export function talkSessionCalls(): string[] {
  const out: string[] = [];
  for (const e of performance.getEntriesByType('resource')) if (TALK_SESSION_PATH.test(e.name)) pushUnique(out, e.name);
  return out;
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
