import { describe, expect, it } from 'vitest';
import { snapText } from '../../src/panel/format/snap-text.ts';
import { snapshot } from '../../src/shared/snapshot.ts';
import { CAPTURE_URL, EVENT_LIMITS } from './helpers/report.ts';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJl';

describe('snapText', () => {
  it('renders primitives and tags as JS-like text', () => {
    expect(snapText(undefined)).toBe('undefined');
    expect(snapText(null)).toBe('null');
    expect(snapText(true)).toBe('true');
    expect(snapText(1.5)).toBe('1.5');
    expect(snapText('a "q"')).toBe('"a \\"q\\""');
    expect(snapText(snapshot(undefined))).toBe('undefined');
    expect(snapText(snapshot(Number.NaN))).toBe('NaN');
    expect(snapText(snapshot(-0))).toBe('-0');
    expect(snapText(snapshot(12n))).toBe('12');
    expect(snapText(snapshot(Symbol('s')))).toBe('Symbol(s)');
    expect(snapText(snapshot(function init() {}))).toBe('ƒ init()');
    expect(snapText(snapshot(() => 1))).toBe('ƒ anonymous()');
    expect(snapText({ t: 'err', v: 'trap' })).toBe('[unreadable: trap]');
    expect(snapText({ t: 'cut' })).toBe('[cut: too large]');
    expect(snapText({ t: 'deep' })).toBe('[…]');
  });

  it('renders objects and arrays, quoting odd keys', () => {
    expect(snapText(snapshot({ a: 1, 'b-c': [1, 'x'], e: {} }))).toBe('{ a: 1, "b-c": [1, "x"], e: {} }');
    expect(snapText(snapshot([]))).toBe('[]');
    class Config {
      x = 1;
    }
    expect(snapText(snapshot(new Config()))).toBe('Config { x: 1 }');
  });

  it('renders `more` counts', () => {
    expect(snapText(snapshot({ a: 1, b: 2, c: 3 }, { ...EVENT_LIMITS, keys: 1 }))).toBe('{ a: 1, …2 more }');
    expect(snapText({ t: 'arr', items: [1], more: 4 })).toBe('[1, …4 more]');
  });

  it('masks values under keys named like token; the full token never appears', () => {
    const args = snapshot(
      ['KEY', CAPTURE_URL, { talk: { token: TOKEN, cookiePath: '/x/' }, accessToken: TOKEN, TOKENS: [TOKEN, { deep: TOKEN }] }],
      EVENT_LIMITS,
    );
    const text = snapText(args);
    expect(text).not.toContain(TOKEN);
    expect(text).toContain(`${TOKEN.slice(0, 6)}…${TOKEN.slice(-4)}`);
    expect(text).toContain('"/x/"');
    expect(text).toContain('"KEY"');
    expect(text).toContain(CAPTURE_URL);
  });

  it('masks a cut (very long) token too', () => {
    const long = `${TOKEN}${'z'.repeat(20_000)}`;
    const text = snapText(snapshot({ token: long }, EVENT_LIMITS));
    expect(text).not.toContain(TOKEN);
    expect(text).toContain('characters, cut');
    expect(text.length).toBeLessThan(200);
  });

  it('uses a custom hideSecret', () => {
    expect(snapText(snapshot({ token: TOKEN }), 2000, () => '<hidden>')).toBe('{ token: "<hidden>" }');
  });

  it('does not mask values under other keys', () => {
    expect(snapText(snapshot({ key: 'visible-value-12345' }))).toContain('visible-value-12345');
  });

  it('shows cut strings with their length, keeping at most 200 characters', () => {
    const text = snapText(snapshot('q'.repeat(1_000_000)), 100_000);
    expect(text).toContain('(1000000 characters, cut)');
    expect(text).toContain('q'.repeat(200));
    expect(text).not.toContain('q'.repeat(201));
  });

  it('shows cycles and getters without calling them', () => {
    let calls = 0;
    const o: Record<string, unknown> = {
      get g() {
        calls++;
        return 1;
      },
    };
    o.self = o;
    expect(snapText(snapshot(o))).toBe('{ g: [getter, not read], self: [circular] }');
    expect(calls).toBe(0);
  });

  it('bounds long output by maxLength', () => {
    const wide: Record<string, string> = {};
    for (let i = 0; i < 200; i++) wide[`key${i}`] = 'v'.repeat(100);
    const snap = snapshot(wide);
    for (const max of [10, 100, 600, 2000]) {
      const text = snapText(snap, max);
      expect(text.length).toBeLessThanOrEqual(max + 1);
      expect(text.endsWith('…')).toBe(true);
    }
    expect(snapText(snap).length).toBeLessThanOrEqual(2001);
  });

  it('does not cut output that fits', () => {
    expect(snapText(snapshot({ a: 1 }), 12)).toBe('{ a: 1 }');
  });

  it('renders deep and wide snapshots quickly', () => {
    const make = (d: number): unknown => (d === 0 ? 'leaf' : Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`k${i}`, make(d - 1)])));
    const snap = snapshot(make(5));
    const started = performance.now();
    const text = snapText(snap, 600);
    expect(performance.now() - started).toBeLessThan(500);
    expect(text.length).toBeLessThanOrEqual(601);
  });

  it('shows bidi and invisible characters in strings, keys, names and messages as ⟨U+XXXX⟩', () => {
    const named = () => undefined;
    Object.defineProperty(named, 'name', { value: 'init\u202e' });
    const snap = snapshot({ 'k\u2066ey': 'v\u200bal\u2028', sym: Symbol('s\u202e'), named });
    expect(snapText(snap)).toBe('{ "k⟨U+2066⟩ey": "v⟨U+200B⟩al⟨U+2028⟩", sym: Symbol(s⟨U+202E⟩), named: ƒ init⟨U+202E⟩() }');
    expect(snapText({ t: 'err', v: 'trap\u061c\ufeff' })).toBe('[unreadable: trap⟨U+061C⟩⟨U+FEFF⟩]');
  });
});
