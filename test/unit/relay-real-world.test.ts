// @vitest-environment happy-dom
/**
 * Issue 13, the relay's side: CSP violations from document_start, the script the snippet inserts,
 * and how many capture scripts the page holds.
 */
import { describe, expect, it } from 'vitest';
import { captureScriptFacts, watchCsp, watchSnippetScripts } from '../../src/content/page-signals.ts';

/** A `securitypolicyviolation` event as the browser fires it (happy-dom has no such class). */
function violation(fields: Partial<Record<string, string>>): Event {
  const e = new Event('securitypolicyviolation', { bubbles: true, composed: true });
  Object.assign(e, {
    effectiveDirective: 'script-src-elem',
    violatedDirective: 'script-src-elem',
    blockedURI: 'https://cdn3l.ink/app.js',
    disposition: 'enforce',
    originalPolicy: "script-src 'self'",
    sample: '',
    ...fields,
  });
  return e;
}

describe('CSP violations', () => {
  it('keeps script and connection violations, Ortto’s first, with the policy; ignores styles, images and inline scripts that are not the snippet', () => {
    let changes = 0;
    const w = watchCsp(() => changes++);
    dispatchEvent(violation({ blockedURI: 'https://ads.example/tag.js' }));
    dispatchEvent(violation({}));
    dispatchEvent(
      violation({ effectiveDirective: 'connect-src', blockedURI: 'https://capture-api.autopilotapp.com/-/widgets/get', originalPolicy: "connect-src 'self'" }),
    );
    dispatchEvent(violation({ effectiveDirective: 'style-src-elem', blockedURI: 'inline' }));
    dispatchEvent(violation({ effectiveDirective: 'img-src', blockedURI: 'https://cdn3l.ink/pixel.gif' }));
    dispatchEvent(violation({ blockedURI: 'inline', sample: 'console.log(1)' }));
    dispatchEvent(violation({ blockedURI: 'inline', sample: 'window.ap3c = window.ap3c || {};', disposition: 'report' }));
    dispatchEvent(violation({})); // the same one again
    const v = w.violations();
    expect(v.map((x) => [x.directive, x.blocked, x.disposition])).toEqual([
      ['script-src-elem', 'https://cdn3l.ink/app.js', 'enforce'],
      ['connect-src', 'https://capture-api.autopilotapp.com/-/widgets/get', 'enforce'],
      ['script-src-elem', 'inline', 'report'],
      ['script-src-elem', 'https://ads.example/tag.js', 'enforce'],
    ]);
    expect(v[0]?.policy).toBe("script-src 'self'");
    expect(v[2]?.sample).toContain('ap3c');
    expect(changes).toBe(4);
    w.stop();
  });

  it('a page with a noisy policy cannot push Ortto’s violations out', () => {
    const w = watchCsp(() => undefined);
    for (let i = 0; i < 100; i++) dispatchEvent(violation({ blockedURI: `https://ads.example/tag${i}.js` }));
    dispatchEvent(violation({}));
    const v = w.violations();
    expect(v).toHaveLength(11);
    expect(v[0]?.blocked).toBe('https://cdn3l.ink/app.js');
    w.stop();
  });
});

const script = (src: string): HTMLScriptElement => {
  const el = document.createElement('script');
  el.type = 'text/x-not-run'; // happy-dom would try to fetch it
  el.src = src;
  return el;
};

describe('the script the snippet inserts', () => {
  it('is the script with a src added between the recorder’s A (ap3c assigned) and E (that code returned); later scripts are not', async () => {
    document.head.innerHTML = '';
    let changed = 0;
    const into: string[] = [];
    // As the relay does on the recorder's A, inside the page's assignment of window.ap3c.
    const s = watchSnippetScripts(() => changed++, into);
    document.head.appendChild(document.createElement('script'));
    document.head.appendChild(script('https://cmp.example/core/v4/appcues.js'));
    s.finish(); // the recorder's E
    document.head.appendChild(script('https://other.example/later.js'));
    await new Promise((r) => setTimeout(r, 0));
    expect(into).toEqual(['https://cmp.example/core/v4/appcues.js']);
    expect(s.scripts).toBe(into);
    expect(changed).toBe(1);
    // A second run of the snippet adds to the same list.
    const again = watchSnippetScripts(() => changed++, into);
    document.head.appendChild(script('https://cdn3l.ink/app.js'));
    again.finish();
    expect(into).toEqual(['https://cmp.example/core/v4/appcues.js', 'https://cdn3l.ink/app.js']);
  });

  it('without the E, it watches until the next task and keeps nothing', async () => {
    const into: string[] = [];
    const s = watchSnippetScripts(() => undefined, into);
    document.head.appendChild(script('https://parser.example/inserted.js'));
    await new Promise((r) => setTimeout(r, 0));
    s.finish(); // too late: the observer is gone
    document.head.appendChild(script('https://other.example/later.js'));
    expect(into).toEqual([]);
    expect(s.definedIn).toBeUndefined();
  });
});

describe('capture scripts in the page', () => {
  it('counts every element (a second copy of the snippet), lists each URL once, and knows staging’s capture.js', () => {
    // A parsed page: its scripts never load or run.
    const doc = new DOMParser().parseFromString(
      [
        '<!doctype html><html><head>',
        '<script src="https://cdn3l.ink/app.js"></script>',
        '<script src="https://cdn3l.ink/app.js"></script>',
        '<script src="https://static.ap3stg.com/capture/master/capture.js"></script>',
        '<script src="https://example.com/js/capture.js"></script>',
        '</head></html>',
      ].join(''),
      'text/html',
    );
    expect(captureScriptFacts(doc)).toEqual({
      urls: ['https://cdn3l.ink/app.js', 'https://static.ap3stg.com/capture/master/capture.js'],
      elements: 3,
    });
  });
});
