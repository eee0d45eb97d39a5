// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { captureScripts, resourceReader } from '../../src/content/page-signals.ts';

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

describe('resource timing: Talk session calls and capture-script loads', () => {
  /** A resource entry whose name reads are counted, so a test sees which entries a read looked at. */
  const entry = (name: string, initiatorType = 'script') => {
    const e = { reads: 0, initiatorType } as { reads: number; initiatorType: string; readonly name: string };
    Object.defineProperty(e, 'name', {
      get() {
        e.reads++;
        return name;
      },
    });
    return e;
  };
  const withEntries = (list: { current: unknown[] }, read: () => void): void => {
    const spy = vi.spyOn(performance, 'getEntriesByType').mockImplementation(() => [...list.current] as PerformanceEntryList);
    try {
      read();
    } finally {
      spy.mockRestore();
    }
  };

  it('counts each entry once, and a later read looks only at the entries that came since', () => {
    const read = resourceReader();
    const app = entry('https://cdnjs.ap3prod.com/app.js');
    const session = entry('https://api.ap3api.com/v1/talk/session');
    const other = entry('https://example.com/x.png', 'img');
    const list = { current: [app, session, other] as unknown[] };
    withEntries(list, () => {
      expect(read()).toEqual({ talkSessionCalls: ['https://api.ap3api.com/v1/talk/session'], captureScriptLoads: 1 });
      const before = [app.reads, session.reads, other.reads];
      const again = entry('https://cdnjs.ap3prod.com/app.js');
      list.current = [app, session, other, again];
      expect(read()).toEqual({ talkSessionCalls: ['https://api.ap3api.com/v1/talk/session'], captureScriptLoads: 2 });
      expect([app.reads, session.reads, other.reads]).toEqual(before);
      expect(again.reads).toBeGreaterThan(0);
      // Nothing new: the same answer, nothing looked at.
      const all = [app.reads, session.reads, other.reads, again.reads];
      expect(read()).toEqual({ talkSessionCalls: ['https://api.ap3api.com/v1/talk/session'], captureScriptLoads: 2 });
      expect([app.reads, session.reads, other.reads, again.reads]).toEqual(all);
    });
  });

  it('a buffer the page cleared: what was seen stays, and every new entry is looked at', () => {
    const read = resourceReader();
    const list = { current: [entry('https://cdnjs.ap3prod.com/app.js'), entry('https://example.com/a.css', 'link')] as unknown[] };
    withEntries(list, () => {
      expect(read().captureScriptLoads).toBe(1);
      // Cleared, then as many entries as before and more came: all are new.
      list.current = [entry('https://example.com/b.css', 'link'), entry('https://cdnjs.ap3prod.com/app.js'), entry('https://api.ap3api.com/v1/talk/session')];
      expect(read()).toEqual({ talkSessionCalls: ['https://api.ap3api.com/v1/talk/session'], captureScriptLoads: 2 });
      list.current = [];
      expect(read()).toEqual({ talkSessionCalls: ['https://api.ap3api.com/v1/talk/session'], captureScriptLoads: 2 });
      list.current = [entry('https://cdnjs.ap3prod.com/app.js')];
      expect(read().captureScriptLoads).toBe(3);
    });
  });
});
