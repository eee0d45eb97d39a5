/**
 * Observes what the page does with `window.ap3c` without changing what the page sees:
 * accessors that store and return the very values the page assigns, and Proxy wrappers whose
 * `apply` records the call then forwards it unchanged (same `this`, same result, same exception).
 * Where a property cannot be redefined (frozen, non-configurable, page-defined getter) nothing is
 * forced: the recorder falls back to snapshots and says why in the timeline.
 */
import { apply, defineProperty, getOwnPropertyDescriptor, getPrototypeOf, isArray, ProxyCtor, WeakSetCtor } from '../shared/intrinsics.ts';
import { NoteCode } from '../shared/notes.ts';
import { EventKind } from '../shared/protocol/wire.ts';

const { add: weakAdd, has: weakHas } = WeakSet.prototype;

export type Recorder = (kind: EventKind, name: string, args?: unknown, note?: string) => void;

type MethodKind = typeof EventKind.Init | typeof EventKind.Track | typeof EventKind.SetVerifiedSession | typeof EventKind.CmdQueued;

export interface PageHooks {
  /** The current value of window.ap3c as the page would read it, or why it cannot be read. */
  readAp3c(): { state: 'absent' } | { state: 'present'; value: unknown } | { state: 'unreadable'; reason: string };
  /** Whether `get` is the getter of one of our own accessors (reading it runs no page code). */
  ours(get: unknown): boolean;
}

const isObjectLike = (v: unknown): v is object => (typeof v === 'object' && v !== null) || typeof v === 'function';

export function installHooks(win: Window, record: Recorder): PageHooks {
  const hooked: WeakSet<object> = new WeakSetCtor();
  const wrappers: WeakSet<object> = new WeakSetCtor();
  const getters: WeakSet<object> = new WeakSetCtor();

  function wrap(fn: unknown, kind: MethodKind, name: string): unknown {
    if (typeof fn !== 'function' || apply(weakHas, wrappers, [fn])) return fn;
    const proxy = new ProxyCtor(fn, {
      apply(target, thisArg, args) {
        record(kind, name, args);
        try {
          return apply(target, thisArg, args);
        } catch (error) {
          record(EventKind.CallThrew, name, [error]);
          throw error;
        }
      },
    });
    apply(weakAdd, wrappers, [proxy]);
    return proxy;
  }

  /**
   * Replaces `obj[prop]` by an accessor that keeps the page's value and calls `onValue` on every
   * assignment. Properties that did not exist stay non-enumerable until the page assigns them.
   */
  function watchProperty(obj: object, prop: string, label: string, onValue: (value: unknown) => unknown): PropertyDescriptor | null {
    let d: PropertyDescriptor | undefined;
    try {
      d = getOwnPropertyDescriptor(obj, prop);
    } catch {
      record(EventKind.HookFailed, label, undefined, NoteCode.ReadThrew);
      return null;
    }
    if (d && !('value' in d)) {
      record(EventKind.HookFailed, label, undefined, NoteCode.PageGetter);
      return null;
    }
    if (d && !d.configurable) {
      record(EventKind.HookFailed, label, undefined, NoteCode.NotConfigurable);
      if (typeof d.value === 'object' || typeof d.value === 'function') onValue(d.value);
      return null;
    }
    let current = d ? onValue(d.value) : undefined;
    let enumerable = d ? d.enumerable === true : false;
    const writable = d ? d.writable !== false : true;
    const descriptor: PropertyDescriptor = {
      configurable: true,
      enumerable,
      get() {
        return current;
      },
      set(value: unknown) {
        if (!writable) return;
        current = onValue(value);
        if (!enumerable) {
          // A plain assignment would have created an enumerable property: match it.
          enumerable = true;
          defineProperty(obj, prop, { ...descriptor, enumerable: true });
        }
      },
    };
    apply(weakAdd, getters, [descriptor.get]);
    let ok = false;
    try {
      ok = defineProperty(obj, prop, descriptor);
    } catch {
      ok = false;
    }
    if (!ok) record(EventKind.HookFailed, label, undefined, NoteCode.Frozen);
    return ok ? descriptor : null;
  }

  function hookMethod(obj: object, prop: string, kind: MethodKind, label: string): void {
    watchProperty(obj, prop, label, (value) => {
      if (typeof value === 'function') record(EventKind.MethodDefined, label);
      return wrap(value, kind, label);
    });
  }

  function hookTalk(talk: unknown): unknown {
    if (isObjectLike(talk) && !apply(weakHas, hooked, [talk])) {
      apply(weakAdd, hooked, [talk]);
      hookMethod(talk, 'setVerifiedSession', EventKind.SetVerifiedSession, 'talk.setVerifiedSession');
    }
    return talk;
  }

  /** Finds `prop` along the prototype chain through descriptors only (no getter, no Proxy `get`). */
  function findData(obj: object, prop: string): PropertyDescriptor | undefined {
    let o: object | null = obj;
    for (let i = 0; o !== null && i < 20; i++) {
      const d = getOwnPropertyDescriptor(o, prop);
      if (d) return d;
      o = getPrototypeOf(o);
    }
    return undefined;
  }

  function hookCmd(cmd: unknown): unknown {
    if (!isObjectLike(cmd) || apply(weakHas, hooked, [cmd])) return cmd;
    apply(weakAdd, hooked, [cmd]);
    try {
      const own = getOwnPropertyDescriptor(cmd, 'push');
      if (own) {
        if ('value' in own) hookMethod(cmd, 'push', EventKind.CmdQueued, 'cmd.push');
        return cmd;
      }
      // An array inherits push: give it an own, non-enumerable wrapper of the inherited one.
      const inherited = findData(cmd, 'push');
      if (!inherited || typeof inherited.value !== 'function') return cmd;
      const ok = defineProperty(cmd, 'push', {
        configurable: true,
        enumerable: false,
        writable: true,
        value: wrap(inherited.value, EventKind.CmdQueued, 'cmd.push'),
      });
      if (!ok) record(EventKind.HookFailed, 'cmd.push', undefined, NoteCode.CmdFrozen);
    } catch {
      record(EventKind.HookFailed, 'cmd.push', undefined, NoteCode.CmdUnreadable);
    }
    return cmd;
  }

  function hookAp3c(ap3c: unknown): void {
    if (!isObjectLike(ap3c) || apply(weakHas, hooked, [ap3c])) return;
    apply(weakAdd, hooked, [ap3c]);
    hookMethod(ap3c, 'init', EventKind.Init, 'init');
    hookMethod(ap3c, 'track', EventKind.Track, 'track');
    // Ortto's Magento and WooCommerce connectors start Ortto through these instead of init.
    hookMethod(ap3c, 'initMagento', EventKind.Init, 'initMagento');
    hookMethod(ap3c, 'initWooCommerce', EventKind.Init, 'initWooCommerce');
    watchProperty(ap3c, 'talk', 'talk', hookTalk);
    watchProperty(ap3c, 'cmd', 'cmd', hookCmd);
    // When it was set tells a page that switches Talk off from Ortto's in-app webview runner (after init).
    watchProperty(ap3c, 'enableTalk', 'enableTalk', (value) => {
      record(EventKind.FlagSet, 'enableTalk', [value]);
      return value;
    });
  }

  // window.ap3c itself. The snippet assigns it twice (`window.ap3c = …` then `var ap3c = …`):
  // only a different value is worth a timeline entry.
  let lastAssigned: unknown;
  let assignedOnce = false;
  const ours = watchProperty(win, 'ap3c', 'ap3c', (value) => {
    if (!assignedOnce || value !== lastAssigned) record(EventKind.Ap3cAssigned, 'ap3c', undefined, describe(value));
    assignedOnce = true;
    lastAssigned = value;
    hookAp3c(value);
    return value;
  });

  return {
    ours: (get) => isObjectLike(get) && (apply(weakHas, getters, [get]) as boolean),
    readAp3c() {
      let d: PropertyDescriptor | undefined;
      try {
        d = getOwnPropertyDescriptor(win, 'ap3c');
      } catch {
        return { state: 'unreadable', reason: NoteCode.Ap3cThrew };
      }
      if (!d) return { state: 'absent' };
      let value: unknown;
      if (ours?.get && d.get === ours.get) value = apply(ours.get, win, []);
      else if ('value' in d) value = d.value;
      else return { state: 'unreadable', reason: NoteCode.Ap3cGetter };
      // A page that redefined window.ap3c after us still gets its object hooked where possible.
      hookAp3c(value);
      return value === undefined ? { state: 'absent' } : { state: 'present', value };
    },
  };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}
