import { describe, expect, it } from 'vitest';
import { installHooks, type PageHooks } from '../../src/page/hooks.ts';
import { EventKind } from '../../src/shared/protocol/wire.ts';

interface Recorded {
  kind: EventKind;
  name: string;
  args?: unknown;
  note?: string;
}

// The page's view of the world: loose objects, as page scripts see them.
// biome-ignore lint/suspicious/noExplicitAny: stands in for arbitrary page code
type Loose = any;

function setup(win: Record<string, unknown> = {}): { win: Loose; events: Recorded[]; hooks: PageHooks; kinds: () => EventKind[] } {
  const events: Recorded[] = [];
  const hooks = installHooks(win as unknown as Window, (kind, name, args, note) => {
    const e: Recorded = { kind, name };
    if (args !== undefined) e.args = args;
    if (note !== undefined) e.note = note;
    events.push(e);
  });
  return { win, events, hooks, kinds: () => events.map((e) => e.kind) };
}

/** The real snippet shape: window.ap3c = window.ap3c || {}; var ap3c = window.ap3c; ap3c.cmd = ap3c.cmd || []; ap3c.cmd.push(fn). */
function runSnippet(win: Loose, queued: () => void = () => {}): Loose {
  win.ap3c = win.ap3c || {};
  const ap3c = win.ap3c;
  ap3c.cmd = ap3c.cmd || [];
  ap3c.cmd.push(queued);
  return ap3c;
}

/** A fake capture script (app.js): defines init, track and talk, then runs the queue. */
function runCaptureScript(win: Loose, log: string[] = []): Loose {
  win.ap3c = win.ap3c || {};
  const ap3c = win.ap3c;
  ap3c.init = function (this: Loose, key: string, url: string, options: unknown) {
    this.uniqueID = 'x';
    log.push(`init:${key}:${url}:${JSON.stringify(options)}`);
    return 42;
  };
  ap3c.track = (payload: unknown) => {
    log.push(`track:${JSON.stringify(payload)}`);
  };
  ap3c.talk = {
    setVerifiedSession(a: { token: string }) {
      log.push(`session:${a.token}`);
      return 'ok';
    },
  };
  for (const fn of ap3c.cmd as (() => void)[]) fn();
  return ap3c;
}

describe('installHooks: the real snippet and capture script', () => {
  it('records the page’s whole sequence and the init arguments', () => {
    const { win, events, kinds } = setup();
    const log: string[] = [];
    const options = { talk: { token: 'tok-123', cookiePath: '/x/' } };
    runSnippet(win, () => {
      win.ap3c.init('KEY', 'https://capture-api.autopilotapp.com/', options);
      win.ap3c.track({ v: 0 });
    });
    const ap3c = runCaptureScript(win, log);
    // Page code names the global: window.ap3c (or the top-level `ap3c`, the same property).
    win.ap3c.talk.setVerifiedSession({ token: 'later-token' });

    expect(kinds()).toEqual([
      EventKind.Ap3cAssigned,
      EventKind.CmdQueued,
      EventKind.MethodDefined,
      EventKind.MethodDefined,
      EventKind.MethodDefined,
      EventKind.Init,
      EventKind.Track,
      EventKind.SetVerifiedSession,
    ]);
    expect(events.filter((e) => e.kind === EventKind.MethodDefined).map((e) => e.name)).toEqual(['init', 'track', 'talk.setVerifiedSession']);
    const init = events.find((e) => e.kind === EventKind.Init);
    expect(init?.name).toBe('init');
    expect(init?.args).toEqual(['KEY', 'https://capture-api.autopilotapp.com/', options]);
    expect((init?.args as unknown[] | undefined)?.[2]).toBe(options);
    expect(events.find((e) => e.kind === EventKind.Track)?.args).toEqual([{ v: 0 }]);
    expect(events.find((e) => e.kind === EventKind.SetVerifiedSession)).toMatchObject({ name: 'talk.setVerifiedSession', args: [{ token: 'later-token' }] });
    expect(events.find((e) => e.kind === EventKind.CmdQueued)?.name).toBe('cmd.push');
    expect(events[0]).toMatchObject({ kind: EventKind.Ap3cAssigned, name: 'ap3c', note: 'an object' });

    // The page's own code ran exactly as without the hooks.
    expect(log).toEqual([`init:KEY:https://capture-api.autopilotapp.com/:${JSON.stringify(options)}`, 'track:{"v":0}', 'session:later-token']);
    expect(ap3c.uniqueID).toBe('x');
  });

  it('records window.ap3c only once when the snippet and app.js assign the same object again', () => {
    const { win, kinds } = setup();
    runSnippet(win);
    win.ap3c = win.ap3c || {};
    const same = win.ap3c;
    win.ap3c = same;
    expect(kinds().filter((k) => k === EventKind.Ap3cAssigned)).toHaveLength(1);
    win.ap3c = {};
    expect(kinds().filter((k) => k === EventKind.Ap3cAssigned)).toHaveLength(2);
  });

  it('the wrapped init returns the same value and receives the same `this`', () => {
    const { win } = setup();
    const ap3c = runSnippet(win);
    let seenThis: unknown;
    const original = function (this: unknown) {
      seenThis = this;
      return 42;
    };
    ap3c.init = original;
    expect(win.ap3c.init('K', 'U')).toBe(42);
    expect(seenThis).toBe(ap3c);
    const other = { marker: true };
    expect(ap3c.init.call(other)).toBe(42);
    expect(seenThis).toBe(other);
    // The wrapper looks like the original to the page.
    expect(typeof ap3c.init).toBe('function');
    expect(ap3c.init.name).toBe('original');
    expect(ap3c.init.length).toBe(original.length);
    // The known deviation (docs/reliability.md): its source text reads as a built-in's.
    expect(ap3c.init).not.toBe(original);
    expect(Function.prototype.toString.call(original)).toContain('return 42');
    expect(Function.prototype.toString.call(ap3c.init)).toMatch(/^function \w*\(\) \{\s*\[native code\]\s*\}$/);
  });

  it('a throwing method rethrows the SAME error object and records call-threw', () => {
    const { win, events } = setup();
    const ap3c = runSnippet(win);
    const error = new Error('capture failed');
    ap3c.init = () => {
      throw error;
    };
    let caught: unknown;
    try {
      win.ap3c.init('K');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBe(error);
    const threw = events.find((e) => e.kind === EventKind.CallThrew);
    expect(threw?.name).toBe('init');
    expect((threw?.args as unknown[] | undefined)?.[0]).toBe(error);
    // The call itself is recorded before it threw.
    expect(events.map((e) => e.kind).slice(-2)).toEqual([EventKind.Init, EventKind.CallThrew]);
  });

  it('a throwing track (no init around it) rethrows the SAME error and records call-threw too', () => {
    const { win, events } = setup();
    const ap3c = runSnippet(win);
    const error = new Error('track failed');
    ap3c.track = () => {
      throw error;
    };
    for (let i = 0; i < 2; i++) expect(() => win.ap3c.track({ i })).toThrow(error);
    const threw = events.filter((e) => e.kind === EventKind.CallThrew);
    expect(threw.map((e) => e.name)).toEqual(['track', 'track']);
    expect((threw[1]?.args as unknown[] | undefined)?.[0]).toBe(error);
    expect(events.map((e) => e.kind).slice(-4)).toEqual([EventKind.Track, EventKind.CallThrew, EventKind.Track, EventKind.CallThrew]);
  });

  it('rethrows non-Error throws unchanged', () => {
    const { win } = setup();
    const ap3c = runSnippet(win);
    const thrown = { code: 7 };
    ap3c.track = () => {
      throw thrown;
    };
    expect(() => win.ap3c.track()).toThrow();
    try {
      win.ap3c.track();
    } catch (e) {
      expect(e).toBe(thrown);
    }
  });

  it('adds no enumerable property the page did not create itself', () => {
    const { win } = setup();
    expect(Object.keys(win)).toEqual([]);
    expect(win.ap3c).toBeUndefined();
    const ap3c = runSnippet(win);
    expect(Object.keys(win)).toEqual(['ap3c']);
    // Before the capture script runs, the page created only cmd.
    expect(Object.keys(ap3c)).toEqual(['cmd']);
    // Nothing of ours on ap3c, enumerable or not: `'talk' in ap3c` is what the page made it.
    expect(Object.getOwnPropertyNames(ap3c)).toEqual(['cmd']);
    for (const name of ['init', 'track', 'talk', 'initMagento', 'initWooCommerce', 'enableTalk']) expect(name in ap3c).toBe(false);
    expect(Object.getOwnPropertyNames(ap3c.cmd)).toEqual(['0', 'length']);
    expect(ap3c.init).toBeUndefined();
    expect(ap3c.track).toBeUndefined();
    expect(ap3c.talk).toBeUndefined();
    expect(JSON.stringify(ap3c)).toBe('{"cmd":[null]}');
    expect(Object.keys(ap3c.cmd)).toEqual(['0']);
    expect(Array.isArray(ap3c.cmd)).toBe(true);
    expect(ap3c.cmd).toHaveLength(1);

    runCaptureScript(win);
    expect([...Object.keys(ap3c)].sort()).toEqual(['cmd', 'init', 'talk', 'track']);
    expect(Object.getOwnPropertyNames(ap3c).sort()).toEqual(['cmd', 'init', 'talk', 'track']);
    // Data properties, as the page made them (our wrapper is their value).
    expect(Object.getOwnPropertyDescriptor(ap3c, 'init')).toMatchObject({ writable: true, enumerable: true, configurable: true });
    expect(Object.keys(ap3c.talk)).toEqual(['setVerifiedSession']);
    expect(Object.keys(win)).toEqual(['ap3c']);
  });

  it("keeps the order of ap3c's properties as the page created them", () => {
    const { win } = setup();
    win.first = 1;
    const ap3c = runSnippet(win);
    runCaptureScript(win);
    expect(Object.keys(win).sort()).toEqual(['ap3c', 'first']);
    expect(Object.keys(ap3c)).toEqual(['cmd', 'init', 'track', 'talk']);
  });

  it('keeps the page’s existing properties and values (e.g. window.ap3c set before install)', () => {
    const existing = { cmd: [] as unknown[], other: 1 };
    const { win, events, hooks } = setup({ ap3c: existing, unrelated: 'x' });
    expect(events[0]).toMatchObject({ kind: EventKind.Ap3cAssigned });
    expect(win.ap3c).toBe(existing);
    expect(Object.keys(win)).toEqual(['ap3c', 'unrelated']);
    expect(Object.keys(existing)).toEqual(['cmd', 'other']);
    existing.cmd.push(() => 1);
    // Seen at the next read of window.ap3c (the queue is plain data: nothing is added to it).
    void win.ap3c;
    expect(events.at(-1)?.kind).toBe(EventKind.CmdQueued);
    expect(hooks.readAp3c()).toEqual({ state: 'present', value: existing });
  });

  it('wraps a replacement init too', () => {
    const { win, events } = setup();
    const ap3c = runSnippet(win);
    ap3c.init = () => 1;
    expect(win.ap3c.init()).toBe(1);
    ap3c.init = () => 2;
    expect(win.ap3c.init()).toBe(2);
    expect(events.filter((e) => e.kind === EventKind.Init)).toHaveLength(2);
    expect(events.filter((e) => e.kind === EventKind.MethodDefined)).toHaveLength(2);
  });

  it('does not wrap a wrapper twice (re-assigning the same method records one call per call)', () => {
    const { win, events } = setup();
    const ap3c = runSnippet(win);
    ap3c.init = () => 1;
    const wrapped = win.ap3c.init;
    ap3c.init = wrapped;
    const copy = { init: win.ap3c.init };
    ap3c.init = copy.init;
    win.ap3c.init();
    expect(events.filter((e) => e.kind === EventKind.Init)).toHaveLength(1);
  });

  it('watches a replacement talk object and a replacement cmd', () => {
    const { win, events } = setup();
    const ap3c = runSnippet(win);
    ap3c.talk = { setVerifiedSession: () => 'a' };
    ap3c.talk = { setVerifiedSession: () => 'b' };
    expect(win.ap3c.talk.setVerifiedSession({ token: 't' })).toBe('b');
    const ran: string[] = [];
    // The capture script replaces the queue by an object whose push runs commands at once.
    ap3c.cmd = { push: (fn: () => void) => fn() };
    win.ap3c.cmd.push(() => ran.push('ran'));
    expect(ran).toEqual(['ran']);
    expect(events.filter((e) => e.kind === EventKind.SetVerifiedSession)).toHaveLength(1);
    expect(events.filter((e) => e.kind === EventKind.CmdQueued)).toHaveLength(2);
    expect(Object.getOwnPropertyNames(ap3c.cmd)).toEqual(['push']);
  });

  it('records a talk object assigned with a method added later', () => {
    const { win, events } = setup();
    const ap3c = runSnippet(win);
    ap3c.talk = {};
    ap3c.talk.setVerifiedSession = () => 'later';
    expect(win.ap3c.talk.setVerifiedSession({ token: 'z' })).toBe('later');
    expect(events.at(-1)).toMatchObject({ kind: EventKind.SetVerifiedSession, args: [{ token: 'z' }] });
    expect(Object.keys(ap3c.talk)).toEqual(['setVerifiedSession']);
  });

  it('lets the page delete and redefine its properties', () => {
    const { win } = setup();
    const ap3c = runSnippet(win);
    ap3c.init = () => 1;
    delete ap3c.init;
    expect('init' in ap3c).toBe(false);
    Object.defineProperty(ap3c, 'track', { value: 5, enumerable: false, configurable: true, writable: true });
    expect(ap3c.track).toBe(5);
  });
});

describe('installHooks: leaves no trace on ap3c, and still sees calls made through a reference of the page', () => {
  it('a snippet that keeps ap3c in a constant: the queued init is recorded when Ortto runs the queue', () => {
    const { win, events } = setup();
    // const ap3c = (window.ap3c = window.ap3c || {}); … the queued function names the constant, never window.ap3c.
    win.ap3c = win.ap3c || {};
    const ap3c: Loose = win.ap3c;
    ap3c.cmd = ap3c.cmd || [];
    const queued = () => ap3c.init('KEY', 'https://capture-api.autopilotapp.com/');
    ap3c.cmd.push(queued);
    expect('init' in ap3c).toBe(false);
    // app.js: finds window.ap3c once, defines its functions on it, runs the queue through its own reference.
    const a: Loose = win.ap3c;
    a.init = function (this: Loose) {
      this.talk = { setVerifiedSession: () => 'ok' };
      return 1;
    };
    for (const fn of a.cmd as (() => void)[]) fn();
    expect(events.filter((e) => e.kind === EventKind.Init).map((e) => e.args)).toEqual([['KEY', 'https://capture-api.autopilotapp.com/']]);
    // talk, created by init, is watched at once: a later call through the same constant is recorded.
    expect(ap3c.talk.setVerifiedSession({ token: 't' })).toBe('ok');
    expect(events.at(-1)).toMatchObject({ kind: EventKind.SetVerifiedSession, args: [{ token: 't' }] });
    // Nothing of ours was added: the page's properties only, as data properties.
    expect(Object.getOwnPropertyNames(ap3c).sort()).toEqual(['cmd', 'init', 'talk']);
    expect(Object.getOwnPropertyNames(ap3c.talk)).toEqual(['setVerifiedSession']);
    // The queued function runs as the page's own (our wrapper forwards it).
    expect(typeof ap3c.cmd[0]).toBe('function');
    expect(ap3c.cmd).toHaveLength(1);
  });
});

describe('installHooks: objects that cannot be hooked', () => {
  it('a frozen ap3c does not throw and stays as it is', () => {
    const { win } = setup();
    const frozen = Object.freeze({ cmd: [] as unknown[] });
    expect(() => {
      win.ap3c = frozen;
    }).not.toThrow();
    expect(win.ap3c).toBe(frozen);
    expect(Object.isFrozen(frozen)).toBe(true);
    expect(Object.getOwnPropertyNames(frozen)).toEqual(['cmd']);
  });

  it('a frozen ap3c with methods already defined still records their calls by wrapping nothing and not throwing', () => {
    const { win, events } = setup();
    let called = 0;
    const frozen = Object.freeze({
      init: () => {
        called++;
        return 'r';
      },
    });
    win.ap3c = frozen;
    expect(frozen.init()).toBe('r');
    expect(called).toBe(1);
    expect(events.some((e) => e.kind === EventKind.HookFailed && e.name === 'init')).toBe(true);
  });

  it('a frozen cmd array is left as it is, and its entries are still seen', () => {
    const { win, events } = setup();
    win.ap3c = {};
    const frozenQueue = Object.freeze([() => 1] as unknown[]);
    expect(() => {
      win.ap3c.cmd = frozenQueue;
    }).not.toThrow();
    expect(win.ap3c.cmd).toBe(frozenQueue);
    expect(events.filter((e) => e.kind === EventKind.CmdQueued)).toHaveLength(1);
  });

  it('a hostile cmd Proxy does not make the page’s assignment throw', () => {
    const { win } = setup();
    win.ap3c = {};
    const hostile = new Proxy([] as unknown[], {
      getOwnPropertyDescriptor() {
        throw new Error('hostile');
      },
    });
    expect(() => {
      win.ap3c.cmd = hostile;
    }).not.toThrow();
  });

  it('a hostile ap3c Proxy does not make the page’s assignment throw', () => {
    const { win, events } = setup();
    const boom = () => {
      throw new Error('hostile');
    };
    const hostile = new Proxy({}, { getOwnPropertyDescriptor: boom, defineProperty: boom, get: boom, has: boom, ownKeys: boom });
    expect(() => {
      win.ap3c = hostile;
    }).not.toThrow();
    expect(events.some((e) => e.kind === EventKind.HookFailed)).toBe(true);
  });

  it('non-object ap3c values are recorded and not hooked', () => {
    const { win, events, hooks } = setup();
    win.ap3c = 5;
    expect(win.ap3c).toBe(5);
    expect(events).toEqual([{ kind: EventKind.Ap3cAssigned, name: 'ap3c', note: 'number' }]);
    expect(hooks.readAp3c()).toEqual({ state: 'present', value: 5 });
    win.ap3c = null;
    expect(events.at(-1)?.note).toBe('null');
    win.ap3c = [];
    expect(events.at(-1)?.note).toBe('an array');
  });

  it('a page-defined getter for window.ap3c is never called, and readAp3c says unreadable', () => {
    let calls = 0;
    const win = {};
    Object.defineProperty(win, 'ap3c', {
      configurable: true,
      enumerable: true,
      get() {
        calls++;
        return {};
      },
    });
    const { events, hooks } = setup(win as Record<string, unknown>);
    expect(calls).toBe(0);
    expect(events).toEqual([{ kind: EventKind.HookFailed, name: 'ap3c', note: expect.any(String) }]);
    const r = hooks.readAp3c();
    expect(r.state).toBe('unreadable');
    expect(calls).toBe(0);
  });

  it('a getter the page defines after install is not called either', () => {
    const { win, hooks } = setup();
    let calls = 0;
    Object.defineProperty(win, 'ap3c', {
      configurable: true,
      get() {
        calls++;
        return {};
      },
    });
    expect(hooks.readAp3c().state).toBe('unreadable');
    expect(calls).toBe(0);
  });

  it('a non-configurable window.ap3c is left alone and its object still hooked', () => {
    const page = { cmd: [] as unknown[] };
    const win = {};
    Object.defineProperty(win, 'ap3c', { value: page, writable: true, enumerable: true, configurable: false });
    const { events, hooks } = setup(win as Record<string, unknown>);
    expect(events.some((e) => e.kind === EventKind.HookFailed && e.name === 'ap3c')).toBe(true);
    expect(hooks.readAp3c()).toEqual({ state: 'present', value: page });
    page.cmd.push(() => 1);
    // No accessor of ours on window.ap3c here: what changed is seen at the next look (each pull).
    hooks.readAp3c();
    expect(events.at(-1)?.kind).toBe(EventKind.CmdQueued);
  });
});

describe('readAp3c', () => {
  it('is absent before the page sets window.ap3c, present after', () => {
    const { win, hooks } = setup();
    expect(hooks.readAp3c()).toEqual({ state: 'absent' });
    const ap3c = runSnippet(win);
    expect(hooks.readAp3c()).toEqual({ state: 'present', value: ap3c });
  });

  it('is absent again after the page deletes window.ap3c or sets it to undefined', () => {
    const { win, hooks } = setup();
    runSnippet(win);
    win.ap3c = undefined;
    expect(hooks.readAp3c()).toEqual({ state: 'absent' });
    win.ap3c = {};
    delete win.ap3c;
    expect(hooks.readAp3c()).toEqual({ state: 'absent' });
  });

  it('reads a plain value the page redefined and hooks it', () => {
    const { win, hooks, events } = setup();
    const replacement: Loose = {};
    Object.defineProperty(win, 'ap3c', { value: replacement, configurable: true, writable: true });
    expect(hooks.readAp3c()).toEqual({ state: 'present', value: replacement });
    replacement.init = () => 1;
    // The page replaced our accessor: its functions are wrapped at the next look (each pull), and
    // their calls recorded from then on.
    hooks.readAp3c();
    replacement.init();
    expect(events.some((e) => e.kind === EventKind.Init)).toBe(true);
  });

  it('says unreadable (and does not throw) when the window itself is hostile', () => {
    const target = {};
    let armed = false;
    const win = new Proxy(target, {
      getOwnPropertyDescriptor(t, key) {
        if (armed) throw new Error('hostile window');
        return Reflect.getOwnPropertyDescriptor(t, key);
      },
    });
    const events: Recorded[] = [];
    const hooks = installHooks(win as unknown as Window, (kind, name) => events.push({ kind, name }));
    armed = true;
    expect(hooks.readAp3c()).toEqual({ state: 'unreadable', reason: expect.any(String) });
  });
});
