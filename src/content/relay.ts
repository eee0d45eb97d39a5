/**
 * Relay: the ISOLATED-world content script. Pairs with the recorder and hands what it recorded,
 * unparsed, to the background (which validates it), with what only the DOM can tell (dom-facts.ts).
 * The background reads cookies itself: document.cookie costs the page a synchronous round trip to
 * the browser (up to several ms for the first read).
 *
 * Two modes, so a page nobody is inspecting pays almost nothing:
 * - pulled (default): the background asks through `__talkInspectorCollect` (scripting API) when
 *   the page has loaded and a little later; no extension messaging, no timers, no observers.
 * - live (a panel watches this tab): the relay pushes a throttled update after every change.
 * Entry point: wiring only; the state and its transitions are relay-state.ts.
 */
import { type Collected, E2E_ANSWER, E2E_QUERY, type PageUpdate, RELAY_PORT, RelayGlobal, RuntimeMsg } from '../shared/protocol/relay.ts';
import { Wire } from '../shared/protocol/wire.ts';
import { type DomFactsReader, domAtStart, domFactsReader } from './dom-facts.ts';
import { extensionRuntime, type MinimalPort, runtimeAlive } from './extension-runtime.ts';
import { hex, pairWithRecorder } from './pairing.ts';
import {
  afterPullAnswer,
  INITIAL_RELAY_STATE,
  interferenceOf,
  onCollect,
  onGoLive,
  onRecorderMessage,
  onSendDue,
  onSendFailed,
  type RelayState,
} from './relay-state.ts';

/** Live: at most one update per interval; the first change after a quiet spell goes out on the next task. */
const SEND_INTERVAL_MS = 150;
/** How long a pull waits for the recorder's answer (it comes in the page's next task). */
const REPLY_TIMEOUT_MS = 2000;

function start(): void {
  if (__STEPS__) __tiStep('relay: script loaded (compiled, its modules run)');
  // One draw of randomness (its first use costs the page): the pairing nonce and the document id.
  const random = hex(crypto.getRandomValues(new Uint8Array(24)));
  const relayDocId = random.slice(32);
  // The isolated world is private to the extension: the background reads this to make sure an
  // action targets the document the engineer was looking at.
  g[RelayGlobal.RelayDocId] = relayDocId;
  if (__STEPS__) __tiStep('relay: nonce and document id');
  let state: RelayState = INITIAL_RELAY_STATE;
  let activeSince = performance.timeOrigin;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastSend = -Infinity;
  // Live only: the port live updates go over (opened on the first send, again after a disconnect).
  let port: MinimalPort | null = null;

  const schedule = (): void => {
    if (state.live && timer === undefined && !state.stopped) timer = setTimeout(send, Math.max(0, lastSend + SEND_INTERVAL_MS - performance.now()));
  };
  const domStart = domAtStart();
  let domReader: DomFactsReader | undefined;
  // Built on first use: a page without Ortto that nobody inspects never needs it.
  const dom = (): DomFactsReader => {
    domReader ??= domFactsReader(domStart, schedule);
    return domReader;
  };
  if (__STEPS__) __tiStep('relay: at start from the DOM (opener, CSP listener)');

  /** An update carrying `batches` and what the DOM shows now. */
  const update = (batches: string[]): PageUpdate => ({
    relayDocId,
    url: location.href.slice(0, 8192),
    timeOrigin: performance.timeOrigin,
    activeSince,
    batches,
    dom: dom().read(interferenceOf(state, channel.paired())),
  });

  const send = __STEPS__
    ? (): void => {
        __tiStep('', true);
        sendNow();
        __tiStep('relay (live): an update pushed (DOM facts, the port)');
      }
    : sendNow;
  function sendNow(): void {
    timer = undefined;
    lastSend = performance.now();
    if (!runtimeAlive()) state = onSendFailed(state, false);
    if (state.stopped) {
      stop();
      return;
    }
    const due = onSendDue(state);
    state = due.state;
    if (due.step.kind === 'request-full')
      channel.request(Wire.Full); // its answer makes the next send
    else if (due.step.kind === 'send') {
      try {
        livePort().postMessage({ type: RuntimeMsg.PageUpdate, update: update(due.step.batches) });
      } catch {
        lost();
      }
    }
  }

  function livePort(): MinimalPort {
    if (port) return port;
    const opened = (extensionRuntime() as NonNullable<ReturnType<typeof extensionRuntime>>).connect({ name: RELAY_PORT });
    // The worker stopped or the extension went away: what was in flight may be lost.
    opened.onDisconnect.addListener(() => {
      if (port === opened) port = null;
      lost();
    });
    port = opened;
    return opened;
  }

  /** An update may not have arrived: the next one starts from everything (or the extension is gone). */
  function lost(): void {
    state = onSendFailed(state, runtimeAlive());
    if (state.stopped) stop();
  }

  // Back from the back/forward cache (on Ortto pages, and on any page a panel watches): the
  // background has moved on meanwhile, and the browser closed the live port when the page was
  // cached without telling this side (Chromium: no onDisconnect, and messages sent on it are
  // dropped), so the next update starts from everything, on a new port. (Added where needed, as
  // the same function: a second addEventListener of it changes nothing.)
  const onPageShow = (e: PageTransitionEvent): void => {
    if (!e.persisted) return;
    activeSince = Date.now();
    // (Chromium closed its other end already; Firefox kept it open, and would until the page unloads.)
    dropPort();
    // Whatever it last sent may not have counted: the next update starts from everything.
    lost();
    schedule();
  };

  // Ortto's snippet defines ap3c before it loads the capture script, so everything started here
  // is in time, and pages without Ortto never pay for it.
  const orttoAppeared = (): void => {
    dom().watchOrtto();
    addEventListener('pageshow', onPageShow);
    if (state.live) dom().watchLive();
  };

  const channel = pairWithRecorder(
    random.slice(0, 32),
    (message) => {
      // (Answers to a pull are timed with the pull.)
      const timed = __STEPS__ && message !== Wire.Nothing && message[0] !== Wire.Batch;
      if (timed) __tiStep('', true);
      const next = onRecorderMessage(state, message);
      state = next.state;
      if (next.orttoAppeared) orttoAppeared();
      // From the page's assignment of window.ap3c until its code returns: note what it inserts (dom-facts.ts).
      if (next.ap3cAssigned) dom().ap3cAssigned(next.ap3cAssigned);
      if (next.changed) schedule();
      if (timed) __tiStep(`relay: a recorder message (${message}), what it starts`);
    },
    runtimeAlive,
  );
  if (__STEPS__) __tiStep("relay: pairing (the recorder's side runs inside it)");

  function stop(): void {
    state = { ...state, stopped: true };
    channel.close();
    (domReader ?? domStart.csp).stop();
    dropPort();
  }

  // (disconnect() fires onDisconnect at the other end only, so livePort's listener stays quiet.)
  function dropPort(): void {
    try {
      port?.disconnect();
    } catch {
      // already gone
    }
    port = null;
  }

  // Both run in the isolated world, which only the extension can reach (scripting API).
  const pull = (): Collected | Promise<Collected> => {
    const step = onCollect(state, channel.paired());
    if (step === 'stopped') return null;
    if (step === 'live') {
      schedule();
      return 'live';
    }
    if (step === 'report-now') return update(takeBatches());
    // The recorder says `O` as soon as ap3c appears; asked, it also finds an ap3c it could not
    // watch (and says `N` on a page without one: at once, when nothing happened there). Back from
    // the back/forward cache, the background holds another page's report by now: everything.
    // (afterPullAnswer clears needFull.)
    if (channel.request(state.needFull ? Wire.Full : Wire.News)) return afterAnswer(true);
    return channel.nextAnswer(REPLY_TIMEOUT_MS).then(
      __STEPS__
        ? (gotAnswer) => {
            __tiStep('', true);
            const result = afterAnswer(gotAnswer);
            __tiStep('relay: a pull, once the recorder answered in a task of its own');
            return result;
          }
        : afterAnswer,
    );
  };
  const collect = __STEPS__
    ? (): Collected | Promise<Collected> => {
        __tiStep('', true);
        const result = pull();
        __tiStep("relay: a pull, in the pull's task (with the recorder's answer when at once)");
        return result;
      }
    : pull;
  const afterAnswer = (gotAnswer: boolean): Collected => {
    if (state.stopped) return null;
    if (state.live) return 'live';
    const after = afterPullAnswer(state, gotAnswer);
    state = after.state;
    return after.report ? update(takeBatches()) : null;
  };
  const takeBatches = (): string[] => {
    const { batches } = state;
    state = { ...state, batches: [] };
    return batches;
  };

  const goLive = (): void => {
    if (__STEPS__) __tiStep('', true);
    const next = onGoLive(state);
    state = next.state;
    if (next.first) {
      addEventListener('popstate', schedule);
      addEventListener('hashchange', schedule);
      addEventListener('pageshow', onPageShow);
      if (state.ortto) dom().watchLive();
      // The recorder answers with everything, then sends news itself.
      const answered = channel.nextAnswer(REPLY_TIMEOUT_MS);
      channel.request(Wire.Live);
      void answered.then((gotAnswer) => {
        if (gotAnswer || !channel.paired()) return;
        state = afterPullAnswer(state, false).state;
        schedule();
      });
    }
    schedule();
    if (__STEPS__) __tiStep('relay (live): go live');
  };
  // "Try on reload": the background hands the override over here (or left it for us before we
  // started); false when no recorder listens (it could not be passed on).
  const tryFix = (json: unknown): boolean => {
    if (state.stopped || typeof json !== 'string' || json.length > 20_000 || !channel.paired()) return false;
    channel.override(json);
    return true;
  };
  const pending = g[RelayGlobal.PendingFix];
  if (pending !== undefined) {
    delete g[RelayGlobal.PendingFix];
    tryFix(pending);
  }
  g[RelayGlobal.TryFix] = tryFix;
  g[RelayGlobal.Collect] = collect;
  g[RelayGlobal.GoLive] = goLive;
  // A relay left behind by a reloaded extension is dead: a new one may take its place.
  g[RelayGlobal.Alive] = (): boolean => !state.stopped && runtimeAlive();
  if (__STEPS__) __tiStep('relay: the rest of its start');

  if (__E2E__) {
    document.addEventListener(E2E_QUERY, (e) => {
      // `pulled`: only read the background's state, so a test sees what pulls alone delivered.
      if ((e as CustomEvent).detail !== 'pulled') goLive(); // as a panel opening would
      extensionRuntime()
        ?.sendMessage({ type: RuntimeMsg.E2eGetState })
        .then((s) => document.dispatchEvent(new CustomEvent(E2E_ANSWER, { detail: JSON.stringify(s) })));
    });
  }
}

// One relay per document, even if the background injects it again.
const g = globalThis as unknown as Record<string, unknown>;
const previousAlive = g[RelayGlobal.Alive] as (() => boolean) | undefined;
if (!g[RelayGlobal.RelayDocId] || !previousAlive?.()) start();
