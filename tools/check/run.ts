/**
 * Runs the pages through the inspector, `concurrency` at a time, and hands every result to the
 * outputs in the order of the list. A slow page holds back at most `concurrency` results after it:
 * no page starts further than that ahead of the first result not yet written. Each result's full
 * report exists only while the outputs write it: what is kept per page is a short summary, so a
 * long list does not grow the process.
 */

import { buildReport, type ExportedReport } from '../../src/panel/format/report-export.ts';
import { type Diagnosis, diagnose } from '../../src/shared/analysis/index.ts';
import type { RuleResult } from '../../src/shared/analysis/rules.ts';
import type { Verdict } from '../../src/shared/analysis/verdict.ts';
import type { Inspector, PageErrorKind, PageRunOptions } from './inspector.ts';
import { EXPECTATIONS, type Expectation } from './options.ts';
import type { PageToCheck } from './pages.ts';

export interface CheckMeta {
  expected: Expectation | null;
  asExpected: boolean;
  /** Where the page ended up (after redirects or signing in); the report's page.url says the same. */
  finalUrl: string | null;
  httpStatus: number | null;
  /** False when the page's network never went quiet in the time it had (checked anyway). */
  settled: boolean;
  durationMs: number;
}

/** One page's result, as the outputs receive it. */
export type PageResult =
  | { index: number; url: string; ok: true; check: CheckMeta; diagnosis: Diagnosis; report: ExportedReport }
  | { index: number; url: string; ok: false; check: CheckMeta; error: { kind: PageErrorKind; message: string } };

/** What the table and the Markdown summary keep of a page. */
export interface PageSummary {
  url: string;
  check: CheckMeta;
  verdict: Verdict | null;
  failing: Pick<RuleResult, 'id' | 'title' | 'evidence' | 'fix' | 'docStep'>[];
  warnings: number;
  error: { kind: PageErrorKind; message: string } | null;
}

export function summarize(r: PageResult): PageSummary {
  if (!r.ok) return { url: r.url, check: r.check, verdict: null, failing: [], warnings: 0, error: r.error };
  return {
    url: r.url,
    check: r.check,
    verdict: r.diagnosis.verdict,
    failing: r.diagnosis.results.filter((x) => x.status === 'fail').map(({ id, title, evidence, fix, docStep }) => ({ id, title, evidence, fix, docStep })),
    warnings: r.diagnosis.results.filter((x) => x.status === 'warn').length,
    error: null,
  };
}

export interface RunConfig extends PageRunOptions {
  concurrency: number;
  includeToken: boolean;
  /** The extension's version (its manifest), written into every report. */
  toolVersion: string;
}

/**
 * Checks every page. `onResult` gets the results in list order (awaited, one at a time);
 * `onProgress` is told as each page finishes, in any order.
 */
export async function runChecks(
  inspector: Pick<Inspector, 'check'>,
  pages: readonly PageToCheck[],
  cfg: RunConfig,
  onResult: (r: PageResult) => void | Promise<void>,
  onProgress: (r: PageResult) => void = () => undefined,
): Promise<void> {
  let next = 0;
  let emitted = 0;
  // A finished page's result, or null for a hole in the list (nothing to write, but the order moves on).
  const ready = new Map<number, PageResult | null>();
  // Lanes waiting for the first unwritten result to move on (see `lane`).
  let waiting: (() => void)[] = [];
  const resultWritten = (): Promise<void> => new Promise((resolve) => waiting.push(resolve));
  let flushing = Promise.resolve();
  const flush = (): Promise<void> => {
    flushing = flushing.then(async () => {
      for (let r = ready.get(emitted); r !== undefined; r = ready.get(emitted)) {
        ready.delete(emitted);
        if (r) await onResult(r);
        emitted++;
        const wake = waiting;
        waiting = [];
        for (const go of wake) go();
      }
    });
    return flushing;
  };

  const checkOne = async (index: number, page: PageToCheck): Promise<PageResult> => {
    const outcome = await inspector.check(page.url, cfg);
    const expected = page.expect;
    if (!outcome.ok) {
      return {
        index,
        url: page.url,
        ok: false,
        check: { expected, asExpected: false, finalUrl: null, httpStatus: outcome.httpStatus, settled: false, durationMs: outcome.durationMs },
        error: outcome.error,
      };
    }
    const generatedAt = new Date();
    const diagnosis = diagnose(outcome.state.report, outcome.network, generatedAt.getTime());
    const report = buildReport(diagnosis, { includeToken: cfg.includeToken, generatedAt, toolVersion: cfg.toolVersion });
    const asExpected = expected === null || diagnosis.verdict.kind === EXPECTATIONS[expected];
    return {
      index,
      url: page.url,
      ok: true,
      check: { expected, asExpected, finalUrl: outcome.finalUrl, httpStatus: outcome.httpStatus, settled: outcome.settled, durationMs: outcome.durationMs },
      diagnosis,
      report,
    };
  };

  const lane = async (): Promise<void> => {
    for (let i = next++; i < pages.length; i = next++) {
      const page = pages[i];
      if (!page) {
        ready.set(i, null);
        await flush();
        continue;
      }
      // Behind a slow page, results wait in memory (full reports): start no page more than
      // `concurrency` ahead of it. The page at `emitted` is always being checked (or a hole, passed
      // over at once), so this ends.
      while (i >= emitted + cfg.concurrency) await resultWritten();
      const result = await checkOne(i, page);
      onProgress(result);
      ready.set(i, result);
      await flush();
    }
  };
  await Promise.all(Array.from({ length: Math.min(cfg.concurrency, pages.length) }, lane));
  await flush();
}
