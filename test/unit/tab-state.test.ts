import { describe, expect, it } from 'vitest';
import { withLoadComplete, withNavigation, withReport } from '../../src/background/state/tab-state.ts';
import { makeReport, makeTabState } from './helpers/report.ts';

describe('withReport', () => {
  it('creates the state of a tab from its first report', () => {
    const report = makeReport({ relayDocId: 'a', url: 'https://a.example/' });
    expect(withReport(undefined, 3, report, 111)).toEqual({
      tabId: 3,
      url: 'https://a.example/',
      inspectable: true,
      reason: null,
      report,
      browserDocumentId: null,
      pendingNavigation: false,
      loadedWithoutReport: false,
      updatedAt: 111,
    });
  });

  it('keeps the browser document id it is given', () => {
    expect(withReport(undefined, 3, makeReport(), 1, 'DOC-XYZ')?.browserDocumentId).toBe('DOC-XYZ');
  });

  it('ignores a late report of an older document (smaller activeSince)', () => {
    const newer = makeReport({ relayDocId: 'new', activeSince: 2_000, url: 'https://b.example/' });
    const current = withReport(undefined, 1, newer, 10);
    const older = makeReport({ relayDocId: 'old', activeSince: 1_000, url: 'https://a.example/' });
    expect(withReport(current, 1, older, 20)).toBeUndefined();
  });

  it('updates from a newer report of the same document, whatever its activeSince', () => {
    const first = makeReport({ relayDocId: 'same', activeSince: 2_000, dropped: 0 });
    const current = withReport(undefined, 1, first, 10);
    const later = makeReport({ relayDocId: 'same', activeSince: 1_500, dropped: 4 });
    const next = withReport(current, 1, later, 20);
    expect(next?.report).toBe(later);
    expect(next?.updatedAt).toBe(20);
  });

  it('replaces the report with one of a newer document', () => {
    const current = withReport(undefined, 1, makeReport({ relayDocId: 'a', activeSince: 1_000, url: 'https://a.example/' }), 10);
    const newer = makeReport({ relayDocId: 'b', activeSince: 3_000, url: 'https://b.example/' });
    const next = withReport(current, 1, newer, 20);
    expect(next?.report).toBe(newer);
    expect(next?.url).toBe('https://b.example/');
  });

  it('accepts a report when the tab has no report yet (after navigation)', () => {
    const current = makeTabState({ report: null });
    const report = makeReport({ activeSince: 0 });
    expect(withReport(current, 7, report, 5)?.report).toBe(report);
  });

  it('computes inspectability from the report url', () => {
    const next = withReport(undefined, 1, makeReport({ url: 'about:blank' }), 1);
    expect(next?.inspectable).toBe(false);
    expect(next?.reason).toEqual(expect.any(String));
  });
});

describe('withNavigation', () => {
  const withOldReport = () => makeTabState({ report: makeReport({ relayDocId: 'old' }), browserDocumentId: 'DOC-1' });

  it('keeps the old report (and document id) while an inspectable page loads', () => {
    const current = withOldReport();
    const next = withNavigation(current, 7, 'https://shop.example.com/checkout', 99);
    expect(next).toEqual({
      tabId: 7,
      url: 'https://shop.example.com/checkout',
      inspectable: true,
      reason: null,
      report: current.report,
      browserDocumentId: 'DOC-1',
      pendingNavigation: true,
      loadedWithoutReport: false,
      updatedAt: 99,
    });
  });

  it('a page that finished loading without reporting has no snippet; one that reported keeps its report', () => {
    const navigating = withNavigation(withOldReport(), 7, 'https://shop.example.com/plain', 99);
    expect(withLoadComplete(navigating, 100)).toMatchObject({ report: null, loadedWithoutReport: true, pendingNavigation: false });
    const reported = withReport(navigating, 7, makeReport({ relayDocId: 'new', activeSince: 10 ** 13 }), 100);
    expect(withLoadComplete(reported, 101)).toBeUndefined();
  });

  it('has no report for a tab it did not know', () => {
    expect(withNavigation(undefined, 7, 'https://a.example/', 1)).toMatchObject({ report: null, browserDocumentId: null, inspectable: true, reason: null });
  });

  for (const url of [
    'chrome://extensions/',
    'about:blank',
    'file:///home/me/page.html',
    'data:text/html,<p>hi</p>',
    'https://chromewebstore.google.com/detail/x',
    'https://addons.mozilla.org/en-US/firefox/',
    null,
  ]) {
    it(`drops the report and gives a reason for ${url}`, () => {
      const next = withNavigation(withOldReport(), 7, url, 5);
      expect(next.report).toBeNull();
      expect(next.browserDocumentId).toBeNull();
      expect(next.inspectable).toBe(false);
      expect(next.reason).toEqual(expect.any(String));
      expect(next.reason?.length).toBeGreaterThan(10);
      expect(next.url).toBe(url);
    });
  }

  it('does not change the state it was given', () => {
    const current = withOldReport();
    const before = structuredClone(current);
    withNavigation(current, 7, 'chrome://newtab/', 5);
    withReport(current, 7, makeReport({ relayDocId: 'other', activeSince: 9_999 }), 6);
    expect(current).toEqual(before);
  });
});
