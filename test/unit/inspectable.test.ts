import { describe, expect, it } from 'vitest';
import { inspectability } from '../../src/background/state/inspectable.ts';

describe('inspectability', () => {
  for (const url of [
    'http://example.com/',
    'https://example.com/path?q=1#h',
    'http://127.0.0.1:8080/',
    'http://localhost/',
    'HTTPS://EXAMPLE.COM/',
    'https://addons.mozilla.org.example.com/',
    'https://example.com/?next=https://addons.mozilla.org/',
  ]) {
    it(`inspects ${url}`, () => {
      expect(inspectability(url)).toEqual({ inspectable: true, reason: null });
    });
  }

  for (const url of [
    'file:///C:/site/index.html',
    'chrome://settings/',
    'about:blank',
    'about:debugging',
    'data:text/html,hello',
    'chrome-extension://abcdefghijklmnopabcdefghijklmnop/panel.html',
    'moz-extension://0a1b2c3d-0000-0000-0000-000000000000/panel.html',
    'view-source:https://example.com/',
    'javascript:alert(1)',
    'blob:https://example.com/1234',
    'ftp://example.com/',
    'https://addons.mozilla.org/en-US/firefox/addon/x/',
    'https://ADDONS.MOZILLA.ORG/',
    'https://chromewebstore.google.com/detail/abc',
    'https://chrome.google.com/webstore/detail/abc',
    'https://microsoftedge.microsoft.com/addons/detail/abc',
    '',
    null,
    undefined,
    'not a url',
    '://missing-scheme',
    'http://',
    '   ',
    '\u0000',
    'https://exa mple.com/',
  ]) {
    it(`does not inspect ${JSON.stringify(url)}, and says why`, () => {
      const r = inspectability(url);
      expect(r.inspectable).toBe(false);
      expect(typeof r.reason).toBe('string');
      expect(r.reason?.trim().length).toBeGreaterThan(10);
    });
  }

  it('explains local files differently from browser pages and stores', () => {
    const file = inspectability('file:///x.html').reason;
    const browserPage = inspectability('chrome://settings').reason;
    const store = inspectability('https://chromewebstore.google.com/').reason;
    expect(file).toMatch(/file/i);
    expect(store).toMatch(/store/i);
    expect(new Set([file, browserPage, store]).size).toBe(3);
  });

  it('never throws on odd input', () => {
    for (const url of ['%%%', 'http://[::1', 'https://\u{1F600}.example/', 'a'.repeat(100_000)]) {
      expect(() => inspectability(url)).not.toThrow();
    }
  });
});
