import { describe, expect, it } from 'vitest';
import { median, medianDifferenceInterval, quantile } from '../../bench/stats.ts';

/** Deterministic noisy samples around `centre` (spread ±3, skewed like page loads). */
const samples = (centre: number, n: number, phase = 0): number[] =>
  Array.from({ length: n }, (_, i) => centre + 3 * Math.sin(i * 1.7 + phase) + (i % 7 === 0 ? 6 : 0));

describe('bench statistics', () => {
  it('median and quantile', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantile([5, 1, 4, 2, 3], 0.25)).toBe(2);
    expect(quantile([5, 1, 4, 2, 3], 0.75)).toBe(4);
    // Nearest rank: of 20 samples, the quartiles are the 5th and the 15th.
    const twenty = Array.from({ length: 20 }, (_, i) => i + 1);
    expect([quantile(twenty, 0.25), quantile(twenty, 0.75), quantile(twenty, 0), quantile(twenty, 1)]).toEqual([5, 15, 1, 20]);
    expect(() => median([])).toThrow();
  });

  it('the interval of two samples of the same thing contains 0', () => {
    const { low, high } = medianDifferenceInterval(samples(14, 20, 0), samples(14, 20, 2));
    expect(low).toBeLessThan(0);
    expect(high).toBeGreaterThan(0);
  });

  it('the interval of a real difference excludes 0 and contains it', () => {
    const { low, high } = medianDifferenceInterval(samples(20, 20, 0), samples(14, 20, 2));
    expect(low).toBeGreaterThan(0);
    expect(low).toBeLessThan(6);
    expect(high).toBeGreaterThan(6);
  });

  it('is reproducible from its samples, narrower at a lower level, and refuses no samples', () => {
    const a = samples(10, 25, 1);
    const b = samples(9, 25, 3);
    expect(medianDifferenceInterval(a, b)).toEqual(medianDifferenceInterval(a, b));
    const wide = medianDifferenceInterval(a, b, { level: 0.95 });
    const narrow = medianDifferenceInterval(a, b, { level: 0.5 });
    expect(narrow.high - narrow.low).toBeLessThan(wide.high - wide.low);
    expect(() => medianDifferenceInterval([], b)).toThrow();
  });
});
