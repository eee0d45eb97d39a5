/**
 * `npm run bench:where [-- /pages/heavy.html] [--panel]`: where the extension's time in a page goes,
 * by function. `--panel`: the page is reloaded with the extension's DevTools panel open on it
 * (live updates), one tab for every load. Builds a readable copy of the extension (not minified) into a temporary folder, loads
 * the page (default: the demo page) BENCH_LOADS times (default 10) with a CPU profile, and prints
 * the median time per load that the extension's own code takes and its costliest functions (TOP,
 * default 25).
 * Which samples count as the extension's: bench/extension-time.ts.
 * Profiling slows code down: compare runs with each other, not with `npm run bench`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'puppeteer-core';
import { startSimulator } from '../simulator/server.ts';
import { launchChromium, openPanel } from '../tools/chromium.ts';
import { extensionTime } from './extension-time.ts';
import { median } from './stats.ts';

const root = resolve(import.meta.dirname, '..');
const withPanel = process.argv.includes('--panel');
const path = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? '/pages/standard.html';
const LOADS = Number(process.env.BENCH_LOADS ?? 10);
const SAMPLING_US = 50;

const dir = mkdtempSync(join(tmpdir(), 'ti-where-'));
const build = spawnSync(resolve(root, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TARGET: 'chrome', E2E: '0', MINIFY: '0', OUT_DIR: dir },
});
if (build.status !== 0) process.exit(1);

const sim = await startSimulator();
const chromium = await launchChromium({ dir });
const totals: number[] = [];
const byFunction = new Map<string, number>();
// With the panel: one tab, the panel opened once, then each load is a reload (a new document).
let live: Page | null = null;
if (withPanel) {
  live = await chromium.browser.newPage();
  await live.goto(`${sim.origin}${path}`, { waitUntil: 'load' });
  await openPanel(live, chromium.extensionId);
}
for (let i = 0; i <= LOADS; i++) {
  const page = live ?? (await chromium.browser.newPage());
  const cdp = await page.createCDPSession();
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: SAMPLING_US });
  await cdp.send('Profiler.start');
  if (live) await page.reload({ waitUntil: 'load' });
  else await page.goto(`${sim.origin}${path}`, { waitUntil: 'load' });
  await new Promise((r) => setTimeout(r, 1500)); // the background pulls 1 s after load
  const { profile } = await cdp.send('Profiler.stop');
  await cdp.detach();
  if (!live) await page.close();
  if (i === 0) continue; // warm-up
  const t = extensionTime(profile);
  totals.push(t.total);
  for (const [k, v] of t.byFunction) byFunction.set(k, (byFunction.get(k) ?? 0) + v / LOADS);
}
console.log(
  `\nExtension code in ${path}${withPanel ? ' (the panel open)' : ''}: median ${median(totals).toFixed(2)} ms per load (${LOADS} loads, profiled, readable build)`,
);
for (const [k, v] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 25))) console.log(`${v.toFixed(3).padStart(8)} ms  ${k}`);
await chromium.close();
await sim.close();
rmSync(dir, { recursive: true, force: true });
