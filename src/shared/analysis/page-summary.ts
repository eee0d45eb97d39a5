/**
 * What the panel says about a page, derived from the content scripts' report. Pure: the panel
 * renders it and the unit tests check it directly.
 */
import type { PageReport } from '../protocol/model.ts';
import { EventKind, type TimelineEvent } from '../protocol/wire.ts';
import { type Snap, snapGet, snapString } from '../snapshot.ts';

export interface InitCall {
  t: number;
  captureKey: string | undefined;
  captureUrl: string | undefined;
  options: Snap | undefined;
  argCount: number;
}

export interface TokenInfo {
  value: string;
  /** The recorder kept only the first part of a very long token. */
  cut: boolean;
  source: 'init' | 'setVerifiedSession';
}

export interface PageSummary {
  snippetFound: boolean;
  /** ap3c.init exists: the capture script (app.js) ran. */
  scriptLoaded: boolean;
  initCalls: InitCall[];
  token: TokenInfo | null;
  cookiePath: string | null;
  talkDisabledBy: string[];
  verifiedSessionCalls: TimelineEvent[];
  ap3cUnreadable: string | null;
}

function args(event: TimelineEvent): Snap[] {
  const a = event.args;
  if (a !== null && typeof a === 'object' && a.t === 'arr') return a.items;
  if (a !== null && typeof a === 'object' && a.t === 'obj') return a.entries.map(([, s]) => s);
  return [];
}

function tokenOf(snap: Snap | undefined, source: TokenInfo['source']): TokenInfo | null {
  if (typeof snap === 'string') return { value: snap, cut: false, source };
  if (snap !== null && typeof snap === 'object' && snap.t === 'str') return { value: snap.v, cut: true, source };
  return null;
}

const isFunctionSnap = (s: Snap | undefined): boolean => s !== null && typeof s === 'object' && s.t === 'fn';

export function summarize(report: PageReport): PageSummary {
  const ap3c = report.ap3c.state === 'present' ? report.ap3c.snap : undefined;
  const events = report.events;
  const initCalls: InitCall[] = events
    .filter((e) => e.kind === EventKind.Init)
    .map((e) => {
      const a = args(e);
      return { t: e.t, captureKey: snapString(a[0]), captureUrl: snapString(a[1]), options: a[2], argCount: a.length };
    });
  const lastInit = initCalls[initCalls.length - 1];
  const talk = snapGet(lastInit?.options, 'talk');
  const verifiedSessionCalls = events.filter((e) => e.kind === EventKind.SetVerifiedSession);
  let token = tokenOf(snapGet(talk, 'token'), 'init');
  const lastVerified = verifiedSessionCalls[verifiedSessionCalls.length - 1];
  if (lastVerified) token = tokenOf(snapGet(args(lastVerified)[0], 'token'), 'setVerifiedSession') ?? token;

  const talkDisabledBy: string[] = [];
  if (snapGet(lastInit?.options, 'disableTalk') === true) talkDisabledBy.push('init option disableTalk: true');
  if (snapGet(lastInit?.options, 'disableWidgets') === true) talkDisabledBy.push('init option disableWidgets: true');
  if (snapGet(ap3c, 'enableTalk') === false) talkDisabledBy.push('ap3c.enableTalk = false');

  return {
    snippetFound: report.ap3c.state !== 'absent' || events.some((e) => e.kind === EventKind.Ap3cAssigned),
    scriptLoaded:
      isFunctionSnap(snapGet(ap3c, 'init')) ||
      snapGet(ap3c, 'apiHost') !== undefined ||
      events.some((e) => e.kind === EventKind.MethodDefined && e.name === 'init'),
    initCalls,
    token,
    cookiePath: snapString(snapGet(talk, 'cookiePath')) ?? null,
    talkDisabledBy,
    verifiedSessionCalls,
    ap3cUnreadable: report.ap3c.state === 'unreadable' ? report.ap3c.reason : null,
  };
}

/** Words for a timeline event, for people rather than for the code. */
export function describeEvent(e: TimelineEvent): string {
  switch (e.kind) {
    case EventKind.Ap3cAssigned:
      return `window.ap3c set (${e.note ?? 'value'})`;
    case EventKind.CmdQueued:
      return 'A command was queued on ap3c.cmd';
    case EventKind.MethodDefined:
      return `ap3c.${e.name} defined by the capture script`;
    case EventKind.Init:
      return 'ap3c.init called';
    case EventKind.Track:
      return 'ap3c.track called';
    case EventKind.SetVerifiedSession:
      return 'ap3c.talk.setVerifiedSession called';
    case EventKind.CallThrew:
      return `ap3c.${e.name} threw an error`;
    case EventKind.HookFailed:
      return `Could not watch ${e.name}: ${e.note ?? ''}`;
    case EventKind.Attached:
      return e.note ? `Inspector attached: ${e.note}` : 'Inspector attached';
  }
}
