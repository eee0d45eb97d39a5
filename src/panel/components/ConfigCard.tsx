import type { Facts } from '../../shared/analysis/facts.ts';
import { INTEGRATION_NAMES, type InitCall } from '../../shared/analysis/page-summary.ts';
import { apiHostFor, REGION_NAMES } from '../../shared/analysis/region.ts';
import { snapText } from '../format/snap-text.ts';
import { visible } from '../format/visible-text.ts';

const SOURCE: Record<NonNullable<Facts['configSource']>, { words: string; inferred: boolean }> = {
  call: { words: 'the init call the page made', inferred: false },
  ap3c: { words: 'ap3c.apiHost, set by the capture script', inferred: false },
  queued: { words: 'an init queued as data that has not run', inferred: true },
  settings: { words: "the WooCommerce plugin's window.ap3Options", inferred: true },
};

/** A small mark for what the panel infers rather than sees. */
const Inferred = () => (
  <span class="basis" title="Inferred from other signs on the page, not seen directly">
    {' '}
    (inferred)
  </span>
);

function InitCallRows({
  call,
  index,
  count,
  queued,
  earlier,
}: {
  call: InitCall;
  index: number;
  count: number;
  queued?: boolean;
  /** The call went to an ap3c object the page has since removed or replaced: not the current state. */
  earlier?: string;
}) {
  const name = call.via === 'init' ? null : `ap3c.${call.via}`;
  return (
    <dl class="kv" data-testid={queued ? 'queued-init' : 'init-call'}>
      {(count > 1 || name || queued || earlier) && (
        <>
          <dt>Call</dt>
          <dd>
            {count > 1 ? `#${index + 1} at ${call.t.toFixed(0)} ms` : ''}
            {name ? `${count > 1 ? ' — ' : ''}${name}` : ''}
            {queued ? 'Queued on ap3c.cmd as data; the capture script has not run it' : ''}
            {queued && <Inferred />}
            {earlier && (
              <span class="muted" data-testid="init-earlier">
                {count > 1 || name ? ' — ' : ''}
                {earlier}
              </span>
            )}
          </dd>
        </>
      )}
      <dt>Capture key</dt>
      <dd data-testid="capture-key">{call.captureKey !== undefined ? <code>{visible(call.captureKey)}</code> : 'missing'}</dd>
      <dt>Capture URL</dt>
      <dd data-testid="capture-url">{call.captureUrl !== undefined ? <code>{visible(call.captureUrl)}</code> : 'missing'}</dd>
      <dt>{call.via === 'initWooCommerce' ? 'Arguments' : 'Options'}</dt>
      <dd data-testid="init-options">
        {call.via === 'initWooCommerce' ? (
          <code>{snapText({ t: 'arr', items: call.args, more: 0 })}</code>
        ) : call.argCount < 3 ? (
          'none (two-argument init)'
        ) : (
          <code>{snapText(call.options)}</code>
        )}
      </dd>
    </dl>
  );
}

/** The arguments of every ap3c.init call as the page passed them (tokens masked), decoded. */
export function ConfigCard({ facts }: { facts: Facts }) {
  const { summary } = facts;
  const api = apiHostFor(facts.captureRegion);
  const queuedInit = summary.initCalls.length === 0 ? (summary.queued?.dataInit ?? null) : null;
  const source = facts.configSource ? SOURCE[facts.configSource] : null;
  const loads = facts.captureScriptLoads.count;
  const snippetScript = facts.snippetScript;
  return (
    <section class="card" aria-labelledby="config-title">
      <h2 id="config-title">Configuration</h2>
      {summary.initCalls.length === 0 ? (
        <>
          <p class="muted">
            {facts.report.interference !== undefined
              ? 'Whether ap3c.init was called, and with what, is unknown: the inspector could not record it (see the first check).'
              : 'ap3c.init has not been called on this page.'}
            {summary.queued && summary.queued.functions > 0
              ? ` ${summary.queued.functions} function(s) wait on ap3c.${summary.queued.queue}: their arguments are unknown until the capture script runs them.`
              : ''}
          </p>
          {queuedInit && <InitCallRows call={queuedInit} index={0} count={1} queued />}
        </>
      ) : (
        summary.initCalls.map((call, i) => (
          <InitCallRows
            key={`${call.seq}-${i}`}
            call={call}
            index={i}
            count={summary.initCalls.length}
            earlier={
              summary.lifecycle.removed
                ? 'on the window.ap3c the page has since removed'
                : !summary.currentInitCalls.includes(call)
                  ? 'on an earlier window.ap3c the page has since replaced'
                  : undefined
            }
          />
        ))
      )}
      <dl class="kv decoded">
        {summary.snippetFound && (
          <>
            <dt>
              Integration
              {summary.integration.basis === 'inferred' && summary.integration.kind !== 'snippet' && <Inferred />}
            </dt>
            <dd data-testid="integration">{visible(`${INTEGRATION_NAMES[summary.integration.kind]} — ${summary.integration.evidence.join('; ')}`)}</dd>
          </>
        )}
        {facts.captureKey && (
          <>
            <dt>Instance</dt>
            <dd data-testid="instance">
              {visible(facts.captureKey.ok ? facts.captureKey.instance : facts.captureKey.problem)}
              {facts.captureKey.ok && facts.captureKey.createdAt && (
                <span class="muted" data-testid="key-created">
                  {' '}
                  (key created {facts.captureKey.createdAt.slice(0, 10)}, from its data-source id)
                </span>
              )}
            </dd>
            {facts.captureKey.ok && (
              <>
                <dt>Data source</dt>
                <dd>
                  <code>{facts.captureKey.dataSourceId}</code>
                </dd>
              </>
            )}
          </>
        )}
        {source && facts.configSource !== 'call' && (
          <>
            <dt>
              Key and URL from
              {source.inferred && <Inferred />}
            </dt>
            <dd data-testid="config-source">{source.words}</dd>
          </>
        )}
        {(facts.captureKey || facts.scriptRegion) && (
          <>
            <dt>Region</dt>
            <dd data-testid="region">
              {REGION_NAMES[facts.scriptRegion === 'staging' ? 'staging' : facts.captureRegion]}
              {api ? ` — request tokens from ${api}v1/talk/session` : ''}
            </dd>
          </>
        )}
        {facts.scriptUrl && (
          <>
            <dt>Capture script</dt>
            <dd data-testid="script-url">
              <code>{visible(facts.scriptUrl)}</code>
              {loads > 1 && <span class="muted"> — loaded {loads} times</span>}
            </dd>
          </>
        )}
        {snippetScript && snippetScript.url !== facts.scriptUrl && (
          <>
            <dt>The snippet loads</dt>
            <dd data-testid="snippet-script">
              <code>{visible(snippetScript.url)}</code>
              {snippetScript.source === 'network' && <span class="muted"> (the failing script request in the network log)</span>}
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}
