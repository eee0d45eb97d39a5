// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { NOT_STORED_TEXT } from '../../src/background/state/tab-store-core.ts';
import { App } from '../../src/panel/App.tsx';
import { makeReport, makeTabState } from './helpers/report.ts';

afterEach(() => {
  cleanup();
});

const NOW = Date.UTC(2026, 0, 15);
const text = (container: ParentNode, id: string): string | null => container.querySelector(`[data-testid="${id}"]`)?.textContent ?? null;

describe('<App>: what the storage limit did to the report', () => {
  it('says in plain words that the report was trimmed, and how much', () => {
    const report = makeReport({ trimmed: { events: 12, args: 340 } });
    const { container } = render(<App state={makeTabState({ report })} connected={true} now={NOW} />);
    expect(text(container, 'report-trimmed')).toBe(
      "This report was trimmed to stay within the browser's storage limit: 12 older events and the arguments of 340 calls were left out.",
    );
    expect(container.querySelector('[data-testid="report-not-stored"]')).toBeNull();
  });

  it('says nothing when nothing was left out', () => {
    const { container } = render(<App state={makeTabState({ report: makeReport() })} connected={true} now={NOW} />);
    expect(container.querySelector('[data-testid="storage-notice"]')).toBeNull();
  });

  it('says when the browser would not store the report (shown from memory), with or without a report', () => {
    const withReport = render(<App state={makeTabState({ report: makeReport(), notStored: NOT_STORED_TEXT })} connected={true} now={NOW} />);
    expect(text(withReport.container, 'report-not-stored')).toBe(NOT_STORED_TEXT);
    expect(withReport.container.querySelector('[data-testid="status-snippet"]')).not.toBeNull();
    cleanup();
    const waiting = render(<App state={makeTabState({ report: null, notStored: NOT_STORED_TEXT })} connected={true} now={NOW} />);
    expect(text(waiting.container, 'report-not-stored')).toBe(NOT_STORED_TEXT);
  });

  it('renders page-controlled numbers and words as text, never as markup', () => {
    const notStored = '<img src=x onerror="window.__owned=1"> full';
    const { container } = render(
      <App state={makeTabState({ report: makeReport({ trimmed: { events: 1, args: 0 } }), notStored })} connected={true} now={NOW} />,
    );
    expect(container.querySelector('[data-testid="storage-notice"] img')).toBeNull();
    expect(text(container, 'report-not-stored')).toBe(notStored);
  });
});
