import { describe, expect, it } from 'vitest';
import { pickOrttoCookies } from '../../src/background/state/cookies.ts';

const jar = (pairs: [string, string][]) => pairs.map(([name, value]) => ({ name, value, path: '/', domain: 'shop.example' }));

describe('pickOrttoCookies', () => {
  it('keeps only ap3* cookies, in order, as name and value', () => {
    expect(
      pickOrttoCookies(
        jar([
          ['session', '1'],
          ['ap3c', 'abc'],
          ['_ga', 'GA1'],
          ['ap3c_talk', 'xyz'],
          ['AP3PAGES', '3'],
          ['map3c', 'no'],
        ]),
      ),
    ).toEqual([
      { name: 'ap3c', value: 'abc' },
      { name: 'ap3c_talk', value: 'xyz' },
      { name: 'AP3PAGES', value: '3' },
    ]);
  });

  it('leaves out the cookies the page cannot read (httpOnly), as docs/store.md says', () => {
    const cookies = [
      { name: 'ap3c', value: 'seen', httpOnly: false },
      { name: 'ap3server', value: 'hidden', httpOnly: true },
      { name: 'ap3pages', value: '2' },
    ];
    expect(pickOrttoCookies(cookies)).toEqual([
      { name: 'ap3c', value: 'seen' },
      { name: 'ap3pages', value: '2' },
    ]);
  });

  it('handles no cookies and empty values', () => {
    expect(pickOrttoCookies([])).toEqual([]);
    expect(pickOrttoCookies(jar([['ap3flag', '']]))).toEqual([{ name: 'ap3flag', value: '' }]);
  });

  it('keeps values as they are (no decoding)', () => {
    expect(pickOrttoCookies(jar([['ap3d', '%7B%22x%22%3A1%7D']]))).toEqual([{ name: 'ap3d', value: '%7B%22x%22%3A1%7D' }]);
  });

  it('keeps at most 50 cookies', () => {
    const out = pickOrttoCookies(jar(Array.from({ length: 80 }, (_, i): [string, string] => [`ap3c${i}`, String(i)])));
    expect(out).toHaveLength(50);
    expect(out[0]).toEqual({ name: 'ap3c0', value: '0' });
    expect(out[49]).toEqual({ name: 'ap3c49', value: '49' });
  });

  it('cuts long values to 4096 characters and skips over-long names', () => {
    const out = pickOrttoCookies(
      jar([
        ['ap3big', 'v'.repeat(10_000)],
        [`ap3${'n'.repeat(400)}`, 'x'],
        ['ap3ok', '1'],
      ]),
    );
    expect(out).toEqual([
      { name: 'ap3big', value: 'v'.repeat(4096) },
      { name: 'ap3ok', value: '1' },
    ]);
  });
});
