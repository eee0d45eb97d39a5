/**
 * "Try on reload" (issue 18): an editor for the options the page's first ap3c.init will get on one
 * reload of this tab (the site is not changed), and, on the load that tried them, what was tried
 * and the verdict before → after. Everything from the page is shown as text.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Diagnosis } from '../../shared/analysis/index.ts';
import type { InitOverride } from '../../shared/protocol/wire.ts';
import { copyText } from '../clipboard.ts';
import { visible } from '../format/visible-text.ts';
import type { TryState } from './client.ts';
import { captureCodeWithFix, draftProblems, type FixDraft, firstInit, fixTriedOn, initPreview, overrideOf } from './fix-plan.ts';

export interface TryFixActions {
  /** Reloads with the override; the document it was tried from and its verdict (for before → after). */
  reload(override: InitOverride, relayDocId: string, verdictHeadline: string): void;
  cancel(): void;
}

export interface TryFixCardProps {
  diagnosis: Diagnosis;
  draft: FixDraft;
  onDraft(draft: FixDraft): void;
  /** Which control to focus, bumped by a "Try on reload" button elsewhere. */
  focus: { field: keyof FixDraft | 'reload'; n: number } | null;
  tryState: TryState | null;
  actions: TryFixActions;
}

/** On a load that ran a tried fix: what it was, and before → after. Shown under the verdict. */
export function FixTriedBanner({ diagnosis, tryState }: { diagnosis: Diagnosis; tryState: TryState | null }) {
  const { facts, verdict } = diagnosis;
  const tried = fixTriedOn(facts.report);
  const [note, setNote] = useState('');
  if (!tried) return null;
  const before = tryState && tryState.before.relayDocId !== facts.report.relayDocId ? tryState.before.headline : null;
  const override = tryState?.override;
  return (
    <section class="card notice fix-tried" data-testid="fix-tried" data-applied={String(tried.applied)} aria-labelledby="fix-tried-title">
      <h2 id="fix-tried-title">Fix tried on this load</h2>
      <p data-testid="fix-tried-changes">{tried.changes.length ? tried.changes.join('; ') : 'An override of the ap3c.init options'}</p>
      {tried.applied ? (
        <p data-testid="fix-tried-verdict">
          {before ? (
            <>
              Before: <strong>{visible(before)}</strong> → After: <strong>{visible(verdict.headline)}</strong>
            </>
          ) : (
            <>
              With the fix: <strong>{visible(verdict.headline)}</strong>
            </>
          )}
        </p>
      ) : (
        <p class="warning" data-testid="fix-tried-late">
          The fix reached the page after its first ap3c.init call, so this load ran with the page's own options. Try again; if it keeps happening, the page
          calls ap3c.init before anything else can run, and only a change on the site can be tested.
        </p>
      )}
      <p class="muted small">Only this load was changed: the site is not. Reload the page to see its own code again.</p>
      {tried.applied && override && (
        <div class="row">
          <button
            type="button"
            data-testid="copy-fix-code"
            onClick={async () => {
              const code = captureCodeWithFix(facts, override);
              setNote(code && (await copyText(code)) ? 'Capture code with the fix copied: paste it in place of the page’s snippet.' : 'Copy failed.');
            }}
          >
            Copy as capture code
          </button>
          <span role="status" class="muted small">
            {note}
          </span>
        </div>
      )}
    </section>
  );
}

export function TryFixCard({ diagnosis, draft, onDraft, focus, tryState, actions }: TryFixCardProps) {
  const { facts } = diagnosis;
  const refs = {
    token: useRef<HTMLInputElement>(null),
    cookiePath: useRef<HTMLInputElement>(null),
    talkOn: useRef<HTMLInputElement>(null),
    captureUrl: useRef<HTMLInputElement>(null),
    reload: useRef<HTMLButtonElement>(null),
  };
  const card = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!focus) return;
    card.current?.scrollIntoView?.({ block: 'nearest' });
    const el = refs[focus.field].current;
    el?.focus();
  }, [focus?.n]);

  if (!firstInit(facts)) return null;
  if (fixTriedOn(facts.report)) return null;
  const override = overrideOf(draft);
  const problems = draftProblems(draft);
  const waiting = tryState !== null && tryState.result === null;
  const failed = tryState?.result && !tryState.result.ok ? tryState.result.message : null;
  const field = (key: 'token' | 'cookiePath' | 'captureUrl', label: string, hint: string) => (
    <label>
      <span>{label}</span>
      <input
        ref={refs[key]}
        type="text"
        spellcheck={false}
        autocomplete="off"
        value={draft[key]}
        placeholder={hint}
        onInput={(e) => onDraft({ ...draft, [key]: (e.target as HTMLInputElement).value })}
        data-testid={`try-${key}`}
      />
    </label>
  );
  return (
    <section class="card" id="try-fix" ref={card} aria-labelledby="try-fix-title">
      <h2 id="try-fix-title">Try a fix on reload</h2>
      <p class="muted small">
        Reloads this tab once with changed ap3c.init options, so you see whether the fix works before changing the site. Only this tab and this site, one
        reload; the next reload runs the page's own code. Leave a field empty to keep the page's own value.
      </p>
      <div class="form">
        {field('token', 'talk.token', 'A token from your server, or "Try on reload with this token" in Support')}
        {field('cookiePath', 'talk.cookiePath', facts.captureKey?.ok ? `/${facts.captureKey.instance}/` : '/yourinstance/')}
        <label class="check">
          <input
            ref={refs.talkOn}
            type="checkbox"
            checked={draft.talkOn}
            onChange={(e) => onDraft({ ...draft, talkOn: (e.target as HTMLInputElement).checked })}
            data-testid="try-talkOn"
          />{' '}
          Turn Talk on (leave out disableTalk and disableWidgets)
        </label>
        {field('captureUrl', 'Capture URL (2nd ap3c.init argument)', 'https://capture-api.eu.autopilotapp.com/')}
      </div>
      <p class="small">The page's first ap3c.init will get (tokens shortened here):</p>
      <pre class="preview" data-testid="try-preview">
        {initPreview(facts, override)}
      </pre>
      {problems.length > 0 && override && (
        <ul class="warning" data-testid="try-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <div class="row">
        <button
          ref={refs.reload}
          type="button"
          data-testid="try-reload"
          disabled={problems.length > 0 || waiting || !override}
          onClick={() => override && actions.reload(override, facts.report.relayDocId, diagnosis.verdict.headline)}
        >
          {waiting ? 'Reloading with the fix…' : 'Reload with this fix'}
        </button>
        {waiting && (
          <button type="button" data-testid="try-cancel" onClick={actions.cancel}>
            Cancel
          </button>
        )}
        {override && (
          <button type="button" onClick={() => onDraft({ token: '', cookiePath: '', talkOn: false, captureUrl: '' })}>
            Clear
          </button>
        )}
      </div>
      {failed && (
        <p class="warning" role="alert" data-testid="try-failed">
          {visible(failed)}
        </p>
      )}
    </section>
  );
}
