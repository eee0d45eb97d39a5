/**
 * Relay: the ISOLATED-world content script. Pairs with the recorder, forwards its batches to the
 * background as they came (the background parses and validates them, so that code and its cost
 * stay out of every page), adds what only the DOM can tell (Talk widget, Ortto cookies), and
 * sends at most one throttled update at a time. Entry point: keep it small.
 */
import {
  type CookieInfo,
  type DomFacts,
  E2E_ANSWER,
  E2E_QUERY,
  MAX_BATCHES_PER_UPDATE,
  type PageUpdate,
  RuntimeMsg,
  type WidgetState,
} from '../shared/protocol.ts';
import { readOrttoCookies } from './cookies.ts';
import { extensionRuntime, runtimeAlive } from './extension-runtime.ts';
import { type PageSignals, watchPageSignals, watchScriptErrors } from './page-signals.ts';
import { pairWithRecorder } from './pairing.ts';
import { readWidget } from './widget-reader.ts';
import { watchWidget } from './widget-watch.ts';

/** At most one update per interval; the first change after a quiet spell goes out on the next task. */
const SEND_INTERVAL_MS = 150;
const marker = '__talkInspectorRelay';
const WAKE = '__talkInspectorWake';
const ALIVE = '__talkInspectorAlive';

function start(): void {
  const docId = crypto.getRandomValues(new Uint32Array(2)).join('-');
  // The isolated world is private to the extension: the background reads this to make sure an
  // action targets the document the engineer was looking at.
  g[marker] = docId;
  // Recorder batches not sent yet, as the recorder wrote them.
  let batches: string[] = [];
  // A send failed or too much piled up: the next update starts with a full batch.
  let needFull = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inSend = false;
  let lastSend = -Infinity;
  let stopped = false;
  let activeSince = performance.timeOrigin;
  // Asleep on pages without Ortto: no extension messaging at all until Ortto shows up, a capture
  // script fails, or the background wakes us (a panel is looking at this tab).
  let awake = false;
  const wake = (): void => {
    awake = true;
    schedule();
  };
  let widgetWatch: { stop(): void } | undefined;
  let signals: PageSignals | undefined;
  // A panel looked at this page: worth watching for the page's own Talk API calls too.
  let panelAsked = false;
  // The widget is read again only after its watcher saw a change, and then after the next frame
  // is drawn, when layout is clean: reading it earlier would force the page to lay out.
  let widget: WidgetState | undefined;
  let widgetReadPending = false;
  // document.cookie is a synchronous round trip to the browser: read it at most once a second.
  let cookies: { at: number; list: CookieInfo[] } | undefined;
  const currentCookies = (): CookieInfo[] => {
    const t = performance.now();
    if (!cookies || t - cookies.at > 1000) cookies = { at: t, list: readOrttoCookies(document.cookie) };
    return cookies.list;
  };
  const currentWidget = (): WidgetState => {
    if (!widget) widget = readWidget(document);
    return widget;
  };
  const widgetChanged = (): void => {
    if (widgetReadPending) return;
    widgetReadPending = true;
    requestAnimationFrame(() =>
      setTimeout(() => {
        widgetReadPending = false;
        widget = readWidget(document);
        schedule();
      }, 0),
    );
  };

  const dom = (): DomFacts => ({
    widget: currentWidget(),
    cookies: currentCookies(),
    scripts: signals?.scripts() ?? [],
    scriptErrors: scriptErrors.errors,
    talkSessionCalls: signals?.talkSessionCalls ?? [],
    widgetInteractedAt: signals?.widgetInteractedAt ?? null,
  });

  const send = (): void => {
    timer = undefined;
    lastSend = performance.now();
    if (stopped) return;
    if (!runtimeAlive()) {
      stop();
      return;
    }
    if (needFull) {
      needFull = false;
      batches = [];
      inSend = true;
      channel.request(true); // answered synchronously, into `batches`
      inSend = false;
    }
    const update: PageUpdate = { docId, url: location.href.slice(0, 8192), timeOrigin: performance.timeOrigin, activeSince, batches, dom: dom() };
    batches = [];
    extensionRuntime()
      ?.sendMessage({ type: RuntimeMsg.PageUpdate, update })
      .catch(() => {
        if (!runtimeAlive()) stop();
        else needFull = true; // what this update carried is lost: resend everything next time
      });
  };

  const schedule = (): void => {
    if (timer === undefined && !inSend && !stopped && awake) timer = setTimeout(send, Math.max(0, lastSend + SEND_INTERVAL_MS - performance.now()));
  };

  const scriptErrors = watchScriptErrors(wake);
  const channel = pairWithRecorder((message) => {
    // Header (Wire in protocol.ts): `B`, Ortto flag, cookie flag. The JSON is not read here.
    if (batches.length >= MAX_BATCHES_PER_UPDATE) needFull = true;
    else batches.push(message.slice(3));
    // init and setVerifiedSession are when Ortto's cookies change: read them afresh then.
    if (message[2] === '1') cookies = undefined;
    // Watch the widget and the page only where Ortto is used: no DOM work elsewhere.
    if (message[1] === '1') {
      awake = true;
      if (!widgetWatch) {
        widgetWatch = watchWidget(document, widgetChanged);
        signals = watchPageSignals(scriptErrors.errors, schedule);
        if (panelAsked) signals.watchTalkApiCalls();
      }
    }
    schedule();
  }, runtimeAlive);

  function stop(): void {
    stopped = true;
    channel.close();
    widgetWatch?.stop();
    signals?.stop();
    scriptErrors.stop();
  }

  // By load Ortto has set its cookies and the page its scripts: one more update (the recorder
  // sends its own news at load).
  addEventListener(
    'load',
    () => {
      cookies = undefined;
      schedule();
    },
    { once: true },
  );
  // Back/forward cache: the background may have moved on to another document meanwhile.
  addEventListener('pageshow', (e) => {
    if (!e.persisted) return;
    activeSince = Date.now();
    cookies = undefined;
    needFull = true;
    schedule();
  });
  addEventListener('popstate', schedule);
  addEventListener('hashchange', schedule);
  // The isolated world is private to the extension: only the background can call this.
  const wakeAndSync = (): void => {
    panelAsked = true;
    needFull = true;
    signals?.watchTalkApiCalls();
    wake();
  };
  g[WAKE] = wakeAndSync;
  // A relay left behind by a reloaded extension is dead: a new one may take its place.
  g[ALIVE] = (): boolean => !stopped && runtimeAlive();

  if (__E2E__) {
    document.addEventListener(E2E_QUERY, () => {
      wakeAndSync(); // as a panel opening would
      extensionRuntime()
        ?.sendMessage({ type: RuntimeMsg.E2eGetState })
        .then((state) => document.dispatchEvent(new CustomEvent(E2E_ANSWER, { detail: JSON.stringify(state) })));
    });
  }
}

// One relay per document, even if the background injects it again.
const g = globalThis as unknown as Record<string, unknown>;
const previousAlive = g[ALIVE] as (() => boolean) | undefined;
if (!g[marker] || !previousAlive?.()) start();
