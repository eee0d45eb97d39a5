/**
 * Statistics for the bench's figures. Pure, so it is unit-tested (test/unit/bench-stats.test.ts).
 * Page-cost samples on a shared machine are noisy and skewed: medians, quantiles and a bootstrap
 * interval say how far a figure can be trusted better than a mean would.
 */

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of no samples');
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** The sample at quantile `q` (0–1), nearest rank: the ⌈q·n⌉-th smallest. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) throw new Error('quantile of no samples');
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] as number;
}

/** mulberry32: a small seeded generator, so an interval is reproducible from its samples. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Percentile-bootstrap interval for median(a) − median(b): both samples are redrawn with
 * replacement `iterations` times. If it contains 0, the difference is not measurable with these
 * samples.
 */
export function medianDifferenceInterval(
  a: readonly number[],
  b: readonly number[],
  { level = 0.9, iterations = 2000, seed = 1 }: { level?: number; iterations?: number; seed?: number } = {},
): { low: number; high: number } {
  if (a.length === 0 || b.length === 0) throw new Error('interval of no samples');
  const random = seeded(seed);
  const redraw = (xs: readonly number[]): number[] => xs.map(() => xs[Math.floor(random() * xs.length)] as number);
  const diffs: number[] = [];
  for (let i = 0; i < iterations; i++) diffs.push(median(redraw(a)) - median(redraw(b)));
  return { low: quantile(diffs, (1 - level) / 2), high: quantile(diffs, 1 - (1 - level) / 2) };
}
