/**
 * The relay's side of the pairing with the recorder (see page/channel.ts for the reasoning).
 * Hands out its nonce once, over a synchronous event, and ignores every later hello so a page
 * script can never learn it.
 */
import { HELLO_FROM_RECORDER, HELLO_FROM_RELAY, privateEventType, type RelayRequest } from '../shared/protocol.ts';

export interface RelayChannel {
  request(message: RelayRequest): void;
  close(): void;
}

function newNonce(): string {
  const a = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(a, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** `onMessage` receives the raw payloads the recorder sent; the caller validates them. */
/** `isAlive` is false once the extension was reloaded: an orphaned relay must not pair with a new recorder. */
export function pairWithRecorder(onMessage: (payload: unknown) => void, isAlive: () => boolean): RelayChannel {
  const nonce = newNonce();
  const type = privateEventType(nonce);
  let helloAnswered = false;

  const onPrivate = (event: Event): void => {
    const detail = (event as CustomEvent).detail;
    if (typeof detail !== 'string' || detail.length > 4 * 1024 * 1024) return;
    let message: { d?: unknown; p?: unknown };
    try {
      message = JSON.parse(detail);
    } catch {
      return;
    }
    if (message && message.d === 'to-relay') onMessage(message.p);
  };

  const onRecorderHello = (): void => {
    // The recorder started after us: answer once; a second hello can only come from the page.
    if (helloAnswered) return;
    if (!isAlive()) {
      document.removeEventListener(HELLO_FROM_RECORDER, onRecorderHello, true);
      document.removeEventListener(type, onPrivate, true);
      return;
    }
    helloAnswered = true;
    document.removeEventListener(HELLO_FROM_RECORDER, onRecorderHello, true);
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
    request(message) {
      document.dispatchEvent(new CustomEvent(type, { detail: JSON.stringify({ d: 'to-recorder', p: message }) }));
    },
    close() {
      document.removeEventListener(type, onPrivate, true);
      document.removeEventListener(HELLO_FROM_RECORDER, onRecorderHello, true);
    },
  };
}
