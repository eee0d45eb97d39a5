/**
 * Per-tab state in a storage area (storage.session in the extension; a fake in the unit tests).
 * No browser import here, so the logic is tested directly.
 *
 * - Writes for one tab are serialised, so a burst of reports cannot interleave.
 * - Every report is fitted to its per-tab budget before it is written (src/shared/report-budget.ts),
 *   so one tab cannot fill the area for the others.
 * - A write the area refuses (its quota is full) never leaves a panel waiting: the report is tried
 *   once more with a much smaller budget, and if that fails too the state is kept in memory, marked
 *   `notStored` with words for the panel, and still returned (published) as the tab's state. Every
 *   tab's write is independent: a failing one never stops another tab's.
 */
import type { TabState } from '../../shared/protocol/model.ts';
import { fitTabState, jsonLength, REPORT_BUDGET } from './report-budget.ts';

/** The part of a storage area the store uses (browser.storage.session has these). */
export interface StorageAreaLike {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

/** The second try after a refused write: the report without the bulk of its arguments and events. */
export const EMERGENCY_BUDGET = 64 * 1024;

export const NOT_STORED_TEXT =
  "The browser's storage for Talk Inspector is full, so this report is kept in memory only: it is lost if the browser stops the extension's background. Closing tabs you no longer inspect makes room.";

export interface TabStore {
  readTab(tabId: number): Promise<TabState | undefined>;
  /** Applies `change` to the stored state of a tab (in order with other updates of that tab); resolves to the state as kept. */
  updateTab(tabId: number, change: (current: TabState | undefined) => TabState | undefined): Promise<TabState | undefined>;
  forgetTab(tabId: number): Promise<void>;
}

const key = (tabId: number): string => `tab:${tabId}`;

export function createTabStore(area: StorageAreaLike, budget: number = REPORT_BUDGET, emergencyBudget: number = EMERGENCY_BUDGET): TabStore {
  const queues = new Map<number, Promise<unknown>>();
  /**
   * Tabs closed while the background runs (a browser never reuses a tab id in a session): an
   * update still in flight when the tab closed, or one that arrives later (a pull that was under
   * way), must not write the tab's report back after it was deleted.
   */
  const closed = new Set<number>();
  /** The newest state of tabs whose last write was refused, kept while the background runs. */
  const inMemory = new Map<number, TabState>();

  async function readTab(tabId: number): Promise<TabState | undefined> {
    const kept = inMemory.get(tabId);
    if (kept) return kept;
    const got = await area.get(key(tabId));
    return got[key(tabId)] as TabState | undefined;
  }

  async function tryWrite(tabId: number, state: TabState): Promise<boolean> {
    try {
      await area.set({ [key(tabId)]: state });
      inMemory.delete(tabId);
      return true;
    } catch {
      return false;
    }
  }

  /** Writes the fitted state; never rejects. Returns the state as kept (stored, or in memory with `notStored`). */
  async function write(tabId: number, state: TabState): Promise<TabState> {
    const { notStored: _, ...clean } = state;
    const fitted = fitTabState(clean, budget);
    if (await tryWrite(tabId, fitted)) return fitted;
    if (fitted.report && jsonLength(fitted.report) > emergencyBudget) {
      const small = fitTabState(clean, emergencyBudget);
      if (await tryWrite(tabId, small)) return small;
    }
    const kept: TabState = { ...fitted, notStored: NOT_STORED_TEXT };
    inMemory.set(tabId, kept);
    // The stored copy is older than the one in memory: drop it (that also makes room for other tabs).
    await area.remove(key(tabId)).catch(() => undefined);
    return kept;
  }

  function updateTab(tabId: number, change: (current: TabState | undefined) => TabState | undefined): Promise<TabState | undefined> {
    if (closed.has(tabId)) return Promise.resolve(undefined);
    const previous = queues.get(tabId) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        if (closed.has(tabId)) return undefined;
        const updated = change(await readTab(tabId));
        return updated ? write(tabId, updated) : undefined;
      });
    queues.set(tabId, next);
    void next.finally(() => {
      if (queues.get(tabId) === next) queues.delete(tabId);
    });
    return next;
  }

  /** The tab closed: its report is deleted once any write under way has finished, and never written again. */
  async function forgetTab(tabId: number): Promise<void> {
    closed.add(tabId);
    await queues.get(tabId)?.catch(() => undefined);
    // (After the wait: a refused write under way keeps the state in memory.)
    inMemory.delete(tabId);
    await area.remove(key(tabId));
  }

  return { readTab, updateTab, forgetTab };
}
