/** visible(): invisible and reordering characters from the page are shown as ⟨U+XXXX⟩, ordinary text is untouched. */
import { describe, expect, it } from 'vitest';
import { visible } from '../../src/panel/format/visible-text.ts';

const SHOWN: [string, string][] = [
  ['\u202e', 'RIGHT-TO-LEFT OVERRIDE'],
  ['\u202a', 'LEFT-TO-RIGHT EMBEDDING'],
  ['\u202b', 'RIGHT-TO-LEFT EMBEDDING'],
  ['\u202c', 'POP DIRECTIONAL FORMATTING'],
  ['\u202d', 'LEFT-TO-RIGHT OVERRIDE'],
  ['\u2066', 'LEFT-TO-RIGHT ISOLATE'],
  ['\u2067', 'RIGHT-TO-LEFT ISOLATE'],
  ['\u2068', 'FIRST STRONG ISOLATE'],
  ['\u2069', 'POP DIRECTIONAL ISOLATE'],
  ['\u200b', 'ZERO WIDTH SPACE'],
  ['\u200c', 'ZERO WIDTH NON-JOINER'],
  ['\u200d', 'ZERO WIDTH JOINER'],
  ['\u200e', 'LEFT-TO-RIGHT MARK'],
  ['\u200f', 'RIGHT-TO-LEFT MARK'],
  ['\u061c', 'ARABIC LETTER MARK'],
  ['\ufeff', 'BYTE ORDER MARK'],
  ['\u2060', 'WORD JOINER'],
  ['\u00ad', 'SOFT HYPHEN'],
  ['\u2028', 'LINE SEPARATOR'],
  ['\u2029', 'PARAGRAPH SEPARATOR'],
  ['\u0000', 'NUL'],
  ['\u0007', 'BEL'],
  ['\u001b', 'ESC'],
  ['\u007f', 'DEL'],
  ['\u0085', 'NEXT LINE (C1)'],
  ['\u009b', 'CSI (C1)'],
  ['\u3164', 'HANGUL FILLER'],
  ['\u034f', 'COMBINING GRAPHEME JOINER'],
  ['\ud800', 'a lone high surrogate'],
  ['\udc00', 'a lone low surrogate'],
  ['\u{e0041}', 'TAG LATIN CAPITAL LETTER A'],
];

describe('visible', () => {
  it.each(SHOWN.map(([c, name]) => [name, c]))('%s is shown as its code point', (_name, c) => {
    const hex = (c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    expect(visible(`a${c}b`)).toBe(`a⟨U+${hex}⟩b`);
  });

  it('defeats the spoof: an overridden file name reads as what it is', () => {
    expect(visible('invoice_\u202Efdp.exe')).toBe('invoice_⟨U+202E⟩fdp.exe');
    expect(visible('\u2067KEY\u2069')).toBe('⟨U+2067⟩KEY⟨U+2069⟩');
  });

  it('keeps tabs; shows line breaks unless the text is multi-line', () => {
    expect(visible('a\tb\nc\r\nd')).toBe('a\tb⟨U+000A⟩c⟨U+000D⟩⟨U+000A⟩d');
    expect(visible('a\tb\nc\r\nd\u2028e\u000bf', { multiLine: true })).toBe('a\tb\nc\r\nd⟨U+2028⟩e⟨U+000B⟩f');
  });

  it('leaves ordinary text alone: accents, CJK, RTL letters, emoji, spaces, symbols', () => {
    const plain = 'Zoë — 日本語 עברית العربية ✅ 🙂 ⚠️ a b\u00a0c "q" <x> `y` ⟨z⟩';
    expect(visible(plain)).toBe(plain);
    expect(visible('')).toBe('');
  });
});
