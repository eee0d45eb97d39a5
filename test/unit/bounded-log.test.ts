import { describe, expect, it } from 'vitest';
import { boundedLog } from '../../src/page/bounded-log.ts';

describe('BoundedLog', () => {
  it('keeps everything below the cap, in order', () => {
    const log = boundedLog<number>(5);
    for (let i = 1; i <= 3; i++) log.push(i);
    expect(log.toArray()).toEqual([1, 2, 3]);
    expect(log.dropped()).toBe(0);
  });

  it('keeps exactly `cap` items at the cap', () => {
    const log = boundedLog<number>(3);
    for (let i = 1; i <= 3; i++) log.push(i);
    expect(log.toArray()).toEqual([1, 2, 3]);
    expect(log.dropped()).toBe(0);
  });

  it('drops the oldest items beyond the cap and counts them, keeping order', () => {
    const log = boundedLog<number>(3);
    for (let i = 1; i <= 10; i++) {
      log.push(i);
      expect(log.dropped()).toBe(Math.max(0, i - 3));
      expect(log.toArray()).toEqual(Array.from({ length: Math.min(i, 3) }, (_, k) => i - Math.min(i, 3) + 1 + k));
    }
    expect(log.toArray()).toEqual([8, 9, 10]);
    expect(log.dropped()).toBe(7);
  });

  it('works with a cap of 1', () => {
    const log = boundedLog<string>(1);
    log.push('a');
    log.push('b');
    log.push('c');
    expect(log.toArray()).toEqual(['c']);
    expect(log.dropped()).toBe(2);
  });

  it('toArray returns a copy the caller cannot use to change the log', () => {
    const log = boundedLog<number>(3);
    log.push(1);
    const copy = log.toArray();
    copy.push(99);
    copy[0] = -1;
    expect(log.toArray()).toEqual([1]);
  });

  it('stays bounded under a flood of 100,000 pushes: the newest cap items, in order, the rest counted', () => {
    const cap = 500;
    const log = boundedLog<{ seq: number }>(cap);
    for (let i = 1; i <= 100_000; i++) log.push({ seq: i });
    expect(log.dropped()).toBe(100_000 - cap);
    const items = log.toArray();
    expect(items).toHaveLength(cap);
    expect(items[0]?.seq).toBe(100_000 - cap + 1);
    expect(items[cap - 1]?.seq).toBe(100_000);
    for (let i = 1; i < items.length; i++) expect((items[i]?.seq ?? 0) - (items[i - 1]?.seq ?? 0)).toBe(1);
  });
});
