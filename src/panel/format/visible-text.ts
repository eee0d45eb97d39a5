/**
 * Page text as people should see it. Pure. Characters that are invisible or that reorder the text
 * around them (bidi overrides and isolates, zero-width characters, the BOM, line and paragraph
 * separators, soft hyphens, Hangul fillers, C0/C1 controls, lone surrogates) are written as
 * ⟨U+XXXX⟩, so a page cannot make what the panel or a report shows read differently from what the
 * page holds. Tabs stay; line breaks stay only in text shown on several lines.
 */

// Cc/Cf/Zl/Zp/Cs: every control, format (bidi, zero-width, BOM, tags) and separator character, and
// lone surrogates; plus the blank letters and the combining grapheme joiner, which render as nothing.
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u115f\u1160\u3164\uffa0]|\u034f/gu;

export interface VisibleOptions {
  /** The text is shown on several lines: keep \n and \r (default: show them too). */
  multiLine?: boolean;
}

export function visible(text: string, { multiLine = false }: VisibleOptions = {}): string {
  return text.replace(HIDDEN, (c) =>
    c === '\t' || (multiLine && (c === '\n' || c === '\r')) ? c : `⟨U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}⟩`,
  );
}
