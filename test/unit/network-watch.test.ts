/**
 * The panel's network evidence: which page load a request belongs to is told by its start time,
 * not by DevTools' navigation event (Firefox fires onNavigated only after the new page loaded).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { HarLikeEntry, NetworkEvidence } from '../../src/shared/analysis/network.ts';

type Listener = (entry: HarLikeEntry) => void;
const fake = {
  listeners: new Set<Listener>(),
  har: [] as HarLikeEntry[],
};

vi.mock('webextension-polyfill', () => ({
  default: {
    devtools: {
      network: {
        getHAR: async () => ({ entries: fake.har }),
        onRequestFinished: {
          addListener: (cb: Listener) => fake.listeners.add(cb),
          removeListener: (cb: Listener) => fake.listeners.delete(cb),
        },
      },
    },
  },
}));

const { CLOCK_SLACK_MS, evidenceSince, watchNetwork } = await import('../../src/panel/network-watch.ts');

const T0 = Date.parse('2026-12-01T12:00:00.000Z');
const widgetsGet = (at: number, tt = 'tok'): HarLikeEntry => ({
  startedDateTime: new Date(at).toISOString(),
  request: { method: 'POST', url: 'http://127.0.0.1:8080/-/widgets/get', postData: { text: JSON.stringify({ tk: true, tt }) } },
  response: { status: 200 },
});
const script = (at: number): HarLikeEntry => ({
  startedDateTime: new Date(at).toISOString(),
  request: { method: 'GET', url: 'http://127.0.0.1:8080/app.js' },
  response: { status: 200 },
});
const finish = (entry: HarLikeEntry): void => {
  for (const l of [...fake.listeners]) l(entry);
};

beforeEach(() => {
  fake.listeners.clear();
  fake.har = [];
});

describe('watchNetwork', () => {
  it('collects the HAR log and every finished request, and never clears on its own', async () => {
    fake.har = [script(T0 + 10)];
    const seen: { last: NetworkEvidence | null } = { last: null };
    const w = watchNetwork((e) => {
      seen.last = e;
    });
    await vi.waitFor(() => expect(seen.last?.scripts).toHaveLength(1));
    finish(widgetsGet(T0 + 20));
    // A reload: the next page's requests join the earlier ones (evidenceSince tells them apart).
    finish(script(T0 + 5000));
    finish(widgetsGet(T0 + 5020, 'tok2'));
    expect(seen.last?.scripts).toHaveLength(2);
    expect(seen.last?.widgetsGets).toHaveLength(2);
    w?.stop();
  });

  it('stop() removes its listener (a closed panel must not leave it to the browser), once', () => {
    const w = watchNetwork(() => undefined);
    expect(fake.listeners.size).toBe(1);
    w?.stop();
    w?.stop();
    expect(fake.listeners.size).toBe(0);
  });
});

describe('evidenceSince', () => {
  const evidence = (): NetworkEvidence => {
    const seen: { last: NetworkEvidence | null } = { last: null };
    const w = watchNetwork((x) => {
      seen.last = x;
    });
    for (const entry of [script(T0 + 10), widgetsGet(T0 + 30, 'old'), script(T0 + 5000), widgetsGet(T0 + 5040, 'new')]) finish(entry);
    w?.stop();
    if (!seen.last) throw new Error('no evidence');
    return seen.last;
  };

  it("keeps the requests that started after the document's navigation start", () => {
    const e = evidenceSince(evidence(), T0 + 4990);
    expect(e.scripts.map((s) => s.at)).toEqual([T0 + 5000]);
    expect(e.widgetsGets.map((w) => w.at)).toEqual([T0 + 5040]);
  });

  it('keeps them all for the first document, and the same object when nothing is dropped', () => {
    const all = evidence();
    expect(evidenceSince(all, T0)).toBe(all);
  });

  it(`allows ${CLOCK_SLACK_MS} ms between DevTools' clock and the page's`, () => {
    const e = evidenceSince(evidence(), T0 + 5000 + CLOCK_SLACK_MS);
    expect(e.scripts).toHaveLength(1);
    expect(evidenceSince(evidence(), T0 + 5001 + CLOCK_SLACK_MS).scripts).toHaveLength(0);
  });

  it('keeps requests without a start time', () => {
    const e = evidenceSince(
      { scripts: [{ url: 'http://x/app.js', status: 200, error: null, at: 0 }], widgetsGets: [], captureApi: [], talkSessionCalls: [] },
      T0,
    );
    expect(e.scripts).toHaveLength(1);
  });
});
