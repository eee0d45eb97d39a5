/**
 * A token Ortto issued: who it is for, what Ortto did to the person, and what to do with it —
 * apply it to the page it was requested on (named by origin; a second apply starts a new Talk
 * session, so it needs a yes), or copy capture code with it.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Diagnosis } from '../../shared/analysis/index.ts';
import type { RuleStatus } from '../../shared/analysis/rules.ts';
import { maskToken } from '../../shared/mask.ts';
import type { SessionSuccess } from '../../shared/talk-session.ts';
import { copyText } from '../clipboard.ts';
import { STATUS_WORD } from '../components/Checklist.tsx';
import { captureCode, withTalkOn } from '../format/capture-code.ts';
import { visible } from '../format/visible-text.ts';
import type { SupportState } from './client.ts';
import type { PanelActions, RequestMeta } from './SupportCard.tsx';
import { personStatusText } from './session-form.ts';

/** The origin of a page URL, as shown to the engineer ("unknown" when it does not parse). */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'unknown';
  }
}

export interface RequestResultProps {
  diagnosis: Diagnosis;
  session: SessionSuccess;
  meta: RequestMeta;
  /** The person fields in the form no longer match this token's. */
  stale: boolean;
  requests: SupportState;
  actions: PanelActions;
}

export function RequestResult({ diagnosis, session, meta, stale, requests, actions }: RequestResultProps) {
  const { facts } = diagnosis;
  const token = session.token;
  /** The document the token may be applied to: the one it was requested on, unless the engineer moves it. */
  const [bound, setBound] = useState({ relayDocId: meta.relayDocId, origin: meta.origin });
  const [otherOriginOk, setOtherOriginOk] = useState(false);
  const [reveal, setReveal] = useState(false);
  const [applyIds, setApplyIds] = useState<string[]>([]);
  const [acknowledged, setAcknowledged] = useState(false);
  const [again, setAgain] = useState(false);
  const [before, setBefore] = useState<{ verdict: string; statuses: Record<string, string> } | null>(null);
  const [note, setNote] = useState('');

  const applyId = applyIds[applyIds.length - 1];
  const applied = applyId ? requests.applies[applyId] : undefined;
  // Apply disables its own button: focus goes to what it did, not to the page's start.
  const appliedBox = useRef<HTMLDivElement>(null);
  const settled = applied !== undefined && applied !== null;
  useEffect(() => {
    // Only where focus was lost (on the page's body, or still on the disabled button): never out of a field being typed in.
    const at = document.activeElement;
    if (settled && (at === null || at === document.body || (at as HTMLElement).dataset.testid === 'apply')) appliedBox.current?.focus();
  }, [settled, applyId]);
  const appliedOnce = applyIds.some((id) => requests.applies[id]?.ok);
  const conversationStarted = facts.report.widgetInteractedAt !== null;
  const talkOff = facts.summary.talkDisabledBy;
  const statusesNow = Object.fromEntries(diagnosis.results.map((r) => [r.id, r.status]));
  const changes = before && applied?.ok ? Object.entries(statusesNow).filter(([id, s]) => before.statuses[id] !== s) : [];
  const origin = originOf(facts.report.url);
  const who = meta.who.email + (session.person_id ? ` (person ${session.person_id})` : meta.who.personId ? ` (person ${meta.who.personId})` : '');

  const apply = (): void => {
    setBefore({ verdict: diagnosis.verdict.headline, statuses: statusesNow });
    setAgain(false);
    setApplyIds((ids) => [...ids, actions.applyToken(bound.relayDocId, token)]);
  };

  return (
    <div data-testid="request-result" class={stale ? 'stale' : ''}>
      <dl class="kv">
        <dt>For</dt>
        <dd data-testid="token-for">
          {visible(who)}
          {stale && (
            <strong class="warning" data-testid="token-stale">
              {' '}
              — not the person in the form any more: request again for them
            </strong>
          )}
        </dd>
        <dt>In Ortto</dt>
        <dd data-testid="person-status">
          {visible(personStatusText(session.person_status, meta.mergeStrategy))} ({visible(session.person_status || 'none')})
        </dd>
        <dt>Token</dt>
        <dd>
          <code data-testid="new-token">{reveal ? token : maskToken(token)}</code>{' '}
          <button type="button" onClick={() => setReveal(!reveal)} aria-pressed={reveal}>
            {reveal ? 'Hide' : 'Reveal'}
          </button>{' '}
          <button type="button" onClick={async () => setNote((await copyText(token)) ? 'Token copied.' : 'Copy failed.')}>
            Copy token
          </button>
        </dd>
        <dt>session_id</dt>
        <dd>
          <code>{visible(session.session_id)}</code>
        </dd>
      </dl>
      {conversationStarted && (
        <p class="warning" data-testid="conversation-warning">
          A conversation has already started on this page. Applying now restarts Talk in a second session: the first conversation stays "known but unverified".{' '}
          <label class="check">
            <input type="checkbox" checked={acknowledged} onChange={(e) => setAcknowledged((e.target as HTMLInputElement).checked)} /> I understand
          </label>
        </p>
      )}
      {talkOff.length > 0 && (
        <p class="warning" data-testid="apply-unavailable">
          Talk is switched off on this page ({visible(talkOff.join(', '))}), so applying a token cannot verify anyone here. Copy the capture code instead: it
          leaves disableTalk out.
        </p>
      )}
      {appliedOnce && (
        <label class="check" data-testid="apply-again-confirm">
          <input type="checkbox" checked={again} onChange={(e) => setAgain((e.target as HTMLInputElement).checked)} /> Apply again: this calls
          setVerifiedSession a second time, which starts a new Talk session (the conversation so far keeps its state).
        </label>
      )}
      <div class="row">
        <button
          type="button"
          data-testid="apply"
          disabled={(conversationStarted && !acknowledged) || talkOff.length > 0 || (appliedOnce && !again) || (applyId !== undefined && applied === null)}
          onClick={apply}
        >
          {appliedOnce ? `Applied ✓ — apply again (${visible(bound.origin)})` : `Apply to this page (${visible(bound.origin)})`}
        </button>
        <button
          type="button"
          disabled={!facts.summary.initCalls.length}
          onClick={async () => {
            const init = facts.summary.initCalls.at(-1);
            if (!init?.captureKey || !init.captureUrl) return;
            const talkOn = withTalkOn(init.options);
            const code = captureCode({
              captureKey: init.captureKey,
              captureUrl: init.captureUrl,
              options: talkOn.options,
              scriptUrl: facts.scriptUrl,
              token,
              cookiePath: facts.captureKey?.ok ? `/${facts.captureKey.instance}/` : facts.summary.cookiePath,
            });
            const left = talkOn.removed.length ? ` ${talkOn.removed.join(' and ')} left out: Talk must be on for a verified session.` : '';
            setNote((await copyText(code)) ? `Capture code copied: paste it in place of the page's snippet.${left}` : 'Copy failed.');
          }}
          data-testid="copy-capture-code"
        >
          Copy capture code
        </button>
        {actions.tryToken && (
          <button type="button" data-testid="try-with-token" onClick={() => actions.tryToken?.(token, talkOff.length > 0)}>
            Try on reload with this token
          </button>
        )}
      </div>
      {applied && (
        <div role="status" data-testid="apply-result" class={applied.ok ? '' : 'alert'} tabIndex={-1} ref={appliedBox}>
          {applied.ok ? 'Applied: ap3c.talk.setVerifiedSession was called on this page.' : applied.message}
          {!applied.ok && applied.reason === 'navigated' && bound.relayDocId !== facts.report.relayDocId && (
            <RebindToken
              from={bound.origin}
              to={origin}
              confirmed={otherOriginOk}
              onConfirm={setOtherOriginOk}
              onRebind={() => {
                setBound({ relayDocId: facts.report.relayDocId, origin });
                setOtherOriginOk(false);
                setApplyIds([]);
              }}
            />
          )}
        </div>
      )}
      {applied?.ok && before && (
        <div data-testid="before-after">
          <h3>Before and after</h3>
          <dl class="kv">
            <dt>Before</dt>
            <dd>{visible(before.verdict)}</dd>
            <dt>After</dt>
            <dd data-testid="after-verdict">{visible(diagnosis.verdict.headline)}</dd>
          </dl>
          {changes.length > 0 && (
            <ul>
              {changes.map(([id, s]) => (
                <li key={id}>
                  {diagnosis.results.find((r) => r.id === id)?.title}: {STATUS_WORD[before.statuses[id] as RuleStatus] ?? 'Not shown'} →{' '}
                  {STATUS_WORD[s as RuleStatus]}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <p class="muted small" role="status" aria-live="polite">
        {note}
      </p>
    </div>
  );
}

/**
 * After a navigation: move the issued token to the page now in the tab. It names the origin the
 * token goes to, and a page of another origin needs an explicit yes first (a token is a person's
 * verified identity; it must not drift to another site in one click).
 */
function RebindToken(p: { from: string; to: string; confirmed: boolean; onConfirm(ok: boolean): void; onRebind(): void }) {
  const otherOrigin = p.from !== p.to;
  return (
    <span data-testid="rebind-box">
      {' '}
      {otherOrigin && (
        <label class="check" data-testid="rebind-other-origin">
          <input type="checkbox" checked={p.confirmed} onChange={(e) => p.onConfirm((e.target as HTMLInputElement).checked)} /> The token was requested on{' '}
          {visible(p.from)}; the page now is {visible(p.to)}, another site. Use it there anyway.
        </label>
      )}{' '}
      <button type="button" data-testid="rebind" disabled={otherOrigin && !p.confirmed} onClick={p.onRebind}>
        Use this token on the current page ({visible(p.to)})
      </button>
    </span>
  );
}
