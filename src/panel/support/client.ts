/**
 * The panel's side of the support flow's messages: token requests and applies sent to the
 * background, their progress and outcomes as they come back, and — when the port to the background
 * drops (its worker stopped) — every request still waiting settled with a plain message, so no
 * button stays "busy" forever. Pure: the port is injected.
 */
import type { ApplyResult, BackgroundMessage, PanelMessage } from '../../shared/protocol/panel.ts';
import { PortMsg } from '../../shared/protocol/panel.ts';
import type { FlowOutcome, FlowProgress } from '../../shared/talk-session.ts';

export interface TokenJob {
  progress: FlowProgress | null;
  outcome: FlowOutcome | null;
}

export interface SupportState {
  jobs: Record<string, TokenJob>;
  /** null while the background has not answered. */
  applies: Record<string, ApplyResult | null>;
}

export const LOST_REQUEST =
  "The connection to the extension's background was lost before Ortto's answer arrived (the browser stopped it). The request may have reached Ortto; nothing was applied. Request the token again.";
export const LOST_APPLY =
  "The connection to the extension's background was lost before the page answered. The token may or may not have been applied: check the timeline, then apply again if needed.";

export interface SupportClient {
  state(): SupportState;
  requestToken(profileId: string, body: Record<string, unknown>): string;
  applyToken(tabId: number, relayDocId: string, token: string): string;
  /** A message from the background (other kinds are ignored). */
  receive(message: BackgroundMessage): void;
  /** The port to the background dropped: settle everything still waiting. */
  disconnected(): void;
}

export function createSupportClient(send: (message: PanelMessage) => void, newId: () => string, onChange: (state: SupportState) => void): SupportClient {
  let state: SupportState = { jobs: {}, applies: {} };
  const set = (next: SupportState): void => {
    state = next;
    onChange(state);
  };
  return {
    state: () => state,
    requestToken(profileId, body) {
      const requestId = newId();
      set({ ...state, jobs: { ...state.jobs, [requestId]: { progress: null, outcome: null } } });
      send({ type: PortMsg.RequestToken, requestId, profileId, body });
      return requestId;
    },
    applyToken(tabId, relayDocId, token) {
      const requestId = newId();
      set({ ...state, applies: { ...state.applies, [requestId]: null } });
      send({ type: PortMsg.ApplyToken, requestId, tabId, relayDocId, token });
      return requestId;
    },
    receive(msg) {
      if (msg.type === PortMsg.TokenProgress) {
        const job = state.jobs[msg.requestId];
        if (job && !job.outcome) set({ ...state, jobs: { ...state.jobs, [msg.requestId]: { ...job, progress: msg.progress } } });
      } else if (msg.type === PortMsg.TokenResult) {
        const job = state.jobs[msg.requestId];
        if (job) set({ ...state, jobs: { ...state.jobs, [msg.requestId]: { ...job, outcome: msg.outcome } } });
      } else if (msg.type === PortMsg.ApplyResult) {
        if (msg.requestId in state.applies) set({ ...state, applies: { ...state.applies, [msg.requestId]: msg.result } });
      }
    },
    disconnected() {
      const jobs = { ...state.jobs };
      const applies = { ...state.applies };
      let changed = false;
      for (const [id, job] of Object.entries(jobs))
        if (!job.outcome) {
          jobs[id] = { progress: null, outcome: { ok: false, attempts: 0, error: { kind: 'lost', message: LOST_REQUEST } } };
          changed = true;
        }
      for (const [id, result] of Object.entries(applies))
        if (result === null) {
          applies[id] = { ok: false, reason: 'lost', message: LOST_APPLY };
          changed = true;
        }
      if (changed) set({ jobs, applies });
    },
  };
}
