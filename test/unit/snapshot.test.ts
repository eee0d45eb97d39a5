import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/shared/protocol/schema.ts';
import { SnapSchema } from '../../src/shared/protocol/wire.ts';
import { DEFAULT_LIMITS, type Snap, snapGet, snapString, snapshot } from '../../src/shared/snapshot.ts';

type ObjSnap = Extract<Snap, { t: 'obj' }>;
type ArrSnap = Extract<Snap, { t: 'arr' }>;

function asObj(s: Snap): ObjSnap {
  if (s === null || typeof s !== 'object' || s.t !== 'obj') throw new Error(`not an obj snapshot: ${JSON.stringify(s)}`);
  return s;
}

function asArr(s: Snap): ArrSnap {
  if (s === null || typeof s !== 'object' || s.t !== 'arr') throw new Error(`not an arr snapshot: ${JSON.stringify(s)}`);
  return s;
}

/** A Proxy whose every trap throws, and a counter of how many traps ran. */
function hostileProxy<T extends object>(target: T): { proxy: T; calls: () => number } {
  let calls = 0;
  const boom = () => {
    calls++;
    throw new Error('trap ran');
  };
  const handler: ProxyHandler<T> = {
    ownKeys: boom,
    getOwnPropertyDescriptor: boom,
    getPrototypeOf: boom,
    get: boom,
    has: boom,
    set: boom,
    defineProperty: boom,
    deleteProperty: boom,
    isExtensible: boom,
    preventExtensions: boom,
    setPrototypeOf: boom,
    apply: boom,
    construct: boom,
  };
  return { proxy: new Proxy(target, handler), calls: () => calls };
}

describe('snapshot: primitives', () => {
  it('keeps JSON-safe primitives as they are', () => {
    expect(snapshot(null)).toBe(null);
    expect(snapshot(true)).toBe(true);
    expect(snapshot(false)).toBe(false);
    expect(snapshot(0)).toBe(0);
    expect(snapshot(42.5)).toBe(42.5);
    expect(snapshot(-7)).toBe(-7);
    expect(snapshot('hello')).toBe('hello');
    expect(snapshot('')).toBe('');
  });

  it('tags values JSON cannot carry', () => {
    expect(snapshot(undefined)).toEqual({ t: 'undef' });
    expect(snapshot(Number.NaN)).toEqual({ t: 'num', v: 'NaN' });
    expect(snapshot(Number.POSITIVE_INFINITY)).toEqual({ t: 'num', v: 'Infinity' });
    expect(snapshot(Number.NEGATIVE_INFINITY)).toEqual({ t: 'num', v: '-Infinity' });
    expect(snapshot(-0)).toEqual({ t: 'num', v: '-0' });
    expect(snapshot(123n)).toEqual({ t: 'big', v: '123' });
    expect(snapshot(-5n)).toEqual({ t: 'big', v: '-5' });
    expect(snapshot(Symbol('tag'))).toEqual({ t: 'sym', v: 'Symbol(tag)' });
    expect(snapshot(Symbol())).toEqual({ t: 'sym', v: 'Symbol()' });
  });

  it('survives JSON round-trips unchanged (plain data only)', () => {
    const s = snapshot({ a: [1, undefined, Number.NaN, -0, 1n, Symbol('s'), () => 1], b: 'x' });
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('describes functions by name without calling them', () => {
    let called = 0;
    function init() {
      called++;
    }
    expect(snapshot(init)).toEqual({ t: 'fn', name: 'init' });
    expect(snapshot(() => called++)).toEqual({ t: 'fn', name: '' });
    expect(snapshot(class Widget {})).toEqual({ t: 'fn', name: 'Widget' });
    expect(snapshot(async function load() {})).toEqual({ t: 'fn', name: 'load' });
    expect(called).toBe(0);
  });

  it('does not call a function whose name is a getter', () => {
    let reads = 0;
    const fn = () => 1;
    Object.defineProperty(fn, 'name', {
      get() {
        reads++;
        return 'spy';
      },
    });
    expect(snapshot(fn)).toEqual({ t: 'fn', name: '' });
    expect(reads).toBe(0);
  });

  it('cuts a function name to 100 characters', () => {
    const fn = () => 1;
    Object.defineProperty(fn, 'name', { value: 'n'.repeat(5000) });
    const s = snapshot(fn);
    expect(s).toEqual({ t: 'fn', name: 'n'.repeat(100) });
  });
});

describe('snapshot: strings', () => {
  it('cuts a 1,000,000-character string to 16 KiB and keeps its full length', () => {
    const long = 'a'.repeat(1_000_000);
    const s = snapshot(long);
    expect(s).toEqual({ t: 'str', v: 'a'.repeat(16 * 1024), len: 1_000_000 });
    expect(snapString(s)).toHaveLength(16 * 1024);
  });

  it('keeps a string of exactly the limit whole, and cuts one character more', () => {
    expect(snapshot('b'.repeat(16 * 1024))).toBe('b'.repeat(16 * 1024));
    expect(snapshot('b'.repeat(16 * 1024 + 1))).toEqual({ t: 'str', v: 'b'.repeat(16 * 1024), len: 16 * 1024 + 1 });
  });

  it('honours a custom string limit', () => {
    expect(snapshot('abcdef', { ...DEFAULT_LIMITS, stringLength: 3 })).toEqual({ t: 'str', v: 'abc', len: 6 });
  });
});

describe('snapshot: objects', () => {
  it('lists own entries in order with their values', () => {
    expect(snapshot({ a: 1, b: 'two', c: null, d: { e: true } })).toEqual({
      t: 'obj',
      entries: [
        ['a', 1],
        ['b', 'two'],
        ['c', null],
        ['d', { t: 'obj', entries: [['e', true]], more: 0 }],
      ],
      more: 0,
    });
  });

  it('shows the class of a non-plain object, and null-prototype objects', () => {
    class Config {
      x = 1;
    }
    expect(asObj(snapshot(new Config())).cls).toBe('Config');
    const bare = Object.create(null) as Record<string, number>;
    bare.y = 2;
    expect(snapshot(bare)).toEqual({ t: 'obj', entries: [['y', 2]], more: 0, cls: 'null-prototype' });
    expect(asObj(snapshot({})).cls).toBeUndefined();
  });

  it('does not call a getter on the prototype constructor when naming the class', () => {
    let reads = 0;
    const proto = {};
    Object.defineProperty(proto, 'constructor', {
      get() {
        reads++;
        return function Spy() {};
      },
    });
    const obj = Object.create(proto) as object;
    const s = asObj(snapshot(obj));
    expect(s.cls).toBeUndefined();
    expect(reads).toBe(0);
  });

  it('marks cycles instead of recursing', () => {
    const a: Record<string, unknown> = { name: 'a' };
    const b: Record<string, unknown> = { name: 'b', a };
    a.b = b;
    a.self = a;
    const s = asObj(snapshot(a));
    expect(snapGet(s, 'self')).toEqual({ t: 'cycle' });
    expect(snapGet(snapGet(s, 'b'), 'a')).toEqual({ t: 'cycle' });
  });

  it('does not mark a shared (non-cyclic) reference as a cycle', () => {
    const shared = { v: 1 };
    const s = snapshot({ x: shared, y: shared });
    expect(snapGet(s, 'x')).toEqual({ t: 'obj', entries: [['v', 1]], more: 0 });
    expect(snapGet(s, 'y')).toEqual({ t: 'obj', entries: [['v', 1]], more: 0 });
  });

  it('never calls a getter with a side effect, and shows it as a getter', () => {
    let calls = 0;
    const obj = {
      plain: 1,
      get spy() {
        calls++;
        return 'secret';
      },
    };
    Object.defineProperty(obj, 'withSetter', {
      get() {
        calls++;
        return 1;
      },
      set() {
        calls++;
      },
      enumerable: true,
    });
    Object.defineProperty(obj, 'setterOnly', {
      set() {
        calls++;
      },
      enumerable: false,
    });
    const s = snapshot(obj);
    expect(calls).toBe(0);
    expect(snapGet(s, 'plain')).toBe(1);
    expect(snapGet(s, 'spy')).toEqual({ t: 'get', set: false });
    expect(snapGet(s, 'withSetter')).toEqual({ t: 'get', set: true });
    expect(snapGet(s, 'setterOnly')).toEqual({ t: 'get', set: true });
    expect(JSON.stringify(s)).not.toContain('secret');
  });

  it('shows a throwing getter as a getter (it is not called)', () => {
    const obj = {
      get bad(): never {
        throw new Error('getter ran');
      },
    };
    expect(() => snapshot(obj)).not.toThrow();
    expect(snapGet(snapshot(obj), 'bad')).toEqual({ t: 'get', set: false });
  });

  it('includes non-enumerable own properties', () => {
    const obj = {};
    Object.defineProperty(obj, 'hidden', { value: 'h', enumerable: false });
    expect(snapGet(snapshot(obj), 'hidden')).toBe('h');
  });

  it('replaces objects beyond the depth limit (6) by {t:"deep"}', () => {
    // Depth 0 is the root: seven nested objects, the seventh is beyond the limit.
    const root = { l1: { l2: { l3: { l4: { l5: { l6: { l7: 1 } } } } } } };
    let s: Snap | undefined = snapshot(root);
    for (const key of ['l1', 'l2', 'l3', 'l4', 'l5']) {
      s = snapGet(s, key);
      expect(asObj(s as Snap).t).toBe('obj');
    }
    expect(snapGet(s, 'l6')).toEqual({ t: 'deep' });
    // Primitives at the limit are still shown.
    expect(snapGet(snapGet(snapGet(snapGet(snapGet(snapGet(snapshot({ a: { b: { c: { d: { e: { f: 'leaf' } } } } } }), 'a'), 'b'), 'c'), 'd'), 'e'), 'f')).toBe(
      'leaf',
    );
  });

  it('honours a custom depth limit', () => {
    expect(snapshot({ a: { b: 1 } }, { ...DEFAULT_LIMITS, depth: 1 })).toEqual({ t: 'obj', entries: [['a', { t: 'deep' }]], more: 0 });
    expect(snapshot({ a: 1 }, { ...DEFAULT_LIMITS, depth: 0 })).toEqual({ t: 'deep' });
  });

  it('keeps only `keys` entries of a 100,000-key object, counts the rest, and returns quickly', () => {
    const big: Record<string, number> = {};
    for (let i = 0; i < 100_000; i++) big[`k${i}`] = i;
    const started = performance.now();
    const s = asObj(snapshot(big));
    const elapsed = performance.now() - started;
    expect(s.entries).toHaveLength(DEFAULT_LIMITS.keys);
    expect(s.more).toBe(100_000 - DEFAULT_LIMITS.keys);
    expect(s.entries[0]).toEqual(['k0', 0]);
    expect(s.entries[DEFAULT_LIMITS.keys - 1]).toEqual([`k${DEFAULT_LIMITS.keys - 1}`, DEFAULT_LIMITS.keys - 1]);
    expect(elapsed).toBeLessThan(1000);
  });

  it('honours a custom key limit', () => {
    const s = asObj(snapshot({ a: 1, b: 2, c: 3, d: 4 }, { ...DEFAULT_LIMITS, keys: 2 }));
    expect(s.entries).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(s.more).toBe(2);
  });

  it('shows Symbol keys as entries', () => {
    const sym = Symbol('secretKey');
    const obj = { plain: 1, [sym]: 'sym value' };
    expect(snapGet(snapshot(obj), 'Symbol(secretKey)')).toBe('sym value');
  });

  it('shows a __proto__ own key as an entry and does not change prototypes', () => {
    const parsed = JSON.parse('{"__proto__":{"polluted":true},"a":1}') as object;
    const defined = {};
    Object.defineProperty(defined, '__proto__', { value: 'own', enumerable: true, configurable: true, writable: true });
    const s1 = asObj(snapshot(parsed));
    const s2 = asObj(snapshot(defined));
    expect(s1.entries.map(([k]) => k)).toEqual(['__proto__', 'a']);
    expect(snapGet(s1, '__proto__')).toEqual({ t: 'obj', entries: [['polluted', true]], more: 0 });
    expect(snapGet(s2, '__proto__')).toBe('own');
    // The snapshots themselves are plain objects with the usual prototypes.
    expect(Object.getPrototypeOf(s1)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(s1.entries)).toBe(Array.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // And it survives a JSON round trip (what the channel does) with the entry intact.
    const back = JSON.parse(JSON.stringify(s1)) as Snap;
    expect(snapGet(back, '__proto__')).toEqual({ t: 'obj', entries: [['polluted', true]], more: 0 });
  });

  it('cuts a key name longer than 16 KiB', () => {
    const key = 'k'.repeat(20_000);
    const s = asObj(snapshot({ [key]: 1 }));
    const [name, value] = s.entries[0] as [string, Snap];
    expect(value).toBe(1);
    expect(name.length).toBeLessThanOrEqual(16 * 1024 + 1);
    expect(name.startsWith('k'.repeat(16 * 1024))).toBe(true);
    expect(name).not.toBe(key);
  });

  it('cuts a long Symbol key description too', () => {
    const s = asObj(snapshot({ [Symbol('d'.repeat(20_000))]: 1 }));
    const [name] = s.entries[0] as [string, Snap];
    expect(name.length).toBeLessThanOrEqual(16 * 1024 + 1);
  });
});

describe('snapshot: hostile objects', () => {
  it('gives {t:"err"} for a Proxy whose every trap throws, and does not throw', () => {
    const { proxy, calls } = hostileProxy({ a: 1 });
    let s: Snap | undefined;
    expect(() => {
      s = snapshot(proxy);
    }).not.toThrow();
    expect(s).toEqual({ t: 'err', v: 'trap ran' });
    expect(calls()).toBeGreaterThan(0);
  });

  it('contains a hostile Proxy nested in a normal object to its own entry', () => {
    const { proxy } = hostileProxy({});
    const s = snapshot({ before: 1, evil: proxy, after: 2 });
    expect(snapGet(s, 'before')).toBe(1);
    expect(snapGet(s, 'evil')).toEqual({ t: 'err', v: 'trap ran' });
    expect(snapGet(s, 'after')).toBe(2);
  });

  it('handles a hostile Proxy around a function and around an array', () => {
    const fn = hostileProxy(() => 1);
    expect(() => snapshot(fn.proxy)).not.toThrow();
    expect(snapshot(fn.proxy)).toEqual({ t: 'err', v: 'trap ran' });
    const arr = hostileProxy([1, 2, 3]);
    expect(() => snapshot(arr.proxy)).not.toThrow();
    expect((snapshot(arr.proxy) as { t: string }).t).toBe('err');
  });

  it('handles a Proxy whose only throwing trap is getOwnPropertyDescriptor', () => {
    const proxy = new Proxy(
      { a: 1, b: 2 },
      {
        getOwnPropertyDescriptor() {
          throw new Error('gopd');
        },
      },
    );
    const s = asObj(snapshot(proxy));
    expect(s.entries).toEqual([
      ['a', { t: 'err', v: 'gopd' }],
      ['b', { t: 'err', v: 'gopd' }],
    ]);
  });

  it('handles a Proxy whose only throwing trap is getPrototypeOf (class name lookup)', () => {
    const proxy = new Proxy(
      { a: 1 },
      {
        getPrototypeOf() {
          throw new Error('proto');
        },
      },
    );
    expect(snapshot(proxy)).toEqual({ t: 'obj', entries: [['a', 1]], more: 0 });
  });

  it('describes a thrown non-Error value safely', () => {
    const throwsString = new Proxy(
      {},
      {
        ownKeys() {
          throw 'plain string';
        },
      },
    );
    const throwsObjectWithGetter = new Proxy(
      {},
      {
        ownKeys() {
          throw {
            get message() {
              throw new Error('message getter ran');
            },
          };
        },
      },
    );
    expect(snapshot(throwsString)).toEqual({ t: 'err', v: 'plain string' });
    expect(snapshot(throwsObjectWithGetter)).toEqual({ t: 'err', v: 'threw' });
  });

  it('gives {t:"err"} for a revoked Proxy', () => {
    const { proxy, revoke } = Proxy.revocable({ a: 1 }, {});
    revoke();
    let s: Snap | undefined;
    expect(() => {
      s = snapshot(proxy);
    }).not.toThrow();
    expect((s as { t: string }).t).toBe('err');
    expect(snapGet(snapshot({ p: proxy }), 'p')).toMatchObject({ t: 'err' });
  });

  it('does not call a Proxy get or has trap on a readable Proxy', () => {
    let traps = 0;
    const proxy = new Proxy(
      { a: 1 },
      {
        get(target, key, receiver) {
          traps++;
          return Reflect.get(target, key, receiver);
        },
        has(target, key) {
          traps++;
          return Reflect.has(target, key);
        },
      },
    );
    expect(snapshot(proxy)).toEqual({ t: 'obj', entries: [['a', 1]], more: 0 });
    expect(traps).toBe(0);
  });
});

describe('snapshot: arrays', () => {
  it('snapshots arrays as items', () => {
    expect(snapshot([1, 'a', null, undefined])).toEqual({ t: 'arr', items: [1, 'a', null, { t: 'undef' }], more: 0 });
    expect(snapshot([])).toEqual({ t: 'arr', items: [], more: 0 });
  });

  it('keeps `keys` items of a long array and counts exactly the items it left out', () => {
    const arr = Array.from({ length: 300 }, (_, i) => i);
    const s = asArr(snapshot(arr));
    expect(s.items).toHaveLength(DEFAULT_LIMITS.keys);
    expect(s.items[0]).toBe(0);
    expect(s.items[199]).toBe(199);
    // 300 items, 200 shown: 100 more (the array's `length` is not an item).
    expect(s.more).toBe(100);
    const small = asArr(snapshot(['a', 'b', 'c', 'd', 'e'], { ...DEFAULT_LIMITS, keys: 2 }));
    expect(small.items).toEqual(['a', 'b']);
    expect(small.more).toBe(3);
  });

  it('shows an array with extra named keys as an object so nothing is hidden', () => {
    const arr: unknown[] & { extra?: string } = [1, 2];
    arr.extra = 'named';
    expect(snapshot(arr)).toEqual({
      t: 'obj',
      entries: [
        ['0', 1],
        ['1', 2],
        ['extra', 'named'],
      ],
      more: 0,
    });
  });

  it('shows a sparse array as an object with its real indices', () => {
    const sparse: number[] = [];
    sparse[0] = 1;
    sparse[2] = 3;
    const s = asObj(snapshot(sparse));
    expect(s.entries).toEqual([
      ['0', 1],
      ['2', 3],
    ]);
  });

  it('handles arrays in cycles and array getters', () => {
    const arr: unknown[] = [];
    arr.push(arr);
    expect(snapshot(arr)).toEqual({ t: 'arr', items: [{ t: 'cycle' }], more: 0 });
    let calls = 0;
    const withGetter: unknown[] = [0];
    Object.defineProperty(withGetter, 1, {
      get() {
        calls++;
        return 1;
      },
      enumerable: true,
    });
    expect(snapshot(withGetter)).toEqual({ t: 'arr', items: [0, { t: 'get', set: false }], more: 0 });
    expect(calls).toBe(0);
  });
});

describe('snapshot: total size', () => {
  const jsonSize = (s: Snap): number => JSON.stringify(s).length;

  it('stays under ~256 KiB for a big wide object of long strings', () => {
    const wide: Record<string, string> = {};
    for (let i = 0; i < 1000; i++) wide[`key${i}`] = 'x'.repeat(10_000);
    const s = asObj(snapshot(wide));
    expect(jsonSize(s)).toBeLessThan(300 * 1024);
    // Later entries become cut markers or are counted in `more`.
    const last = s.entries[s.entries.length - 1] as [string, Snap];
    expect(s.more > 0 || (typeof last[1] === 'object' && last[1] !== null && (last[1].t === 'str' || last[1].t === 'cut'))).toBe(true);
  });

  it('stays under ~256 KiB for a wide and deep object of objects', () => {
    const make = (depth: number): unknown => {
      if (depth === 0) return 'leaf value';
      const o: Record<string, unknown> = {};
      for (let i = 0; i < 20; i++) o[`k${i}`] = make(depth - 1);
      return o;
    };
    const started = performance.now();
    const s = snapshot(make(4));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(jsonSize(s)).toBeLessThan(300 * 1024);
  });

  it('stays under ~256 KiB for a wide object whose values are all undefined', () => {
    const wide: Record<string, unknown> = {};
    for (let i = 0; i < 200; i++) {
      const inner: Record<string, unknown> = {};
      for (let j = 0; j < 200; j++) inner[`k${j}`] = undefined;
      wide[`w${i}`] = inner;
    }
    expect(jsonSize(snapshot(wide))).toBeLessThan(300 * 1024);
  });

  it('stays under ~256 KiB for nested arrays of nulls', () => {
    const nested = Array.from({ length: 100 }, () => Array.from({ length: 200 }, () => Array.from({ length: 20 }, () => null)));
    expect(jsonSize(snapshot(nested))).toBeLessThan(300 * 1024);
  });

  it('honours a small custom total size', () => {
    const s = snapshot(['a'.repeat(100), 'b'.repeat(100), 'c'.repeat(100)], { ...DEFAULT_LIMITS, totalSize: 150 });
    expect(jsonSize(s)).toBeLessThan(400);
    const items = asArr(s).items;
    expect(items[0]).toBe('a'.repeat(100));
    expect(items[1]).toMatchObject({ t: 'str', len: 100 });
  });
});

describe('snapshot: every result fits the wire schema', () => {
  it('a typical mix passes SnapSchema', () => {
    const value = {
      s: 'str',
      n: 1,
      big: 2n,
      sym: Symbol('x'),
      fn() {},
      long: 'z'.repeat(100_000),
      arr: [1, [2, [3]]],
      get g() {
        return 1;
      },
    };
    expect(parseMessage(SnapSchema, snapshot(value))).toEqual(snapshot(value));
  });

  it('cuts a Symbol with a very long description (its text must fit the string limit)', () => {
    const s = snapshot({ sym: Symbol('d'.repeat(100_000)) });
    expect(JSON.stringify(s).length).toBeLessThan(20 * 1024);
    expect(parseMessage(SnapSchema, s)).toBeDefined();
  });

  it('keeps a huge bigint within what the protocol accepts', () => {
    const s = snapshot({ big: 10n ** 400n });
    expect(parseMessage(SnapSchema, s)).toBeDefined();
  });
});

describe('snapGet', () => {
  const s = snapshot({ a: 1, b: { c: 'd' } });

  it('reads own entries of an obj snapshot', () => {
    expect(snapGet(s, 'a')).toBe(1);
    expect(snapGet(snapGet(s, 'b'), 'c')).toBe('d');
  });

  it('gives undefined for a missing key and for anything that is not an obj snapshot', () => {
    expect(snapGet(s, 'missing')).toBeUndefined();
    expect(snapGet(undefined, 'a')).toBeUndefined();
    expect(snapGet(null, 'a')).toBeUndefined();
    expect(snapGet('a', 'a')).toBeUndefined();
    expect(snapGet(1, 'a')).toBeUndefined();
    expect(snapGet(snapshot([1, 2]), '0')).toBeUndefined();
    expect(snapGet({ t: 'get', set: false }, 'a')).toBeUndefined();
  });

  it('does not read inherited properties of the entries list', () => {
    expect(snapGet(s, 'toString')).toBeUndefined();
    expect(snapGet(s, 'constructor')).toBeUndefined();
    expect(snapGet(s, '__proto__')).toBeUndefined();
  });
});

describe('snapString', () => {
  it('gives a string, or the kept part of a cut string', () => {
    expect(snapString('abc')).toBe('abc');
    expect(snapString('')).toBe('');
    expect(snapString({ t: 'str', v: 'kept', len: 100 })).toBe('kept');
  });

  it('gives undefined for anything else', () => {
    expect(snapString(undefined)).toBeUndefined();
    expect(snapString(null)).toBeUndefined();
    expect(snapString(1)).toBeUndefined();
    expect(snapString(true)).toBeUndefined();
    expect(snapString({ t: 'sym', v: 'Symbol(x)' })).toBeUndefined();
    expect(snapString({ t: 'fn', name: 'f' })).toBeUndefined();
    expect(snapString(snapshot({ a: 'b' }))).toBeUndefined();
  });
});
