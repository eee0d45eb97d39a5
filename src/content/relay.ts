/**
 * Relay: the ISOLATED-world content script. Pairs with the recorder and hands what it recorded,
 * unparsed, to the background (which validates it), with what only the DOM can tell (Talk
 * widget, capture scripts). The background reads cookies itself: document.cookie costs the page
 * a synchronous round trip to the browser (up to several ms for the first read).
 *
 * Two modes, so a page nobody is inspecting pays almost nothing:
 * - pulled (default): the background asks through `__talkInspectorCollect` (scripting API) when
 *   the page has loaded and a little later; no extension messaging, no timers, no observers.
 * - live (a panel watches this tab): the relay pushes a throttled update after every change.
 * Entry point: keep it small.
 */
import {
  type Collected,
  type DomFacts,
  E2E_ANSWER,
  E2E_QUERY,
  MAX_BATCHES_PER_UPDATE,
  type PageUpdate,
  RelayGlobal,
  RuntimeMsg,
  type WidgetState,
} from '../shared/protocol/relay.ts';
import { Wire, type WireRequest } from '../shared/protocol/wire.ts';
import { extensionRuntime, runtimeAlive } from './extension-runtime.ts';
import { captureScripts, talkSessionCalls, watchScriptErrors, watchTalkApiCalls, watchWidgetInteraction } from './page-signals.ts';
import { hex, pairWithRecorder } from './pairing.ts';
import { readWidget } from './widget-reader.ts';
import { watchWidget } from './widget-watch.ts';

/** Live: at most one update per interval; the first change after a quiet spell goes out on the next task. */
const SEND_INTERVAL_MS = 150;
/** How long a pull waits for the recorder's answer (it comes in the page's next task). */
const REPLY_TIMEOUT_MS = 2000;

function start(): void {
  // One draw of randomness (its first use costs the page): the pairing nonce and the document id.
  const random = hex(crypto.getRandomValues(new Uint8Array(24)));
  const relayDocId = random.slice(32);
  // The isolated world is private to the extension: the background reads this to make sure an
  // action targets the document the engineer was looking at.
  g[RelayGlobal.RelayDocId] = relayDocId;
  // Recorder batches not handed over yet, as the recorder wrote them.
  let batches: string[] = [];
  // Too much piled up, a send failed, or the page came back from the back/forward cache: the
  // next update starts with a full batch.
  let needFull = false;
  let ortto = false;
  let live = false;
  let stopped = false;
  let activeSince = performance.timeOrigin;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastSend = -Infinity;
  const watchers: { stop(): void }[] = [];
  let interaction: { at: number | null } | undefined;
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
        schedule();
      }, 0),
    );
  };
  // Whether another page of this origin opened this tab (it could script it before we started;
  // see docs/architecture.md, "Trust"). Read once, before any page script.
  let opener: DomFacts['opener'];
  try {
    if (window.opener !== null && typeof window.opener.location.href === 'string') opener = 'same-origin';
  } catch {
    opener = undefined; // cross-origin: it cannot script this page
  }
  const dom = (interference?: DomFacts['interference']): DomFacts => ({
    widget: live && widget ? widget : readWidget(document),
    scripts: captureScripts(document),
    scriptErrors: scriptErrors.errors,
    talkSessionCalls: talkSessionCalls(),
    widgetInteractedAt: interaction?.at ?? null,
    ...(interference ? { interference } : {}),
    ...(opener ? { opener } : {}),
  });

  // Asked, the recorder did not answer in time (a page that took over its hello, or a hung page).
  let silent = false;
  /** Everything not handed over yet. */
  const takeUpdate = (): PageUpdate => {
    // Both scripts start before any page script: an unpaired relay means the page intercepted
    // the hellos. Said rather than reporting a page without Ortto.
    const interference = !channel.paired() ? 'no-pairing' : silent ? 'no-answer' : undefined;
    const update: PageUpdate = {
      relayDocId,
      url: location.href.slice(0, 8192),
      timeOrigin: performance.timeOrigin,
      activeSince,
      batches,
      dom: dom(interference),
    };
    batches = [];
    return update;
  };

  // Answers the recorder owes: settled by its next `B…` or `N`.
  let waiting: (() => void)[] = [];
  const answered = (): void => {
    silent = false;
    const settle = waiting;
    waiting = [];
    for (const f of settle) f();
  };
  /** Asks the recorder and waits for its answer (given in a task of its own); false after REPLY_TIMEOUT_MS. */
  const ask = (request: WireRequest): Promise<boolean> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), REPLY_TIMEOUT_MS);
      waiting.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
      channel.request(request);
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
      // Start again from everything: the recorder's answer schedules the next send.
      needFull = false;
      batches = [];
      channel.request(Wire.Full);
      return;
    }
    extensionRuntime()
      ?.sendMessage({ type: RuntimeMsg.PageUpdate, update: takeUpdate() })
      .catch(() => {
        if (!runtimeAlive()) stop();
        else needFull = true; // what this update carried is lost: resend everything next time
      });
  };

  const schedule = (): void => {
    if (live && timer === undefined && !stopped) timer = setTimeout(send, Math.max(0, lastSend + SEND_INTERVAL_MS - performance.now()));
  };

  const watchLive = (): void => {
    watchers.push(watchWidget(document, widgetChanged), watchTalkApiCalls(schedule));
  };
  // Ortto's snippet defines ap3c before it loads the capture script, so everything below starts in
  // time, and pages without Ortto never pay for it.
  let scriptErrors: { errors: string[] } = { errors: [] };
  const orttoAppeared = (): void => {
    if (ortto) return;
    ortto = true;
    const w = watchWidgetInteraction(schedule);
    interaction = w;
    const errors = watchScriptErrors(schedule);
    scriptErrors = errors;
    watchers.push(w, errors);
    // Back/forward cache: the background may have moved on to another document meanwhile.
    addEventListener('pageshow', (e) => {
      if (!e.persisted) return;
      activeSince = Date.now();
      needFull = true;
      schedule();
    });
    if (live) watchLive();
  };

  const channel = pairWithRecorder(
    random.slice(0, 32),
    (message) => {
      if (message === Wire.Ortto) {
        orttoAppeared();
        return;
      }
      if (message !== Wire.Nothing) {
        // Header (Wire in protocol/wire.ts): `B`, Ortto flag. The JSON is not read here.
        if (batches.length >= MAX_BATCHES_PER_UPDATE) needFull = true;
        else batches.push(message.slice(2));
        if (message[1] === '1') orttoAppeared();
        schedule();
      }
      answered();
    },
    runtimeAlive,
  );

  function stop(): void {
    stopped = true;
    channel.close();
    for (const w of watchers) w.stop();
  }

  // Both run in the isolated world, which only the extension can reach (scripting API).
  const collect = async (): Promise<Collected> => {
    if (stopped) return null;
    if (live) {
      schedule();
      return 'live';
    }
    if (!channel.paired()) return takeUpdate();
    // The recorder says `O` as soon as ap3c appears; asked, it also finds an ap3c it could not
    // watch (and answers `N` on a page without one).
    const gotAnswer = await ask(Wire.News);
    if (stopped) return null;
    if (live) return 'live';
    if (!gotAnswer) {
      silent = true;
      return takeUpdate();
    }
    if (ortto) return takeUpdate();
    batches = [];
    return null;
  };
  const goLive = (): void => {
    if (stopped) return;
    if (!live) {
      live = true;
      addEventListener('popstate', schedule);
      addEventListener('hashchange', schedule);
      if (ortto) watchLive();
      needFull = false;
      batches = [];
      // The recorder answers with everything, then sends news itself.
      void ask(Wire.Live).then((gotAnswer) => {
        if (gotAnswer || !channel.paired()) return;
        silent = true;
        schedule();
      });
    }
    schedule();
  };
  g[RelayGlobal.Collect] = collect;
  g[RelayGlobal.GoLive] = goLive;
  // A relay left behind by a reloaded extension is dead: a new one may take its place.
  g[RelayGlobal.Alive] = (): boolean => !stopped && runtimeAlive();

  if (__E2E__) {
    document.addEventListener(E2E_QUERY, (e) => {
      // `pulled`: only read the background's state, so a test sees what pulls alone delivered.
      if ((e as CustomEvent).detail !== 'pulled') goLive(); // as a panel opening would
      extensionRuntime()
        ?.sendMessage({ type: RuntimeMsg.E2eGetState })
        .then((state) => document.dispatchEvent(new CustomEvent(E2E_ANSWER, { detail: JSON.stringify(state) })));
    });
  }
}

// One relay per document, even if the background injects it again.
const g = globalThis as unknown as Record<string, unknown>;
const previousAlive = g[RelayGlobal.Alive] as (() => boolean) | undefined;
if (!g[RelayGlobal.RelayDocId] || !previousAlive?.()) start();
