/**
 * The recorder's side of the pairing with the relay (see protocol.ts).
 *
 * Both scripts run at document_start, before any page script, so the relay can hand its secret
 * nonce over a synchronous DOM event that no page listener can hear yet. Afterwards both sides
 * talk on an event type named after the nonce: a page can neither read nor forge that traffic.
 */
import { HELLO_FROM_RECORDER, HELLO_FROM_RELAY, NONCE_LENGTH, privateEventType, Wire, type WireRequest } from '../shared/protocol.ts';

// Captured at start: the page may replace any of these later.
const CustomEventCtor = CustomEvent;
// (Taken from window itself: the same functions as EventTarget.prototype's in browsers.)
const { dispatchEvent, addEventListener, removeEventListener } = window;
const { apply } = Reflect;
const { preventDefault } = Event.prototype;

/** Sends one message in the wire format of protocol.ts (`Wire`). */
export type Send = (message: string) => void;

/** Pairs with the relay; `onPaired` may run synchronously, before this function returns. */
export function openChannel(onPaired: (send: Send) => void, onRequest: (request: WireRequest) => void): Send {
  // Events go through window, not document: touching document costs a page without Ortto more.
  const target = window;
  let type: string | null = null;

  const send: Send = (detail) => {
    if (type !== null) apply(dispatchEvent, target, [new CustomEventCtor(type, { detail })]);
  };

  const onPrivate = (event: Event): void => {
    const detail = (event as CustomEvent).detail;
    // Our own batches come back here too: only the relay's requests are for us.
    if (detail === Wire.News || detail === Wire.Full || detail === Wire.Live) onRequest(detail);
  };

  const onHello = (event: Event): void => {
    const nonce = (event as CustomEvent).detail;
    // (A length check, not a pattern: a page's first regular expression costs it more.)
    if (type !== null || typeof nonce !== 'string' || nonce.length !== NONCE_LENGTH) return;
    type = privateEventType(nonce);
    apply(removeEventListener, target, [HELLO_FROM_RELAY, onHello, true]);
    apply(addEventListener, target, [type, onPrivate, true]);
    // "Paired", said within the relay's own dispatch: cheaper than an event of our own.
    apply(preventDefault, event, []);
    onPaired(send);
  };

  apply(addEventListener, target, [HELLO_FROM_RELAY, onHello, true]);
  // If the relay started first it answers this synchronously with its nonce.
  apply(dispatchEvent, target, [new CustomEventCtor(HELLO_FROM_RECORDER)]);

  return send;
}
