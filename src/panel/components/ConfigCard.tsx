import type { Facts } from '../../shared/analysis/facts.ts';
import { apiHostFor, REGION_NAMES } from '../../shared/analysis/region.ts';
import { snapText } from '../format/snap-text.ts';
import { visible } from '../format/visible-text.ts';

/** The arguments of every ap3c.init call as the page passed them (tokens masked), decoded. */
export function ConfigCard({ facts }: { facts: Facts }) {
  const { summary } = facts;
  const api = apiHostFor(facts.captureRegion);
  return (
    <section class="card" aria-labelledby="config-title">
      <h2 id="config-title">Configuration</h2>
      {summary.initCalls.length === 0 ? (
        <p class="muted">ap3c.init has not been called on this page.</p>
      ) : (
        summary.initCalls.map((call, i) => (
          <dl class="kv" key={`${call.t}-${i}`} data-testid="init-call">
            {summary.initCalls.length > 1 && (
              <>
                <dt>Call</dt>
                <dd>
                  #{i + 1} at {call.t.toFixed(0)} ms
                </dd>
              </>
            )}
            <dt>Capture key</dt>
            <dd data-testid="capture-key">{call.captureKey !== undefined ? <code>{visible(call.captureKey)}</code> : 'missing'}</dd>
            <dt>Capture URL</dt>
            <dd data-testid="capture-url">{call.captureUrl !== undefined ? <code>{visible(call.captureUrl)}</code> : 'missing'}</dd>
            <dt>Options</dt>
            <dd data-testid="init-options">{call.argCount < 3 ? 'none (two-argument init)' : <code>{snapText(call.options)}</code>}</dd>
          </dl>
        ))
      )}
      {facts.captureKey && (
        <dl class="kv decoded">
          <dt>Instance</dt>
          <dd data-testid="instance">{visible(facts.captureKey.ok ? facts.captureKey.instance : facts.captureKey.problem)}</dd>
          {facts.captureKey.ok && (
            <>
              <dt>Data source</dt>
              <dd>
                <code>{facts.captureKey.dataSourceId}</code>
              </dd>
            </>
          )}
          <dt>Region</dt>
          <dd data-testid="region">
            {REGION_NAMES[facts.captureRegion]}
            {api ? ` — request tokens from ${api}v1/talk/session` : ''}
          </dd>
          {facts.scriptUrl && (
            <>
              <dt>Capture script</dt>
              <dd>
                <code>{visible(facts.scriptUrl)}</code>
              </dd>
            </>
          )}
        </dl>
      )}
    </section>
  );
}
