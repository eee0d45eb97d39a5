/**
 * `npm run bench:check [-- 1000 4]`: memory of `talk-inspector check` over a long sitemap. Runs
 * the command as a user would (its own process, the shipped dist/chrome) on the simulator's
 * /sitemap.xml?count=N (the demo pages, cycled; default 1,000 URLs) with --json and --junit to
 * files, concurrency C (default 4), and every 50 pages samples the memory of the command (RSS) and
 * of the browser it started (the sum of the proportional set size, PSS, of every Chromium process:
 * shared pages counted once), and how many Chromium processes are alive.
 * Passes when neither grows with the pages: the growth per 100 pages (least squares over the
 * samples after the first 100 pages) stays under 2 MB for the command and 5 MB for the browser.
 * Writes bench/results/check-memory.json. Linux only (reads /proc). Not part of `npm test`
 * (about 5 minutes); the e2e suite checks a 16-URL sitemap.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { startSimulator } from '../simulator/server.ts';

const root = resolve(import.meta.dirname, '..');
const COUNT = Number(process.argv[2] ?? 1000);
const CONCURRENCY = Number(process.argv[3] ?? 4);
const EVERY = 50;
const WARM_UP = 100;
const BUDGET_MB_PER_100 = { command: 2, browser: 5 };

/** pid → parent pid, for every process. */
function parents(): Map<number, number> {
  const map = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      map.set(Number(name), ppid);
    } catch {
      // gone meanwhile
    }
  }
  return map;
}

function descendants(pid: number): number[] {
  const map = parents();
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const [child, parent] of map) {
      if (parent !== p) continue;
      out.push(child);
      walk(child);
    }
  };
  walk(pid);
  return out;
}

const kb = (file: string, field: string): number => {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(file, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
};

interface Sample {
  pages: number;
  seconds: number;
  commandRssMb: number;
  browserPssMb: number;
  browserProcesses: number;
  /** PSS by Chromium process kind (browser, extension, renderer, gpu, utility…), MB. */
  byKind: Record<string, number>;
}

/** The kind of a Chromium process, from its command line. */
function kindOf(pid: number): string {
  try {
    // Chromium rewrites its process title: the arguments may be one string with spaces.
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    const type = /--type=(\S+)/.exec(cmd)?.[1];
    if (!type) return 'browser';
    if (type === 'renderer' && cmd.includes('--extension-process')) return 'extension';
    return type;
  } catch {
    return 'gone';
  }
}

function sample(pid: number, pages: number, started: number): Sample {
  const browser = descendants(pid).filter((p) => {
    try {
      return /chrom/i.test(readFileSync(`/proc/${p}/comm`, 'utf8'));
    } catch {
      return false;
    }
  });
  const byKind: Record<string, number> = {};
  let pss = 0;
  for (const p of browser) {
    const k = kb(`/proc/${p}/smaps_rollup`, 'Pss');
    pss += k;
    const kind = kindOf(p);
    byKind[kind] = Math.round(((byKind[kind] ?? 0) + k / 1024) * 10) / 10;
  }
  return {
    pages,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    commandRssMb: Math.round(kb(`/proc/${pid}/status`, 'VmRSS') / 102.4) / 10,
    browserPssMb: Math.round(pss / 102.4) / 10,
    browserProcesses: browser.length,
    byKind,
  };
}

/** Least-squares slope of y over x, per 100 pages. */
function slopePer100(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : (num / den) * 100;
}

const sim = await startSimulator();
const work = mkdtempSync(join(tmpdir(), 'ti-check-memory-'));
const sitemap = `${sim.origin}/sitemap.xml?count=${COUNT}`;
console.log(`talk-inspector check --sitemap ${sitemap} --concurrency ${CONCURRENCY} --json --junit …: ${COUNT} pages`);
const started = Date.now();
const child = spawn(
  process.execPath,
  [join(root, 'bin/talk-inspector.js'), 'check', '--sitemap', sitemap, '--concurrency', String(CONCURRENCY), '--json', '--junit', join(work, 'junit.xml')],
  {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
child.stdout.pipe(createWriteStream(join(work, 'report.json')));
const samples: Sample[] = [];
let errors = 0;
let firstLines: string[] = [];
createInterface({ input: child.stderr }).on('line', (line) => {
  const m = /^\[(\d+)\/\d+\] (\S+)/.exec(line);
  if (!m) {
    firstLines.push(line);
    return;
  }
  const done = Number(m[1]);
  if (m[2] === 'error') errors++;
  // Not at the last page: the command is closing the browser by then.
  if ((done % EVERY === 0 || done === 1) && done < COUNT) {
    const s = sample(child.pid as number, done, started);
    samples.push(s);
    console.log(
      `${String(done).padStart(5)} pages  ${String(s.seconds).padStart(6)} s  command ${s.commandRssMb.toFixed(1).padStart(6)} MB RSS  browser ${s.browserPssMb.toFixed(1).padStart(7)} MB PSS in ${s.browserProcesses} processes (${Object.entries(
        s.byKind,
      )
        .map(([k, mb]) => `${k} ${mb}`)
        .join(', ')})`,
    );
  }
});
const code = await new Promise<number | null>((r) => child.on('exit', r));
await sim.close();
firstLines = firstLines.slice(0, 20);

const after = samples.filter((s) => s.pages > WARM_UP);
const command = slopePer100(after.map((s) => ({ x: s.pages, y: s.commandRssMb })));
const browser = slopePer100(after.map((s) => ({ x: s.pages, y: s.browserPssMb })));
const reportBytes = readFileSync(join(work, 'report.json')).length;
const reports = (JSON.parse(readFileSync(join(work, 'report.json'), 'utf8')) as unknown[]).length;
rmSync(work, { recursive: true, force: true });
const seconds = (Date.now() - started) / 1000;
const ok = code === 0 && errors === 0 && reports === COUNT && command < BUDGET_MB_PER_100.command && browser < BUDGET_MB_PER_100.browser;
const result = {
  when: new Date().toISOString(),
  pages: COUNT,
  concurrency: CONCURRENCY,
  exitCode: code,
  errors,
  seconds: Math.round(seconds),
  pagesPerSecond: Math.round((COUNT / seconds) * 100) / 100,
  jsonBytes: reportBytes,
  growthMbPer100Pages: { command: Math.round(command * 100) / 100, browser: Math.round(browser * 100) / 100 },
  budgetMbPer100Pages: BUDGET_MB_PER_100,
  samples,
  ok,
  ...(firstLines.length ? { stderr: firstLines } : {}),
};
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/check-memory.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(
  `\n${COUNT} pages in ${Math.round(seconds)} s (${result.pagesPerSecond}/s), exit ${code}, ${errors} errors, ${reports} reports (${(reportBytes / 1e6).toFixed(1)} MB of JSON).`,
);
console.log(
  `Growth per 100 pages after the first ${WARM_UP}: command ${command.toFixed(2)} MB (budget ${BUDGET_MB_PER_100.command}), browser ${browser.toFixed(2)} MB (budget ${BUDGET_MB_PER_100.browser}). ${ok ? 'OK' : 'FAILED'}`,
);
process.exit(ok ? 0 : 1);
