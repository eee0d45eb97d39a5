/** "Copy capture code": the page's own snippet with talk {token, cookiePath} filled in, ready to paste. Pure. */
import { type Snap, snapGet } from './snapshot.ts';

/** Turns a snapshot back into a JS literal; anything that cannot be written back (functions, getters, cut values) is left out. */
function literal(s: Snap | undefined, indent = ''): string | undefined {
  if (s === undefined) return undefined;
  if (s === null || typeof s === 'boolean' || typeof s === 'number') return String(s);
  if (typeof s === 'string') return JSON.stringify(s).replace(/</g, '\\u003c');
  switch (s.t) {
    case 'arr': {
      const items = s.items.map((x) => literal(x, indent)).filter((x): x is string => x !== undefined);
      return `[${items.join(', ')}]`;
    }
    case 'obj': {
      const parts: string[] = [];
      for (const [k, v] of s.entries) {
        const lit = literal(v, indent);
        if (lit !== undefined) parts.push(`${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${lit}`);
      }
      return `{${parts.join(', ')}}`;
    }
    default:
      return undefined;
  }
}

export interface CaptureCodeInput {
  captureKey: string;
  captureUrl: string;
  options: Snap | undefined;
  scriptUrl: string | null;
  token: string;
  cookiePath: string | null;
}

export function captureCode(input: CaptureCodeInput): string {
  const optionEntries: string[] = [];
  const opts = input.options;
  if (opts !== null && typeof opts === 'object' && opts.t === 'obj') {
    for (const [k, v] of opts.entries) {
      if (k === 'talk') continue;
      const lit = literal(v);
      if (lit !== undefined) optionEntries.push(`${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${lit}`);
    }
  }
  const talk: Record<string, string> = { token: input.token };
  const cookiePath = input.cookiePath ?? (snapGet(snapGet(opts, 'talk'), 'cookiePath') as string | undefined);
  if (typeof cookiePath === 'string' && cookiePath !== '') talk.cookiePath = cookiePath;
  optionEntries.push(`talk: ${JSON.stringify(talk).replace(/</g, '\\u003c')}`);
  const script = input.scriptUrl ?? 'https://cdn3l.ink/app.js';
  const js = (v: string): string => JSON.stringify(v).replace(/</g, '\\u003c');
  return `<!-- Ortto capture code with a verified Talk session -->
<script>
window.ap3c = window.ap3c || {};
var ap3c = window.ap3c;
ap3c.cmd = ap3c.cmd || [];
ap3c.cmd.push(function() {
  ap3c.init(${js(input.captureKey)}, ${js(input.captureUrl)}, {${optionEntries.join(', ')}});
  ap3c.track({v: 0});
});
ap3c.activity = function(act) { ap3c.act = (ap3c.act || []); ap3c.act.push(act); };
var s, t; s = document.createElement('script'); s.type = 'text/javascript'; s.src = ${js(script)};
t = document.getElementsByTagName('script')[0]; t.parentNode.insertBefore(s, t);
</script>`;
}
