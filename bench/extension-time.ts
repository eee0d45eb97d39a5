/**
 * The extension's share of a CPU profile (bench/where.ts). Pure, unit-tested. A sample counts as
 * the extension's when the nearest stack frame that belongs to a script is an extension script or
 * a function the background injects without a URL (`collect`, the pull; `goLive` and `hasRelay` when a
 * panel watches): built-ins called from extension code
 * count, the page's own functions called through one of our wrappers do not.
 */
import type { Protocol } from 'puppeteer-core';

/** Milliseconds of extension code in one profile, in total and by function. */
export function extensionTime(profile: Protocol.Profiler.Profile): { total: number; byFunction: Map<string, number> } {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const owner = new Map<number, string | null>();
  const ownerOf = (id: number): string | null => {
    const known = owner.get(id);
    if (known !== undefined) return known;
    const frame = (nodes.get(id) as Protocol.Profiler.ProfileNode).callFrame;
    let result: string | null;
    if (frame.url.startsWith('chrome-extension://'))
      result = `${frame.functionName || '(top level)'} ${frame.url.replace(/^chrome-extension:\/\/[a-z]+\//, '')}:${frame.lineNumber + 1}`;
    else if (frame.url === '' && frame.functionName === 'collect') result = 'collect (the background pull)';
    else if (frame.url === '' && (frame.functionName === 'goLive' || frame.functionName === 'hasRelay'))
      result = `${frame.functionName} (injected by the background)`;
    else if (frame.url !== '') result = null;
    else result = parent.has(id) ? ownerOf(parent.get(id) as number) : null;
    owner.set(id, result);
    return result;
  };
  const byFunction = new Map<string, number>();
  let total = 0;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const who = ownerOf(samples[i] as number);
    if (who === null) continue;
    const ms = (deltas[i + 1] ?? 0) / 1000;
    total += ms;
    byFunction.set(who, (byFunction.get(who) ?? 0) + ms);
  }
  return { total, byFunction };
}
