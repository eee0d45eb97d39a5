import { describe, expect, it } from 'vitest';
import { isOwnExtensionPage, topFrameContentScriptTab } from '../../src/background/state/senders.ts';

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const BASE = `chrome-extension://${ID}/`;
const OTHER = 'ponmlkjihgfedcbaponmlkjihgfedcba';

describe('isOwnExtensionPage', () => {
  it('accepts the extension’s own pages', () => {
    expect(isOwnExtensionPage({ id: ID, url: `${BASE}src/panel/panel.html` }, ID, BASE)).toBe(true);
    expect(isOwnExtensionPage({ id: ID, url: `${BASE}options.html?x=1`, origin: BASE.slice(0, -1) }, ID, BASE)).toBe(true);
    const firefoxBase = 'moz-extension://0a1b2c3d-1111-2222-3333-444455556666/';
    expect(isOwnExtensionPage({ id: 'inspector@example.com', url: `${firefoxBase}panel.html` }, 'inspector@example.com', firefoxBase)).toBe(true);
  });

  it('rejects this extension’s content script on a web page', () => {
    expect(isOwnExtensionPage({ id: ID, url: 'https://example.com/', tab: { id: 3 }, frameId: 0 }, ID, BASE)).toBe(false);
  });

  it('rejects another extension', () => {
    expect(isOwnExtensionPage({ id: OTHER, url: `chrome-extension://${OTHER}/panel.html` }, ID, BASE)).toBe(false);
    // Another extension claiming our URL is still another extension.
    expect(isOwnExtensionPage({ id: OTHER, url: `${BASE}panel.html` }, ID, BASE)).toBe(false);
  });

  it('rejects a URL that merely contains the base URL', () => {
    expect(isOwnExtensionPage({ id: ID, url: `https://evil.example/?u=${BASE}panel.html` }, ID, BASE)).toBe(false);
    expect(isOwnExtensionPage({ id: ID, url: `https://evil.example/${BASE}` }, ID, BASE)).toBe(false);
    expect(isOwnExtensionPage({ id: ID, url: `chrome-extension://${ID}evil/panel.html` }, ID, BASE)).toBe(false);
  });

  it('rejects a missing sender, id or url', () => {
    expect(isOwnExtensionPage(undefined, ID, BASE)).toBe(false);
    expect(isOwnExtensionPage({}, ID, BASE)).toBe(false);
    expect(isOwnExtensionPage({ id: ID }, ID, BASE)).toBe(false);
    expect(isOwnExtensionPage({ url: `${BASE}panel.html` }, ID, BASE)).toBe(false);
    expect(isOwnExtensionPage({ id: ID, url: '' }, ID, BASE)).toBe(false);
  });
});

describe('topFrameContentScriptTab', () => {
  const ok = { id: ID, url: 'https://shop.example.com/', tab: { id: 42 }, frameId: 0 };

  it('gives the tab id of a top-frame content script on an http(s) page', () => {
    expect(topFrameContentScriptTab(ok, ID)).toBe(42);
    expect(topFrameContentScriptTab({ ...ok, url: 'http://127.0.0.1:8080/x' }, ID)).toBe(42);
    expect(topFrameContentScriptTab({ ...ok, url: 'HTTPS://EXAMPLE.COM/' }, ID)).toBe(42);
    expect(topFrameContentScriptTab({ ...ok, tab: { id: 0 } }, ID)).toBe(0);
  });

  it('rejects sub-frames and senders without a frame id', () => {
    expect(topFrameContentScriptTab({ ...ok, frameId: 1 }, ID)).toBeUndefined();
    expect(topFrameContentScriptTab({ id: ID, url: ok.url, tab: { id: 42 } }, ID)).toBeUndefined();
  });

  it('rejects senders without a tab id', () => {
    expect(topFrameContentScriptTab({ id: ID, url: ok.url, frameId: 0 }, ID)).toBeUndefined();
    expect(topFrameContentScriptTab({ ...ok, tab: {} }, ID)).toBeUndefined();
  });

  it('rejects another extension and a missing sender', () => {
    expect(topFrameContentScriptTab({ ...ok, id: OTHER }, ID)).toBeUndefined();
    expect(topFrameContentScriptTab({ ...ok, id: undefined }, ID)).toBeUndefined();
    expect(topFrameContentScriptTab(undefined, ID)).toBeUndefined();
  });

  it('rejects non-http(s) URLs and a missing URL', () => {
    for (const url of [`${BASE}panel.html`, 'file:///x.html', 'about:blank', 'data:text/html,x', 'chrome://newtab/', 'javascript:1', 'ftp://x/', '']) {
      expect(topFrameContentScriptTab({ ...ok, url }, ID)).toBeUndefined();
    }
    expect(topFrameContentScriptTab({ id: ID, tab: { id: 42 }, frameId: 0 }, ID)).toBeUndefined();
  });
});
