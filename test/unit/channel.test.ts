// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { pairWithRecorder, type RelayChannel } from '../../src/content/pairing.ts';
import { openChannel, type Send } from '../../src/page/channel.ts';
import { HELLO_FROM_RELAY, Wire } from '../../src/shared/protocol.ts';

const NONCE = '0123456789abcdef0123456789abcdef';
let relay: RelayChannel | undefined;
afterEach(() => relay?.close());

describe('recorder ⇄ relay channel', () => {
  it('pairs in either start order and carries batches and sync requests in the wire format', () => {
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
      send?.(`${Wire.Batch}1{"kind":"batch"}`);
      relay.request(Wire.Full);
      relay.request(Wire.News);
      relay.request(Wire.Live);
      expect(batches).toEqual([`${Wire.Batch}1{"kind":"batch"}`]);
      expect(requests).toEqual(['S1', 'S0', 'L']);
      relay.close();
    }
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
    addEventListener(HELLO_FROM_RELAY, (e) => heard.push((e as CustomEvent).detail), true);
    document.dispatchEvent(new CustomEvent('talk-inspector:recorder-hello'));
    expect(heard).toEqual([]);
    for (const m of ['', 'B', 'B1', 'S1', 'L', 'OO', 'x10{}', `${Wire.Batch}1${'x'.repeat(4 * 1024 * 1024 + 1)}`]) send?.(m);
    expect(batches).toEqual([]);
    send?.('O');
    expect(batches).toEqual(['O']);
  });

  it('the recorder says "paired" by cancelling the hello, and ignores a nonce of the wrong length', () => {
    let pairedWith: Send | undefined;
    openChannel(
      (s) => {
        pairedWith = s;
      },
      () => undefined,
    );
    const tooShort = new CustomEvent(HELLO_FROM_RELAY, { detail: NONCE.slice(1), cancelable: true });
    expect(dispatchEvent(tooShort)).toBe(true);
    expect(pairedWith).toBeUndefined();
    const hello = new CustomEvent(HELLO_FROM_RELAY, { detail: NONCE, cancelable: true });
    expect(dispatchEvent(hello)).toBe(false);
    expect(pairedWith).toBeDefined();
    // Paired: a second hello (the page's) is neither taken nor cancelled.
    expect(dispatchEvent(new CustomEvent(HELLO_FROM_RELAY, { detail: 'f'.repeat(32), cancelable: true }))).toBe(true);
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
