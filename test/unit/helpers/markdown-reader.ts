/**
 * Just enough of CommonMark's inline rules to check the exports: backslash escapes and code spans
 * (a run of N backticks closes only at the next run of exactly N). It tells what in a line is plain
 * text that a renderer could still read as markup, and what the code spans hold.
 */

const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;

export interface ReadLine {
  /** The characters outside code spans that are not backslash-escaped. */
  bare: string;
  /** The code spans' contents, as a renderer shows them. */
  code: string[];
  /** The text as rendered (escapes removed, code spans' content), for comparisons. */
  text: string;
}

export function readInline(line: string): ReadLine {
  let bare = '';
  let text = '';
  const code: string[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i] as string;
    if (c === '\\' && i + 1 < line.length && ASCII_PUNCTUATION.test(line[i + 1] as string)) {
      text += line[i + 1];
      i += 2;
      continue;
    }
    if (c === '`') {
      let n = 0;
      while (line[i + n] === '`') n++;
      const close = findRun(line, i + n, n);
      if (close < 0) {
        bare += '`'.repeat(n);
        text += '`'.repeat(n);
        i += n;
        continue;
      }
      let content = line.slice(i + n, close);
      if (content.startsWith(' ') && content.endsWith(' ') && !/^ +$/.test(content)) content = content.slice(1, -1);
      code.push(content);
      text += content;
      i = close + n;
      continue;
    }
    bare += c;
    text += c;
    i++;
  }
  return { bare, code, text };
}

/** The index of the next run of exactly `n` backticks at or after `from`, or -1. */
function findRun(line: string, from: number, n: number): number {
  let i = from;
  while (i < line.length) {
    if (line[i] !== '`') {
      i++;
      continue;
    }
    let m = 0;
    while (line[i + m] === '`') m++;
    if (m === n) return i;
    i += m;
  }
  return -1;
}

/** GFM splits a table row at every "|" not escaped with a backslash, code spans included. */
export function tableCells(row: string): string[] {
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < row.length; i++) {
    const c = row[i] as string;
    if (c === '\\' && i + 1 < row.length) {
      cell += c + row[i + 1];
      i++;
    } else if (c === '|') {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}
