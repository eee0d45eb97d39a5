// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { captureScripts } from '../../src/content/page-signals.ts';

/** A parsed page: its scripts never load or run. */
const page = (scripts: string[]): Document => new DOMParser().parseFromString(`<!doctype html><html><head>${scripts.join('')}</head></html>`, 'text/html');

describe('capture scripts found in the page', () => {
  it('finds app.js by its resolved URL, ignores look-alikes and inline scripts, and lists each once', () => {
    const doc = page([
      '<script src="https://cdnjs.ap3prod.com/app.js"></script>',
      '<script src="/js/app.js?v=2"></script>',
      '<script src="https://cdnjs.ap3prod.com/app.js"></script>',
      '<script src="/js/myapp.json"></script>',
      '<script src="/js/app.jsx"></script>',
      '<script src="/vendor/other.js"></script>',
      '<script>var ap3c = {}; // app.js</script>',
    ]);
    const relative = (doc.querySelector('script[src^="/js/app.js"]') as HTMLScriptElement).src;
    expect(relative).toMatch(/^https?:\/\/[^/]+\/js\/app\.js\?v=2$/);
    expect(captureScripts(doc)).toEqual(['https://cdnjs.ap3prod.com/app.js', relative]);
  });

  it('keeps at most 10, however many the page has', () => {
    const doc = page(Array.from({ length: 30 }, (_, i) => `<script src="/s${i}/app.js"></script>`));
    expect(captureScripts(doc)).toHaveLength(10);
  });
});
