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

/** When each live update reached the port (performance.now()), its URL and whether each batch replaces the timeline. */
const sent: { at: number; url: string; full: boolean[] }[] = [];
/** Every port the relay opened, and whether it was disconnected since. */
const ports: { disconnected: boolean }[] = [];
const g = globalThis as unknown as Record<string, unknown>;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

beforeAll(async () => {
  browserShapedErrorEvent();
  g.chrome = {
    runtime: {
      id: 'talk-inspector-test',
      sendMessage: async () => undefined,
      connect: () => {
        const port = {
          disconnected: false,
          postMessage(m: { type?: string; update?: { url: string; batches: string[] } }) {
            if (m.type !== RuntimeMsg.PageUpdate || !m.update) return;
            const full = m.update.batches.map((b) => (JSON.parse(b) as { full: boolean }).full);
            sent.push({ at: performance.now(), url: m.update.url, full });
          },
          disconnect() {
            port.disconnected = true;
          },
          onDisconnect: { addListener() {} },
        };
        ports.push(port);
        return port;
      },
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
async function updatesDuring(during: () => Promise<void>): Promise<{ count: number; gaps: number[]; urls: string[]; took: number }> {
  const from = sent.length;
  const start = performance.now();
  await during();
  const took = performance.now() - start;
  const mine = sent.slice(from);
  const gaps = mine.slice(1).map((s, i) => s.at - (mine[i] as { at: number }).at);
  return { count: mine.length, gaps, urls: mine.map((s) => s.url), took };
}

describe('the relay, live', () => {
  it('went live and sent the page', () => {
    expect(sent.length).toBeGreaterThan(0);
  });

  it('a page that changes every 10 ms gets an update at most every 150 ms, and keeps getting them', async () => {
    const ap3c = (window as unknown as { ap3c: { track(name: string): void } }).ap3c;
    const { count, gaps, took } = await updatesDuring(async () => {
      for (let i = 0; i < 150; i++) {
        ap3c.track(`event ${i}`);
        await sleep(10);
      }
      await sleep(200);
    });
    // About 1.5 s of changes: 10 updates at 150 ms; none sooner than 150 ms after the one before
    // (a timer may fire up to a millisecond early: the event loop's clock is read once per turn).
    // (A busy machine stretches the loop, and the updates with it: the bound follows the time taken.)
    expect(count).toBeGreaterThanOrEqual(5);
    expect(count).toBeLessThanOrEqual(Math.ceil(took / 150) + 1);
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

  // Chromium closes the live port when it caches the page, without telling the relay; Firefox
  // keeps it open. Either way the relay drops it, opens a new one and starts from everything.
  it('back from the back/forward cache: the old port is closed, a new one opened, and the next update replaces the timeline', async () => {
    await sleep(300);
    const before = ports.length;
    const old = ports.at(-1);
    const from = sent.length;
    const restored = new Event('pageshow');
    Object.defineProperty(restored, 'persisted', { value: true });
    dispatchEvent(restored);
    await sleep(400);
    expect(old?.disconnected).toBe(true);
    expect(ports.length).toBe(before + 1);
    expect(ports.at(-1)?.disconnected).toBe(false);
    const after = sent.slice(from);
    expect(after.length).toBeGreaterThan(0);
    expect(after[0]?.full[0]).toBe(true);
    // A page shown for the first time (not from the cache) changes nothing.
    const quiet = await updatesDuring(async () => {
      dispatchEvent(new Event('pageshow'));
      await sleep(300);
    });
    expect(quiet.count).toBe(0);
    expect(ports.length).toBe(before + 1);
  });
});
