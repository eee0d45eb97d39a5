/**
 * "Try on reload" in the page (issue 18): the arguments of the first ap3c.init call with the
 * engineer's override in place. The page's own option objects are never changed (copies, made
 * from descriptors so a getter of the page is copied, not called); the capture key and every
 * other option stay the page's own. Pure, page-safe (built-ins taken at start).
 */
import { defineProperty, deleteProperty, ownDescriptor, ownKeys, parse, setPrototypeOf } from '../shared/intrinsics.ts';
import type { InitOverride } from '../shared/protocol/wire.ts';

/** A copy of an object's own properties, as descriptors (nothing of the page is called). */
function copyOf(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return out;
  const keys = ownKeys(value);
  for (let i = 0; i < keys.length; i++) {
    const d = ownDescriptor(value, keys[i] as string | symbol);
    if (d) defineProperty(out, keys[i] as string | symbol, d);
  }
  return out;
}

const set = (obj: object, key: string, value: unknown): boolean =>
  defineProperty(obj, key, { __proto__: null, value, writable: true, enumerable: true, configurable: true } as PropertyDescriptor);

/** The override the relay handed over (its JSON), or undefined when it is not one. */
export function parseOverride(json: string): InitOverride | undefined {
  try {
    const o = parse(json) as InitOverride;
    if (typeof o !== 'object' || o === null) return undefined;
    // Its optional fields are often absent: without a prototype, reading one reaches no getter the
    // page put on Object.prototype (which would see, and could change, the override).
    setPrototypeOf(o, null);
    return o;
  } catch {
    return undefined;
  }
}

/** The init arguments with the override in place: [key, capture URL, options, …rest]. */
export function applyOverride(args: ArrayLike<unknown>, o: InitOverride): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < args.length; i++) out[i] = args[i];
  if (typeof o.captureUrl === 'string') out[1] = o.captureUrl;
  const options = copyOf(args[2]);
  if (typeof o.token === 'string' || typeof o.cookiePath === 'string') {
    const d = ownDescriptor(options, 'talk');
    const talk = copyOf(d && 'value' in d ? d.value : undefined);
    if (typeof o.token === 'string') set(talk, 'token', o.token);
    if (typeof o.cookiePath === 'string') set(talk, 'cookiePath', o.cookiePath);
    set(options, 'talk', talk);
  }
  if (o.talkOn === true) {
    deleteProperty(options, 'disableTalk');
    deleteProperty(options, 'disableWidgets');
  }
  out[2] = options;
  return out;
}
