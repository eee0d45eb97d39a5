// @vitest-environment happy-dom
/** The panel's export buttons: the token only as a fingerprint unless "Include the token" is ticked (README.md). */
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExportBar } from '../../src/panel/components/ExportBar.tsx';
import { diagnose } from '../../src/shared/analysis/index.ts';
import { report, TOKEN } from './support/report.ts';

const NOW = Date.UTC(2026, 10, 25, 9, 1, 0);
const copied: string[] = [];

beforeEach(() => {
  copied.length = 0;
  Object.defineProperty(navigator, 'clipboard', {
    configurable: true,
    value: {
      writeText: async (text: string) => {
        copied.push(text);
      },
    },
  });
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('ExportBar', () => {
  const diagnosis = () =>
    diagnose(
      report()
        .snippet(undefined, undefined, { talk: { token: TOKEN } })
        .widget(false)
        .build(),
      null,
      NOW,
    );

  it('copies the token as a fingerprint by default, and the token itself only once ticked', async () => {
    const { getByTestId, findByText } = render(<ExportBar diagnosis={diagnosis()} version="1.2.3" />);
    const tick = getByTestId('include-token') as HTMLInputElement;
    expect(tick.checked).toBe(false);

    fireEvent.click(getByTestId('copy-json'));
    await findByText('JSON report copied.');
    const json = JSON.parse(copied[0] ?? '{}');
    expect(json.token.fingerprint).toMatch(/^[0-9a-f]{12}$/);
    expect(json.token.value).toBeUndefined();
    expect(copied[0]).not.toContain(TOKEN);
    expect(json.tool.version).toBe('1.2.3');

    fireEvent.click(getByTestId('copy-md'));
    await waitFor(() => expect(copied).toHaveLength(2));
    expect(copied[1]).not.toContain(TOKEN);
    expect(copied[1]).toContain(json.token.fingerprint);

    fireEvent.click(tick);
    expect(tick.checked).toBe(true);
    fireEvent.click(getByTestId('copy-json'));
    await waitFor(() => expect(copied).toHaveLength(3));
    expect(JSON.parse(copied[2] ?? '{}').token.value).toBe(TOKEN);
  });

  it('says so when the clipboard is refused and the fallback fails too', async () => {
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: {
        writeText: async () => {
          throw new Error('Document is not focused.');
        },
      },
    });
    (document as unknown as { execCommand: (c: string) => boolean }).execCommand = () => false;
    const { getByTestId, findByText } = render(<ExportBar diagnosis={diagnosis()} version="1.2.3" />);
    fireEvent.click(getByTestId('copy-json'));
    await findByText('Copy failed: use Download.');
  });
});
