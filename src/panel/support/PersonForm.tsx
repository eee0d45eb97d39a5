/** The person a support token is for, and the request's options (Ortto's names, explained). */
import type { FormErrors, SessionForm } from './session-form.ts';

export interface PersonFormProps {
  form: SessionForm;
  set<K extends keyof SessionForm>(k: K, v: SessionForm[K]): void;
  err(k: keyof FormErrors): string;
  mergeByText: string;
  setMergeByText(text: string): void;
  extraText: string;
  setExtraText(text: string): void;
}

export function PersonForm({ form, set, err, mergeByText, setMergeByText, extraText, setExtraText }: PersonFormProps) {
  const text = (k: 'email' | 'name' | 'firstName' | 'lastName' | 'phone' | 'personId' | 'sourceIp', name: string, label: string, errKey?: keyof FormErrors) => (
    <>
      <label>
        {label}
        <input name={name} value={form[k]} onInput={(e) => set(k, (e.target as HTMLInputElement).value)} aria-invalid={Boolean(errKey && err(errKey))} />
      </label>
      {errKey && <span class="error">{err(errKey)}</span>}
    </>
  );
  return (
    <fieldset class="person">
      <legend>The person (must match their Ortto contact)</legend>
      {text('email', 'email', 'Email (str::email) *', 'email')}
      {text('name', 'name', 'Name (str::name) *', 'name')}
      <div class="row">
        {text('firstName', 'first', 'First name (str::first)')}
        {text('lastName', 'last', 'Last name (str::last)')}
      </div>
      {text('phone', 'phone', 'Phone (phn::phone)', 'phone')}
      <details>
        <summary>More options</summary>
        <div class="form">
          {text('personId', 'personId', 'person_id (24 hexadecimal characters, from the contact page in Ortto; optional)', 'personId')}
          <label>
            merge_by (up to 3 field ids, comma-separated; empty: the key's own settings)
            <input name="mergeBy" value={mergeByText} placeholder="str::email" onInput={(e) => setMergeByText((e.target as HTMLInputElement).value)} />
          </label>
          <span class="error">{err('mergeBy')}</span>
          <label>
            merge_strategy: what to do with the fields of the person found
            <select value={String(form.mergeStrategy)} onChange={(e) => set('mergeStrategy', Number((e.target as HTMLSelectElement).value) as 1 | 2 | 3)}>
              <option value="3">3 — ignore: change nothing (safe, this panel's default)</option>
              <option value="1">1 — append: fill only empty fields</option>
              <option value="2">2 — overwrite existing values (Ortto's default)</option>
            </select>
          </label>
          <label>
            find_strategy: how the merge_by fields find the person
            <select value={String(form.findStrategy)} onChange={(e) => set('findStrategy', Number((e.target as HTMLSelectElement).value) as 0 | 1 | 2)}>
              <option value="0">0 — any: a person matching any one of them (Ortto's default)</option>
              <option value="1">1 — in order: the next field only if the one before is empty</option>
              <option value="2">2 — all: a person matching every one of them</option>
            </select>
          </label>
          <label class="check">
            <input
              type="checkbox"
              name="createPerson"
              checked={!form.skipNonExisting}
              onChange={(e) => set('skipNonExisting', !(e.target as HTMLInputElement).checked)}
            />{' '}
            Create the person if no one matches (skip_non_existing off)
          </label>
          {text('sourceIp', 'sourceIp', 'location.source_ip (the visitor’s IP address; optional)', 'sourceIp')}
          <label>
            Extra person fields, one per line as type::field=value, e.g. str::company=Acme, int::age=42, bool::vip=true (the field id is the one in Ortto's
            field settings)
            <textarea rows={3} value={extraText} onInput={(e) => setExtraText((e.target as HTMLTextAreaElement).value)} />
          </label>
          <span class="error">{err('extraFields')}</span>
        </div>
      </details>
    </fieldset>
  );
}
