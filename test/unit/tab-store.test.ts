import { describe, expect, it } from 'vitest';
import { jsonLength, REPORT_BUDGET } from '../../src/background/state/report-budget.ts';
import { withReport } from '../../src/background/state/tab-state.ts';
import { createTabStore, EMERGENCY_BUDGET, NOT_STORED_TEXT, type StorageAreaLike } from '../../src/background/state/tab-store-core.ts';
import type { PageReport, TabState } from '../../src/shared/protocol/model.ts';
import { KEY, report, TOKEN, US_CAPTURE } from './support/report.ts';

const QUOTA = 10 * 1024 * 1024;

/** storage.session as the store sees it, with its quota (measured on JSON here) and a switch to refuse every write. */
function fakeArea(quota = QUOTA) {
  const data = new Map<string, unknown>();
  const used = (): number => [...data].reduce((n, [k, v]) => n + k.length + jsonLength(v), 0);
  const area: StorageAreaLike & { data: Map<string, unknown>; used: () => number; refuse: boolean; writes: number } = {
    data,
    used,
    refuse: false,
    writes: 0,
    async get(key) {
      return data.has(key) ? { [key]: structuredClone(data.get(key)) } : {};
    },
    async set(items) {
      area.writes++;
      if (area.refuse) throw new Error('Session storage quota bytes exceeded. Values were not stored.');
      const after = new Map(data);
      for (const [k, v] of Object.entries(items)) after.set(k, structuredClone(v));
      if ([...after].reduce((n, [k, v]) => n + k.length + jsonLength(v), 0) > quota)
        throw new Error('Session storage quota bytes exceeded. Values were not stored.');
      for (const [k, v] of after) data.set(k, v);
    },
    async remove(key) {
      data.delete(key);
    },
  };
  return area;
}

const bulk = (i: number) => ({ junk: `${i}`.padEnd(15_000, 'x'), more: 'y'.repeat(15_000) });

/** The attack's report after `rounds` pulls of 50 inits of ~30 KB each (same document, growing). */
function hostileReport(rounds: number): PageReport {
  const b = report().snippet(KEY, US_CAPTURE, { talk: { token: TOKEN } });
  for (let i = 0; i < rounds * 50; i++) b.init(KEY, US_CAPTURE, bulk(i));
  return b.widget(true).with({ relayDocId: 'hostile', url: 'https://hostile.example/' }).build();
}

const ordinaryReport = (): PageReport =>
  report()
    .snippet(KEY, US_CAPTURE, { talk: { token: TOKEN } })
    .widget(true)
    .with({ relayDocId: 'ordinary', url: 'https://shop.example/' })
    .build();

const put = (r: PageReport) => (current: TabState | undefined) => withReport(current, 0, r, Date.now());

describe('tab store: one tab cannot take the storage from another', () => {
  it('two tabs, the first one hostile: its report stays within its budget and the second tab gets its report stored', async () => {
    const area = fakeArea();
    const store = createTabStore(area);
    for (let round = 1; round <= 7; round++) {
      const state = await store.updateTab(1, put(hostileReport(round)));
      expect(state?.notStored).toBeUndefined();
      expect(jsonLength(state?.report)).toBeLessThanOrEqual(REPORT_BUDGET);
    }
    const first = await store.readTab(1);
    expect(first?.report?.trimmed?.args).toBeGreaterThan(300);
    const second = await store.updateTab(2, put(ordinaryReport()));
    expect(second?.notStored).toBeUndefined();
    expect(second?.report?.trimmed).toBeUndefined();
    expect((await store.readTab(2))?.report?.relayDocId).toBe('ordinary');
    expect(area.used()).toBeLessThan(2 * REPORT_BUDGET);
  });

  it('without the budget the attack fills the quota; the second tab is still answered, in memory and saying so', async () => {
    const area = fakeArea();
    const store = createTabStore(area, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
    for (let round = 1; round <= 6; round++) await store.updateTab(1, put(hostileReport(round)));
    expect(area.used()).toBeGreaterThan(8 * 1024 * 1024);
    const second = await store.updateTab(2, put({ ...hostileReport(1), relayDocId: 'second' }));
    expect(second?.report?.relayDocId).toBe('second');
    expect(second?.notStored).toBe(NOT_STORED_TEXT);
    expect((await store.readTab(2))?.report?.relayDocId).toBe('second');
  });

  it('a refused write keeps the state in memory, tells the panel in plain words, and does not block another tab', async () => {
    const area = fakeArea();
    const store = createTabStore(area);
    await store.updateTab(1, put(ordinaryReport()));
    area.refuse = true;
    const refused = await store.updateTab(1, put({ ...ordinaryReport(), url: 'https://shop.example/next' }));
    expect(refused?.notStored).toBe(NOT_STORED_TEXT);
    expect(refused?.report?.url).toBe('https://shop.example/next');
    expect(await store.readTab(1)).toEqual(refused);
    // The older stored copy is gone (it was stale, and it took room).
    expect(area.data.has('tab:1')).toBe(false);
    area.refuse = false;
    const other = await store.updateTab(2, put(ordinaryReport()));
    expect(other?.notStored).toBeUndefined();
    // The next write of the first tab that succeeds ends the in-memory state.
    const again = await store.updateTab(1, (current) => (current ? { ...current, updatedAt: 5 } : undefined));
    expect(again?.notStored).toBeUndefined();
    expect(again?.report?.url).toBe('https://shop.example/next');
    expect(((await area.get('tab:1'))['tab:1'] as TabState).notStored).toBeUndefined();
  });

  it('when the per-tab budget does not fit what is left of the quota, a much smaller report is stored instead', async () => {
    const area = fakeArea(300 * 1024);
    const store = createTabStore(area);
    const state = await store.updateTab(1, put(hostileReport(2)));
    expect(state?.notStored).toBeUndefined();
    expect(jsonLength(state?.report)).toBeLessThanOrEqual(EMERGENCY_BUDGET);
    expect(area.data.has('tab:1')).toBe(true);
    expect(state?.report?.events.filter((e) => e.kind === 'init').length).toBeGreaterThan(2);
  });

  it('updates of one tab stay in order; forgetting a tab forgets its in-memory state too', async () => {
    const area = fakeArea();
    const store = createTabStore(area);
    const seen: number[] = [];
    await Promise.all(
      [1, 2, 3, 4].map((n) =>
        store.updateTab(9, (current) => {
          seen.push(current?.updatedAt ?? 0);
          return withReport(current, 9, ordinaryReport(), n);
        }),
      ),
    );
    expect(seen).toEqual([0, 1, 2, 3]);
    area.refuse = true;
    await store.updateTab(9, (current) => (current ? { ...current, updatedAt: 99 } : undefined));
    expect((await store.readTab(9))?.updatedAt).toBe(99);
    await store.forgetTab(9);
    expect(await store.readTab(9)).toBeUndefined();
  });

  it('a closed tab stays deleted: an update under way when it closed, or arriving after, writes nothing back', async () => {
    const area = fakeArea();
    // Each write takes a while, as storage.session's do: the tab closes in the middle of one.
    const set = area.set.bind(area);
    area.set = async (items) => {
      await new Promise((r) => setTimeout(r, 5));
      await set(items);
    };
    const store = createTabStore(area);
    const underWay = store.updateTab(7, (current) => withReport(current, 7, ordinaryReport(), 1));
    const queued = store.updateTab(7, (current) => withReport(current, 7, ordinaryReport(), 2));
    await new Promise((r) => setTimeout(r, 1));
    await store.forgetTab(7);
    await Promise.all([underWay, queued]);
    expect(area.data.has('tab:7')).toBe(false);
    // A pull that was under way when the tab closed.
    expect(await store.updateTab(7, (current) => withReport(current, 7, ordinaryReport(), 3))).toBeUndefined();
    expect(area.data.has('tab:7')).toBe(false);
    expect(await store.readTab(7)).toBeUndefined();
    // Other tabs are not affected.
    await store.updateTab(8, (current) => withReport(current, 8, ordinaryReport(), 4));
    expect(area.data.has('tab:8')).toBe(true);
  });
});

describe('tab store: each tab has a queue of its own', () => {
  it("one tab's write that never finishes holds back later writes of that tab only (docs/reliability.md, row 12)", async () => {
    const area = fakeArea();
    const set = area.set.bind(area);
    // storage.session stuck on tab 1's first write (it never settles); every other write goes through.
    let tab1Writes = 0;
    area.set = (items) => ('tab:1' in items && tab1Writes++ === 0 ? new Promise<void>(() => undefined) : set(items));
    const store = createTabStore(area);
    void store.updateTab(1, put(ordinaryReport()));
    let secondOfTab1 = false;
    void store.updateTab(1, put(ordinaryReport())).then(() => {
      secondOfTab1 = true;
    });
    // Tab 2 is not behind tab 1.
    const stored = await Promise.race([store.updateTab(2, put(ordinaryReport())), new Promise<'stuck'>((r) => setTimeout(() => r('stuck'), 1000))]);
    expect(stored === 'stuck' ? 'stuck behind tab 1' : stored?.report?.relayDocId).toBe('ordinary');
    expect(area.data.has('tab:2')).toBe(true);
    // Tab 1's own second write still waits for its first (it would go through on its own).
    await new Promise((r) => setTimeout(r, 20));
    expect(secondOfTab1).toBe(false);
    expect(tab1Writes).toBe(1);
  });
});
