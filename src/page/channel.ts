/**
 * The recorder's side of the pairing with the relay (see protocol/wire.ts, HELLO_EVENT).
 *
 * Both scripts run at document_start, before any page script, so the relay can hand its secret
 * nonce over a synchronous event no page listener can hear yet; afterwards each side listens on a
 * secret event type of its own. What keeps that type secret from page code:
 * - the hellos are `load` events on document, which never reach a listener left on window;
 * - while one of our private events is being dispatched, no code the page could have replaced
 *   runs (`window.event` would show it the private type): the handler below only reads the detail
 *   with the built-in getter taken at start and defers the work to a task of its own.
 */
import { apply, stringSlice } from '../shared/intrinsics.ts';
import { HELLO_EVENT, HELLO_FROM_RECORDER, HELLO_FROM_RELAY, NONCE_LENGTH, privateEventTypes, Wire, type WireRequest } from '../shared/protocol/wire.ts';
import { CustomEventCtor, detailOf, doc, docDispatch, docListen, docUnlisten, preventDefault, timeout, win, winDispatch, winListen } from './page-globals.ts';

/** Sends one message in the wire format of protocol/wire.ts (`Wire`). */
export type Send = (message: string) => void;

/**
 * Pairs with the relay; `onPaired` may run synchronously, before this function returns.
 * `onRequest` always runs in a task of its own, outside any dispatch of the private event.
 * `onOverride` gets a "Try on reload" override's JSON at once (the first ap3c.init may come any
 * moment): it may only keep the string there.
 * `nothingAtOnce` runs inside the dispatch and may say the answer is "nothing" from the recorder's
 * own state (the pull on a page without Ortto): the request is then cancelled, which the relay
 * reads as `N` (no timer, no task, no event of our own). It must run nothing the page could have
 * replaced; false leaves the request to `onRequest`.
 */
export function openChannel(
  onPaired: (send: Send) => void,
  onRequest: (request: WireRequest) => void,
  onOverride: (json: string) => void,
  nothingAtOnce: (request: WireRequest) => boolean,
): void {
  let toRelay: string | null = null;

  // The event's init dictionary has no prototype: the browser reads `bubbles`, `cancelable` and
  // `composed` from it before `detail`, and getters the page put on Object.prototype for them would
  // run with the dictionary, the batch in it, as `this` (and could rewrite it).
  const send: Send = (detail) => {
    if (toRelay !== null) apply(winDispatch, win, [new CustomEventCtor(toRelay, { __proto__: null, detail } as CustomEventInit)]);
  };

  const onPrivate = (event: Event): void => {
    // Inside the relay's dispatch: built-ins taken at start only, then out of the dispatch.
    const detail = apply(detailOf, event, []);
    if (detail === Wire.News || detail === Wire.Full || detail === Wire.Live) {
      if (nothingAtOnce(detail)) apply(preventDefault, event, []);
      else apply(timeout, win, [() => onRequest(detail), 0]);
    } else if (typeof detail === 'string' && detail[0] === Wire.Override) onOverride(apply(stringSlice, detail, [1]) as string);
  };

  const onHello = (event: Event): void => {
    const detail = apply(detailOf, event, []);
    // (Length and prefix checks, not a pattern: a page's first regular expression costs it more.)
    if (
      toRelay !== null ||
      typeof detail !== 'string' ||
      detail.length !== HELLO_FROM_RELAY.length + NONCE_LENGTH ||
      apply(stringSlice, detail, [0, HELLO_FROM_RELAY.length]) !== HELLO_FROM_RELAY
    )
      return;
    const types = privateEventTypes(apply(stringSlice, detail, [HELLO_FROM_RELAY.length]) as string);
    toRelay = types.toRelay;
    apply(docUnlisten, doc, [HELLO_EVENT, onHello]);
    apply(winListen, win, [types.toRecorder, onPrivate, true]);
    // "Paired", said within the relay's own dispatch: cheaper than an event of our own.
    apply(preventDefault, event, []);
    onPaired(send);
  };

  // Bubble phase on document: only events dispatched at document itself reach it (an image's
  // `load` does not bubble).
  apply(docListen, doc, [HELLO_EVENT, onHello]);
  // If the relay started first it answers this synchronously with its nonce.
  // (A plain dictionary: normally no page script has run yet. Injected late, into a tab opened
  // before install, a page's getters on Object.prototype could see it: it holds nothing secret, and
  // a page that spoils it only blocks the pairing, which the panel reports as interference.)
  apply(docDispatch, doc, [new CustomEventCtor(HELLO_EVENT, { detail: HELLO_FROM_RECORDER })]);
}
