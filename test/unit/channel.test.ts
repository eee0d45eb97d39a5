// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { pairWithRecorder, type RelayChannel } from '../../src/content/pairing.ts';
import { openChannel as openRecorderChannel, type Send } from '../../src/page/channel.ts';
import { HELLO_EVENT, HELLO_FROM_RECORDER, HELLO_FROM_RELAY, privateEventTypes, Wire } from '../../src/shared/protocol/wire.ts';

/** The recorder's side with no override and no answer at once (every request in a task of its own). */
const openChannel = (onPaired: (send: Send) => void, onRequest: (request: string) => void) =>
  openRecorderChannel(
    onPaired,
    onRequest,
    () => undefined,
    () => false,
  );
const NONCE = '0123456789abcdef0123456789abcdef';
let relay: RelayChannel | undefined;
afterEach(() => relay?.close());
const tick = () => new Promise((r) => setTimeout(r, 0));

function hello(detail: string): CustomEvent {
  return new CustomEvent(HELLO_EVENT, { detail, cancelable: true });
}

describe('recorder ⇄ relay channel', () => {
  it('pairs in either start order and carries batches and requests in the wire format', async () => {
    for (const recorderFirst of [true, false]) {
      const batches: string[] = [];
      const requests: string[] = [];
      let send: Send | undefined;
      const startRecorder = () =>
        openChannel(
          (s) => {
            send = s;
          },
          (full) => requests.push(full),
        );
      if (recorderFirst) startRecorder();
      relay = pairWithRecorder(
        NONCE,
        (m) => batches.push(m),
        () => true,
      );
      if (!recorderFirst) startRecorder();
      expect(send).toBeDefined();
      expect(relay.paired()).toBe(true);
      send?.(`${Wire.Batch}1{"kind":"batch"}`);
      send?.(Wire.Nothing);
      relay.request(Wire.Full);
      relay.request(Wire.News);
      relay.request(Wire.Live);
      // Never inside the request's dispatch (window.event would show page code the private type).
      expect(requests).toEqual([]);
      await tick();
      expect(batches).toEqual([`${Wire.Batch}1{"kind":"batch"}`, Wire.Nothing]);
      expect(requests).toEqual(['S1', 'S0', 'L']);
      relay.close();
    }
  });

  it('"nothing" at once is a cancelled request: no event back, read as N; only B and N answer a pull', async () => {
    const messages: string[] = [];
    let send: Send | undefined;
    let nothing = true;
    const asked: string[] = [];
    openRecorderChannel(
      (s) => {
        send = s;
      },
      (r) => asked.push(r),
      () => undefined,
      (r) => nothing && r === Wire.News,
    );
    relay = pairWithRecorder(
      NONCE,
      (m) => messages.push(m),
      () => true,
    );
    // The recorder sends nothing of its own for it: count its events to the relay.
    let events = 0;
    const { toRelay } = privateEventTypes(NONCE);
    const count = () => events++;
    window.addEventListener(toRelay, count, true);
    try {
      expect(relay.request(Wire.News)).toBe(true);
      expect(messages).toEqual([Wire.Nothing]);
      expect(events).toBe(0);
      // Only a pull (S0) may be answered so: going live is always answered in a task of its own.
      expect(relay.request(Wire.Live)).toBe(false);
      nothing = false;
      expect(relay.request(Wire.News)).toBe(false);
      await tick();
      expect(asked).toEqual(['L', 'S0']);
      // A pull waits for B or N; O, A and E on the way do not settle it.
      let settled = false;
      void relay.nextAnswer(1000).then((got) => {
        settled = got;
      });
      for (const m of [Wire.Ortto, Wire.Assigned, Wire.AssignedEnd]) send?.(m);
      await tick();
      expect(settled).toBe(false);
      send?.(`${Wire.Batch}1{}`);
      await tick();
      expect(settled).toBe(true);
      expect(messages).toEqual([Wire.Nothing, Wire.Ortto, Wire.Assigned, Wire.AssignedEnd, `${Wire.Batch}1{}`]);
    } finally {
      window.removeEventListener(toRelay, count, true);
    }
  });

  it('no page-replaceable code runs while the private request is dispatched', async () => {
    let inDispatch = false;
    const calledInDispatch: string[] = [];
    openChannel(
      () => undefined,
      // What the recorder does when asked: here, code a page could have replaced.
      () => {
        if (inDispatch) calledInDispatch.push('onRequest');
        JSON.stringify({ a: [1, 'x'.slice(0)] });
      },
    );
    relay = pairWithRecorder(
      NONCE,
      () => undefined,
      () => true,
    );
    const originals = { slice: String.prototype.slice, toJSON: Object.getOwnPropertyDescriptor(Object.prototype, 'toJSON') };
    // The page replaces intrinsics after the recorder started.
    String.prototype.slice = function (this: string, ...args: [number?, number?]) {
      if (inDispatch) calledInDispatch.push('slice');
      return originals.slice.apply(this, args);
    };
    Object.defineProperty(Object.prototype, 'toJSON', {
      configurable: true,
      get() {
        if (inDispatch) calledInDispatch.push('toJSON');
        return undefined;
      },
    });
    try {
      inDispatch = true;
      relay.request(Wire.News);
      inDispatch = false;
      await tick();
    } finally {
      String.prototype.slice = originals.slice;
      delete (Object.prototype as { toJSON?: unknown }).toJSON;
    }
    expect(calledInDispatch).toEqual([]);
  });

  it('a listener on window (e.g. left by an opener on a reused window) hears no hello', () => {
    const heard: string[] = [];
    const listen = (type: string) => addEventListener(type, (e) => heard.push(`${type}:${String((e as CustomEvent).detail)}`), true);
    for (const type of [HELLO_EVENT, HELLO_FROM_RELAY, HELLO_FROM_RECORDER, 'talk-inspector:relay-hello', 'talk-inspector:recorder-hello']) listen(type);
    openChannel(
      () => undefined,
      () => undefined,
    );
    relay = pairWithRecorder(
      NONCE,
      () => undefined,
      () => true,
    );
    expect(relay.paired()).toBe(true);
    expect(heard).toEqual([]);
  });

  it('ignores what is not a batch, and the page cannot learn the nonce afterwards', () => {
    const batches: string[] = [];
    let send: Send | undefined;
    openChannel(
      (s) => {
        send = s;
      },
      () => undefined,
    );
    relay = pairWithRecorder(
      NONCE,
      (m) => batches.push(m),
      () => true,
    );
    const heard: unknown[] = [];
    document.addEventListener(HELLO_EVENT, (e) => heard.push((e as CustomEvent).detail), true);
    document.dispatchEvent(new CustomEvent(HELLO_EVENT, { detail: HELLO_FROM_RECORDER }));
    expect(heard).toEqual([HELLO_FROM_RECORDER]); // only the page's own event: no answer
    for (const m of ['', 'B', 'B1', 'S1', 'L', 'OO', 'NN', 'x10{}']) send?.(m);
    expect(batches).toEqual([]);
    send?.('O');
    expect(batches).toEqual(['O']);
  });

  it('a page cannot talk to the relay on the old single private type or the requests type', () => {
    const batches: string[] = [];
    openChannel(
      () => undefined,
      () => undefined,
    );
    relay = pairWithRecorder(
      NONCE,
      (m) => batches.push(m),
      () => true,
    );
    // Even knowing the nonce, a batch sent the way the relay sends requests is not taken as the recorder's.
    dispatchEvent(new CustomEvent(privateEventTypes(NONCE).toRecorder, { detail: `${Wire.Batch}1{}` }));
    dispatchEvent(new CustomEvent(`talk-inspector:${NONCE}`, { detail: `${Wire.Batch}1{}` }));
    expect(batches).toEqual([]);
  });

  it('the recorder says "paired" by cancelling the hello, and ignores a malformed one', () => {
    let pairedWith: Send | undefined;
    openChannel(
      (s) => {
        pairedWith = s;
      },
      () => undefined,
    );
    for (const bad of [HELLO_FROM_RELAY + NONCE.slice(1), `x${HELLO_FROM_RELAY.slice(1)}${NONCE}`, NONCE]) {
      expect(document.dispatchEvent(hello(bad))).toBe(true);
      expect(pairedWith).toBeUndefined();
    }
    // On window it is not heard at all.
    expect(dispatchEvent(hello(HELLO_FROM_RELAY + NONCE))).toBe(true);
    expect(pairedWith).toBeUndefined();
    expect(document.dispatchEvent(hello(HELLO_FROM_RELAY + NONCE))).toBe(false);
    expect(pairedWith).toBeDefined();
    // Paired: a second hello (the page's) is neither taken nor cancelled.
    expect(document.dispatchEvent(hello(HELLO_FROM_RELAY + 'f'.repeat(32)))).toBe(true);
  });

  it('an unpaired relay says so (the page intercepted the hellos)', () => {
    // The page swallows every hello on document before the recorder hears it.
    const swallow = (e: Event) => e.stopImmediatePropagation();
    document.addEventListener(HELLO_EVENT, swallow, true);
    try {
      openChannel(
        () => undefined,
        () => undefined,
      );
      relay = pairWithRecorder(
        NONCE,
        () => undefined,
        () => true,
      );
      expect(relay.paired()).toBe(false);
    } finally {
      document.removeEventListener(HELLO_EVENT, swallow, true);
    }
  });

  it('an orphaned relay (extension reloaded) does not pair with a new recorder', () => {
    relay = pairWithRecorder(
      NONCE,
      () => undefined,
      () => false,
    );
    let paired = false;
    openChannel(
      () => {
        paired = true;
      },
      () => undefined,
    );
    expect(paired).toBe(false);
  });
});
