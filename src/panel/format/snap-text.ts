/**
 * Renders a snapshot as short, JS-like text for people. Values under a key named like "token" are masked.
 * Invisible and bidi characters anywhere in it (strings, keys, function, symbol and class names) are
 * shown as ⟨U+XXXX⟩ (`visible`). Pure.
 */
import { maskToken } from '../../shared/mask.ts';
import type { Snap } from '../../shared/snapshot.ts';
import { visible } from './visible-text.ts';

const SECRET_KEY = /token/i;

/** `hideSecret` turns a secret string into what is shown instead (default: a masked preview). */
export function snapText(snap: Snap | undefined, maxLength = 2000, hideSecret: (value: string) => string = maskToken): string {
  let out = '';
  const write = (s: string): boolean => {
    out += s;
    return out.length < maxLength;
  };

  const walk = (s: Snap | undefined, secret: boolean): boolean => {
    if (s === undefined) return write('undefined');
    if (s === null || typeof s === 'boolean' || typeof s === 'number') return write(String(s));
    if (typeof s === 'string') return write(JSON.stringify(secret ? hideSecret(s) : s));
    switch (s.t) {
      case 'undef':
        return write('undefined');
      case 'num':
      case 'big':
        return write(s.v);
      case 'sym':
        return write(s.v);
      case 'str':
        return write(`${JSON.stringify(secret ? hideSecret(s.v) : s.v.slice(0, 200))}… (${s.len} characters, cut)`);
      case 'fn':
        return write(`ƒ ${s.name || 'anonymous'}()`);
      case 'get':
        return write('[getter, not read]');
      case 'cycle':
        return write('[circular]');
      case 'deep':
        return write('[…]');
      case 'cut':
        return write('[cut: too large]');
      case 'err':
        return write(`[unreadable: ${s.v}]`);
      case 'arr': {
        if (!write('[')) return false;
        for (let i = 0; i < s.items.length; i++) {
          if (i > 0 && !write(', ')) return false;
          if (!walk(s.items[i], secret)) return false;
        }
        return write(s.more ? `, …${s.more} more]` : ']');
      }
      case 'obj': {
        if (!write(s.cls ? `${s.cls} {` : '{')) return false;
        for (let i = 0; i < s.entries.length; i++) {
          const [k, v] = s.entries[i] as [string, Snap];
          if (!write(`${i > 0 ? ', ' : ' '}${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: `)) return false;
          if (!walk(v, secret || SECRET_KEY.test(k))) return false;
        }
        return write(s.more ? `, …${s.more} more }` : s.entries.length ? ' }' : '}');
      }
    }
  };
  // Once over the whole text: names and messages the page chose are covered as well as its strings.
  if (!walk(snap, false)) return visible(`${out.slice(0, maxLength)}…`);
  return visible(out);
}
