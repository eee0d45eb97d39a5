/** A log that keeps the newest `cap` items and counts what it dropped. Pure; used by the recorder and relay. */
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
        this.items = items.slice(this.start);
        this.start = 0;
      }
    }
  }

  toArray(): T[] {
    return this.items.slice(this.start);
  }

  get size(): number {
    return this.items.length - this.start;
  }

  clear(): void {
    this.items = [];
    this.start = 0;
  }
}
