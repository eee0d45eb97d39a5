/**
 * The relay's side of the pairing with the recorder (see page/channel.ts for the reasoning).
 * Hands out its nonce once, over a synchronous `load` event on document (protocol/wire.ts,
 * HELLO_EVENT), and ignores every later hello so a page script can never learn it.
 */
import { HELLO_EVENT, HELLO_FROM_RECORDER, HELLO_FROM_RELAY, privateEventTypes, Wire, type WireRequest } from '../shared/protocol/wire.ts';

export interface RelayChannel {
  /**
   * Asks the recorder for a batch (see Wire in protocol/wire.ts). It answers in a task of its own,
   * or at once, by cancelling the request, when its own state says "nothing" (true: the answer
   * arrived within this call).
   */
  request(request: WireRequest): boolean;
  /** Resolves once the recorder's next answer arrived (`B…` or `N`): true, or false after `timeoutMs`. */
  nextAnswer(timeoutMs: number): Promise<boolean>;
  /** Hands the recorder a "Try on reload" override (its JSON; protocol/wire.ts `Wire.Override`). */
  override(json: string): void;
  /** Whether a recorder took the nonce. */
  paired(): boolean;
  close(): void;
}

/** Lower-case hex of random bytes. */
export function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += (b + 256).toString(16).slice(1);
  return s;
}

/**
 * `onMessage` receives the recorder's messages as they came (`B…` batches unparsed, `N`, `O`;
 * see Wire in protocol/wire.ts). `nonce`: 32 random hex digits. `isAlive` is false once the extension
 * was reloaded: an orphaned relay must not pair with a new recorder. Runs in the isolated world:
 * the page cannot replace what this code calls, and nothing here calls into the page while one of
 * the private events is dispatched.
 */
export function pairWithRecorder(nonce: string, onMessage: (message: string) => void, isAlive: () => boolean): RelayChannel {
  const { toRecorder, toRelay } = privateEventTypes(nonce);
  let isPaired = false;
  // Whoever waits for the recorder's next answer.
  let waiting: (() => void)[] = [];
  // Answers received so far (a request answered within its own dispatch is seen by the count).
  let answers = 0;

  // Once a recorder holds the nonce, no hello is answered again: a later one can only be the page's.
  const paired = (): void => {
    isPaired = true;
    document.removeEventListener(HELLO_EVENT, onRecorderHello);
  };

  const received = (detail: string): void => {
    onMessage(detail);
    if (detail === Wire.Nothing || detail[0] === Wire.Batch) {
      answers++;
      const settle = waiting;
      waiting = [];
      for (const f of settle) f();
    }
  };
  const onPrivate = (event: Event): void => {
    const detail = (event as CustomEvent).detail;
    if (typeof detail !== 'string') return;
    // The recorder's header is 2 characters.
    if (
      (detail[0] === Wire.Batch && detail.length > 2) ||
      detail === Wire.Ortto ||
      detail === Wire.Assigned ||
      detail === Wire.AssignedEnd ||
      detail === Wire.Nothing
    )
      received(detail);
  };

  const onRecorderHello = (event: Event): void => {
    // The recorder started after us: answer once.
    if (isPaired || (event as CustomEvent).detail !== HELLO_FROM_RECORDER) return;
    if (!isAlive()) {
      close();
      return;
    }
    sayHello();
  };

  /** The recorder cancels the hello once it holds the nonce (protocol/wire.ts). */
  const sayHello = (): void => {
    if (!document.dispatchEvent(new CustomEvent(HELLO_EVENT, { detail: HELLO_FROM_RELAY + nonce, cancelable: true }))) paired();
  };

  const close = (): void => {
    removeEventListener(toRelay, onPrivate, true);
    document.removeEventListener(HELLO_EVENT, onRecorderHello);
  };

  addEventListener(toRelay, onPrivate, true);
  document.addEventListener(HELLO_EVENT, onRecorderHello);
  // If the recorder is already there it pairs synchronously, inside this call.
  sayHello();

  const request = (r: WireRequest): boolean => {
    const before = answers;
    // Cancelled: the recorder's answer is `N`, said within this dispatch (page/channel.ts).
    if (!dispatchEvent(new CustomEvent(toRecorder, { detail: r, cancelable: true }))) received(Wire.Nothing);
    return answers !== before;
  };
  const nextAnswer = (timeoutMs: number): Promise<boolean> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      waiting.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  return {
    request,
    nextAnswer,
    override: (json) => {
      dispatchEvent(new CustomEvent(toRecorder, { detail: `${Wire.Override}${json}` }));
    },
    paired: () => isPaired,
    close,
  };
}
