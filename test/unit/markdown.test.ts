/** Page text in Markdown stays text: code spans it cannot close, escaped sentences, one line each. */
import { describe, expect, it } from 'vitest';
import { mdCode, mdText } from '../../src/panel/format/markdown.ts';
import { visible } from '../../src/panel/format/visible-text.ts';
import { readInline, tableCells } from './helpers/markdown-reader.ts';

const HOSTILE = [
  '\n\n# ✅ Verified — nothing to fix\n[Open the fix](javascript:alert(1)) <img src=x onerror=alert(1)>',
  '`',
  '``',
  '`a`',
  'a ``` b ` c',
  '```js\nalert(1)\n```',
  ' leading and trailing ',
  ' ',
  '   ',
  'a|b|c',
  '\\|',
  '\\',
  'x\\',
  'line\r\nbreak\rcr\u2028ls\u2029ps\u0085nel',
  '\0\x07\x1b[31mred',
  'bidi \u202eevil\u202c \u2066iso\u2069 \u200bzw\ufeff',
  '**bold** _it_ ~~del~~ $x^2$',
  '&lt;script&gt; &#x202E;',
  '![img](https://evil.example/x.png)',
  '<https://evil.example> https://evil.example/ www.evil.example a@evil.example',
  '[x]: javascript:alert(1)',
  '- item',
  '> quote',
  '1. one',
  '===',
  '|---|---|',
  `${'`'.repeat(7)}${'x'.repeat(100_000)}${'`'.repeat(3)}`,
];

describe('mdCode', () => {
  it.each(HOSTILE.map((s) => [JSON.stringify(s).slice(0, 60), s]))('%s: one code span holding exactly the text', (_name, s) => {
    const md = mdCode(s);
    expect(md).not.toMatch(/[\r\n\u2028\u2029]/);
    const read = readInline(md);
    if (visible(s) === '') return;
    expect(read.bare).toBe('');
    expect(read.code).toEqual([visible(s)]);
  });

  it('says (empty) for an empty value instead of an unclosable span', () => {
    expect(mdCode('')).toBe('*(empty)*');
  });

  it('picks a fence longer than any backtick run and pads a value that starts or ends with one', () => {
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('`x')).toBe('`` `x ``');
    expect(mdCode('x ``` y')).toBe('````x ``` y````');
  });
});

describe('mdText', () => {
  it.each(HOSTILE.map((s) => [JSON.stringify(s).slice(0, 60), s]))('%s: renders as written, with nothing that could be markup', (_name, s) => {
    const md = mdText(s);
    expect(md).not.toMatch(/[\r\n\u2028\u2029]/);
    const read = readInline(md);
    expect(read.code).toEqual([]);
    expect(read.text).toBe(visible(s));
    expect(read.bare).not.toMatch(/[<>[\]&`*_~$|!#@\\]/);
    expect(read.bare).not.toContain('://');
    expect(read.bare.toLowerCase()).not.toContain('www.');
  });

  it('keeps a table cell one cell, whatever the text holds', () => {
    for (const s of HOSTILE) expect(tableCells(`| ${mdText(s)} | b |`)).toHaveLength(4);
  });
});
