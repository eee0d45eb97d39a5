import { describe, expect, it } from 'vitest';
import { maskToken } from '../../src/shared/mask.ts';

/** How many characters of the token the mask shows. */
const revealed = (masked: string): number => masked.replace(/[…•]/g, '').length;

describe('maskToken', () => {
  it('shows the first 6 and last 4 characters of a long token', () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.payload.signature-XYZW';
    expect(maskToken(token)).toBe('eyJhbG…XYZW');
    expect(maskToken('a'.repeat(10_000))).toBe('aaaaaa…aaaa');
  });

  it('never reveals more than half of the token, at any length', () => {
    for (let n = 0; n <= 64; n++) {
      const token = Array.from({ length: n }, (_, i) => String.fromCharCode(65 + (i % 26))).join('');
      const masked = maskToken(token);
      expect(revealed(masked)).toBeLessThanOrEqual(Math.floor(n / 2));
      // The whole token never appears (except the empty string, which has nothing to hide).
      if (n > 0) expect(masked).not.toContain(token);
    }
  });

  it('shows short tokens only partly, very short ones not at all', () => {
    expect(maskToken('abcdefgh')).toBe('ab…gh');
    expect(maskToken('abcdefghijklmnopqrs')).toBe('ab…rs');
    expect(maskToken('abcdefghijklmnopqrst')).toBe('abcdef…qrst');
    expect(maskToken('abcdefg')).toBe('•••••••');
    expect(maskToken('a')).toBe('•');
  });

  it('masks the empty string as a placeholder, not as nothing', () => {
    expect(maskToken('')).toBe('•');
  });
});
