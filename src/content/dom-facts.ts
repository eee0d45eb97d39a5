/**
 * What only the DOM tells, for the relay's updates (protocol/relay.ts DomFacts): the Talk widget,
 * capture scripts and their load errors, the page's own Talk API calls, when the visitor first
 * used the widget, and whether another page of this origin opened the tab. The watchers that cost
 * something start only once Ortto is on the page, or once a panel watches.
 */
import type { DomFacts, WidgetState } from '../shared/protocol/relay.ts';
import {
  captureScriptFacts,
  resourceReader,
  watchCsp,
  watchScriptErrors,
  watchSnippetScripts,
  watchTalkApiCalls,
  watchWidgetInteraction,
} from './page-signals.ts';
import { readWidget } from './widget-reader.ts';
import { watchWidget } from './widget-watch.ts';

export interface DomFactsReader {
  read(interference: DomFacts['interference']): DomFacts;
  /** Ortto is on the page: note script errors and widget use from now on. */
  watchOrtto(): void;
  /** The page's code that gave window.ap3c a new object is running now (`start`), or has returned (`end`): the scripts it inserted. */
  ap3cAssigned(when: 'start' | 'end'): void;
  /** A panel watches (and Ortto is on the page): follow the widget and the Talk API calls. */
  watchLive(): void;
  stop(): void;
}

/**
 * What must be read or started at document_start, before any page script: whether another page of
 * this origin opened this tab (it could script it before we started; docs/architecture.md,
 * "Trust"), and CSP violations (the capture script's can come before Ortto is seen). The rest of
 * the reader is built on first use: a page without Ortto that nobody inspects never needs it.
 */
export interface DomAtStart {
  opener: DomFacts['opener'];
  csp: ReturnType<typeof watchCsp>;
  /** Told of each new violation, once a reader exists. */
  onCsp: (() => void) | null;
}
export function domAtStart(): DomAtStart {
  let opener: DomFacts['opener'];
  try {
    if (window.opener !== null && typeof window.opener.location.href === 'string') opener = 'same-origin';
  } catch {
    // cross-origin: it cannot script this page (opener stays undefined)
  }
  const start: DomAtStart = { opener, csp: watchCsp(() => start.onCsp?.()), onCsp: null };
  return start;
}

/** `changed` runs after something the DOM shows changed (only while watching). */
export function domFactsReader(start: DomAtStart, changed: () => void): DomFactsReader {
  const { opener, csp } = start;
  start.onCsp = () => {
    if (interaction) changed();
  };
  const watchers: { stop(): void }[] = [csp];
  const readResources = resourceReader();
  let interaction: { at: number | null } | undefined;
  let scriptErrors: { errors: string[] } = { errors: [] };
  // The scripts the snippet's runs inserted (each run of it: watchSnippetScripts), and the external
  // script that ran the first one.
  const snippetScripts: string[] = [];
  let definedIn: string | undefined;
  let snippetRuns = 0;
  let snippetWatch: { finish(): void } | undefined;
  let live = false;
  // Live only: the widget is read again after its watcher saw a change, once the next frame is
  // drawn and layout is clean (reading it earlier would force the page to lay out).
  let widget: WidgetState | undefined;
  let widgetReadPending = false;
  const widgetChanged = (): void => {
    if (widgetReadPending) return;
    widgetReadPending = true;
    requestAnimationFrame(() =>
      setTimeout(() => {
        widgetReadPending = false;
        widget = readWidget(document);
        changed();
      }, 0),
    );
  };
  return {
    read: (interference) => {
      const scripts = captureScriptFacts(document);
      const resources = readResources();
      const violations = csp.violations();
      return {
        widget: live && widget ? widget : readWidget(document),
        scripts: scripts.urls,
        scriptErrors: scriptErrors.errors,
        talkSessionCalls: resources.talkSessionCalls,
        widgetInteractedAt: interaction?.at ?? null,
        ...(interference ? { interference } : {}),
        ...(opener ? { opener } : {}),
        ...(violations.length > 0 ? { csp: violations } : {}),
        ...(snippetScripts.length > 0 ? { snippetScripts } : {}),
        ...(definedIn ? { ap3cDefinedIn: definedIn } : {}),
        captureScriptLoads: resources.captureScriptLoads,
        captureScriptElements: scripts.elements,
      };
    },
    watchOrtto() {
      if (interaction) return;
      const w = watchWidgetInteraction(changed);
      interaction = w;
      const errors = watchScriptErrors(changed, snippetScripts);
      scriptErrors = errors;
      watchers.push(w, errors);
    },
    ap3cAssigned(when) {
      if (when === 'end') {
        snippetWatch?.finish();
        snippetWatch = undefined;
        return;
      }
      // Already watching this code; and a page that assigns new objects in a loop is not followed for ever.
      if (snippetWatch || snippetRuns++ >= 20) return;
      const s = watchSnippetScripts(changed, snippetScripts);
      snippetWatch = s;
      if (snippetRuns === 1) definedIn = s.definedIn;
    },
    watchLive() {
      if (live) return;
      live = true;
      watchers.push(watchWidget(document, widgetChanged), watchTalkApiCalls(changed));
    },
    stop() {
      for (const w of watchers) w.stop();
    },
  };
}
