/**
 * Page text inside Markdown, as text only. Pure. Everything a page chose (keys, URLs, tokens, and
 * the checklist's words that quote them) goes through `mdCode` or `mdText`, so it can neither start
 * a line (heading, list, table row) nor become a link, an image, HTML, an entity or emphasis.
 */

/** Line breaks and control characters (tab excepted) as ⟨U+XXXX⟩: a value stays on its line, and what it holds stays visible. */
export function oneLine(text: string): string {
  return text.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters to show
    /[\0-\x08\n-\x1f\x7f-\x9f\u2028\u2029]/g,
    (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`,
  );
}

/**
 * An inline code span its content cannot close: the fence is one backtick longer than the longest
 * run inside, padded with spaces when the text starts or ends with a backtick (CommonMark strips
 * one space on each side). Not for table cells: there a "|" would still split the cell.
 */
export function mdCode(text: string): string {
  const s = oneLine(text);
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
  return oneLine(text)
    .replace(/[\\`*_[\]<>&#!|~$@]/g, '\\$&')
    .replace(/:\/\//g, '\\://')
    .replace(/(www)\./gi, '$1\\.');
}
