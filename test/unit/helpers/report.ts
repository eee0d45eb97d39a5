/** Builders for PageReport / TabState fixtures shared by the unit tests (not a test file itself). */
import type { PageReport, TabState } from '../../../src/shared/protocol/model.ts';
import { EventKind, type TimelineEvent } from '../../../src/shared/protocol/wire.ts';
import { snapshot } from '../../../src/shared/snapshot.ts';

/** The limits the recorder uses for call arguments (src/page/recorder.ts EVENT_LIMITS). */
export const EVENT_LIMITS = { depth: 4, keys: 50, stringLength: 16 * 1024, totalSize: 32 * 1024 };

export const CAPTURE_URL = 'https://capture-api.autopilotapp.com/';

/** A timeline event whose args are recorded the way the recorder does it. */
export function event(seq: number, kind: EventKind, fields: { name?: string; args?: unknown[]; note?: string; t?: number } = {}): TimelineEvent {
  const e: TimelineEvent = { seq, t: fields.t ?? seq * 10, kind };
  if (fields.name !== undefined) e.name = fields.name;
  if (fields.args !== undefined) e.args = snapshot(fields.args, EVENT_LIMITS);
  if (fields.note !== undefined) e.note = fields.note;
  return e;
}

export const initEvent = (seq: number, ...args: unknown[]): TimelineEvent => event(seq, EventKind.Init, { name: 'init', args });

export const verifiedSessionEvent = (seq: number, ...args: unknown[]): TimelineEvent =>
  event(seq, EventKind.SetVerifiedSession, { name: 'talk.setVerifiedSession', args });

export function makeReport(overrides: Partial<PageReport> = {}): PageReport {
  return {
    relayDocId: 'doc-1',
    url: 'https://shop.example.com/',
    timeOrigin: 1_000,
    activeSince: 1_000,
    recorderPaired: true,
    recorderDocId: '0123456789abcdef',
    late: false,
    events: [],
    dropped: 0,
    ap3c: { state: 'absent' },
    widget: { present: false, inBody: false, visible: false, shadow: 'closed-or-none', notVerifiedLabel: null, text: '' },
    cookies: [],
    scripts: [],
    scriptErrors: [],
    talkSessionCalls: [],
    widgetInteractedAt: null,
    ...overrides,
  };
}

export function makeTabState(overrides: Partial<TabState> = {}): TabState {
  return {
    tabId: 7,
    url: 'https://shop.example.com/',
    inspectable: true,
    reason: null,
    report: null,
    browserDocumentId: null,
    pendingNavigation: false,
    loadedWithoutReport: false,
    updatedAt: 0,
    ...overrides,
  };
}
