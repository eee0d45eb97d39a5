/**
 * This panel's token requests, newest first (kept while the panel is open, never stored): when,
 * for whom, with which profile, what came back, and the token's fingerprint. Any issued token can
 * be shown again, to apply it.
 */
import { fingerprint } from '../../shared/analysis/fingerprint.ts';
import type { FlowOutcome } from '../../shared/talk-session.ts';
import { visible } from '../format/visible-text.ts';
import type { RequestMeta } from './SupportCard.tsx';

export interface HistoryEntry {
  id: string;
  meta: RequestMeta;
  outcome: FlowOutcome | null;
}

export function RequestHistory({ entries, activeId, onShow }: { entries: HistoryEntry[]; activeId: string | null; onShow(id: string): void }) {
  if (entries.length === 0) return null;
  return (
    <details class="history" data-testid="request-history" open={entries.length > 1}>
      <summary>Requests in this panel ({entries.length})</summary>
      <table>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Person</th>
            <th scope="col">Profile</th>
            <th scope="col">Result</th>
            <th scope="col">Token</th>
            <th scope="col">
              <span class="sr-only">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((h) => (
            <tr key={h.id} aria-current={h.id === activeId ? 'true' : undefined}>
              <td>{new Date(h.meta.at).toLocaleTimeString()}</td>
              <td>{visible(h.meta.who.email)}</td>
              <td>{visible(h.meta.profileLabel)}</td>
              <td>{h.outcome === null ? 'waiting' : h.outcome.ok ? visible(h.outcome.session.person_status || 'ok') : visible(h.outcome.error.kind)}</td>
              <td>
                <code>{h.outcome?.ok ? fingerprint(h.outcome.session.token) : '—'}</code>
              </td>
              <td>
                {h.outcome?.ok && h.id !== activeId && (
                  <button type="button" data-testid="history-show" onClick={() => onShow(h.id)}>
                    Show to apply
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
