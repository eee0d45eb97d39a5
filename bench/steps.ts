/**
 * `npm run bench:steps [-- none,demo,heavy,panel]`: where the extension's time in a page goes, step by
 * step, timed inside the page (issue 17). `npm run bench` says how much a page pays above the
 * floor control; this says for what.
 *
 * Builds a copy of the extension with `__STEPS__` on (the `__tiStep` calls in recorder.ts and
 * relay.ts; compiled out of every other build), minified like the shipped one, and puts a prelude
 * at the top of each content script that times its steps. The pages are served through a proxy
 * that makes them cross-origin isolated, so `performance.now()` ticks in 5 µs instead of 100 µs.
 * The floor control (bench/floor/) is timed the same way as a whole. Each step is the time since
 * the previous step of the same script (compiling the functions it calls for the first time
 * included); a step that restarts the clock (`from`) starts a later task (a pull, a message).
 * Medians over BENCH_LOADS loads (default 30); times in µs. `panel`: the demo page reloaded with
 * the extension's DevTools panel open on it (live updates; no floor control there).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'puppeteer-core';
import { STRICT } from '../scripts/strict-mode.ts';
import { startSimulator } from '../simulator/server.ts';
import { launchChromium, openPanel } from '../tools/chromium.ts';
import { median } from './stats.ts';

const root = resolve(import.meta.dirname, '..');
const LOADS = Number(process.env.BENCH_LOADS ?? 30);
const PAGES: Record<string, string> = {
  none: '/pages/no-snippet.html',
  demo: '/pages/standard.html',
  heavy: '/pages/heavy.html',
  panel: '/pages/standard.html',
};
const which = (process.argv[2] ?? 'none,demo,heavy').split(',').map((s) => s.trim());
const RECORDER = 'src/page/recorder.js';
const RELAY = 'src/content/relay.js';

/**
 * Times each step of one content script into `<html data-ti-steps-<world>>` (JSON), written in a
 * task of its own so the writing is never timed. The clock restarts after the bookkeeping.
 */
const prelude = (world: string): string =>
  `var __tiSteps=[],__tiLast=performance.now(),__tiQueued=false;function __tiStep(n,from){var t=performance.now();if(!from)__tiSteps.push([n,t-__tiLast]);if(!__tiQueued){__tiQueued=true;setTimeout(function(){__tiQueued=false;document.documentElement.setAttribute('data-ti-steps-${world}',JSON.stringify(__tiSteps))},0)}__tiLast=performance.now()}\n`;

function instrument(dir: string, ending: boolean): void {
  for (const [file, world] of [
    [RECORDER, 'main'],
    [RELAY, 'isolated'],
  ] as const) {
    const path = join(dir, file);
    // The floor has no steps of its own: it is timed as a whole.
    // (The recorder's "use strict" stays its first statement: scripts/strict-mode.ts.)
    const source = readFileSync(path, 'utf8');
    const directive = source.startsWith(STRICT) ? STRICT : '';
    writeFileSync(
      path,
      `${directive}${prelude(world)}${source.slice(directive.length)}${ending ? `\n;__tiStep('floor: the whole ${world === 'main' ? 'recorder' : 'relay'}');\n` : ''}`,
    );
  }
}

const dir = mkdtempSync(join(tmpdir(), 'ti-steps-'));
const build = spawnSync(resolve(root, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'production', TARGET: 'chrome', E2E: '0', STEPS: '1', OUT_DIR: join(dir, 'steps') },
});
if (build.status !== 0) process.exit(1);
instrument(join(dir, 'steps'), false);
const floorDir = join(dir, 'floor');
spawnSync('cp', ['-r', join(dir, 'steps'), floorDir]);
copyFileSync(resolve(root, 'bench/floor/recorder.js'), join(floorDir, RECORDER));
copyFileSync(resolve(root, 'bench/floor/relay.js'), join(floorDir, RELAY));
instrument(floorDir, true);

// The simulator behind a proxy that adds cross-origin isolation (the pages' URLs follow the Host header).
const sim = await startSimulator();
const target = new URL(sim.origin);
const proxy = createServer((req, res) => {
  const forward = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
    res.writeHead(up.statusCode ?? 502, {
      ...up.headers,
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cross-origin-resource-policy': 'same-origin',
    });
    up.pipe(res);
  });
  forward.on('error', () => res.destroy());
  req.pipe(forward);
});
await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

const sessions = { extension: await launchChromium({ dir: join(dir, 'steps') }), floor: await launchChromium({ dir: floorDir }) };
console.log(`\nTalk Inspector step timings (µs, median of ${LOADS} loads; 5 µs clock: cross-origin isolated page)\n`);
for (const key of which) {
  const path = PAGES[key];
  if (!path) throw new Error(`unknown page ${key} (none, demo, heavy, panel)`);
  const steps = new Map<string, number[]>();
  const totals = new Map<string, number[]>();
  let isolated = true;
  // With the panel: one tab, the panel opened once, then reloads (each reload a new document).
  const live = key === 'panel' ? await sessions.extension.browser.newPage() : null;
  if (live) {
    await live.goto(`${origin}${path}`, { waitUntil: 'load' });
    await openPanel(live, sessions.extension.extensionId);
  }
  for (let i = 0; i <= LOADS; i++) {
    for (const [name, s] of Object.entries(sessions)) {
      if (live && name !== 'extension') continue;
      const page: Page = live ?? (await s.browser.newPage());
      if (live) await page.reload({ waitUntil: 'load' });
      else await page.goto(`${origin}${path}`, { waitUntil: 'load' });
      await new Promise((r) => setTimeout(r, 1500)); // the background pulls 1 s after load
      const got = await page.evaluate(() => ({
        isolated: crossOriginIsolated,
        main: document.documentElement.getAttribute('data-ti-steps-main'),
        relay: document.documentElement.getAttribute('data-ti-steps-isolated'),
      }));
      if (!live) await page.close();
      isolated &&= got.isolated;
      if (i === 0) continue; // warm-up
      let total = 0;
      for (const json of [got.main, got.relay]) {
        // Steps that happen more than once in a load (a message per snippet run) are added up.
        const once = new Map<string, number>();
        for (const [n, ms] of JSON.parse(json ?? '[]') as [string, number][]) once.set(n, (once.get(n) ?? 0) + ms);
        for (const [n, ms] of once) {
          steps.set(n, [...(steps.get(n) ?? []), ms]);
          total += ms;
        }
      }
      totals.set(name, [...(totals.get(name) ?? []), total]);
    }
  }
  await live?.close();
  console.log(`${key} (${path}${live ? ', the panel open' : ''})${isolated ? '' : ' — NOT cross-origin isolated: 100 µs clock'}`);
  for (const [n, xs] of steps)
    console.log(`  ${(median(xs) * 1000).toFixed(0).padStart(6)}  ${n}${xs.length < LOADS ? ` (${xs.length} of ${LOADS} loads)` : ''}`);
  for (const [name, xs] of totals)
    console.log(`  ${(median(xs) * 1000).toFixed(0).padStart(6)}  total, ${name === 'floor' ? 'floor control' : 'extension'} (median of the per-load sums)`);
  console.log('');
}
for (const s of Object.values(sessions)) await s.close();
proxy.close();
await sim.close();
rmSync(dir, { recursive: true, force: true });
