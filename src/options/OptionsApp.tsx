/**
 * API key profiles. A key is write-only: once saved it is shown as •••• and its last 4 characters
 * and never filled back into an input. `send` talks to the background (injected for tests).
 */
import { useEffect, useState } from 'preact/hooks';
import { type ProfileInfo, type ProfileInput, type ProfileRegion, REGION_LABELS } from '../shared/profiles.ts';
import { type ProfileAnswer, type ProfileMessage, ProfileMsg } from '../shared/protocol/options.ts';

/** Moves focus once the next render is in (the element it was on may have gone with it). */
function focusAfterRender(selector: string): void {
  setTimeout(() => document.querySelector<HTMLElement>(selector)?.focus(), 0);
}

const EMPTY: ProfileInput = { label: '', region: 'default', customBaseUrl: '', key: '', remember: true };

/**
 * `askConsent`: Firefox asks the engineer, at the first save, to allow the data a token request sends
 * (the key, a person's email and name) to go to Ortto; it must run inside the click's handler.
 */
export function OptionsApp({
  send,
  askConsent = async () => true,
}: {
  send: (m: ProfileMessage) => Promise<ProfileAnswer>;
  askConsent?: () => Promise<boolean>;
}) {
  const [profiles, setProfiles] = useState<ProfileInfo[]>([]);
  const [form, setForm] = useState<ProfileInput>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState('');
  const [renaming, setRenaming] = useState<{ id: string; label: string } | null>(null);

  const run = async (message: ProfileMessage, done: string): Promise<boolean> => {
    try {
      const answer = await send(message);
      setProfiles(answer.profiles);
      if (!answer.ok) {
        setErrors(answer.errors);
        setStatus('Not saved: see the messages above.');
        return false;
      }
      setErrors({});
      setStatus(done);
      return true;
    } catch {
      setStatus('The extension did not answer. Reload this page and try again.');
      return false;
    }
  };

  useEffect(() => {
    void run({ type: ProfileMsg.List }, '');
  }, []);
  // Rename: focus goes to the new name's input (the button that was focused is gone).
  const renamingId = renaming?.id;
  useEffect(() => {
    if (renamingId) document.querySelector<HTMLInputElement>(`[data-profile="${renamingId}"] form input`)?.focus();
  }, [renamingId]);

  const set = <K extends keyof ProfileInput>(k: K, value: ProfileInput[K]) => setForm((f) => ({ ...f, [k]: value }));

  return (
    <main class="panel options">
      <h1>Talk Inspector — API keys</h1>
      <p class="muted">
        A profile holds one Ortto API key and the region of its instance. Keys stay inside the extension: they are sent only to the profile's Ortto API host,
        never shown again, never exported. A remembered key is stored, unencrypted, in this browser profile on this computer (not synced); one you choose not to
        remember is gone when the browser closes. Delete removes a key. Use a key made for testing when you can.
      </p>

      <section class="card" aria-labelledby="profiles-title">
        <h2 id="profiles-title" tabIndex={-1}>
          Saved profiles
        </h2>
        {profiles.length === 0 ? (
          <p class="muted" data-testid="no-profiles">
            No profiles yet.
          </p>
        ) : (
          <ul class="profiles" data-testid="profiles">
            {profiles.map((p) => (
              <li key={p.id} data-profile={p.id}>
                {renaming?.id === p.id ? (
                  <form
                    class="row"
                    onSubmit={async (e) => {
                      e.preventDefault();
                      if (await run({ type: ProfileMsg.Rename, id: p.id, label: renaming.label }, 'Renamed.')) {
                        setRenaming(null);
                        focusAfterRender(`[data-profile="${p.id}"] .rename`);
                      }
                    }}
                  >
                    <label>
                      New name <input value={renaming.label} onInput={(e) => setRenaming({ id: p.id, label: (e.target as HTMLInputElement).value })} />
                    </label>
                    <button type="submit">Save name</button>
                    <button
                      type="button"
                      onClick={() => {
                        setRenaming(null);
                        focusAfterRender(`[data-profile="${p.id}"] .rename`);
                      }}
                    >
                      Cancel
                    </button>
                  </form>
                ) : (
                  <div class="row">
                    <strong>{p.label}</strong>
                    <span class="muted">{REGION_LABELS[p.region]}</span>
                    {p.customBaseUrl && <code>{p.customBaseUrl}</code>}
                    <code data-testid="key-hint">{p.keyHint}</code>
                    <span class="muted">{p.remember ? 'remembered on this computer' : 'until the browser closes'}</span>
                    <button type="button" class="rename" aria-label={`Rename "${p.label}"`} onClick={() => setRenaming({ id: p.id, label: p.label })}>
                      Rename
                    </button>
                    <button
                      type="button"
                      aria-label={`Delete "${p.label}"`}
                      onClick={async () => {
                        if (!confirm(`Delete the profile "${p.label}" and its API key? This cannot be undone.`)) return;
                        // Focus goes to the list's heading: the button is gone with its profile.
                        if (await run({ type: ProfileMsg.Delete, id: p.id }, `Deleted "${p.label}".`)) focusAfterRender('#profiles-title');
                      }}
                    >
                      Delete
                    </button>
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
        {profiles.length > 0 && (
          <button
            type="button"
            data-testid="forget-all"
            onClick={() => {
              if (confirm('Delete every profile and every API key stored by Talk Inspector?')) void run({ type: ProfileMsg.ForgetAll }, 'All keys forgotten.');
            }}
          >
            Forget all keys
          </button>
        )}
      </section>

      <section class="card" aria-labelledby="add-title">
        <h2 id="add-title">Add a profile</h2>
        <form
          class="form"
          autocomplete="off"
          onSubmit={async (e) => {
            e.preventDefault();
            if (!(await askConsent())) {
              setStatus(
                'Not saved: a token request sends this key and the person you type to Ortto, and Firefox needs your permission for that. Save again to be asked.',
              );
              return;
            }
            if (await run({ type: ProfileMsg.Save, input: form }, `Saved "${form.label.trim()}". The key is stored and will not be shown again.`))
              setForm(EMPTY);
          }}
        >
          <TextField name="label" label="Name" value={form.label} error={errors.label} onValue={(v) => set('label', v)} />
          <label>
            Region of the Ortto instance
            <select name="region" value={form.region} onChange={(e) => set('region', (e.target as HTMLSelectElement).value as ProfileRegion)}>
              {(Object.keys(REGION_LABELS) as ProfileRegion[]).map((r) => (
                <option key={r} value={r}>
                  {REGION_LABELS[r]}
                </option>
              ))}
            </select>
          </label>
          {form.region === 'custom' && (
            <TextField
              name="customBaseUrl"
              label="API base URL"
              value={form.customBaseUrl}
              error={errors.customBaseUrl}
              onValue={(v) => set('customBaseUrl', v)}
              placeholder="https://api.staging.example/"
            />
          )}
          <TextField name="key" label="API key" value={form.key} error={errors.key} onValue={(v) => set('key', v)} secret />
          <label class="check">
            <input type="checkbox" name="forget" checked={!form.remember} onChange={(e) => set('remember', !(e.target as HTMLInputElement).checked)} /> Don't
            remember: keep the key only until the browser closes
          </label>
          <div class="row">
            <button type="submit">Save profile</button>
          </div>
        </form>
      </section>
      <p role="status" aria-live="polite" data-testid="options-status">
        {status}
      </p>
    </main>
  );
}

/** A labelled text input with its error message tied to it for screen readers. */
function TextField(props: {
  name: string;
  label: string;
  value: string;
  error?: string;
  onValue: (v: string) => void;
  placeholder?: string;
  secret?: boolean;
}) {
  const errorId = `err-${props.name}`;
  const common = {
    id: `field-${props.name}`,
    name: props.name,
    value: props.value,
    placeholder: props.placeholder,
    onInput: (e: Event) => props.onValue((e.target as HTMLInputElement).value),
    'aria-invalid': Boolean(props.error),
    'aria-describedby': errorId,
  };
  return (
    <>
      <label htmlFor={`field-${props.name}`}>
        {props.label}
        {props.secret ? <input {...common} type="password" autocomplete="new-password" spellcheck={false} /> : <input {...common} autocomplete="off" />}
      </label>
      <span class="error" id={errorId}>
        {props.error}
      </span>
    </>
  );
}
