/**
 * The relay's side of the pairing with the recorder (see page/channel.ts for the reasoning).
 * Hands out its nonce once, over a synchronous event, and ignores every later hello so a page
 * script can never learn it.
 */
import { HELLO_FROM_RECORDER, HELLO_FROM_RELAY, MAX_BATCH_CHARS, privateEventType, Wire, type WireRequest } from '../shared/protocol.ts';

export interface RelayChannel {
  /** Asks the recorder for a batch (see Wire in protocol.ts). It answers synchronously. */
  request(request: WireRequest): void;
  close(): void;
}

/** Lower-case hex of random bytes. */
export function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += (b + 256).toString(16).slice(1);
  return s;
}

/**
 * `onMessage` receives the recorder's `B…` batches as they came (see Wire in protocol.ts),
 * unparsed, and its `O` notice. `nonce`: 32 random hex digits. `isAlive` is false once the
 * extension was reloaded: an orphaned relay must not pair with a new recorder. Events go through
 * window, not document: touching document costs a page without Ortto more.
 */
export function pairWithRecorder(nonce: string, onMessage: (message: string) => void, isAlive: () => boolean): RelayChannel {
  const type = privateEventType(nonce);
  let helloAnswered = false;

  // Once a recorder holds the nonce, no hello is answered again: a later one can only be the page's.
  const paired = (): void => {
    helloAnswered = true;
    removeEventListener(HELLO_FROM_RECORDER, onRecorderHello, true);
  };

  const onPrivate = (event: Event): void => {
    const detail = (event as CustomEvent).detail;
    if (typeof detail !== 'string') return;
    // The recorder's header is 2 characters; the relay's own requests come back here too.
    if ((detail[0] === Wire.Batch && detail.length > 2 && detail.length <= MAX_BATCH_CHARS + 2) || detail === Wire.Ortto) onMessage(detail);
  };

  const onRecorderHello = (): void => {
    // The recorder started after us: answer once.
    if (helloAnswered) return;
    if (!isAlive()) {
      removeEventListener(HELLO_FROM_RECORDER, onRecorderHello, true);
      removeEventListener(type, onPrivate, true);
      return;
    }
    paired();
    sayHello();
  };

  /** The recorder cancels the hello once it holds the nonce (protocol.ts). */
  const sayHello = (): void => {
    if (!dispatchEvent(new CustomEvent(HELLO_FROM_RELAY, { detail: nonce, cancelable: true }))) paired();
  };

  addEventListener(type, onPrivate, true);
  addEventListener(HELLO_FROM_RECORDER, onRecorderHello, true);
  // If the recorder is already there it pairs synchronously, inside this call.
  sayHello();

  return {
    request(request) {
      dispatchEvent(new CustomEvent(type, { detail: request }));
    },
    close() {
      removeEventListener(type, onPrivate, true);
      removeEventListener(HELLO_FROM_RECORDER, onRecorderHello, true);
    },
  };
}
