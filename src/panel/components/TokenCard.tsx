import type { Facts } from '../../shared/analysis/facts.ts';
import { queuedWords } from '../../shared/analysis/rules.ts';
import { maskToken } from '../../shared/mask.ts';
import { visible } from '../format/visible-text.ts';
import { UNKNOWN } from './StatusBanner.tsx';

export function TokenCard({ facts }: { facts: Facts }) {
  const token = facts.summary.token;
  const queued = facts.summary.queued;
  const a = facts.token;
  const unknown = facts.report.interference !== undefined;
  return (
    <section class="card" aria-labelledby="token-title">
      <h2 id="token-title">Talk token</h2>
      <dl class="kv">
        <dt>Token</dt>
        <dd data-testid="token">
          {token ? (
            <>
              <code>{visible(maskToken(token.value))}</code> <span class="muted">({token.cut ? 'very long, cut' : `${token.value.length} characters`})</span>
              {facts.summary.lifecycle.removed && <span class="muted"> — given in the run before the page removed window.ap3c</span>}
            </>
          ) : queued && facts.summary.initCalls.length === 0 ? (
            queued.dataToken ? (
              <>
                <code>{visible(maskToken(queued.dataToken.value))}</code>{' '}
                <span class="muted">(in a command queued on ap3c.{queued.queue} that has not run: inferred, not what Ortto received)</span>
              </>
            ) : (
              `Unknown until ap3c.init runs: ${queuedWords(facts) ?? 'the capture script has not run the queued commands'}`
            )
          ) : unknown ? (
            UNKNOWN
          ) : facts.summary.initCalls.length === 0 ? (
            'None: ap3c.init was not called and setVerifiedSession was not called'
          ) : (
            'None: ap3c.init was not given talk.token and setVerifiedSession was not called'
          )}
        </dd>
        {a && (
          <>
            <dt>From</dt>
            <dd>{token?.source === 'init' ? 'ap3c.init options (talk.token)' : 'ap3c.talk.setVerifiedSession'}</dd>
            <dt>Characters</dt>
            <dd>{a.charset}</dd>
            <dt>Fingerprint</dt>
            <dd data-testid="token-fingerprint">
              <code>sha256:{a.fingerprint}</code>
            </dd>
            <dt>Format</dt>
            <dd data-testid="token-format">
              {a.jwt
                ? visible(
                    `JWT (alg ${String(a.jwt.header.alg ?? '?')}), issued ${a.jwt.issuedAt ?? '?'}, expires ${a.jwt.expiresAt ?? 'never'}${a.jwt.expired ? ' — EXPIRED' : ''}${a.jwt.notYetValid ? ' — NOT YET VALID' : ''}; signature not checkable in the browser`,
                  )
                : 'Opaque (Ortto does not publish the format; valid for one year)'}
            </dd>
          </>
        )}
        <dt>cookiePath</dt>
        <dd data-testid="cookie-path">
          {facts.summary.cookiePath !== null ? <code>{visible(facts.summary.cookiePath)}</code> : unknown ? UNKNOWN : 'Not set'}
        </dd>
      </dl>
    </section>
  );
}
