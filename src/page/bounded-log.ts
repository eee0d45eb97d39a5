/**
 * A log that keeps the newest `cap` items and counts what it dropped. Pure; used by the recorder,
 * in the page: no Array.prototype method (a page may replace them). A ring: a push is one store,
 * with no copying, because a page may call ap3c.track thousands of times during its load.
 * (A closure, not a class: its names shrink in the page's bundle.)
 */
export interface BoundedLog<T> {
  push(item: T): void;
  /** Oldest first. */
  toArray(): T[];
  /** Items pushed out so far. */
  dropped(): number;
}

export function boundedLog<T>(cap: number): BoundedLog<T> {
  const items: T[] = [];
  /** Items ever pushed; the next one goes to `pushed % cap`. */
  let pushed = 0;
  return {
    push(item) {
      items[pushed++ % cap] = item;
    },
    toArray() {
      const out: T[] = [];
      for (let i = pushed > cap ? pushed - cap : 0; i < pushed; i++) out[out.length] = items[i % cap] as T;
      return out;
    },
    dropped: () => (pushed > cap ? pushed - cap : 0),
  };
}
