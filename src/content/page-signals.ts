/**
 * Signals only the DOM and the performance timeline can give, gathered cheaply and only on pages
 * that use Ortto: capture-script tags and their load errors, the page's own calls to the Talk
 * session API (a leaked secret key), and the first click or key press inside the Talk widget
 * (the best public sign that a conversation may have started).
 */
import { WIDGET_HOST_ID } from './widget-reader.ts';

const TALK_SESSION_PATH = /\/v1\/talk\/session(?:[?#]|$)/;
const CAPTURE_SCRIPT = /\/app\.js(?:[?#]|$)/;
const MAX = 10;

export interface PageSignals {
  scripts(): string[];
  scriptErrors: string[];
  talkSessionCalls: string[];
  widgetInteractedAt: number | null;
  watchTalkApiCalls(): void;
  stop(): void;
}

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
    if (t instanceof HTMLScriptElement && CAPTURE_SCRIPT.test(t.src) && pushUnique(errors, t.src)) onChange();
  };
  addEventListener('error', onError, true);
  return { errors, stop: () => removeEventListener('error', onError, true) };
}

export function watchPageSignals(scriptErrors: string[], onChange: () => void): PageSignals {
  const signals: PageSignals = {
    scripts() {
      const out: string[] = [];
      for (const s of document.querySelectorAll<HTMLScriptElement>('script[src]')) if (CAPTURE_SCRIPT.test(s.src)) pushUnique(out, s.src);
      return out;
    },
    scriptErrors,
    talkSessionCalls: [],
    widgetInteractedAt: null,
    stop() {
      observer?.disconnect();
      document.removeEventListener('pointerdown', onInteract, true);
      document.removeEventListener('keydown', onInteract, true);
    },
    watchTalkApiCalls() {
      // Started only when a panel looks at the page: the resource timeline is not free.
      if (observer) return;
      const seeEntries = (entries: PerformanceEntryList): void => {
        let changed = false;
        for (const e of entries) if (TALK_SESSION_PATH.test(e.name)) changed = pushUnique(signals.talkSessionCalls, e.name) || changed;
        if (changed) onChange();
      };
      try {
        observer = new PerformanceObserver((list) => seeEntries(list.getEntries()));
        observer.observe({ type: 'resource', buffered: true });
      } catch {
        seeEntries(performance.getEntriesByType('resource'));
      }
    },
  };
  let observer: PerformanceObserver | undefined;

  const onInteract = (e: Event): void => {
    if (signals.widgetInteractedAt !== null) return;
    const host = document.getElementById(WIDGET_HOST_ID);
    if (host && e.composedPath().includes(host)) {
      signals.widgetInteractedAt = performance.now();
      onChange();
    }
  };
  document.addEventListener('pointerdown', onInteract, true);
  document.addEventListener('keydown', onInteract, true);
  return signals;
}
