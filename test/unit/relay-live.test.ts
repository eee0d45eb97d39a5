// @vitest-environment happy-dom
/**
 * The real relay (src/content/relay.ts) with the real recorder in one DOM (happy-dom), the
 * extension runtime replaced by a port that keeps what it is sent. Live (a panel watches): the relay
 * pushes an update after a change, at most one every 150 ms, and an in-page navigation (history,
 * hash) is news of its own (docs/architecture.md, "Message flow").
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { RelayGlobal, RuntimeMsg } from '../../src/shared/protocol/relay.ts';
import { browserShapedErrorEvent } from './helpers/real-recorder.ts';

/** When each live update reached the port (performance.now()), and its URL. */
const sent: { at: number; url: string }[] = [];
const g = globalThis as unknown as Record<string, unknown>;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

beforeAll(async () => {
  browserShapedErrorEvent();
  g.chrome = {
    runtime: {
      id: 'talk-inspector-test',
      sendMessage: async () => undefined,
      connect: () => ({
        postMessage(m: { type?: string; update?: { url: string } }) {
          if (m.type === RuntimeMsg.PageUpdate && m.update) sent.push({ at: performance.now(), url: m.update.url });
        },
        disconnect() {},
        onDisconnect: { addListener() {} },
      }),
    },
  };
  await import('../../src/page/recorder.ts');
  await import('../../src/content/relay.ts');
  // The snippet runs: Ortto is on the page.
  (window as unknown as { ap3c: unknown }).ap3c = { cmd: [], track() {} };
  (g[RelayGlobal.GoLive] as () => void)();
  await sleep(400);
});

/** Updates sent while `during` runs, and the gaps between them. */
async function updatesDuring(during: () => Promise<void>): Promise<{ count: number; gaps: number[]; urls: string[] }> {
  const from = sent.length;
  await during();
  const mine = sent.slice(from);
  const gaps = mine.slice(1).map((s, i) => s.at - (mine[i] as { at: number }).at);
  return { count: mine.length, gaps, urls: mine.map((s) => s.url) };
}

describe('the relay, live', () => {
  it('went live and sent the page', () => {
    expect(sent.length).toBeGreaterThan(0);
  });

  it('a page that changes every 10 ms gets an update at most every 150 ms, and keeps getting them', async () => {
    const ap3c = (window as unknown as { ap3c: { track(name: string): void } }).ap3c;
    const { count, gaps } = await updatesDuring(async () => {
      for (let i = 0; i < 150; i++) {
        ap3c.track(`event ${i}`);
        await sleep(10);
      }
      await sleep(200);
    });
    // About 1.5 s of changes: 10 updates at 150 ms; none sooner than 150 ms after the one before
    // (a timer may fire up to a millisecond early: the event loop's clock is read once per turn).
    expect(count).toBeGreaterThanOrEqual(5);
    expect(count).toBeLessThanOrEqual(12);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(148);
  });

  it('a history navigation and a hash change are news: each sends the new URL, with nothing else changed', async () => {
    await sleep(300);
    const pushed = await updatesDuring(async () => {
      history.pushState(null, '', '/checkout');
      dispatchEvent(new PopStateEvent('popstate'));
      await sleep(300);
    });
    expect(pushed.urls.at(-1)).toMatch(/\/checkout$/);
    const hashed = await updatesDuring(async () => {
      location.hash = '#step-2';
      dispatchEvent(new HashChangeEvent('hashchange'));
      await sleep(300);
    });
    expect(hashed.urls.at(-1)).toMatch(/\/checkout#step-2$/);
    // A quiet page sends nothing.
    expect((await updatesDuring(() => sleep(400))).count).toBe(0);
  });
});
