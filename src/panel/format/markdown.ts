/**
 * Page text inside Markdown, as text only. Pure. Everything a page chose (keys, URLs, tokens, and
 * the checklist's words that quote them) goes through `mdCode` or `mdText`, so it can neither start
 * a line (heading, list, table row) nor become a link, an image, HTML, an entity or emphasis.
 * Both show line breaks, controls and bidi characters as ⟨U+XXXX⟩ (`visible`): a value stays on its line.
 */
import { visible } from './visible-text.ts';

/**
 * An inline code span its content cannot close: the fence is one backtick longer than the longest
 * run inside, padded with spaces when the text starts or ends with a backtick (CommonMark strips
 * one space on each side). Not for table cells: there a "|" would still split the cell.
 */
export function mdCode(text: string): string {
  const s = visible(text);
  if (s === '') return '*(empty)*';
  let longest = 0;
  for (const m of s.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  const pad = !/^ +$/.test(s) && (s.startsWith('`') || s.endsWith('`') || (s.startsWith(' ') && s.endsWith(' '))) ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

/**
 * Inline text that renders as written, also inside a table cell: backslash-escapes what could start
 * markup (emphasis, links, images, HTML, entities, code, cell borders, headings, math) and breaks
 * up autolinks (`://`, `www.`, `@`).
 */
export function mdText(text: string): string {
  return visible(text)
    .replace(/[\\`*_[\]<>&#!|~$@]/g, '\\$&')
    .replace(/:\/\//g, '\\://')
    .replace(/(www)\./gi, '$1\\.');
}
