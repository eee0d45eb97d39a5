/** What docs/report-schema.md lists, for tests that validate exports against the document itself. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The check ids the document lists (its "Check ids" paragraph). */
export function documentedCheckIds(): string[] {
  const doc = readFileSync(resolve(import.meta.dirname, '../../../docs/report-schema.md'), 'utf8');
  const start = doc.indexOf('Check ids (`checklist[].id`)');
  if (start < 0) throw new Error('docs/report-schema.md has no "Check ids" paragraph');
  const paragraph = doc.slice(start, doc.indexOf('\n\n', start));
  return [...paragraph.matchAll(/`([a-z0-9]+(?:-[a-z0-9]+)+)`/g)].map((m) => m[1] ?? '');
}
