/**
 * Observes what the page does with `window.ap3c` without adding anything to it.
 *
 * The one accessor is on `window.ap3c` itself: it stores and returns the very value the page
 * assigns. Every read of the global `ap3c` (the snippet's queued calls, `ap3c.track(…)`, app.js
 * draining the queue) first looks at the object's own properties, and where the page (or Ortto's
 * script) has put a function we watch — init, track, the connectors' init, talk.setVerifiedSession,
 * a cmd.push of its own — it puts a transparent Proxy wrapper in that same property (same
 * attributes, same `this`, result and exception). No property is created on ap3c: `'talk' in ap3c`
 * is what the page made it. What is only visible as data (the queue growing, enableTalk set) is
 * recorded when it is seen. Where a property cannot be changed (frozen, non-configurable, a page
 * getter) nothing is forced: the recorder falls back to snapshots and says why in the timeline.
 */
import { apply, defineProperty, isArray, ownDescriptor, ProxyCtor, WeakSetCtor } from '../shared/intrinsics.ts';
import { NoteCode } from '../shared/notes.ts';
import { EventKind } from '../shared/protocol/wire.ts';

const { add: weakAdd, has: weakHas } = WeakSet.prototype;
const WeakMapCtor = WeakMap;
// (Taken here, not from page-globals: these hooks are unit-tested outside a browser.)
const microtask = queueMicrotask;
const { get: mapGet, set: mapSet } = WeakMap.prototype;

export type Recorder = (kind: EventKind, name: string, args?: unknown, note?: string) => void;

type MethodKind = typeof EventKind.Init | typeof EventKind.Track | typeof EventKind.SetVerifiedSession | typeof EventKind.CmdQueued;

export interface PageHooks {
  /** The current value of window.ap3c as the page would read it, or why it cannot be read. */
  readAp3c(): { state: 'absent' } | { state: 'present'; value: unknown } | { state: 'unreadable'; reason: string };
  /** Whether `get` is the getter of one of our own accessors (reading it runs no page code). */
  ours(get: unknown): boolean;
  /**
   * Whether window.ap3c is absent, or still our accessor holding nothing. Runs no page code (a
   * built-in read of window's own property; no descriptor field that Object.prototype could answer).
   */
  untouched(): boolean;
}

/** The functions watched on ap3c: [property (its name is the event's label), event]. Ortto's Magento and WooCommerce connectors start Ortto through their own init. */
const METHODS: [string, MethodKind][] = [
  ['init', EventKind.Init],
  ['track', EventKind.Track],
  ['initMagento', EventKind.Init],
  ['initWooCommerce', EventKind.Init],
];
/** After this many reads of window.ap3c in one task that changed nothing, the rest of the task is not looked at (a track loop). */
const QUIET_READS = 50;

const isObjectLike = (v: unknown): v is object => (typeof v === 'object' && v !== null) || typeof v === 'function';

/** What was last seen of one watched object: each property's value (our wrapper, once swapped in). */
interface Seen {
  values: Record<string, unknown>;
  /** The snippet's queue (an array): how many entries were seen. */
  queued: number;
  /** Reading the object threw (a hostile Proxy): not looked at again. */
  broken: boolean;
}

/**
 * `rewriteInit`: the arguments to pass on to the page's ap3c.init instead of its own ("Try on
 * reload"), or undefined to pass its own; recorded as passed on (what Ortto got).
 */
export function installHooks(win: Window, record: Recorder, rewriteInit?: (args: unknown[]) => unknown[] | undefined): PageHooks {
  const wrappers: WeakSet<object> = new WeakSetCtor();
  const seen: WeakMap<object, Seen> = new WeakMapCtor();

  function wrap(fn: unknown, kind: MethodKind, name: string): unknown {
    if (typeof fn !== 'function' || apply(weakHas, wrappers, [fn])) return fn;
    const proxy = new ProxyCtor(fn, {
      // (No prototype: the engine looks every other trap up on the handler, and must not find a page's.)
      __proto__: null,
      apply(target, thisArg, args) {
        // No `finally`: only init looks at ap3c afterwards, and in a page's cold track loop a
        // `finally` cost 0.04–0.18 µs a call.
        const init = kind === EventKind.Init;
        if (name === 'init' && rewriteInit) args = rewriteInit(args) ?? args;
        record(kind, name, args);
        let result: unknown;
        try {
          result = apply(target, thisArg, args);
        } catch (error) {
          record(EventKind.CallThrew, name, [error]);
          // Ortto's init sets up talk and the rest: look at once, whatever reference the page calls through.
          if (init) look(thisArg);
          throw error;
        }
        if (init) look(thisArg);
        return result;
      },
    } as ProxyHandler<(...args: unknown[]) => unknown>);
    apply(weakAdd, wrappers, [proxy]);
    return proxy;
  }

  /**
   * A function the snippet queued on ap3c.cmd, in its place: when Ortto's script runs it, ap3c is
   * looked at first, so the init it calls is ours even if the snippet holds ap3c in a constant of
   * its own (no read of window.ap3c in between).
   */
  function wrapQueued(fn: unknown, ap3c: object): unknown {
    if (typeof fn !== 'function' || apply(weakHas, wrappers, [fn])) return fn;
    const proxy = new ProxyCtor(fn, {
      // (No prototype: the engine looks every other trap up on the handler, and must not find a page's.)
      __proto__: null,
      apply(target, thisArg, args) {
        look(ap3c);
        return apply(target, thisArg, args);
      },
    } as ProxyHandler<(...args: unknown[]) => unknown>);
    apply(weakAdd, wrappers, [proxy]);
    return proxy;
  }

  function seenOf(obj: object): Seen {
    let s = apply(mapGet, seen, [obj]) as Seen | undefined;
    if (!s) {
      s = { values: { __proto__: null } as Seen['values'], queued: 0, broken: false };
      apply(mapSet, seen, [obj, s]);
    }
    return s;
  }

  /**
   * Looks at `obj[prop]`; returns whether it changed since last time. A function newly there gets
   * our wrapper in the same data property (no new property; the same attributes).
   */
  function watchMethod(obj: object, s: Seen, prop: string, kind: MethodKind, label: string): boolean {
    const d = ownDescriptor(obj, prop);
    const value = d ? ('value' in d ? d.value : d.get) : undefined;
    if (value === s.values[prop]) return false;
    s.values[prop] = value;
    if (!d || typeof value !== 'function') return true;
    if (!('value' in d)) {
      record(EventKind.HookFailed, label, undefined, NoteCode.PageGetter);
      return true;
    }
    if (apply(weakHas, wrappers, [value])) return true;
    record(EventKind.MethodDefined, label);
    const wrapped = wrap(value, kind, label);
    let ok = false;
    try {
      ok = (d.writable || d.configurable) === true && defineProperty(obj, prop, { __proto__: null, ...d, value: wrapped } as PropertyDescriptor);
    } catch {
      ok = false;
    }
    if (ok) s.values[prop] = wrapped;
    else record(EventKind.HookFailed, label, undefined, d.configurable || d.writable ? NoteCode.Frozen : NoteCode.NotConfigurable);
    return true;
  }

  /** The data value of `obj[prop]`, never calling a getter. */
  function dataOf(obj: object, prop: string): unknown {
    const d = ownDescriptor(obj, prop);
    return d && 'value' in d ? d.value : undefined;
  }

  /** Looks at everything watched on one ap3c object; returns whether anything changed. */
  function look(ap3c: unknown): boolean {
    if (!isObjectLike(ap3c)) return false;
    const s = seenOf(ap3c);
    if (s.broken) return false;
    let changed = false;
    try {
      for (let i = 0; i < METHODS.length; i++) {
        // (Read by index: an array pattern would call the array iterator, which the page may have replaced.)
        const m = METHODS[i] as [string, MethodKind];
        if (watchMethod(ap3c, s, m[0], m[1], m[0])) changed = true;
      }
      // ap3c.talk.setVerifiedSession (Ortto's script creates talk).
      const talk = dataOf(ap3c, 'talk');
      if (isObjectLike(talk)) {
        const ts = seenOf(talk);
        if (!ts.broken && watchMethod(talk, ts, 'setVerifiedSession', EventKind.SetVerifiedSession, 'talk.setVerifiedSession')) changed = true;
      }
      // The queue: an array the snippet pushes to (seen growing), or Ortto's object with its own push (wrapped).
      const cmd = dataOf(ap3c, 'cmd');
      if (cmd !== s.values.cmd) {
        s.values.cmd = cmd;
        s.queued = 0;
        changed = true;
      }
      if (isObjectLike(cmd)) {
        if (isArray(cmd)) {
          const length = dataOf(cmd, 'length') as number;
          // (At most the first 1,000 entries: a page can make the queue sparse with one `length` store, or a Proxy say Infinity.)
          for (; s.queued < length && s.queued < 1e3; s.queued++) {
            const index = `${s.queued}`;
            const d = ownDescriptor(cmd, index);
            const entry = d && 'value' in d ? d.value : undefined;
            record(EventKind.CmdQueued, 'cmd.push', [entry]);
            // The same entry, our wrapper in its place (a value, not a new property).
            const wrapped = wrapQueued(entry, ap3c);
            if (d && wrapped !== entry && d.writable) defineProperty(cmd, index, { __proto__: null, ...d, value: wrapped } as PropertyDescriptor);
            changed = true;
          }
        } else if (watchMethod(cmd, seenOf(cmd), 'push', EventKind.CmdQueued, 'cmd.push')) changed = true;
      }
      // When it was set tells a page that switches Talk off from Ortto's in-app webview runner (after init).
      const enableTalk = dataOf(ap3c, 'enableTalk');
      if (enableTalk !== s.values.enableTalk) {
        s.values.enableTalk = enableTalk;
        if (enableTalk !== undefined) record(EventKind.FlagSet, 'enableTalk', [enableTalk]);
        changed = true;
      }
    } catch {
      s.broken = true;
      record(EventKind.HookFailed, 'ap3c', undefined, NoteCode.ReadThrew);
    }
    return changed;
  }

  // Reads of window.ap3c in this task that changed nothing (reset by a microtask at the task's end).
  let quiet = 0;
  let resetQueued = false;
  const resetQuiet = (): void => {
    quiet = 0;
    resetQueued = false;
  };
  /** On every read of window.ap3c, until a burst of reads in one task has shown nothing new (the getter checks `quiet`). */
  function onRead(ap3c: unknown): void {
    if (!resetQueued) {
      resetQueued = true;
      apply(microtask, undefined, [resetQuiet]);
    }
    quiet = look(ap3c) ? 0 : quiet + 1;
  }

  // window.ap3c itself: an accessor that keeps the page's value. The snippet assigns it twice
  // (`window.ap3c = …` then `var ap3c = …`): only a different value is worth a timeline entry.
  let lastAssigned: unknown;
  let assignedOnce = false;
  // Our accessor on window.ap3c, once it is in place.
  let installed: PropertyDescriptor | null = null;
  // What the page last assigned to window.ap3c through our accessor.
  let current: unknown;
  /** window.ap3c's own descriptor (undefined: none), or null if reading it threw. */
  const ownAp3c = (): PropertyDescriptor | undefined | null => {
    try {
      return ownDescriptor(win, 'ap3c');
    } catch {
      return null;
    }
  };
  {
    const d = ownAp3c();
    if (d === null) record(EventKind.HookFailed, 'ap3c', undefined, NoteCode.ReadThrew);
    const assigned = (value: unknown): void => {
      if (!assignedOnce || value !== lastAssigned) record(EventKind.Ap3cAssigned, 'ap3c', undefined, describe(value));
      assignedOnce = true;
      lastAssigned = value;
      look(value);
    };
    if (d && !('value' in d)) record(EventKind.HookFailed, 'ap3c', undefined, NoteCode.PageGetter);
    else if (d && !d.configurable) {
      record(EventKind.HookFailed, 'ap3c', undefined, NoteCode.NotConfigurable);
      if (isObjectLike(d.value)) look(d.value);
    } else {
      let enumerable = d ? d.enumerable === true : false;
      const writable = d ? d.writable !== false : true;
      const descriptor = {
        __proto__: null,
        configurable: true,
        enumerable,
        get() {
          // (Checked here: in a track loop a call per read is most of what a quiet read costs.)
          if (quiet < QUIET_READS) onRead(current);
          return current;
        },
        set(value: unknown) {
          if (!writable) return;
          current = value;
          assigned(value);
          if (!enumerable) {
            // A plain assignment would have created an enumerable property: match it.
            enumerable = true;
            defineProperty(win, 'ap3c', { __proto__: null, ...descriptor, enumerable: true } as PropertyDescriptor);
          }
        },
      } as PropertyDescriptor;
      if (d) {
        current = d.value;
        assigned(d.value);
      }
      let ok = false;
      try {
        ok = defineProperty(win, 'ap3c', descriptor);
      } catch {
        ok = false;
      }
      if (ok) installed = descriptor;
      else record(EventKind.HookFailed, 'ap3c', undefined, NoteCode.Frozen);
    }
  }

  return {
    ours: (get) => installed !== null && get === installed.get,
    untouched() {
      const d = ownAp3c();
      // An accessor's descriptor has its own `get`; a data descriptor is the page's value.
      return d === undefined || (d !== null && installed !== null && !('value' in d) && d.get === installed.get && current === undefined);
    },
    readAp3c() {
      const d = ownAp3c();
      if (d === null) return { state: 'unreadable', reason: NoteCode.Ap3cThrew };
      if (!d) return { state: 'absent' };
      let value: unknown;
      if (installed?.get && d.get === installed.get) value = apply(installed.get, win, []);
      else if ('value' in d) value = d.value;
      else return { state: 'unreadable', reason: NoteCode.Ap3cGetter };
      // Looked at in full (a page that redefined window.ap3c after us, or a quiet task).
      look(value);
      return value === undefined ? { state: 'absent' } : { state: 'present', value };
    },
  };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  try {
    // (Throws on a revoked Proxy: it must not throw into the page's assignment.)
    if (isArray(value)) return 'an array';
  } catch {}
  return typeof value === 'object' ? 'an object' : typeof value;
}
