/**
 * "Try on reload" in the panel (issue 18), pure: which failing checks have a fix that can be tried
 * on one reload, what the page's first ap3c.init will get with it, what a tried load says about
 * itself, and the capture code with the change. Nothing here reaches the page.
 */

import type { Facts } from '../../shared/analysis/facts.ts';
import type { Diagnosis } from '../../shared/analysis/index.ts';
import type { InitCall } from '../../shared/analysis/page-summary.ts';
import type { RuleId } from '../../shared/analysis/rules.ts';
import { maskToken } from '../../shared/mask.ts';
import { NoteCode } from '../../shared/notes.ts';
import { CAPTURE_HOSTS } from '../../shared/ortto-hosts.ts';
import type { PageReport } from '../../shared/protocol/model.ts';
import { EventKind, type InitOverride } from '../../shared/protocol/wire.ts';
import { type Snap, snapGet, snapString } from '../../shared/snapshot.ts';
import { captureCode, withTalkOn } from '../format/capture-code.ts';
import { snapText } from '../format/snap-text.ts';
import { visible } from '../format/visible-text.ts';

/** The editor's fields; an empty one keeps the page's own value. */
export interface FixDraft {
  token: string;
  cookiePath: string;
  talkOn: boolean;
  captureUrl: string;
}
export const EMPTY_DRAFT: FixDraft = { token: '', cookiePath: '', talkOn: false, captureUrl: '' };

/** What a failing check's "Try on reload" puts in the editor; `needs`: the field still to fill in. */
export interface FixSuggestion {
  draft: Partial<FixDraft>;
  needs: keyof FixDraft | null;
}

const TOKEN_RULES: RuleId[] = ['token-present', 'token-well-formed', 'token-not-expired', 'token-accepted', 'token-reached-ortto'];

/** A capture URL of a region (the first host Ortto uses for it). */
const captureUrlOf = (region: string): string | null => {
  const host = Object.entries(CAPTURE_HOSTS).find(([, r]) => r === region)?.[0];
  return host ? `https://${host}/` : null;
};

/** The page's first ap3c.init call: the one a tried fix rewrites. */
export const firstInit = (facts: Facts): InitCall | undefined => facts.summary.initCalls.find((c) => c.via === 'init') ?? facts.summary.initCalls[0];

/**
 * The failing checks whose fix can be tried on one reload, with what to try. None when the page
 * never called ap3c.init (there is no call to rewrite) or when this load already ran a tried fix.
 */
export function fixSuggestions(d: Diagnosis): Partial<Record<RuleId, FixSuggestion>> {
  const { facts } = d;
  const out: Partial<Record<RuleId, FixSuggestion>> = {};
  if (!firstInit(facts) || fixTriedOn(facts.report)) return out;
  for (const r of d.results) {
    if (r.status !== 'fail') continue;
    if ((r.id === 'cookie-path-instance' || r.id === 'cookie-path-well-formed') && facts.captureKey?.ok)
      out[r.id] = { draft: { cookiePath: `/${facts.captureKey.instance}/` }, needs: null };
    else if (r.id === 'talk-enabled' && facts.summary.integration.kind !== 'webview') out[r.id] = { draft: { talkOn: true }, needs: null };
    else if (TOKEN_RULES.includes(r.id)) out[r.id] = { draft: {}, needs: 'token' };
    else if (r.id === 'region-known' && facts.regionsDisagree && facts.scriptRegion) {
      const url = captureUrlOf(facts.scriptRegion);
      if (url) out[r.id] = { draft: { captureUrl: url }, needs: null };
    }
  }
  return out;
}

/** The override a draft makes (only the fields filled in), or null when it changes nothing. */
export function overrideOf(draft: FixDraft): InitOverride | null {
  const o: InitOverride = {};
  if (draft.token.trim()) o.token = draft.token.trim();
  if (draft.cookiePath.trim()) o.cookiePath = draft.cookiePath.trim();
  if (draft.talkOn) o.talkOn = true;
  if (draft.captureUrl.trim()) o.captureUrl = draft.captureUrl.trim();
  return Object.keys(o).length ? o : null;
}

/** What is wrong with a draft, in words (empty when it can be tried). */
export function draftProblems(draft: FixDraft): string[] {
  const problems: string[] = [];
  const url = draft.captureUrl.trim();
  if (url && !/^https?:\/\/[^/\s]+/i.test(url)) problems.push('The capture URL must be a web address (https://…).');
  const path = draft.cookiePath.trim();
  if (path && !/^\/.*\/$/.test(path)) problems.push('cookiePath starts and ends with "/", e.g. "/yourinstance/".');
  if (/\s/.test(draft.token.trim())) problems.push('The token has spaces in it: paste the exact "token" value.');
  if (draft.token.trim().length > 16_384) problems.push('The token is too long.');
  if (!overrideOf(draft)) problems.push('Nothing to try: fill in at least one field.');
  return problems;
}

const str = (v: string): Snap => v;

/** A snapshot of the options with the override in place (as the recorder's applyOverride does in the page). */
export function optionsWithFix(options: Snap | undefined, o: InitOverride): Snap {
  let entries: [string, Snap][] = options !== null && typeof options === 'object' && options !== undefined && options.t === 'obj' ? [...options.entries] : [];
  if (o.token !== undefined || o.cookiePath !== undefined) {
    const talk = snapGet(options, 'talk');
    let talkEntries: [string, Snap][] = talk !== null && typeof talk === 'object' && talk !== undefined && talk.t === 'obj' ? [...talk.entries] : [];
    const put = (k: string, v: string): void => {
      talkEntries = [...talkEntries.filter(([key]) => key !== k), [k, str(v)]];
    };
    if (o.token !== undefined) put('token', o.token);
    if (o.cookiePath !== undefined) put('cookiePath', o.cookiePath);
    entries = [...entries.filter(([k]) => k !== 'talk'), ['talk', { t: 'obj', entries: talkEntries, more: 0 }]];
  }
  if (o.talkOn) entries = entries.filter(([k]) => k !== 'disableTalk' && k !== 'disableWidgets');
  return { t: 'obj', entries, more: 0 };
}

/** The first ap3c.init call as it will be made with the override: the text the engineer checks (tokens masked). */
export function initPreview(facts: Facts, o: InitOverride | null): string {
  const init = firstInit(facts);
  if (!init) return '';
  const key = init.args[0];
  const url = o?.captureUrl !== undefined ? str(o.captureUrl) : init.args[1];
  const options = o ? optionsWithFix(init.options, o) : init.options;
  const rest = init.args.slice(3).map((a) => snapText(a, 300));
  // (A third argument the page never passed, and no fix adds, is left out: not shown as `undefined`.)
  const showOptions = options !== undefined || init.args.length > 2;
  const args = [
    snapText(key, 300),
    url === undefined ? 'undefined' : snapText(url, 300),
    ...(showOptions ? [options === undefined ? 'undefined' : snapText(options, 1500)] : []),
    ...rest,
  ];
  return `ap3c.init(${args.join(', ')})`;
}

/** A tried fix on this load: what was handed over, and whether the first ap3c.init got it. */
export interface FixTried {
  applied: boolean;
  override: Snap | undefined;
  /** Its fields, as words ("talk.cookiePath "/acme/"", "disableTalk removed"). */
  changes: string[];
}

/** `showToken`: how a tried token is written (masked on screen; exports write its fingerprint). */
export function fixTriedOn(report: PageReport, showToken: (token: string) => string = maskToken): FixTried | null {
  const e = report.events.find((x) => x.kind === EventKind.FixTried);
  if (!e) return null;
  const override = e.args !== null && typeof e.args === 'object' && e.args !== undefined && e.args.t === 'arr' ? e.args.items[0] : undefined;
  const changes: string[] = [];
  const token = snapString(snapGet(override, 'token'));
  if (token !== undefined) changes.push(`talk.token ${visible(showToken(token))}`);
  const cookiePath = snapString(snapGet(override, 'cookiePath'));
  if (cookiePath !== undefined) changes.push(`talk.cookiePath ${snapText(cookiePath, 200)}`);
  if (snapGet(override, 'talkOn') === true) changes.push('disableTalk / disableWidgets removed');
  const captureUrl = snapString(snapGet(override, 'captureUrl'));
  if (captureUrl !== undefined) changes.push(`capture URL ${snapText(captureUrl, 300)}`);
  return { applied: e.name === NoteCode.FixApplied, override, changes };
}

/**
 * The page's capture code with the tried change, to paste in place of its snippet (the page's own
 * key and options otherwise; inert for page data, as captureCode is). Null without an init call.
 */
export function captureCodeWithFix(facts: Facts, o: InitOverride): string | null {
  const init = firstInit(facts);
  if (!init?.captureKey) return null;
  const options = o.talkOn ? withTalkOn(init.options).options : init.options;
  const talk = snapGet(options, 'talk');
  return captureCode({
    captureKey: init.captureKey,
    captureUrl: o.captureUrl ?? init.captureUrl ?? '',
    options,
    scriptUrl: facts.scriptUrl,
    token: o.token ?? snapString(snapGet(talk, 'token')) ?? null,
    cookiePath: o.cookiePath ?? null,
  });
}
