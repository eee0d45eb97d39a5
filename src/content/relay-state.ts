/**
 * The relay's state and how it changes: pure transitions, each returning the new state and what
 * the relay must do next (relay.ts wires DOM events, timers and extension messages to them).
 *
 * The relay holds the recorder's batches until they are handed to the background: pulled by the
 * background (a page nobody inspects), or pushed, throttled, while a panel watches (live).
 */
import { MAX_BATCHES_PER_UPDATE } from '../shared/protocol/relay.ts';
import { MAX_BATCH_CHARS, Wire } from '../shared/protocol/wire.ts';

export interface RelayState {
  /** Recorder batches not handed over yet, as the recorder wrote them (header removed). */
  batches: string[];
  /** The next update must start from everything: too much piled up, a send failed, or the page came back from the back/forward cache. */
  needFull: boolean;
  /** The recorder said ap3c is on this page. */
  ortto: boolean;
  /** A panel watches: the relay pushes its updates. */
  live: boolean;
  /** The extension went away (reloaded): the relay does nothing more. */
  stopped: boolean;
  /** Asked, the recorder did not answer in time (a page that took over its hello, or a hung page). */
  silent: boolean;
}

export const INITIAL_RELAY_STATE: RelayState = { batches: [], needFull: false, ortto: false, live: false, stopped: false, silent: false };

/** What the relay does after a recorder message. */
export interface AfterMessage {
  state: RelayState;
  /** ap3c was just seen for the first time: start watching what only matters on Ortto pages. */
  orttoAppeared: boolean;
  /** Something new to hand over: push it (when live). Only a batch is. */
  changed?: true;
  /** `A`: the page's code that gave window.ap3c a new object is running now; `E`: it has returned (see Wire). */
  ap3cAssigned?: 'start' | 'end';
}

/** A message from the recorder in the wire format (protocol/wire.ts): `B`+flag+JSON, `N` or `O`. */
export function onRecorderMessage(s: RelayState, message: string): AfterMessage {
  if (message === Wire.Ortto || message === Wire.Assigned)
    return {
      state: { ...s, ortto: true },
      orttoAppeared: !s.ortto,
      ...(message === Wire.Assigned && { ap3cAssigned: 'start' }),
    };
  if (message === Wire.AssignedEnd) return { state: s, orttoAppeared: false, ap3cAssigned: 'end' };
  if (message === Wire.Nothing) return { state: { ...s, silent: false }, orttoAppeared: false };
  // Header: `B`, Ortto flag. The JSON is not read here (the background validates it).
  const full = s.batches.length >= MAX_BATCHES_PER_UPDATE;
  const ortto = s.ortto || message[1] === '1';
  // A batch over the limit travels as an empty one: the background then knows one was lost (page-report.ts).
  const batch = message.length > MAX_BATCH_CHARS + 2 ? '' : message.slice(2);
  const state: RelayState = { ...s, silent: false, ortto, needFull: s.needFull || full, batches: full ? s.batches : [...s.batches, batch] };
  return { state, orttoAppeared: ortto && !s.ortto, changed: true };
}

/** What a live send does now. */
export type SendStep = { kind: 'nothing' } | { kind: 'request-full' } | { kind: 'send'; batches: string[] };

/** A live send is due: hand the batches over, or first ask the recorder for everything. */
export function onSendDue(s: RelayState): { state: RelayState; step: SendStep } {
  if (s.stopped) return { state: s, step: { kind: 'nothing' } };
  // Start again from everything: the recorder's answer makes the next send.
  if (s.needFull) return { state: { ...s, needFull: false, batches: [] }, step: { kind: 'request-full' } };
  return { state: { ...s, batches: [] }, step: { kind: 'send', batches: s.batches } };
}

/** A send failed: what it carried is lost, so the next one starts from everything (or the extension is gone). */
export function onSendFailed(s: RelayState, extensionAlive: boolean): RelayState {
  return extensionAlive ? { ...s, needFull: true } : { ...s, stopped: true };
}

/** A panel started watching: from now on the relay pushes, starting with everything the recorder has. */
export function onGoLive(s: RelayState): { state: RelayState; first: boolean } {
  if (s.stopped || s.live) return { state: s, first: false };
  return { state: { ...s, live: true, needFull: false, batches: [] }, first: true };
}

/** The background pulls. `paired`: whether a recorder took the relay's hello. */
export type CollectStep = 'stopped' | 'live' | 'report-now' | 'ask-recorder';
export function onCollect(s: RelayState, paired: boolean): CollectStep {
  if (s.stopped) return 'stopped';
  if (s.live) return 'live';
  // Unpaired: no answer will come; report what the DOM shows and say the page interfered.
  return paired ? 'ask-recorder' : 'report-now';
}

/** The recorder answered a pull (or did not in time): whether there is a report to give. */
export function afterPullAnswer(s: RelayState, gotAnswer: boolean): { state: RelayState; report: boolean } {
  if (!gotAnswer) return { state: { ...s, silent: true }, report: true };
  // (A pull after a back/forward-cache restore asked for everything: done.)
  if (s.ortto) return { state: { ...s, needFull: false }, report: true };
  // A page without Ortto: nothing to say, and nothing kept.
  return { state: { ...s, batches: [] }, report: false };
}

/** How the page got in the way, if it did (protocol/relay.ts DomFacts.interference). */
export function interferenceOf(s: RelayState, paired: boolean): 'no-pairing' | 'no-answer' | undefined {
  return !paired ? 'no-pairing' : s.silent ? 'no-answer' : undefined;
}
