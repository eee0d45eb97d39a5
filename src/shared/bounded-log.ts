/**
 * A log that keeps the newest `cap` items and counts what it dropped. Pure; used by the recorder,
 * in the page: no Array.prototype method (a page may replace them).
 */
export class BoundedLog<T> {
  private items: T[] = [];
  private start = 0;
  dropped = 0;

  constructor(private readonly cap: number) {}

  push(item: T): void {
    const items = this.items;
    items[items.length] = item;
    // Compact lazily so a flood of pushes stays O(1) amortised.
    if (items.length - this.start > this.cap) {
      this.start++;
      this.dropped++;
      if (this.start > this.cap) {
        this.items = this.toArray();
        this.start = 0;
      }
    }
  }

  toArray(): T[] {
    const out: T[] = [];
    for (let i = this.start; i < this.items.length; i++) out[out.length] = this.items[i] as T;
    return out;
  }
}
