/**
 * Safe, bounded snapshots of page objects (which may be hostile).
 *
 * Rules: read own properties through descriptors only (never call a getter or a Proxy `get`),
 * survive cycles, throwing traps and revoked proxies, and stay within depth, key, string and
 * total-size limits. The result is plain JSON-compatible data.
 */

import { apply, getPrototypeOf, isArray, max, min, ownDescriptor, ownKeys, SetCtor, stringSlice } from './intrinsics.ts';

export type Snap =
  | null
  | boolean
  | number
  | string
  | { t: 'undef' }
  | { t: 'num'; v: string } // NaN, Infinity, -0
  | { t: 'big'; v: string }
  | { t: 'sym'; v: string }
  | { t: 'str'; v: string; len: number } // a cut string: v is the first part, len the full length
  | { t: 'fn'; name: string }
  | { t: 'get'; set: boolean } // an accessor: never called
  | { t: 'cycle' }
  | { t: 'deep' } // beyond the depth limit
  | { t: 'cut' } // beyond the total-size limit
  | { t: 'err'; v: string } // reading it threw (e.g. a Proxy trap)
  | { t: 'arr'; items: Snap[]; more: number }
  | { t: 'obj'; entries: [string, Snap][]; more: number; cls?: string };

export interface SnapshotLimits {
  depth: number;
  keys: number;
  stringLength: number;
  totalSize: number;
}

export const DEFAULT_LIMITS: SnapshotLimits = {
  depth: 6,
  keys: 200,
  stringLength: 16 * 1024,
  totalSize: 256 * 1024,
};

// Captured once at load: the recorder runs before page scripts, so these are the real built-ins
// even if the page later replaces them.
const objectProto = Object.prototype;
const arrayProto = Array.prototype;
const functionProto = Function.prototype;
const symbolToString = Symbol.prototype.toString;
const bigintToString = BigInt.prototype.toString;
const toStr = String;
const { is } = Object;
const { add: setAdd, has: setHas, delete: setDelete } = Set.prototype;
const numberIsFinite = Number.isFinite;

function describeError(e: unknown): string {
  try {
    if (e !== null && typeof e === 'object') {
      const d = ownDescriptor(e, 'message');
      if (d && typeof d.value === 'string') return apply(stringSlice, d.value, [0, 200]) as string;
    }
    return typeof e === 'string' ? (apply(stringSlice, e, [0, 200]) as string) : 'threw';
  } catch {
    return 'threw';
  }
}

/** The class name of an object, read from its prototype's constructor without calling getters. */
function className(value: object): string | undefined {
  const proto = getPrototypeOf(value);
  if (proto === null) return 'null-prototype';
  if (proto === objectProto || proto === arrayProto || proto === functionProto) return undefined;
  const ctor = ownDescriptor(proto, 'constructor');
  if (!ctor || typeof ctor.value !== 'function') return undefined;
  const name = ownDescriptor(ctor.value, 'name');
  return name && typeof name.value === 'string' ? (apply(stringSlice, name.value, [0, 100]) as string) : undefined;
}

function keyToString(key: string | symbol): string {
  return typeof key === 'symbol' ? (apply(symbolToString, key, []) as string) : key;
}

/** Takes a bounded, getter-free snapshot of any value. */
export function snapshot(value: unknown, limits: SnapshotLimits = DEFAULT_LIMITS): Snap {
  let size = 0;
  const path: Set<object> = new SetCtor();

  // `size` follows the JSON length of the result closely enough to keep it under the limit.
  const cut = (text: string, room: number): string => (text.length <= room ? text : `${apply(stringSlice, text, [0, room]) as string}…`);
  const marker = <T extends Snap>(m: T, cost = 20): T => {
    size += cost;
    return m;
  };

  function walk(v: unknown, depth: number): Snap {
    if (size > limits.totalSize) return marker({ t: 'cut' });
    switch (typeof v) {
      case 'undefined':
        return marker({ t: 'undef' }, 14);
      case 'boolean':
        size += 6;
        return v;
      case 'number':
        size += 24;
        return numberIsFinite(v) && !is(v, -0) ? v : { t: 'num', v: is(v, -0) ? '-0' : toStr(v) };
      case 'bigint': {
        const text = cut(apply(bigintToString, v, []) as string, 200);
        return marker({ t: 'big', v: text }, 20 + text.length);
      }
      case 'symbol': {
        const text = cut(apply(symbolToString, v, []) as string, min(limits.stringLength, 200));
        return marker({ t: 'sym', v: text }, 20 + text.length);
      }
      case 'string': {
        const room = max(0, min(limits.stringLength, limits.totalSize - size));
        if (v.length <= room) {
          size += v.length + 2;
          return v;
        }
        size += room + 30;
        return { t: 'str', v: apply(stringSlice, v, [0, room]) as string, len: v.length };
      }
    }
    if (v === null) {
      size += 5;
      return null;
    }
    const obj = v as object;
    if (typeof obj === 'function') {
      try {
        const d = ownDescriptor(obj, 'name');
        const name = d && typeof d.value === 'string' ? (apply(stringSlice, d.value, [0, 100]) as string) : '';
        return marker({ t: 'fn', name }, 20 + name.length);
      } catch (e) {
        return marker({ t: 'err', v: describeError(e) }, 220);
      }
    }
    if (apply(setHas, path, [obj])) return marker({ t: 'cycle' });
    if (depth >= limits.depth) return marker({ t: 'deep' });
    apply(setAdd, path, [obj]);
    try {
      return walkObject(obj, depth);
    } catch (e) {
      return marker({ t: 'err', v: describeError(e) }, 220);
    } finally {
      apply(setDelete, path, [obj]);
    }
  }

  function walkObject(obj: object, depth: number): Snap {
    size += 40;
    const keys = ownKeys(obj);
    const arr = isArray(obj);
    const items: Snap[] = [];
    const entries: [string, Snap][] = [];
    let taken = 0;
    let more = 0;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string | symbol;
      if (arr && key === 'length') continue;
      if (taken >= limits.keys || size > limits.totalSize) {
        more = keys.length - i;
        // An array's own "length" comes after its indices and is never shown: do not count it.
        if (arr && typeof key === 'string' && key !== 'length' && toStr(+key) === key) more--;
        break;
      }
      taken++;
      let child: Snap;
      try {
        const d = ownDescriptor(obj, key);
        if (!d) continue;
        child = 'value' in d ? walk(d.value, depth + 1) : { t: 'get', set: d.set !== undefined };
      } catch (e) {
        child = marker({ t: 'err', v: describeError(e) }, 220);
      }
      if (arr && typeof key === 'string' && toStr(items.length) === key) {
        size += 1;
        items[items.length] = child;
      } else {
        const name = cut(keyToString(key), limits.stringLength);
        size += name.length + 8;
        entries[entries.length] = [name, child];
      }
    }
    if (arr && entries.length === 0) return { t: 'arr', items, more };
    // An array with extra named keys is shown as an object so nothing is hidden.
    const all: [string, Snap][] = [];
    for (let i = 0; i < items.length; i++) all[all.length] = [toStr(i), items[i] as Snap];
    for (let i = 0; i < entries.length; i++) all[all.length] = entries[i] as [string, Snap];
    let cls: string | undefined;
    try {
      cls = className(obj);
    } catch {
      cls = undefined;
    }
    // (`cls` in the literal, even undefined, which JSON leaves out: adding it later would reach a
    // setter the page put on Object.prototype, with this snapshot as `this`.)
    return { t: 'obj', entries: arr ? all : entries, more, cls };
  }

  return walk(value, 0);
}

/** Reads an own data property of a snapshot object (no-op on anything else). */
export function snapGet(snap: Snap | undefined, key: string): Snap | undefined {
  if (snap === null || typeof snap !== 'object' || snap.t !== 'obj') return undefined;
  for (const [k, v] of snap.entries) if (k === key) return v;
  return undefined;
}

/** The string a snapshot holds, or undefined (a cut string gives its kept part). */
export function snapString(snap: Snap | undefined): string | undefined {
  if (typeof snap === 'string') return snap;
  if (snap !== null && typeof snap === 'object' && snap.t === 'str') return snap.v;
  return undefined;
}
