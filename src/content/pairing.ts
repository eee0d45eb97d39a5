/**
 * The relay's side of the pairing with the recorder (see page/channel.ts for the reasoning).
 * Hands out its nonce once, over a synchronous event, and ignores every later hello so a page
 * script can never learn it.
 */
import { HELLO_FROM_RECORDER, HELLO_FROM_RELAY, MAX_BATCH_CHARS, privateEventType, Wire } from '../shared/protocol.ts';

export interface RelayChannel {
  /** Asks the recorder for a batch: everything (`full`) or what is new. It answers synchronously. */
  request(full: boolean): void;
  close(): void;
}

function newNonce(): string {
  const a = crypto.getRandomValues(new Uint8Array(16));
  let s = '';
  for (const b of a) s += (b + 256).toString(16).slice(1);
  return s;
}

/**
 * `onBatch` receives each `B…` message of the recorder as it came (see Wire in protocol.ts),
 * unparsed. `isAlive` is false once the extension was reloaded: an orphaned relay must not pair
 * with a new recorder.
 */
export function pairWithRecorder(onBatch: (message: string) => void, isAlive: () => boolean): RelayChannel {
  const nonce = newNonce();
  const type = privateEventType(nonce);
  let helloAnswered = false;

  // Once a recorder holds the nonce, no hello is answered again: a later one can only be the page's.
  const paired = (): void => {
    helloAnswered = true;
    document.removeEventListener(HELLO_FROM_RECORDER, onRecorderHello, true);
  };

  const onPrivate = (event: Event): void => {
    const detail = (event as CustomEvent).detail;
    if (typeof detail !== 'string') return;
    // The recorder's header is 3 characters; the relay's own `S` requests come back here too.
    if (detail[0] === Wire.Batch && detail.length > 3 && detail.length <= MAX_BATCH_CHARS + 3) onBatch(detail);
    else if (detail === Wire.Ack) paired();
  };

  const onRecorderHello = (): void => {
    // The recorder started after us: answer once.
    if (helloAnswered) return;
    if (!isAlive()) {
      document.removeEventListener(HELLO_FROM_RECORDER, onRecorderHello, true);
      document.removeEventListener(type, onPrivate, true);
      return;
    }
    paired();
    sayHello();
  };

  const sayHello = (): void => {
    document.dispatchEvent(new CustomEvent(HELLO_FROM_RELAY, { detail: nonce }));
  };

  document.addEventListener(type, onPrivate, true);
  document.addEventListener(HELLO_FROM_RECORDER, onRecorderHello, true);
  // If the recorder is already there it pairs synchronously, inside this call.
  sayHello();

  return {
    request(full) {
      document.dispatchEvent(new CustomEvent(type, { detail: `${Wire.Sync}${full ? 1 : 0}` }));
    },
    close() {
      document.removeEventListener(type, onPrivate, true);
      document.removeEventListener(HELLO_FROM_RECORDER, onRecorderHello, true);
    },
  };
}
