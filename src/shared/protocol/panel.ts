/**
 * Panel ⇄ background: one runtime port per panel, named PANEL_PORT. The panel subscribes to a tab and
 * asks for profiles, token requests and applies; the background answers with the tab's state and the
 * outcomes. Port messages are accepted only from the extension's own pages (background/state/senders.ts).
 */
import * as v from 'valibot';
import type { ProfileInfo } from '../profiles.ts';
import type { FlowOutcome, FlowProgress } from '../talk-session.ts';
import type { TabState } from './model.ts';
import { lazySchema, profileIdSchema, requestIdSchema } from './schema.ts';
import { InitOverrideSchema } from './wire.ts';

export const PortMsg = {
  Subscribe: 'subscribe',
  TabState: 'tab-state',
  ListProfiles: 'list-profiles',
  /** The panel asks the background to open the options page (Firefox has no runtime.openOptionsPage in a DevTools panel). */
  OpenOptions: 'open-options',
  Profiles: 'profiles',
  RequestToken: 'request-token',
  TokenProgress: 'token-progress',
  TokenResult: 'token-result',
  ApplyToken: 'apply-token',
  ApplyResult: 'apply-result',
  /** "Try on reload" (issue 18): reload the tab once with an override of its first ap3c.init's options. */
  TryOnReload: 'try-on-reload',
  TryResult: 'try-result',
  /** Drop a pending "Try on reload" (it is dropped anyway when the tab's panels close). */
  CancelTry: 'cancel-try',
} as const;
export const PANEL_PORT = 'talk-inspector-panel';

/** Panel → background over the port. */
const tabIdSchema = () => v.pipe(v.number(), v.integer(), v.minValue(0));

export const PanelMessageSchema = /*#__PURE__*/ lazySchema(() =>
  v.variant('type', [
    v.object({ type: v.literal(PortMsg.Subscribe), tabId: tabIdSchema() }),
    v.object({ type: v.literal(PortMsg.ListProfiles) }),
    v.object({ type: v.literal(PortMsg.OpenOptions) }),
    v.object({
      type: v.literal(PortMsg.RequestToken),
      requestId: requestIdSchema(),
      profileId: profileIdSchema(),
      body: v.pipe(
        v.record(v.string(), v.unknown()),
        v.check((b) => JSON.stringify(b).length < 64 * 1024, 'body too large'),
      ),
    }),
    v.object({
      type: v.literal(PortMsg.ApplyToken),
      requestId: requestIdSchema(),
      tabId: tabIdSchema(),
      relayDocId: v.pipe(v.string(), v.maxLength(64)),
      token: v.pipe(v.string(), v.minLength(1), v.maxLength(16_384)),
    }),
    v.object({
      type: v.literal(PortMsg.TryOnReload),
      requestId: requestIdSchema(),
      tabId: tabIdSchema(),
      relayDocId: v.pipe(v.string(), v.maxLength(64)),
      override: v.pipe(
        InitOverrideSchema(),
        v.check((o) => Object.keys(o).length > 0, 'empty override'),
      ),
    }),
    v.object({ type: v.literal(PortMsg.CancelTry), tabId: tabIdSchema() }),
  ]),
);
export type PanelMessage = v.InferOutput<ReturnType<typeof PanelMessageSchema>>;

/** `lost`: the panel lost its link to the background before the result arrived (set by the panel). */
export type ApplyResult = { ok: true } | { ok: false; reason: 'navigated' | 'missing' | 'threw' | 'not-allowed' | 'no-page' | 'lost'; message: string };

/**
 * How a "Try on reload" went, up to the handover: `handed` means the new document's recorder holds
 * the override (its report then says whether it came before ap3c.init: the fix-tried event).
 */
export type TryResult =
  | { ok: true }
  | { ok: false; reason: 'no-page' | 'navigated' | 'elsewhere' | 'panel-closed' | 'cancelled' | 'timeout' | 'unreachable' | 'lost'; message: string };

/** Background → panel over the port. */
export type BackgroundMessage =
  | { type: typeof PortMsg.TabState; state: TabState }
  | { type: typeof PortMsg.Profiles; profiles: ProfileInfo[] }
  | { type: typeof PortMsg.TokenProgress; requestId: string; progress: FlowProgress }
  | { type: typeof PortMsg.TokenResult; requestId: string; outcome: FlowOutcome }
  | { type: typeof PortMsg.ApplyResult; requestId: string; result: ApplyResult }
  | { type: typeof PortMsg.TryResult; requestId: string; result: TryResult };

/** Set on the background's global once it has started: tests (and people debugging) wait for it. */
export const BACKGROUND_READY = '__talkInspectorReady';
/** The performance mark the panel sets when it first shows a verdict (the benchmark reads it). */
export const VERDICT_MARK = 'talk-inspector:verdict';
