/**
 * Keeps one tab's stored report within a size budget, so a single page cannot fill the
 * extension's storage.session (10 MB for all tabs together) and leave every other tab without a
 * report. Pure; never throws.
 *
 * What goes, in order, until the report fits (each step oldest first):
 *   1. the arguments of repeated calls (track, cmd.push);
 *   2. the arguments of the other calls, except the first and the latest init and every
 *      setVerifiedSession (the diagnosis reads the latest init's options and the latest
 *      setVerifiedSession's token); an init keeps its capture key and URL when they are short, so
 *      the instances named on the page stay known;
 *   3. the oldest events, repeats first, keeping the events the diagnosis orders or counts (first
 *      and latest init, every setVerifiedSession, the first track and cmd.push, the first
 *      ap3c assignment, the capture script defining init);
 *   4. the arguments of the older setVerifiedSession calls, then of the first init, then of the
 *      latest setVerifiedSession and the latest init; then any event, oldest first.
 * A call whose arguments were left out keeps its place in the timeline, with `ARGS_LEFT_OUT_NOTE`
 * and `{t: 'cut'}` (or, for an init, its short capture key and URL followed by `{t: 'cut'}`).
 * `report.trimmed` counts what was left out: `events` adds up over updates of the same timeline,
 * `args` is the number of such calls in the timeline now.
 */
import type { PageReport, TabState } from '../../shared/protocol/model.ts';
import { EventKind, type TimelineEvent } from '../../shared/protocol/wire.ts';
import type { Snap } from '../../shared/snapshot.ts';
import { isRepeatable } from '../../shared/timeline.ts';

/**
 * 512 KB (of JSON text) per tab. An ordinary page's report is a few KB to a few tens of KB, so real
 * pages are never trimmed, while storage.session's 10 MB (for every tab together) still holds about
 * twenty reports at the limit by JSON length. Chrome counts its own estimate of the memory a stored
 * value takes, which is larger than the JSON text: the storage-flood page's report at the limit
 * (521 KB of JSON) counts 809 KB, so about twelve such tabs fit. Past that, the store keeps a
 * refused report in memory and says so (src/background/tab-store-core.ts).
 */
export const REPORT_BUDGET = 512 * 1024;

/** The note on a call whose arguments were left out. */
export const ARGS_LEFT_OUT_NOTE = 'arguments left out to stay within the storage limit';

/** A capture key or capture URL longer than this is not kept when an init's other arguments go. */
const SHORT_ARG = 300;
const CUT: Snap = { t: 'cut' };

export const isArgsLeftOut = (e: TimelineEvent): boolean => e.note === ARGS_LEFT_OUT_NOTE;

/** Length of the JSON text of a value (what the budget measures). */
export const jsonLength = (value: unknown): number => JSON.stringify(value)?.length ?? 0;

/** `report` cut to `budget` characters of JSON where possible (see the file comment). Never throws. */
export function fitReport(report: PageReport, budget: number = REPORT_BUDGET): PageReport {
  try {
    return trimToBudget(report, budget);
  } catch {
    return report; // not measurable (cannot happen with validated data): the store copes
  }
}

/** The state with its report fitted to `budget`. */
export function fitTabState(state: TabState, budget: number = REPORT_BUDGET): TabState {
  return state.report ? { ...state, report: fitReport(state.report, budget) } : state;
}

/** An init's arguments without the bulk: its capture key and URL when short, then a cut marker. */
function initLeftOut(args: Snap | undefined): Snap {
  if (args === null || typeof args !== 'object' || args.t !== 'arr') return CUT;
  const items: Snap[] = [];
  for (const item of args.items.slice(0, 2)) {
    if (typeof item !== 'string' || item.length > SHORT_ARG) break;
    items.push(item);
  }
  if (items.length === 0) return CUT;
  if (items.length < args.items.length || args.more > 0) items.push(CUT);
  return { t: 'arr', items, more: 0 };
}

function trimToBudget(report: PageReport, budget: number): PageReport {
  const events: (TimelineEvent | null)[] = report.events.slice();
  const sizes = events.map((e) => jsonLength(e));
  // The rest of the report, with room for the largest `trimmed` record it may get.
  let total = jsonLength({ ...report, events: [], trimmed: { events: 1e9, args: 1e9 } });
  for (const s of sizes) total += s + 1;
  let dropped = 0;
  const over = (): boolean => total > budget;

  let firstInit = -1;
  let lastInit = -1;
  let lastVerified = -1;
  const firstOf = new Map<string, number>();
  report.events.forEach((e, i) => {
    if (!firstOf.has(e.kind)) firstOf.set(e.kind, i);
    if (e.kind === EventKind.Init) {
      if (firstInit < 0) firstInit = i;
      lastInit = i;
    } else if (e.kind === EventKind.SetVerifiedSession) lastVerified = i;
  });
  const diagnosisReads = (i: number): boolean => i === firstInit || i === lastInit || report.events[i]?.kind === EventKind.SetVerifiedSession;
  /** Events the diagnosis orders or counts: kept while anything else can go. */
  const kept = (i: number): boolean => {
    const e = report.events[i] as TimelineEvent;
    if (diagnosisReads(i)) return true;
    if (e.kind === EventKind.MethodDefined) return e.name === 'init';
    const firstOfKind = e.kind === EventKind.Track || e.kind === EventKind.CmdQueued || e.kind === EventKind.Ap3cAssigned || e.kind === EventKind.Attached;
    return firstOfKind && firstOf.get(e.kind) === i;
  };

  const leaveOutArgs = (i: number): void => {
    const e = events[i];
    if (!e || e.args === undefined || isArgsLeftOut(e)) return;
    const next: TimelineEvent = { ...e, args: e.kind === EventKind.Init ? initLeftOut(e.args) : CUT, note: ARGS_LEFT_OUT_NOTE };
    const size = jsonLength(next);
    const before = sizes[i] as number;
    if (size >= before) return;
    events[i] = next;
    sizes[i] = size;
    total += size - before;
  };
  const drop = (i: number): void => {
    if (!events[i]) return;
    events[i] = null;
    total -= (sizes[i] as number) + 1;
    dropped++;
  };
  const each = (which: (i: number) => boolean, act: (i: number) => void): void => {
    for (let i = 0; i < events.length && over(); i++) if (which(i)) act(i);
  };
  const kind = (i: number): string => report.events[i]?.kind ?? '';

  if (over()) {
    each((i) => isRepeatable(kind(i)), leaveOutArgs);
    each((i) => !diagnosisReads(i), leaveOutArgs);
    each((i) => isRepeatable(kind(i)) && !kept(i), drop);
    each((i) => !kept(i), drop);
    each((i) => kind(i) === EventKind.SetVerifiedSession && i !== lastVerified, leaveOutArgs);
    each((i) => i === firstInit && i !== lastInit, leaveOutArgs);
    each((i) => i === lastVerified, leaveOutArgs);
    each((i) => i === lastInit, leaveOutArgs);
    each(() => true, drop);
  }

  const left = events.filter((e): e is TimelineEvent => e !== null);
  const argsLeftOut = left.filter(isArgsLeftOut).length;
  const eventsLeftOut = (report.trimmed?.events ?? 0) + dropped;
  const { trimmed: _, ...rest } = report;
  if (argsLeftOut === 0 && eventsLeftOut === 0) return dropped === 0 && report.trimmed === undefined ? report : { ...rest, events: left };
  return { ...rest, events: left, trimmed: { events: eventsLeftOut, args: argsLeftOut } };
}
