/**
 * Values copied unchanged from Ortto's own documentation (ortto-facts.md, "More from public
 * installs"): the script host typo `cdn31.ink`, the example identity `user@emaildomain.com` /
 * "John Apple". (The token placeholder `{{<reponse_token>}}` is a token problem: token.ts.) Pure.
 */
import { SCRIPT_HOST_TYPOS, SCRIPT_HOSTS } from '../ortto-hosts.ts';
import type { PageReport } from '../protocol/model.ts';
import { EventKind } from '../protocol/wire.ts';
import type { Snap } from '../snapshot.ts';

export interface ScriptHostTypo {
  url: string;
  host: string;
  /** The host meant (`cdn3l.ink`) and the address with it. */
  meant: string;
  fixedUrl: string;
}

/** A known misspelling, or the first label with a digit one or an i where Ortto's host has a lower-case L. */
export function meantScriptHost(host: string): string | null {
  const h = host.toLowerCase();
  if (Object.hasOwn(SCRIPT_HOST_TYPOS, h)) return SCRIPT_HOST_TYPOS[h] as string;
  const dot = h.indexOf('.');
  if (dot < 0) return null;
  const guess = h.slice(0, dot).replace(/[1i]/g, 'l') + h.slice(dot);
  return guess !== h && Object.hasOwn(SCRIPT_HOSTS, guess) ? guess : null;
}

export function scriptHostTypos(urls: readonly string[]): ScriptHostTypo[] {
  const out: ScriptHostTypo[] = [];
  for (const url of new Set(urls)) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      continue;
    }
    const meant = meantScriptHost(u.hostname);
    if (meant === null) continue;
    const host = u.hostname;
    u.hostname = meant;
    out.push({ url, host, meant, fixedUrl: u.href });
  }
  return out;
}

/** The example identity of Ortto's help pages, as people paste it. */
const SAMPLE_IDENTITY = [/^\s*user@emaildomain\.com\s*$/i, /^\s*john\s+apple\s*$/i];

/** Whether a value is the help pages' example identity (also for a form that requests a token for a person). */
export const isSampleIdentity = (value: string): boolean => SAMPLE_IDENTITY.some((p) => p.test(value));

export interface SampleIdentity {
  value: string;
  /** Where it was passed (`ap3c.track`, `ap3c.init`…). */
  where: string;
}

function walk(snap: Snap | undefined, found: (value: string) => void, depth = 0): void {
  if (depth > 8 || snap === undefined || snap === null) return;
  if (typeof snap === 'string') {
    found(snap);
    return;
  }
  if (typeof snap !== 'object') return;
  if (snap.t === 'str') found(snap.v);
  else if (snap.t === 'arr') for (const s of snap.items) walk(s, found, depth + 1);
  else if (snap.t === 'obj') for (const [, s] of snap.entries) walk(s, found, depth + 1);
}

const WHERE: Partial<Record<string, string>> = {
  [EventKind.Track]: 'ap3c.track',
  [EventKind.Init]: 'ap3c.init',
  [EventKind.SetVerifiedSession]: 'ap3c.talk.setVerifiedSession',
  [EventKind.CmdQueued]: 'ap3c.cmd.push',
};

/** The example identity wherever the page passed it to ap3c (calls' arguments, and ap3c as read). */
export function sampleIdentities(report: PageReport): SampleIdentity[] {
  const out: SampleIdentity[] = [];
  const add = (where: string) => (value: string) => {
    if (isSampleIdentity(value) && !out.some((o) => o.value === value.trim() && o.where === where)) out.push({ value: value.trim(), where });
  };
  for (const e of report.events) {
    const where = WHERE[e.kind];
    if (where) walk(e.args, add(e.name && e.kind === EventKind.Init ? `ap3c.${e.name}` : where));
  }
  if (report.ap3c.state === 'present') walk(report.ap3c.snap, add('window.ap3c'));
  return out;
}
