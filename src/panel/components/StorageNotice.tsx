import type { PageReport } from '../../shared/protocol/model.ts';
import { trimmedText } from '../format/trimmed-text.ts';

/**
 * What the storage limit did to this report: parts left out to fit the per-tab budget, or a
 * report the browser would not store (kept in memory only). Plain text; renders nothing otherwise.
 */
export function StorageNotice({ trimmed, notStored }: { trimmed: PageReport['trimmed']; notStored: string | undefined }) {
  const text = trimmedText(trimmed);
  if (!text && !notStored) return null;
  return (
    <section class="card notice storage-notice" aria-label="Storage limit" data-testid="storage-notice">
      {text && <p data-testid="report-trimmed">{text}</p>}
      {notStored && <p data-testid="report-not-stored">{notStored}</p>}
    </section>
  );
}
