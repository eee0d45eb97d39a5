/**
 * A strict reader of the XML `talk-inspector check --junit` writes, and a validator of the JUnit
 * format as CI tools read it (the Ant/Jenkins JUnit schema: testsuites > testsuite > properties,
 * testcase > failure | error | skipped, system-out). Strict where a lenient DOM parser is not:
 * duplicate attributes, unknown entities, stray `<`/`&` and characters XML 1.0 forbids are errors.
 * Supports what a JUnit file needs (a declaration, elements, attributes, text, character and the
 * five predefined entity references), nothing more.
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const XML_CHAR = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;
const NAME = /^[A-Za-z_][\w.-]*/;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: () => string): string {
  if (raw.includes('<')) throw new Error(`"<" in text or attribute ${where()}`);
  return raw.replace(/&([^;]*);|&/g, (whole, name: string | undefined) => {
    if (name === undefined) throw new Error(`bare "&" ${where()}`);
    if (name in PREDEFINED) return PREDEFINED[name] ?? '';
    const m = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(name);
    if (!m?.[1]) throw new Error(`unknown entity &${name}; ${where()}`);
    const code = m[1].startsWith('x') ? Number.parseInt(m[1].slice(1), 16) : Number(m[1]);
    const char = code <= 0x10ffff ? String.fromCodePoint(code) : '';
    if (!XML_CHAR.test(char) || char === '') throw new Error(`reference to a character XML does not allow (${whole}) ${where()}`);
    return char;
  });
}

export function parseXml(xml: string): XmlElement {
  if (!XML_CHAR.test(xml)) throw new Error('the document holds characters XML 1.0 does not allow');
  let i = 0;
  const where = (): string => `at offset ${i}`;
  const skipSpace = (): void => {
    while (i < xml.length && /\s/.test(xml[i] ?? '')) i++;
  };
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) throw new Error('unterminated XML declaration');
    i = end + 2;
  }
  skipSpace();

  const element = (): XmlElement => {
    if (xml[i] !== '<') throw new Error(`expected an element ${where()}`);
    i++;
    const name = NAME.exec(xml.slice(i))?.[0];
    if (!name) throw new Error(`bad element name ${where()}`);
    i += name.length;
    const attrs: Record<string, string> = {};
    for (;;) {
      const before = i;
      skipSpace();
      if (xml.startsWith('/>', i)) {
        i += 2;
        return { name, attrs, children: [], text: '' };
      }
      if (xml[i] === '>') {
        i++;
        break;
      }
      if (i === before) throw new Error(`expected whitespace before an attribute ${where()}`);
      const attr = NAME.exec(xml.slice(i))?.[0];
      if (!attr) throw new Error(`bad attribute name ${where()}`);
      if (Object.hasOwn(attrs, attr)) throw new Error(`duplicate attribute ${attr} on <${name}> ${where()}`);
      i += attr.length;
      skipSpace();
      if (xml[i] !== '=') throw new Error(`expected "=" after ${attr} ${where()}`);
      i++;
      skipSpace();
      const quote = xml[i];
      if (quote !== '"' && quote !== "'") throw new Error(`unquoted value of ${attr} ${where()}`);
      const end = xml.indexOf(quote, i + 1);
      if (end < 0) throw new Error(`unterminated value of ${attr}`);
      attrs[attr] = decode(xml.slice(i + 1, end), where);
      i = end + 1;
    }
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      const lt = xml.indexOf('<', i);
      if (lt < 0) throw new Error(`<${name}> is never closed`);
      const raw = xml.slice(i, lt);
      if (raw.includes(']]>')) throw new Error(`"]]>" in text ${where()}`);
      text += decode(raw, where);
      i = lt;
      if (xml.startsWith('</', i)) {
        const close = `</${name}>`;
        if (!xml.startsWith(close, i)) throw new Error(`<${name}> closed by ${xml.slice(i, i + name.length + 3)} ${where()}`);
        i += close.length;
        return { name, attrs, children, text };
      }
      if (xml.startsWith('<!', i) || xml.startsWith('<?', i)) throw new Error(`comments, CDATA and processing instructions are not expected ${where()}`);
      children.push(element());
    }
  };
  const root = element();
  skipSpace();
  if (i !== xml.length) throw new Error(`content after the root element ${where()}`);
  return root;
}

const INT = /^\d+$/;
const DECIMAL = /^\d+(\.\d+)?$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

/** Validates a JUnit document; returns the problems found (none: valid) and the parsed tree. */
export function validateJUnit(xml: string): { problems: string[]; root: XmlElement | null } {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (e) {
    return { problems: [`not well-formed XML: ${e instanceof Error ? e.message : String(e)}`], root: null };
  }
  const problems: string[] = [];
  const need = (el: XmlElement, attr: string, pattern: RegExp | null, required: boolean): void => {
    const value = el.attrs[attr];
    if (value === undefined) {
      if (required) problems.push(`<${el.name} ${el.attrs.name ?? ''}> lacks ${attr}`);
    } else if (pattern && !pattern.test(value)) problems.push(`<${el.name}> ${attr}="${value}" is not valid`);
  };
  const allowed = (el: XmlElement, attrs: string[]): void => {
    for (const a of Object.keys(el.attrs)) if (!attrs.includes(a)) problems.push(`<${el.name}> has an unknown attribute ${a}`);
  };
  if (root.name !== 'testsuites') return { problems: [`root is <${root.name}>, not <testsuites>`], root };
  allowed(root, ['name', 'tests', 'failures', 'errors', 'skipped', 'disabled', 'time']);
  for (const a of ['tests', 'failures', 'errors', 'skipped']) need(root, a, INT, false);
  need(root, 'time', DECIMAL, false);
  const sum = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const suite of root.children) {
    if (suite.name !== 'testsuite') {
      problems.push(`<testsuites> holds <${suite.name}>`);
      continue;
    }
    allowed(suite, ['name', 'tests', 'failures', 'errors', 'skipped', 'disabled', 'time', 'timestamp', 'hostname', 'id', 'package']);
    need(suite, 'name', null, true);
    need(suite, 'tests', INT, true);
    for (const a of ['failures', 'errors', 'skipped']) need(suite, a, INT, false);
    need(suite, 'time', DECIMAL, false);
    need(suite, 'timestamp', TIMESTAMP, false);
    const count = { tests: 0, failures: 0, errors: 0, skipped: 0 };
    let seenCase = false;
    for (const child of suite.children) {
      if (child.name === 'properties') {
        if (seenCase) problems.push('<properties> after a <testcase>');
        for (const p of child.children) {
          if (p.name !== 'property') problems.push(`<properties> holds <${p.name}>`);
          allowed(p, ['name', 'value']);
          need(p, 'name', null, true);
          need(p, 'value', null, true);
        }
      } else if (child.name === 'testcase') {
        seenCase = true;
        count.tests++;
        allowed(child, ['name', 'classname', 'time', 'assertions', 'status', 'file', 'line']);
        need(child, 'name', null, true);
        need(child, 'classname', null, true);
        need(child, 'time', DECIMAL, true);
        const outcomes = child.children.filter((c) => ['failure', 'error', 'skipped'].includes(c.name));
        if (outcomes.length > 1) problems.push(`testcase "${child.attrs.name}" has ${outcomes.length} outcomes`);
        for (const c of child.children) {
          if (c.name === 'failure' || c.name === 'error') {
            allowed(c, ['message', 'type']);
            count[c.name === 'failure' ? 'failures' : 'errors']++;
          } else if (c.name === 'skipped') {
            allowed(c, ['message']);
            count.skipped++;
          } else if (c.name !== 'system-out' && c.name !== 'system-err') problems.push(`testcase holds <${c.name}>`);
          if (c.children.length > 0) problems.push(`<${c.name}> holds elements`);
        }
      } else if (child.name !== 'system-out' && child.name !== 'system-err') problems.push(`<testsuite> holds <${child.name}>`);
    }
    for (const k of ['tests', 'failures', 'errors', 'skipped'] as const) {
      const declared = Number(suite.attrs[k] ?? 0);
      if (declared !== count[k]) problems.push(`suite "${suite.attrs.name}" says ${k}=${declared} but has ${count[k]}`);
      sum[k] += count[k];
    }
  }
  for (const k of ['tests', 'failures', 'errors', 'skipped'] as const)
    if (root.attrs[k] !== undefined && Number(root.attrs[k]) !== sum[k]) problems.push(`<testsuites> says ${k}=${root.attrs[k]} but its suites have ${sum[k]}`);
  return { problems, root };
}
