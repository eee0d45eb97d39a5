/**
 * A log that keeps the newest `cap` items and counts what it dropped. Pure; used by the recorder,
 * in the page: no Array.prototype method (a page may replace them). A ring: a push is one store,
 * with no copying, because a page may call ap3c.track thousands of times during its load.
 */
export class BoundedLog<T> {
  private items: T[] = [];
  /** Items ever pushed; the next one goes to `pushed % cap`. */
  private pushed = 0;
  dropped = 0;

  constructor(private readonly cap: number) {}

  push(item: T): void {
    if (this.pushed >= this.cap) this.dropped++;
    this.items[this.pushed++ % this.cap] = item;
  }

  /** Oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    const { items, cap } = this;
    for (let i = this.pushed > cap ? this.pushed - cap : 0; i < this.pushed; i++) out[out.length] = items[i % cap] as T;
    return out;
  }
}
