/**
 * JUnit XML for CI test reports: a <testsuite> per page, named by its URL, with a test case for the
 * page loading, one for its verdict (failing when the page is not as expected) and one per check of
 * the checklist (a failing check is a <failure> whose text is the evidence, the fix and the step
 * of Ortto's guide; a warning passes with the warning in <system-out>; a skipped check is
 * <skipped>). Page text is shown as `visible()` shows it (no control or bidi characters) and
 * escaped; nothing that is not allowed in XML 1.0 gets through. Pure.
 */
import { visible } from '../../src/panel/format/visible-text.ts';
import type { PageResult } from './run.ts';

/** Characters XML 1.0 does not allow at all (visible() has already shown controls and lone surrogates). */
const NOT_XML = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** Text for XML content and attribute values. */
export function xmlEscape(text: string, multiLine = false): string {
  return visible(text, { multiLine })
    .replace(NOT_XML, (c) => `⟨U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}⟩`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, multiLine ? '\n' : '&#10;');
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);
const attrs = (a: Record<string, string | number>): string =>
  Object.entries(a)
    .map(([k, val]) => ` ${k}="${xmlEscape(String(val))}"`)
    .join('');

export interface SuiteCounts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  timeMs: number;
}

/** One page's <testsuite>, and what it counts. */
export function junitSuite(r: PageResult, timestamp: Date): { xml: string; counts: SuiteCounts } {
  const cases: string[] = [];
  const counts: SuiteCounts = { tests: 0, failures: 0, errors: 0, skipped: 0, timeMs: r.check.durationMs };
  const classname = r.url;
  const testcase = (name: string, timeMs: number, body = ''): void => {
    counts.tests++;
    cases.push(`    <testcase${attrs({ name, classname, time: seconds(timeMs) })}${body ? `>\n${body}\n    </testcase>` : '/>'}`);
  };
  const expectedWord = r.check.expected ? ` (expected: ${r.check.expected})` : '';
  if (!r.ok) {
    counts.errors++;
    testcase(
      'page loads',
      r.check.durationMs,
      `      <error${attrs({ message: r.error.message, type: r.error.kind })}>${xmlEscape(r.error.message, true)}</error>`,
    );
    if (r.check.expected) {
      counts.failures++;
      testcase(`verdict${expectedWord}`, 0, `      <failure${attrs({ message: 'The page could not be checked.', type: 'verdict' })}/>`);
    }
  } else {
    const { verdict, results } = r.diagnosis;
    testcase('page loads', r.check.durationMs);
    const verdictText = `${verdict.kind}: ${verdict.headline}`;
    if (r.check.asExpected) testcase(`verdict${expectedWord}`, 0, `      <system-out>${xmlEscape(verdictText, true)}</system-out>`);
    else {
      counts.failures++;
      const message = `Expected ${r.check.expected}, got ${verdict.kind}: ${verdict.headline}`;
      testcase(`verdict${expectedWord}`, 0, `      <failure${attrs({ message, type: 'verdict' })}>${xmlEscape(message, true)}</failure>`);
    }
    for (const check of results) {
      const name = `${check.id}: ${check.title}`;
      const evidence = check.evidence.map((e) => `Evidence: ${e}`);
      const details = [...evidence, ...(check.fix ? [`Fix: ${check.fix}`] : []), ...(check.docStep ? [`Ortto's guide: ${check.docStep}`] : [])].join('\n');
      if (check.status === 'fail') {
        counts.failures++;
        testcase(name, 0, `      <failure${attrs({ message: check.fix ?? check.evidence.join('; '), type: check.id })}>${xmlEscape(details, true)}</failure>`);
      } else if (check.status === 'skip') {
        counts.skipped++;
        testcase(name, 0, `      <skipped${attrs({ message: check.evidence.join('; ') || 'skipped' })}/>`);
      } else if (check.status === 'warn') testcase(name, 0, `      <system-out>${xmlEscape(`Warning\n${details}`, true)}</system-out>`);
      else testcase(name, 0);
    }
  }
  const props = r.ok
    ? [
        ['verdict', r.diagnosis.verdict.kind],
        ['headline', r.diagnosis.verdict.headline],
      ]
    : [['error', r.error.kind]];
  const xml = [
    `  <testsuite${attrs({
      name: r.url,
      tests: counts.tests,
      failures: counts.failures,
      errors: counts.errors,
      skipped: counts.skipped,
      time: seconds(counts.timeMs),
      timestamp: timestamp.toISOString().replace(/\.\d{3}Z$/, ''),
    })}>`,
    '    <properties>',
    ...props.map(([name = '', value = '']) => `      <property${attrs({ name, value })}/>`),
    '    </properties>',
    ...cases,
    '  </testsuite>',
  ].join('\n');
  return { xml, counts };
}

export function junitHead(totals: SuiteCounts): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${attrs({
    name: 'Talk Inspector check',
    tests: totals.tests,
    failures: totals.failures,
    errors: totals.errors,
    skipped: totals.skipped,
    time: seconds(totals.timeMs),
  })}>\n`;
}

export const JUNIT_TAIL = '</testsuites>\n';
