/**
 * Support flow: request a fresh Talk token with a stored API key profile, apply it live with
 * ap3c.talk.setVerifiedSession, or hand back capture code. Nothing from the page picks the
 * profile, the host or the person: the page's region only pre-selects a matching profile.
 * Before sending, it says where the request goes and what it does to the person in Ortto; a
 * request that can create a person or overwrite fields needs a yes.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Diagnosis } from '../../shared/analysis/index.ts';
import { sessionEndpoint } from '../../shared/ortto-hosts.ts';
import { apiBaseOf, type ProfileInfo, REGION_LABELS, suggestProfile } from '../../shared/profiles.ts';
import { copyText } from '../clipboard.ts';
import { visible } from '../format/visible-text.ts';
import type { SupportState } from './client.ts';
import { PersonForm } from './PersonForm.tsx';
import { type HistoryEntry, RequestHistory } from './RequestHistory.tsx';
import { originOf, RequestResult } from './RequestResult.tsx';
import { RetryCountdown } from './RetryCountdown.tsx';
import { curlCommand, EMPTY_FORM, effectOf, requestBody, type SessionForm, validateForm } from './session-form.ts';

export interface PanelActions {
  listProfiles(): void;
  openOptions(): void;
  /** Returns the request id whose progress and outcome arrive in `requests.jobs`. */
  requestToken(profileId: string, body: Record<string, unknown>): string;
  applyToken(relayDocId: string, token: string): string;
  /** Remembers the person last used on this site (never the key), for the next time. */
  rememberPerson(origin: string, person: PersonFields): void;
  /** Puts a token in the "Try on reload" editor, with Talk turned on if the page turns it off (absent where that cannot run). */
  tryToken?: (token: string, talkOn: boolean) => void;
}

/** The person fields remembered per site. */
export type PersonFields = Pick<SessionForm, 'email' | 'name' | 'firstName' | 'lastName' | 'phone'>;

export interface SupportCardProps {
  diagnosis: Diagnosis;
  profiles: ProfileInfo[] | null;
  requests: SupportState;
  actions: PanelActions;
  /** The person last used on this page's site, if any. */
  lastPerson?: PersonFields | null;
}

/** What a request was made for: the document and origin it may be applied to, and for whom. */
export interface RequestMeta {
  relayDocId: string;
  origin: string;
  who: PersonFields & { personId: string };
  profileLabel: string;
  at: number;
  /** The request asked Ortto to create no one (skip_non_existing). */
  createsNoOne: boolean;
  /** The merge_strategy sent: what Ortto did to a person it found (the answer does not say). */
  mergeStrategy: SessionForm['mergeStrategy'];
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

const personOf = (f: SessionForm): PersonFields => ({ email: f.email, name: f.name, firstName: f.firstName, lastName: f.lastName, phone: f.phone });
const samePerson = (a: RequestMeta['who'], f: SessionForm): boolean =>
  a.email.trim() === f.email.trim() &&
  a.name.trim() === f.name.trim() &&
  a.firstName.trim() === f.firstName.trim() &&
  a.lastName.trim() === f.lastName.trim() &&
  a.phone.trim() === f.phone.trim() &&
  a.personId.trim() === f.personId.trim();

export function SupportCard({ diagnosis, profiles, requests, actions, lastPerson }: SupportCardProps) {
  const { facts } = diagnosis;
  const [profileId, setProfileId] = useState<string>('');
  const [form, setForm] = useState<SessionForm>(EMPTY_FORM);
  const [mergeByText, setMergeByText] = useState('');
  const [extraText, setExtraText] = useState('');
  const [touched, setTouched] = useState(false);
  /** The engineer typed something: a remembered person must not overwrite it. */
  const [edited, setEdited] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  /** The request whose result is shown (the newest, or one picked from the history). */
  const [activeId, setActiveId] = useState<string | null>(null);
  const [meta, setMeta] = useState<Record<string, RequestMeta>>({});
  const [order, setOrder] = useState<string[]>([]);
  const [note, setNote] = useState('');

  useEffect(() => actions.listProfiles(), []);
  // The person last used on this site, once it is known, into an untouched form.
  useEffect(() => {
    if (lastPerson && !edited) setForm((f) => ({ ...f, ...lastPerson }));
  }, [lastPerson]);
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
  const effect = effectOf(full);
  const profile = profiles?.find((p) => p.id === profileId);
  const base = profile ? apiBaseOf(profile) : null;
  const job = activeId ? requests.jobs[activeId] : undefined;
  const outcome = job?.outcome ?? null;
  const busy = activeId !== null && order[order.length - 1] === activeId && !outcome;
  const retryAt = job?.progress?.retryAt ?? null;
  const set = <K extends keyof SessionForm>(k: K, v: SessionForm[K]) => {
    setEdited(true);
    setForm((f) => ({ ...f, [k]: v }));
    setConfirmed(false);
  };
  const err = (k: keyof typeof errors) => (touched && errors[k] ? errors[k] : '');
  const active = activeId ? meta[activeId] : undefined;

  const history: HistoryEntry[] = order
    .map((id) => ({ id, meta: meta[id] as RequestMeta, outcome: requests.jobs[id]?.outcome ?? null }))
    .filter((h) => h.meta !== undefined)
    .reverse();

  return (
    <section class="card section" id="support" aria-labelledby="request-title" data-testid="token-request" tabIndex={-1}>
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
            if (effect.needsConfirmation && !confirmed) return;
            const id = actions.requestToken(profile.id, body);
            const origin = originOf(facts.report.url);
            setMeta((m) => ({
              ...m,
              [id]: {
                relayDocId: facts.report.relayDocId,
                origin,
                who: { ...personOf(full), personId: full.personId },
                profileLabel: profile.label,
                at: Date.now(),
                createsNoOne: full.skipNonExisting,
                mergeStrategy: full.mergeStrategy,
              },
            }));
            setOrder((o) => [...o, id].slice(-10));
            setActiveId(id);
            setConfirmed(false);
            actions.rememberPerson(origin, personOf(full));
          }}
        >
          <label>
            API key profile
            <select value={profileId} onChange={(e) => setProfileId((e.target as HTMLSelectElement).value)} data-testid="profile">
              {profiles.map((p) => {
                const b = apiBaseOf(p);
                return (
                  <option key={p.id} value={p.id}>
                    {p.label} — {REGION_LABELS[p.region]} ({p.keyHint}) — {b ? sessionEndpoint(b) : 'no valid address'}
                    {p.id === suggested ? ' — matches this page' : ''}
                  </option>
                );
              })}
            </select>
          </label>
          <button type="button" class="link" onClick={actions.openOptions}>
            Manage API keys
          </button>
          <PersonForm
            form={form}
            set={set}
            err={err}
            mergeByText={mergeByText}
            setMergeByText={(t) => {
              setMergeByText(t);
              setConfirmed(false);
            }}
            extraText={extraText}
            setExtraText={setExtraText}
          />
          <details>
            <summary>Preview the request</summary>
            <pre class="preview" data-testid="request-preview">
              {`POST ${base ? sessionEndpoint(base) : '(choose a profile)'}\nX-Api-Key: (the key of "${profile?.label ?? ''}")\n\n${JSON.stringify(body, null, 2)}`}
            </pre>
          </details>
          <p class="small" data-testid="request-endpoint">
            Sends <code>POST {base ? visible(sessionEndpoint(base)) : '(no valid address: check the profile)'}</code> with the key of “
            {visible(profile?.label ?? '')}” ({profile?.keyHint}).
          </p>
          <p class={effect.needsConfirmation ? 'warning small' : 'small'} data-testid="request-effect">
            In Ortto, this request: {effect.text}
          </p>
          {effect.needsConfirmation && (
            <label class="check" data-testid="request-confirm">
              <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed((e.target as HTMLInputElement).checked)} /> I understand this can{' '}
              {full.skipNonExisting ? '' : 'create a person'}
              {!full.skipNonExisting && full.mergeStrategy === 2 ? ' and ' : ''}
              {full.mergeStrategy === 2 ? "overwrite a person's fields" : ''} in the Ortto account of “{visible(profile?.label ?? '')}”.
            </label>
          )}
          <div class="row">
            <button type="submit" disabled={busy || (effect.needsConfirmation && !confirmed)} data-testid="send-request">
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
        // (Not a live region itself: the announcer below says the message once, not its countdown every second.)
        <p data-testid="request-progress">
          {job.progress.message}
          {retryAt ? <RetryCountdown retryAt={retryAt} /> : ''}
        </p>
      )}
      {outcome && !outcome.ok && (
        <div class="alert" role="alert" data-testid="request-error">
          <p>{outcome.error.message}</p>
          {outcome.error.kind === 'ortto' && outcome.error.details.length > 0 && (
            <ul>
              {outcome.error.details.map((d) => (
                <li key={d}>{visible(d)}</li>
              ))}
            </ul>
          )}
          {outcome.error.kind === 'ortto' && (outcome.error.status === 400 || outcome.error.status === 404) && active?.createsNoOne && (
            <p class="small">
              This request created no one (skip_non_existing): if this person is new to Ortto, check the email, or allow creating a person under More options.
            </p>
          )}
          {outcome.error.kind === 'ortto' && outcome.error.requestId && <p class="muted small">Ortto request id: {visible(outcome.error.requestId)}</p>}
        </div>
      )}
      {outcome?.ok && active && activeId && (
        <RequestResult
          key={activeId}
          diagnosis={diagnosis}
          session={outcome.session}
          meta={active}
          stale={!samePerson(active.who, form)}
          {...{ requests, actions }}
        />
      )}
      {/* Always there, so a screen reader hears the request end (the result and the progress come and go). */}
      <p class="sr-only" role="status" aria-live="polite" data-testid="request-announcer">
        {outcome?.ok && active ? `Token issued for ${active.who.email}.` : job?.progress && !outcome ? job.progress.message : ''}
      </p>
      <RequestHistory entries={history} activeId={activeId} onShow={setActiveId} />
      <p class="muted small" role="status" aria-live="polite">
        {note}
      </p>
    </section>
  );
}
