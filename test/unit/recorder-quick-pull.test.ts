// @vitest-environment happy-dom
/**
 * Issue 17: on a page where nothing happened, the recorder answers a pull inside the relay's
 * request (no timer, no task). That answer runs inside the private dispatch, so it must run no code
 * the page could have replaced, and it must never say "nothing" where ap3c is (it only may when
 * window.ap3c is still its own empty accessor).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseBatch } from '../../src/background/state/page-report.ts';
import type { RelayChannel } from '../../src/content/pairing.ts';
import { Wire } from '../../src/shared/protocol/wire.ts';
import { startRealRecorder } from './helpers/real-recorder.ts';

const messages: string[] = [];
let relay: RelayChannel;
const tick = () => new Promise((r) => setTimeout(r, 0));

beforeAll(async () => {
  relay = await startRealRecorder(messages);
});

describe('the pull answered at once', () => {
  it('runs nothing a page replaced after the recorder started', async () => {
    const called: string[] = [];
    const saved = {
      slice: String.prototype.slice,
      stringify: JSON.stringify,
      setTimeout: window.setTimeout,
      queueMicrotask: window.queueMicrotask,
      getOwnPropertyDescriptor: Object.getOwnPropertyDescriptor,
    };
    String.prototype.slice = function (this: string, ...a: [number?, number?]) {
      called.push('slice');
      return saved.slice.apply(this, a);
    };
    JSON.stringify = ((...a: Parameters<typeof JSON.stringify>) => {
      called.push('stringify');
      return saved.stringify(...a);
    }) as typeof JSON.stringify;
    window.setTimeout = ((...a: Parameters<typeof setTimeout>) => {
      called.push('setTimeout');
      return saved.setTimeout(...a);
    }) as typeof setTimeout;
    window.queueMicrotask = (cb) => {
      called.push('queueMicrotask');
      saved.queueMicrotask(cb);
    };
    Object.getOwnPropertyDescriptor = (o, p) => {
      called.push('getOwnPropertyDescriptor');
      return saved.getOwnPropertyDescriptor(o, p);
    };
    let answeredAtOnce: boolean;
    try {
      // A descriptor field the page answers from Object.prototype (a data descriptor has no `get`).
      Object.defineProperty(Object.prototype, 'get', {
        configurable: true,
        get() {
          called.push('Object.prototype.get');
          return undefined;
        },
      });
      try {
        answeredAtOnce = relay.request(Wire.News);
      } finally {
        delete (Object.prototype as { get?: unknown }).get;
      }
    } finally {
      Object.assign(String.prototype, { slice: saved.slice });
      JSON.stringify = saved.stringify;
      window.setTimeout = saved.setTimeout;
      window.queueMicrotask = saved.queueMicrotask;
      Object.getOwnPropertyDescriptor = saved.getOwnPropertyDescriptor;
    }
    expect(answeredAtOnce).toBe(true);
    expect(messages).toEqual([Wire.Nothing]);
    expect(called).toEqual([]);
    messages.length = 0;
  });

  it('an ap3c the page defined past the accessor is found by the pull in a task of its own', async () => {
    // Object.defineProperty replaces the recorder's accessor without calling it.
    Object.defineProperty(window, 'ap3c', { value: { cmd: [], init() {} }, configurable: true, writable: true, enumerable: true });
    // Its descriptor has no `get` of its own: asking for one would ask Object.prototype (page code).
    let askedPrototype = false;
    Object.defineProperty(Object.prototype, 'get', {
      configurable: true,
      get() {
        askedPrototype = true;
        return undefined;
      },
    });
    let answeredAtOnce: boolean;
    try {
      answeredAtOnce = relay.request(Wire.News);
    } finally {
      delete (Object.prototype as { get?: unknown }).get;
    }
    expect(askedPrototype).toBe(false);
    expect(answeredAtOnce).toBe(false);
    expect(messages).toEqual([]);
    expect(await relay.nextAnswer(1000)).toBe(true);
    const batch = messages.find((m) => m.startsWith(Wire.Batch));
    expect(batch?.[1]).toBe('1'); // Ortto flag
    expect(parseBatch((batch as string).slice(2))?.ap3c.state).toBe('present');
    messages.length = 0;
  });

  it('once anything was recorded, a pull is never answered inside the request', async () => {
    delete (window as { ap3c?: unknown }).ap3c;
    // Recorded: the page did use ap3c here (a timeline entry), even if it is gone now.
    expect(relay.request(Wire.News)).toBe(false);
    await tick();
    expect(messages.some((m) => m.startsWith(Wire.Batch))).toBe(true);
  });
});
