import { describe, expect, it } from 'vitest';
import { readOrttoCookies } from '../../src/content/cookies.ts';

describe('readOrttoCookies', () => {
  it('keeps only ap3* cookies, in order', () => {
    expect(readOrttoCookies('session=1; ap3c=abc; _ga=GA1; ap3c_talk=xyz; AP3PAGES=3; map3c=no')).toEqual([
      { name: 'ap3c', value: 'abc' },
      { name: 'ap3c_talk', value: 'xyz' },
      { name: 'AP3PAGES', value: '3' },
    ]);
  });

  it('handles an empty cookie string', () => {
    expect(readOrttoCookies('')).toEqual([]);
    expect(readOrttoCookies(';;;')).toEqual([]);
  });

  it('handles a cookie without "=" as a name with an empty value', () => {
    expect(readOrttoCookies('ap3flag; other')).toEqual([{ name: 'ap3flag', value: '' }]);
  });

  it('trims whitespace around names and values', () => {
    expect(readOrttoCookies('  ap3c =  v1  ;ap3x=v2;   ap3y= ')).toEqual([
      { name: 'ap3c', value: 'v1' },
      { name: 'ap3x', value: 'v2' },
      { name: 'ap3y', value: '' },
    ]);
  });

  it('keeps "=" inside values and does not decode them', () => {
    expect(readOrttoCookies('ap3c=a=b==; ap3d=%7B%22x%22%3A1%7D')).toEqual([
      { name: 'ap3c', value: 'a=b==' },
      { name: 'ap3d', value: '%7B%22x%22%3A1%7D' },
    ]);
  });

  it('keeps at most 50 cookies', () => {
    const many = Array.from({ length: 80 }, (_, i) => `ap3c${i}=${i}`).join('; ');
    const out = readOrttoCookies(many);
    expect(out).toHaveLength(50);
    expect(out[0]).toEqual({ name: 'ap3c0', value: '0' });
    expect(out[49]).toEqual({ name: 'ap3c49', value: '49' });
  });

  it('cuts long values to 4096 characters and skips over-long names', () => {
    const out = readOrttoCookies(`ap3big=${'v'.repeat(10_000)}; ap3${'n'.repeat(400)}=x; ap3ok=1`);
    expect(out).toEqual([
      { name: 'ap3big', value: 'v'.repeat(4096) },
      { name: 'ap3ok', value: '1' },
    ]);
  });
});
