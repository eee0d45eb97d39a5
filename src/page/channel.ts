/**
 * The recorder's side of the pairing with the relay (see protocol.ts).
 *
 * Both scripts run at document_start, before any page script, so the relay can hand its secret
 * nonce over a synchronous DOM event that no page listener can hear yet. Afterwards both sides
 * talk on an event type named after the nonce: a page can neither read nor forge that traffic.
 */
import { HELLO_FROM_RECORDER, HELLO_FROM_RELAY, NONCE_PATTERN, privateEventType, type RelayRequest } from '../shared/protocol.ts';

// Captured at start: the page may replace any of these later.
const CustomEventCtor = CustomEvent;
const { dispatchEvent, addEventListener, removeEventListener } = EventTarget.prototype;
const { apply } = Reflect;
const { stringify, parse } = JSON;
const regexTest = RegExp.prototype.test;

export type Send = (message: unknown) => void;

/** Pairs with the relay; `onPaired` may run synchronously, before this function returns. */
export function openChannel(onPaired: (send: Send) => void, onRequest: (request: RelayRequest, send: Send) => void): Send {
  const doc = document;
  let type: string | null = null;

  const post = (direction: string, payload: unknown): void => {
    if (type === null) return;
    const detail = stringify({ d: direction, p: payload });
    apply(dispatchEvent, doc, [new CustomEventCtor(type, { detail })]);
  };

  const onPrivate = (event: Event): void => {
    const detail = (event as CustomEvent).detail;
    if (typeof detail !== 'string') return;
    let message: { d?: unknown; p?: unknown };
    try {
      message = parse(detail);
    } catch {
      return;
    }
    if (message.d !== 'to-recorder') return;
    const p = message.p as { kind?: unknown } | null;
    if (p && p.kind === 'sync') onRequest({ kind: 'sync' }, send);
  };

  const onHello = (event: Event): void => {
    const nonce = (event as CustomEvent).detail;
    if (type !== null || typeof nonce !== 'string' || !apply(regexTest, NONCE_PATTERN, [nonce])) return;
    type = privateEventType(nonce);
    apply(removeEventListener, doc, [HELLO_FROM_RELAY, onHello, true]);
    apply(addEventListener, doc, [type, onPrivate, true]);
    onPaired(send);
  };
  const send: Send = (message) => post('to-relay', message);

  apply(addEventListener, doc, [HELLO_FROM_RELAY, onHello, true]);
  // If the relay started first it answers this synchronously with its nonce.
  apply(dispatchEvent, doc, [new CustomEventCtor(HELLO_FROM_RECORDER)]);

  return send;
}
