import { maskToken } from '../../shared/mask.ts';
import type { PageSummary } from '../../shared/page-summary.ts';

export function TokenCard({ summary }: { summary: PageSummary }) {
  const token = summary.token;
  return (
    <section class="card" aria-labelledby="token-title">
      <h2 id="token-title">Talk token</h2>
      <dl class="kv">
        <dt>Token</dt>
        <dd data-testid="token">
          {token ? (
            <>
              <code>{maskToken(token.value)}</code> <span class="muted">({token.cut ? 'very long, cut' : `${token.value.length} characters`})</span>
            </>
          ) : (
            'None: ap3c.init was not given talk.token and setVerifiedSession was not called'
          )}
        </dd>
        <dt>cookiePath</dt>
        <dd data-testid="cookie-path">{summary.cookiePath !== null ? <code>{summary.cookiePath}</code> : 'Not set'}</dd>
      </dl>
    </section>
  );
}
