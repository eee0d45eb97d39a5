/**
 * What only the DOM tells, for the relay's updates (protocol/relay.ts DomFacts): the Talk widget,
 * capture scripts and their load errors, the page's own Talk API calls, when the visitor first
 * used the widget, and whether another page of this origin opened the tab. The watchers that cost
 * something start only once Ortto is on the page, or once a panel watches.
 */
import type { DomFacts, WidgetState } from '../shared/protocol/relay.ts';
import { captureScripts, talkSessionCalls, watchScriptErrors, watchTalkApiCalls, watchWidgetInteraction } from './page-signals.ts';
import { readWidget } from './widget-reader.ts';
import { watchWidget } from './widget-watch.ts';

export interface DomFactsReader {
  read(interference: DomFacts['interference']): DomFacts;
  /** Ortto is on the page: note script errors and widget use from now on. */
  watchOrtto(): void;
  /** A panel watches (and Ortto is on the page): follow the widget and the Talk API calls. */
  watchLive(): void;
  stop(): void;
}

/** `changed` runs after something the DOM shows changed (only while watching). */
export function domFactsReader(changed: () => void): DomFactsReader {
  // Whether another page of this origin opened this tab (it could script it before we started;
  // docs/architecture.md, "Trust"). Read once, at document_start, before any page script.
  let opener: DomFacts['opener'];
  try {
    if (window.opener !== null && typeof window.opener.location.href === 'string') opener = 'same-origin';
  } catch {
    opener = undefined; // cross-origin: it cannot script this page
  }
  const watchers: { stop(): void }[] = [];
  let interaction: { at: number | null } | undefined;
  let scriptErrors: { errors: string[] } = { errors: [] };
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
    read: (interference) => ({
      widget: live && widget ? widget : readWidget(document),
      scripts: captureScripts(document),
      scriptErrors: scriptErrors.errors,
      talkSessionCalls: talkSessionCalls(),
      widgetInteractedAt: interaction?.at ?? null,
      ...(interference ? { interference } : {}),
      ...(opener ? { opener } : {}),
    }),
    watchOrtto() {
      if (interaction) return;
      const w = watchWidgetInteraction(changed);
      interaction = w;
      const errors = watchScriptErrors(changed);
      scriptErrors = errors;
      watchers.push(w, errors);
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
