// @vitest-environment happy-dom
/**
 * "Copy capture code" is pasted into a page, so no key or value from the page may end the <script>,
 * open an HTML comment or change what the code does: every string comes back exactly as it went in.
 */
import { describe, expect, it } from 'vitest';
import { captureCode, jsString, withTalkOn } from '../../src/panel/format/capture-code.ts';
import { snapshot } from '../../src/shared/snapshot.ts';

/** Texts that would end the script, open a comment, end a JS line or a string in one context or another. */
const NASTY = [
  '</script>',
  '</SCRIPT >',
  '</script><script src=//evil/x.js></script><script>//',
  '<!--',
  '-->',
  '<script',
  '<!-- <script>',
  ']]>',
  '<![CDATA[',
  '\u2028',
  '\u2029',
  'a\u2028b\u2029c',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the text itself, not a template
  '`${alert(1)}`',
  "'",
  '"',
  '\\',
  '\\"',
  '"}); alert(1); ({"',
  '\n',
  '\r\n',
  '\0\x1b\x7f',
  '\ud800',
  '&lt;/script&gt;',
  '\u202e',
  '',
  'constructor',
  '__proto__',
];

/** Runs the code between the wrapper's <script> and </script> against stubs and returns what ap3c.init and the script tag received. */
function run(code: string): { init: unknown[]; src: unknown } {
  const body = code.slice('<script>\n'.length, -'\n</script>'.length);
  const window: { ap3c?: { cmd: (() => void)[]; init?: (...a: unknown[]) => void; track?: () => void } } = {};
  const created: { src?: unknown } = {};
  const document = {
    createElement: () => created,
    getElementsByTagName: () => [{ parentNode: { insertBefore: () => undefined } }],
  };
  new Function('window', 'document', body)(window, document);
  let init: unknown[] = [];
  const ap3c = window.ap3c;
  if (!ap3c) throw new Error('the code did not set window.ap3c');
  ap3c.init = (...a: unknown[]) => {
    init = a;
  };
  ap3c.track = () => undefined;
  for (const cmd of ap3c.cmd) cmd();
  return { init, src: created.src };
}

/** The page's options with `s` as a key and a value, at the top and five levels down (the snapshot keeps six). */
function optionsWith(s: string): Record<string, unknown> {
  // defineProperty: an own "__proto__" key, as a page can make one too.
  const own = (key: string, value: unknown): Record<string, unknown> =>
    Object.defineProperty({}, key, { value, enumerable: true, writable: true, configurable: true });
  const top = own(s, s);
  top.nested = [own(s, { list: [s, own(s, s)] })];
  top.plain = s;
  return top;
}

function codeFor(s: string): string {
  return captureCode({ captureKey: s, captureUrl: s, options: snapshot(optionsWith(s)), scriptUrl: s, token: s, cookiePath: s });
}

describe('capture code with hostile keys and values', () => {
  it.each(NASTY.map((s) => [JSON.stringify(s), s]))('%s: only the wrapper has a "<", nothing ends a line or opens a comment', (_name, s) => {
    const code = codeFor(s);
    expect(code.startsWith('<script>\n')).toBe(true);
    expect(code.endsWith('\n</script>')).toBe(true);
    const body = code.slice('<script>\n'.length, -'\n</script>'.length);
    expect(body).not.toMatch(/[<>\u2028\u2029]/);
    expect(code).not.toContain('<!--');
    expect(code.match(/</g)?.length).toBe(2);
  });

  it.each(NASTY.map((s) => [JSON.stringify(s), s]))('%s: ap3c.init gets back exactly the keys and values, top level and deep', (_name, s) => {
    const { init, src } = run(codeFor(s));
    expect(src).toBe(s);
    expect(init[0]).toBe(s);
    expect(init[1]).toBe(s);
    const options = init[2] as Record<string, unknown>;
    const expected = { ...optionsWith(s), talk: s === '' ? { token: s } : { token: s, cookiePath: s } };
    // An own "__proto__" key must stay an own key, not become the prototype.
    expect(Object.getPrototypeOf(options)).toBe(Object.prototype);
    expect(Object.keys(options).sort()).toEqual(Object.keys(expected).sort());
    // toEqual, not toStrictEqual: the strict check compares `.constructor`, which here is page data.
    expect(options).toEqual(expected);
    const deep = (options.nested as Record<string, { list: [string, Record<string, unknown>] }>[])[0];
    expect(Object.hasOwn(deep ?? {}, s)).toBe(true);
    expect(Object.hasOwn(deep?.[s]?.list[1] ?? {}, s)).toBe(true);
    expect(Object.getPrototypeOf(deep?.[s]?.list[1])).toBe(Object.prototype);
  });

  it("the issue's key cannot load a script: the HTML parser sees one <script> holding all of the code", () => {
    const key = '</script><script src=//evil/x.js></script><script>//';
    const code = captureCode({
      captureKey: 'KEY',
      captureUrl: 'https://capture-api.autopilotapp.com/',
      options: snapshot({ [key]: 1, nested: { [key]: [{ [key]: key }] } }),
      scriptUrl: null,
      token: 'tk',
      cookiePath: null,
    });
    const host = document.createElement('div');
    host.innerHTML = code;
    expect(host.querySelectorAll('*').length).toBe(1);
    const script = host.querySelector('script');
    expect(script?.textContent).toBe(code.slice('<script>'.length, -'</script>'.length));
    expect(script?.hasAttribute('src')).toBe(false);
    expect(run(code).init[2]).toStrictEqual({ [key]: 1, nested: { [key]: [{ [key]: key }] }, talk: { token: 'tk' } });
  });

  it('jsString: a JSON string with <, >, &, U+2028 and U+2029 as \\u escapes', () => {
    expect(jsString('</script>&\u2028\u2029')).toBe('"\\u003c/script\\u003e\\u0026\\u2028\\u2029"');
    expect(JSON.parse(jsString('a"\\`\n<!--'))).toBe('a"\\`\n<!--');
  });
});

describe('capture code for support leaves Talk on', () => {
  it('drops disableTalk / disableWidgets: true from the options and says which', () => {
    const opts = {
      t: 'obj',
      entries: [
        ['disableTalk', true],
        ['cookieDomains', { t: 'arr', items: ['.brand.app'], more: 0 }],
        ['disableWidgets', true],
      ],
      more: 0,
    } as const;
    const { options, removed } = withTalkOn(opts as never);
    expect(removed).toEqual(['disableTalk', 'disableWidgets']);
    expect(JSON.stringify(options)).not.toContain('disable');
    expect(JSON.stringify(options)).toContain('cookieDomains');
    expect(withTalkOn(undefined)).toEqual({ options: undefined, removed: [] });
    const off = { t: 'obj', entries: [['disableTalk', false]], more: 0 } as const;
    expect(withTalkOn(off as never).removed).toEqual([]);
  });
});
