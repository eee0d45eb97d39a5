/**
 * Support flow: request a fresh Talk token with a stored API key profile, apply it live with
 * ap3c.talk.setVerifiedSession, or hand back capture code. Nothing from the page picks the
 * profile, the host or the person: the page's region only pre-selects a matching profile.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Diagnosis } from '../../shared/analysis/index.ts';
import { maskToken } from '../../shared/mask.ts';
import { apiBaseOf, type ProfileInfo, REGION_LABELS, suggestProfile } from '../../shared/profiles.ts';
import type { ApplyResult } from '../../shared/protocol/panel.ts';
import type { FlowOutcome, FlowProgress } from '../../shared/talk-session.ts';
import { copyText } from '../clipboard.ts';
import { captureCode } from '../format/capture-code.ts';
import { visible } from '../format/visible-text.ts';
import { curlCommand, EMPTY_FORM, requestBody, type SessionForm, validateForm } from '../support/session-form.ts';

export interface TokenJob {
  progress: FlowProgress | null;
  outcome: FlowOutcome | null;
}

export interface PanelActions {
  listProfiles(): void;
  openOptions(): void;
  /** Returns the request id whose progress and outcome arrive in `jobs`. */
  requestToken(profileId: string, body: Record<string, unknown>): string;
  applyToken(relayDocId: string, token: string): string;
}

export interface TokenRequestProps {
  diagnosis: Diagnosis;
  profiles: ProfileInfo[] | null;
  jobs: Record<string, TokenJob>;
  applies: Record<string, ApplyResult>;
  actions: PanelActions;
}

function parseExtra(text: string): { id: string; value: string }[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const eq = l.indexOf('=');
      return eq < 0 ? { id: l, value: '' } : { id: l.slice(0, eq).trim(), value: l.slice(eq + 1).trim() };
    });
}

export function TokenRequest({ diagnosis, profiles, jobs, applies, actions }: TokenRequestProps) {
  const { facts } = diagnosis;
  const [profileId, setProfileId] = useState<string>('');
  const [form, setForm] = useState<SessionForm>(EMPTY_FORM);
  const [mergeByText, setMergeByText] = useState('');
  const [extraText, setExtraText] = useState('');
  const [touched, setTouched] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  /** The document the engineer was looking at when asking for the token: apply targets only it. */
  const [boundDoc, setBoundDoc] = useState<string | null>(null);
  /** That document's origin: a token moves to a page of another origin only when the engineer says so. */
  const [boundOrigin, setBoundOrigin] = useState<string | null>(null);
  const [otherOriginOk, setOtherOriginOk] = useState(false);
  const [reveal, setReveal] = useState(false);
  const [applyId, setApplyId] = useState<string | null>(null);
  const [acknowledged, setAcknowledged] = useState(false);
  const [before, setBefore] = useState<{ verdict: string; statuses: Record<string, string> } | null>(null);
  const [note, setNote] = useState('');
  const [now, setNow] = useState(Date.now());

  useEffect(() => actions.listProfiles(), []);
  const suggested = profiles ? suggestProfile(profiles, facts.captureRegion) : null;
  useEffect(() => {
    if (profiles && !profiles.some((p) => p.id === profileId)) setProfileId(suggested ?? profiles[0]?.id ?? '');
  }, [profiles, suggested]);

  const full: SessionForm = {
    ...form,
    mergeBy: mergeByText
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    extraFields: parseExtra(extraText),
  };
  const errors = validateForm(full);
  const body = useMemo(() => requestBody(full), [JSON.stringify(full)]);
  const profile = profiles?.find((p) => p.id === profileId);
  const base = profile ? apiBaseOf(profile) : null;
  const job = jobId ? jobs[jobId] : undefined;
  const outcome = job?.outcome ?? null;
  const busy = jobId !== null && !outcome;
  const retryAt = job?.progress?.retryAt ?? null;
  useEffect(() => {
    if (!retryAt) return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [retryAt]);
  const token = outcome?.ok ? outcome.session.token : null;
  const applied = applyId ? applies[applyId] : undefined;
  const conversationStarted = facts.report.widgetInteractedAt !== null;
  const set = <K extends keyof SessionForm>(k: K, v: SessionForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const err = (k: keyof typeof errors) => (touched && errors[k] ? errors[k] : '');

  const statusesNow = Object.fromEntries(diagnosis.results.map((r) => [r.id, r.status]));
  const changes = before ? Object.entries(statusesNow).filter(([id, s]) => before.statuses[id] !== s) : [];

  return (
    <section class="card" aria-labelledby="request-title" data-testid="token-request">
      <h2 id="request-title">Get a verified token (support)</h2>
      {profiles === null ? (
        <p class="muted">Loading API key profiles…</p>
      ) : profiles.length === 0 ? (
        <p>
          No API key profile yet.{' '}
          <button type="button" onClick={actions.openOptions}>
            Add an API key
          </button>
        </p>
      ) : (
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            setTouched(true);
            if (Object.keys(errors).length || !profile) return;
            setReveal(false);
            setApplyId(null);
            setBefore(null);
            setBoundDoc(facts.report.relayDocId);
            setBoundOrigin(originOf(facts.report.url));
            setOtherOriginOk(false);
            setJobId(actions.requestToken(profile.id, body));
          }}
        >
          <label>
            API key profile
            <select value={profileId} onChange={(e) => setProfileId((e.target as HTMLSelectElement).value)} data-testid="profile">
              {profiles.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label} — {REGION_LABELS[p.region]} ({p.keyHint}){p.id === suggested ? ' — matches this page' : ''}
                </option>
              ))}
            </select>
          </label>
          <button type="button" class="link" onClick={actions.openOptions}>
            Manage API keys
          </button>
          <label>
            Email (str::email) *
            <input name="email" value={form.email} onInput={(e) => set('email', (e.target as HTMLInputElement).value)} aria-invalid={Boolean(err('email'))} />
          </label>
          <span class="error">{err('email')}</span>
          <label>
            Name (str::name) *
            <input name="name" value={form.name} onInput={(e) => set('name', (e.target as HTMLInputElement).value)} aria-invalid={Boolean(err('name'))} />
          </label>
          <span class="error">{err('name')}</span>
          <details>
            <summary>More options</summary>
            <div class="form">
              <label>
                person_id (24 hex, optional)
                <input
                  name="personId"
                  value={form.personId}
                  onInput={(e) => set('personId', (e.target as HTMLInputElement).value)}
                  aria-invalid={Boolean(err('personId'))}
                />
              </label>
              <span class="error">{err('personId')}</span>
              <label>
                merge_by (up to 3 field ids, comma-separated)
                <input name="mergeBy" value={mergeByText} placeholder="str::email" onInput={(e) => setMergeByText((e.target as HTMLInputElement).value)} />
              </label>
              <span class="error">{err('mergeBy')}</span>
              <label>
                merge_strategy
                <select value={String(form.mergeStrategy)} onChange={(e) => set('mergeStrategy', Number((e.target as HTMLSelectElement).value) as 1 | 2 | 3)}>
                  <option value="1">1 — append only</option>
                  <option value="2">2 — overwrite existing (default)</option>
                  <option value="3">3 — ignore</option>
                </select>
              </label>
              <label>
                find_strategy
                <select value={String(form.findStrategy)} onChange={(e) => set('findStrategy', Number((e.target as HTMLSelectElement).value) as 0 | 1 | 2)}>
                  <option value="0">0 — any (default)</option>
                  <option value="1">1 — next only if the previous is empty</option>
                  <option value="2">2 — all</option>
                </select>
              </label>
              <label class="check">
                <input type="checkbox" checked={form.skipNonExisting} onChange={(e) => set('skipNonExisting', (e.target as HTMLInputElement).checked)} />{' '}
                skip_non_existing
              </label>
              <label>
                location.source_ip
                <input name="sourceIp" value={form.sourceIp} onInput={(e) => set('sourceIp', (e.target as HTMLInputElement).value)} />
              </label>
              <span class="error">{err('sourceIp')}</span>
              <label>
                Extra person fields, one per line (e.g. str::company=Acme)
                <textarea rows={3} value={extraText} onInput={(e) => setExtraText((e.target as HTMLTextAreaElement).value)} />
              </label>
              <span class="error">{err('extraFields')}</span>
            </div>
          </details>
          <details>
            <summary>Preview the request</summary>
            <pre class="preview" data-testid="request-preview">
              {`POST ${base ?? '(choose a profile)'}v1/talk/session\nX-Api-Key: (the key of "${profile?.label ?? ''}")\n\n${JSON.stringify(body, null, 2)}`}
            </pre>
          </details>
          <div class="row">
            <button type="submit" disabled={busy} data-testid="send-request">
              {busy ? 'Requesting…' : 'Request token'}
            </button>
            <button
              type="button"
              disabled={!base}
              onClick={async () =>
                base && setNote((await copyText(curlCommand(base, body))) ? 'cURL command copied (with a placeholder key).' : 'Copy failed.')
              }
            >
              Copy as cURL
            </button>
          </div>
        </form>
      )}

      {job?.progress && !outcome && (
        <p role="status" data-testid="request-progress">
          {job.progress.message}
          {retryAt ? ` Next try in ${Math.max(0, Math.ceil((retryAt - now) / 1000))} s.` : ''}
        </p>
      )}
      {outcome && !outcome.ok && (
        <div class="alert" role="alert" data-testid="request-error">
          <p>{outcome.error.message}</p>
          {outcome.error.kind === 'ortto' && outcome.error.details.length > 0 && (
            <ul>
              {outcome.error.details.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          )}
          {outcome.error.kind === 'ortto' && outcome.error.requestId && <p class="muted small">Ortto request id: {outcome.error.requestId}</p>}
        </div>
      )}
      {outcome?.ok && token && (
        <div data-testid="request-result">
          <dl class="kv">
            <dt>session_id</dt>
            <dd>
              <code>{outcome.session.session_id}</code>
            </dd>
            <dt>person_id</dt>
            <dd>
              <code>{outcome.session.person_id}</code>
            </dd>
            <dt>person_status</dt>
            <dd data-testid="person-status">{outcome.session.person_status}</dd>
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
          </dl>
          {conversationStarted && (
            <p class="warning" data-testid="conversation-warning">
              A conversation has already started on this page. Applying now restarts Talk in a second session: the first conversation stays "known but
              unverified".{' '}
              <label class="check">
                <input type="checkbox" checked={acknowledged} onChange={(e) => setAcknowledged((e.target as HTMLInputElement).checked)} /> I understand
              </label>
            </p>
          )}
          <div class="row">
            <button
              type="button"
              data-testid="apply"
              disabled={conversationStarted && !acknowledged}
              onClick={() => {
                setBefore({ verdict: diagnosis.verdict.headline, statuses: statusesNow });
                setApplyId(actions.applyToken(boundDoc ?? facts.report.relayDocId, token));
              }}
            >
              Apply to this page ({visible(boundOrigin ?? originOf(facts.report.url))})
            </button>
            <button
              type="button"
              disabled={!facts.summary.initCalls.length}
              onClick={async () => {
                const init = facts.summary.initCalls.at(-1);
                if (!init?.captureKey || !init.captureUrl) return;
                const code = captureCode({
                  captureKey: init.captureKey,
                  captureUrl: init.captureUrl,
                  options: init.options,
                  scriptUrl: facts.scriptUrl,
                  token,
                  cookiePath: facts.captureKey?.ok ? `/${facts.captureKey.instance}/` : facts.summary.cookiePath,
                });
                setNote((await copyText(code)) ? "Capture code copied: paste it in place of the page's snippet." : 'Copy failed.');
              }}
              data-testid="copy-capture-code"
            >
              Copy capture code
            </button>
          </div>
        </div>
      )}
      {applied && (
        <div role="status" data-testid="apply-result" class={applied.ok ? '' : 'alert'}>
          {applied.ok ? 'Applied: ap3c.talk.setVerifiedSession was called on this page.' : applied.message}
          {!applied.ok && applied.reason === 'navigated' && boundDoc !== facts.report.relayDocId && (
            <RebindToken
              from={boundOrigin}
              to={originOf(facts.report.url)}
              confirmed={otherOriginOk}
              onConfirm={setOtherOriginOk}
              onRebind={() => {
                setBoundDoc(facts.report.relayDocId);
                setBoundOrigin(originOf(facts.report.url));
                setOtherOriginOk(false);
                setApplyId(null);
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
            <dd>{before.verdict}</dd>
            <dt>After</dt>
            <dd data-testid="after-verdict">{diagnosis.verdict.headline}</dd>
          </dl>
          {changes.length > 0 && (
            <ul>
              {changes.map(([id, s]) => (
                <li key={id}>
                  {diagnosis.results.find((r) => r.id === id)?.title}: {before.statuses[id]} → {s}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <p class="muted small" role="status" aria-live="polite">
        {note}
      </p>
    </section>
  );
}

/** The origin of a page URL, as shown to the engineer ("unknown" when it does not parse). */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'unknown';
  }
}

/**
 * After a navigation: move the issued token to the page now in the tab. It names the origin the
 * token goes to, and a page of another origin needs an explicit yes first (a token is a person's
 * verified identity; it must not drift to another site in one click).
 */
function RebindToken(p: { from: string | null; to: string; confirmed: boolean; onConfirm(ok: boolean): void; onRebind(): void }) {
  const otherOrigin = p.from !== null && p.from !== p.to;
  return (
    <span data-testid="rebind-box">
      {' '}
      {otherOrigin && (
        <label class="check" data-testid="rebind-other-origin">
          <input type="checkbox" checked={p.confirmed} onChange={(e) => p.onConfirm((e.target as HTMLInputElement).checked)} /> The token was requested on{' '}
          {visible(p.from ?? '')}; the page now is {visible(p.to)}, another site. Use it there anyway.
        </label>
      )}{' '}
      <button type="button" data-testid="rebind" disabled={otherOrigin && !p.confirmed} onClick={p.onRebind}>
        Use this token on the current page ({visible(p.to)})
      </button>
    </span>
  );
}
