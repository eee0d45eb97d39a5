/**
 * What `talk-inspector check` writes for people: the table on stdout, the Markdown summary for a
 * pull-request comment, and the JSON entry of a page. Page text goes through `visible()` (table)
 * or `mdCode`/`mdText` (Markdown), so a page cannot put terminal escapes, control or bidi
 * characters, or Markdown of its own into them. Pure.
 */
import { mdCode, mdText } from '../../src/panel/format/markdown.ts';
import { visible } from '../../src/panel/format/visible-text.ts';
import type { PageResult, PageSummary } from './run.ts';

export const CHECK_ERROR_SCHEMA = 'talk-inspector-check-error';

/** A page as one element of the --json array: its report with `check`, or an error entry. */
export function jsonEntry(r: PageResult, toolVersion: string, now: Date = new Date()): unknown {
  if (r.ok) return { ...r.report, check: r.check };
  return {
    schema: CHECK_ERROR_SCHEMA,
    schemaVersion: 1,
    generatedAt: now.toISOString(),
    tool: { name: 'Talk Inspector', version: toolVersion },
    page: { url: r.url },
    error: r.error,
    check: r.check,
  };
}

/** The verdict's security alert (an exposed API key), where the extension gives one. */
const alertOf = (p: PageSummary): string | null => {
  const alert = p.verdict && 'alert' in p.verdict ? (p.verdict as { alert?: unknown }).alert : null;
  return typeof alert === 'string' && alert !== '' ? alert : null;
};

const VERDICT_WORDS: Record<string, string> = {
  verified: 'verified',
  'not-verified': 'not verified',
  'talk-disabled': 'Talk off',
  'no-snippet': 'no snippet',
  unknown: 'unknown',
};

export interface Totals {
  pages: number;
  asExpected: number;
  errors: number;
  byVerdict: Record<string, number>;
}

export function totalsOf(pages: readonly PageSummary[]): Totals {
  const tally = new Tally();
  for (const p of pages) tally.add(p);
  return tally.totals;
}

/** Totals counted as pages come, so a long run keeps no list of them. */
export class Tally {
  readonly totals: Totals = { pages: 0, asExpected: 0, errors: 0, byVerdict: {} };
  anyExpectation = false;

  add(p: PageSummary): void {
    const t = this.totals;
    t.pages++;
    if (p.check.asExpected) t.asExpected++;
    if (p.error) t.errors++;
    if (p.verdict) t.byVerdict[p.verdict.kind] = (t.byVerdict[p.verdict.kind] ?? 0) + 1;
    if (p.check.expected !== null) this.anyExpectation = true;
  }
}

/** "12 pages: 3 verified, 8 not verified, 1 could not be checked." plus the expectation count. */
export function totalsLine(t: Totals, anyExpectation: boolean): string {
  const parts = Object.entries(VERDICT_WORDS)
    .filter(([kind]) => t.byVerdict[kind])
    .map(([kind, word]) => `${t.byVerdict[kind]} ${word}`);
  if (t.errors) parts.push(`${t.errors} could not be checked`);
  const head = `${t.pages} page${t.pages === 1 ? '' : 's'}${parts.length ? `: ${parts.join(', ')}` : ''}.`;
  if (!anyExpectation && t.errors === 0) return head;
  const not = t.pages - t.asExpected;
  return `${head} ${not === 0 ? 'All as expected.' : `${not} not as expected.`}`;
}

export interface TableStyle {
  color: boolean;
}

const paint = (on: boolean, code: string, text: string): string => (on ? `\u001b[${code}m${text}\u001b[0m` : text);
const WORD_WIDTH = Math.max(...Object.values(VERDICT_WORDS).map((w) => w.length));

/** One page of the default output: a line with its verdict, then its failing checks with their fix. */
export function tableBlock(p: PageSummary, style: TableStyle = { color: false }): string {
  const lines: string[] = [];
  const mark = p.error ? '✘' : p.check.expected === null ? '•' : p.check.asExpected ? '✔' : '✘';
  const good = p.check.asExpected && !p.error;
  const word = p.error ? 'error' : (VERDICT_WORDS[p.verdict?.kind ?? 'unknown'] ?? 'unknown');
  const expected = p.check.expected && !p.check.asExpected ? ` (expected ${p.check.expected})` : '';
  const status = p.check.httpStatus !== null && p.check.httpStatus >= 400 ? ` [HTTP ${p.check.httpStatus}]` : '';
  lines.push(`${paint(style.color, good ? '32' : '31', `${mark} ${word.padEnd(WORD_WIDTH)}`)} ${visible(p.url)}${expected}${status}`);
  if (p.error) lines.push(`    ${visible(p.error.message)}`);
  else {
    if (p.verdict) lines.push(`    ${visible(p.verdict.headline)}`);
    const alert = alertOf(p);
    if (alert) lines.push(`    ${paint(style.color, '31', '⚠')} ${visible(alert)}`);
    if (!p.check.settled) lines.push("    (checked although the page's network never went quiet)");
    for (const f of p.failing) {
      lines.push(`    ${paint(style.color, '31', '✘')} ${visible(f.title)}${f.evidence.length ? `: ${visible(f.evidence.join('; '))}` : ''}`);
      if (f.fix) lines.push(`      Fix: ${visible(f.fix)}${f.docStep ? ` (Ortto's guide: ${visible(f.docStep)})` : ''}`);
    }
    if (p.warnings) lines.push(`    ${p.warnings} warning${p.warnings === 1 ? '' : 's'} (see --json or --junit)`);
  }
  return `${lines.join('\n')}\n`;
}

/** The default output for a list of pages (the command writes it block by block as pages finish). */
export function table(pages: readonly PageSummary[], style: TableStyle = { color: false }): string {
  const tally = new Tally();
  for (const p of pages) tally.add(p);
  return `${pages.map((p) => tableBlock(p, style)).join('')}\n${totalsLine(tally.totals, tally.anyExpectation)}\n`;
}

/** GitHub comments hold 65,536 characters: the summary lists this many pages at most. */
export const MARKDOWN_MAX_ROWS = 200;

/**
 * A summary for a pull-request comment: totals, then the pages not as expected first. `pages` may
 * be a selection (the command keeps at most MARKDOWN_MAX_ROWS of each kind): `totals` counts all.
 */
export function markdownSummary(
  pages: readonly PageSummary[],
  meta: { version: string; generatedAt: Date; totals?: Totals; anyExpectation?: boolean },
): string {
  const totals = meta.totals ?? totalsOf(pages);
  const anyExpectation = meta.anyExpectation ?? pages.some((p) => p.check.expected !== null);
  const ordered = [...pages.filter((p) => !p.check.asExpected), ...pages.filter((p) => p.check.asExpected)];
  const shown = ordered.slice(0, MARKDOWN_MAX_ROWS);
  const omitted = totals.pages - shown.length;
  const cell = (text: string): string => mdText(text);
  const rows = shown.map((p) => {
    const mark = p.error ? '❌' : p.check.expected === null ? (p.verdict?.kind === 'verified' ? '✅' : '➖') : p.check.asExpected ? '✅' : '❌';
    const verdict = p.error
      ? `**could not be checked**: ${cell(p.error.message)}`
      : `**${cell(VERDICT_WORDS[p.verdict?.kind ?? 'unknown'] ?? 'unknown')}**: ${cell(p.verdict?.headline ?? '')}`;
    const expected = p.check.expected ? cell(p.check.expected) : '';
    const alert = alertOf(p);
    const failing = [...(alert ? [`⚠️ **${cell(alert)}**`] : []), ...p.failing.map((f) => `**${cell(f.title)}**${f.fix ? `: ${cell(f.fix)}` : ''}`)].join(
      '<br>',
    );
    return `| ${mark} | ${mdCode(p.url).replace(/\|/g, '\\|')} | ${verdict} | ${expected} | ${failing} |`;
  });
  return [
    '## Talk Inspector check',
    '',
    `**${mdText(totalsLine(totals, anyExpectation))}**`,
    '',
    '| | Page | Verdict | Expected | Failing checks and fixes |',
    '|---|---|---|---|---|',
    ...rows,
    ...(omitted > 0 ? ['', `…and ${omitted} more page${omitted === 1 ? '' : 's'} (all in the JSON or JUnit report).`] : []),
    '',
    `<sub>Talk Inspector ${mdText(meta.version)}, ${mdText(meta.generatedAt.toISOString())}</sub>`,
    '',
  ].join('\n');
}
