/** The panel's view of one tab. Pure rendering of its props: testable outside the extension. */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { type Diagnosis, diagnose } from '../shared/analysis/index.ts';
import type { NetworkEvidence } from '../shared/analysis/network.ts';
import type { ProfileInfo } from '../shared/profiles.ts';
import type { PageReport, TabState } from '../shared/protocol/model.ts';
import { Checklist } from './components/Checklist.tsx';
import { ConfigCard } from './components/ConfigCard.tsx';
import { ExportBar } from './components/ExportBar.tsx';
import { StatusBanner } from './components/StatusBanner.tsx';
import { StorageNotice } from './components/StorageNotice.tsx';
import { Timeline } from './components/Timeline.tsx';
import { TokenCard } from './components/TokenCard.tsx';
import { VerdictBanner } from './components/VerdictBanner.tsx';
import { WidgetCard } from './components/WidgetCard.tsx';
import { visible } from './format/visible-text.ts';
import type { SupportState } from './support/client.ts';
import { type PanelActions, type PersonFields, SupportCard } from './support/SupportCard.tsx';
import type { TryState } from './try-fix/client.ts';
import { EMPTY_DRAFT, type FixDraft, fixSuggestions } from './try-fix/fix-plan.ts';
import { FixTriedBanner, type TryFixActions, TryFixCard } from './try-fix/TryFixCard.tsx';

export interface AppProps {
  state: TabState | null;
  connected: boolean;
  /** DevTools network evidence; null when the panel runs outside DevTools. */
  network?: NetworkEvidence | null;
  /** Earlier documents of this tab, kept while "preserve across reloads" is on (oldest first). */
  history?: PageReport[];
  preserve?: boolean;
  onPreserveChange?: (preserve: boolean) => void;
  version?: string;
  now?: number;
  /** The support flow (token request, apply); absent where the panel cannot reach the background. */
  support?: { profiles: ProfileInfo[] | null; requests: SupportState; actions: PanelActions; lastPerson?: PersonFields | null };
  /** "Try on reload"; absent where the panel cannot reach the background. */
  tryFix?: { state: TryState | null; actions: TryFixActions };
}

/** The two jobs of the panel, diagnose and fix, as sections the header links to (keyboard: Tab, Enter). */
const SECTIONS = [
  ['checklist-section', 'Checklist'],
  ['try-fix', 'Try a fix'],
  ['config-section', 'Token & config'],
  ['timeline-section', 'Timeline'],
  ['support', 'Support'],
] as const;

/**
 * Keeps the root's scroll padding at the sticky header's height, so a section link or a focused
 * control never lands under the header (none when a narrow panel lets the header scroll away).
 */
function useHeaderScrollPadding(): (el: HTMLElement | null) => void {
  const header = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const el = header.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const root = document.documentElement;
    const update = (): void => {
      const sticky = getComputedStyle(el).position === 'sticky';
      root.style.scrollPaddingTop = sticky ? `${Math.ceil(el.getBoundingClientRect().height) + 8}px` : '';
    };
    const observer = new ResizeObserver(update);
    observer.observe(el);
    observer.observe(root);
    return () => observer.disconnect();
  }, []);
  return (el) => {
    header.current = el;
  };
}

export function App(props: AppProps) {
  const { state, connected } = props;
  const headerRef = useHeaderScrollPadding();
  return (
    <main class="panel" aria-busy={state === null}>
      <header class="panel-header" ref={headerRef}>
        <div class="panel-title">
          <h1>Talk Inspector</h1>
          <span class={`connection ${connected ? 'ok' : 'lost'}`} role="status">
            {connected ? 'Live' : 'Reconnecting…'}
          </span>
          <label class="check preserve">
            <input
              type="checkbox"
              checked={props.preserve ?? false}
              onChange={(e) => props.onPreserveChange?.((e.target as HTMLInputElement).checked)}
              data-testid="preserve"
            />{' '}
            Preserve across reloads
          </label>
        </div>
        {state?.report && (
          <nav class="sections" aria-label="Sections" data-testid="sections">
            {SECTIONS.filter(([id]) => (id !== 'support' || props.support) && (id !== 'try-fix' || props.tryFix)).map(([id, label]) => (
              <a key={id} href={`#${id}`}>
                {label}
              </a>
            ))}
          </nav>
        )}
      </header>
      <Body {...props} />
    </main>
  );
}

function Body(props: AppProps) {
  const { state } = props;
  if (state === null) return <p class="muted">Connecting to the page…</p>;
  if (!state.inspectable)
    return (
      <section class="card notice" data-testid="not-inspectable">
        <h2>Cannot inspect this page</h2>
        <p>{state.reason}</p>
      </section>
    );
  if (!state.report)
    return (
      <>
        <StorageNotice trimmed={undefined} notStored={state.notStored} />
        <section class="card notice" data-testid="waiting">
          <h2>Waiting for the page</h2>
          <p>Talk Inspector has not heard from this page yet. If it stays like this, reload the page.</p>
        </section>
      </>
    );
  return <Report report={state.report} {...props} />;
}

function Report(props: AppProps & { report: PageReport }) {
  const { report, network = null } = props;
  const now = props.now ?? Date.now();
  const diagnosis: Diagnosis = useMemo(() => diagnose(report, network, now), [report, network, now]);
  const { facts, results, verdict } = diagnosis;
  const exposed = facts.apiKeyExposure;
  const fix = results.find((r) => r.id === 'no-page-session-call')?.fix ?? '';
  const alertDetails = exposed
    ? `The page called ${exposed.urls.join(', ')}. ${exposed.keyFingerprints.map((k) => `API key fingerprint ${k}. `).join('')}${fix}`
    : '';
  // "Try on reload": the editor's draft, filled by a check's button or a token from Support.
  const [draft, setDraft] = useState<FixDraft>(EMPTY_DRAFT);
  const [focus, setFocus] = useState<{ field: keyof FixDraft | 'reload'; n: number } | null>(null);
  const suggestions = useMemo(() => fixSuggestions(diagnosis), [diagnosis]);
  const tryFix = props.tryFix;
  const onTry = (id: keyof typeof suggestions): void => {
    const s = suggestions[id];
    if (!s) return;
    setDraft((d) => ({ ...d, ...s.draft }));
    setFocus((f) => ({ field: s.needs ?? 'reload', n: (f?.n ?? 0) + 1 }));
  };
  const support = props.support && {
    ...props.support,
    actions: {
      ...props.support.actions,
      tryToken: tryFix
        ? (token: string, talkOn: boolean) => {
            setDraft((d) => ({ ...d, token, talkOn: d.talkOn || talkOn }));
            setFocus((f) => ({ field: 'reload', n: (f?.n ?? 0) + 1 }));
          }
        : undefined,
    },
  };
  return (
    <>
      <VerdictBanner verdict={verdict} alertDetails={alertDetails} supportHref={props.support ? '#support' : undefined} />
      <FixTriedBanner diagnosis={diagnosis} tryState={tryFix?.state ?? null} />
      <StorageNotice trimmed={report.trimmed} notStored={props.state?.notStored} />
      <section id="checklist-section" class="section" aria-label="Checklist">
        <Checklist results={results} tryable={tryFix ? new Set(Object.keys(suggestions) as (keyof typeof suggestions)[]) : undefined} onTry={onTry} />
      </section>
      {tryFix && <TryFixCard diagnosis={diagnosis} draft={draft} onDraft={setDraft} focus={focus} tryState={tryFix.state} actions={tryFix.actions} />}
      <section id="config-section" class="section" aria-label="Token and configuration">
        <StatusBanner report={report} summary={facts.summary} />
        <TokenCard facts={facts} />
        <ConfigCard facts={facts} />
        <WidgetCard widget={report.widget} cookies={report.cookies} ap3cCookie={facts.ap3cCookie} />
      </section>
      {/* (Not a landmark of its own: each timeline inside is one, named.) */}
      <section id="timeline-section" class="section">
        <Timeline events={report.events} dropped={report.dropped} late={report.late} network={network} timeOrigin={report.timeOrigin} />
        {(props.history ?? []).map((old, i) => (
          <Timeline
            key={old.relayDocId}
            title={`Earlier page load ${i + 1}: ${old.url}`}
            events={old.events}
            dropped={old.dropped}
            late={old.late}
            network={null}
            timeOrigin={old.timeOrigin}
          />
        ))}
      </section>
      {support && <SupportCard diagnosis={diagnosis} {...support} />}
      <ExportBar diagnosis={diagnosis} version={props.version ?? ''} />
      <p class="muted small" data-testid="page-url">
        Page: {visible(report.url)}
      </p>
    </>
  );
}
