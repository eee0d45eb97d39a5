/**
 * "Copy capture code": the page's own snippet with talk {token, cookiePath} filled in, ready to paste. Pure.
 *
 * The code goes into an HTML page, and every key and value in it came from that page. So each string,
 * keys included, is written by `jsString` alone, and the code outside those strings has no `<` or `>`:
 * whatever the page held, nothing can end the <script>, open an HTML comment or a CDATA section, or
 * end a line, and the code hands ap3c.init back exactly the keys and values the page passed.
 */
import { DEFAULT_SCRIPT_URL } from '../../shared/ortto-hosts.ts';
import { type Snap, snapGet } from '../../shared/snapshot.ts';

/** A JSON double-quoted string that also writes <, >, &, U+2028 and U+2029 as \uXXXX (inert in HTML, XHTML and old JS engines). */
export function jsString(text: string): string {
  return JSON.stringify(text).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** An object key, always quoted; "__proto__" is computed, since a quoted one would set the prototype instead of a key. */
const jsKey = (key: string): string => (key === '__proto__' ? `[${jsString(key)}]` : jsString(key));

/** Turns a snapshot back into a JS literal; anything that cannot be written back (functions, getters, cut values) is left out. */
function literal(s: Snap | undefined): string | undefined {
  if (s === undefined) return undefined;
  if (s === null || typeof s === 'boolean') return String(s);
  // Snapshots keep only finite numbers as numbers; String() of one is a plain numeric literal.
  if (typeof s === 'number') return Number.isFinite(s) ? String(s) : undefined;
  if (typeof s === 'string') return jsString(s);
  switch (s.t) {
    case 'arr': {
      const items = s.items.map((x) => literal(x)).filter((x): x is string => x !== undefined);
      return `[${items.join(', ')}]`;
    }
    case 'obj':
      return `{${entries(s.entries).join(', ')}}`;
    default:
      return undefined;
  }
}

function entries(list: [string, Snap][]): string[] {
  const parts: string[] = [];
  for (const [k, v] of list) {
    const lit = literal(v);
    if (lit !== undefined) parts.push(`${jsKey(k)}: ${lit}`);
  }
  return parts;
}

export interface CaptureCodeInput {
  captureKey: string;
  captureUrl: string;
  options: Snap | undefined;
  scriptUrl: string | null;
  /** null: no token (the code then carries only the cookiePath, if any). */
  token: string | null;
  cookiePath: string | null;
}

export function captureCode(input: CaptureCodeInput): string {
  const opts = input.options;
  const optionEntries = opts !== null && typeof opts === 'object' && opts.t === 'obj' ? entries(opts.entries.filter(([k]) => k !== 'talk')) : [];
  const talk = input.token === null ? [] : [`"token": ${jsString(input.token)}`];
  const cookiePath = input.cookiePath ?? (snapGet(snapGet(opts, 'talk'), 'cookiePath') as string | undefined);
  if (typeof cookiePath === 'string' && cookiePath !== '') talk.push(`"cookiePath": ${jsString(cookiePath)}`);
  if (talk.length) optionEntries.push(`"talk": {${talk.join(', ')}}`);
  const script = jsString(input.scriptUrl ?? DEFAULT_SCRIPT_URL);
  // The wrapper's <script> and </script> are the only "<" in the result (a JS comment, not an HTML one).
  return `<script>
// Ortto capture code${input.token === null ? '' : ' with a verified Talk session'} (written by Talk Inspector)
window.ap3c = window.ap3c || {};
var ap3c = window.ap3c;
ap3c.cmd = ap3c.cmd || [];
ap3c.cmd.push(function() {
  ap3c.init(${jsString(input.captureKey)}, ${jsString(input.captureUrl)}, {${optionEntries.join(', ')}});
  ap3c.track({v: 0});
});
ap3c.activity = function(act) { ap3c.act = (ap3c.act || []); ap3c.act.push(act); };
var s, t; s = document.createElement('script'); s.type = 'text/javascript'; s.src = ${script};
t = document.getElementsByTagName('script')[0]; t.parentNode.insertBefore(s, t);
</script>`;
}

/** The init options that switch Talk off (ortto-facts.md). */
const TALK_SWITCHES = ['disableTalk', 'disableWidgets'];

/**
 * The page's init options with the switches that turn Talk off left out (a verified session needs
 * Talk on), and which ones were: capture code copied for support must not keep Talk off.
 */
export function withTalkOn(options: Snap | undefined): { options: Snap | undefined; removed: string[] } {
  if (options === null || typeof options !== 'object' || options.t !== 'obj') return { options, removed: [] };
  const removed = options.entries.filter(([k, v]) => TALK_SWITCHES.includes(k) && v === true).map(([k]) => k);
  if (removed.length === 0) return { options, removed };
  return { options: { ...options, entries: options.entries.filter(([k]) => !removed.includes(k)) }, removed };
}
