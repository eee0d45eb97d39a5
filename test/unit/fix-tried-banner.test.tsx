// @vitest-environment happy-dom
/** "Try on reload" (issue 18): what the panel says on the load that tried a fix, applied or too late. */
import { cleanup, render } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { FixTriedBanner } from '../../src/panel/try-fix/TryFixCard.tsx';
import { diagnose } from '../../src/shared/analysis/index.ts';
import { NoteCode } from '../../src/shared/notes.ts';
import { EventKind } from '../../src/shared/protocol/wire.ts';
import { KEY, report, TOKEN } from './support/report.ts';

const NOW = Date.UTC(2026, 10, 25, 9, 1, 0);
afterEach(() => {
  cleanup();
});

describe('FixTriedBanner', () => {
  it('a fix that came after the first init: says the load ran the page’s own options, and offers no capture code', () => {
    const late = report()
      .snippet(KEY)
      .event(EventKind.FixTried, NoteCode.FixLate, [{ cookiePath: '/testautomation/' }], NoteCode.FixLate)
      .widget(true)
      .build();
    const { getByTestId, queryByTestId } = render(<FixTriedBanner diagnosis={diagnose(late, null, NOW)} tryState={null} />);
    expect(getByTestId('fix-tried').dataset.applied).toBe('false');
    expect(getByTestId('fix-tried-changes').textContent).toBe('talk.cookiePath "/testautomation/"');
    expect(getByTestId('fix-tried-late').textContent).toContain(
      "The fix reached the page after its first ap3c.init call, so this load ran with the page's own options.",
    );
    expect(queryByTestId('fix-tried-verdict')).toBeNull();
    expect(queryByTestId('copy-fix-code')).toBeNull();
  });

  it('a fix applied: the verdict with it, the token masked', () => {
    const applied = report()
      .snippet(KEY, undefined, { talk: { token: TOKEN } })
      .event(EventKind.FixTried, NoteCode.FixApplied, [{ token: TOKEN }], NoteCode.FixApplied)
      .widget(false)
      .build();
    const { getByTestId, queryByTestId, container } = render(<FixTriedBanner diagnosis={diagnose(applied, null, NOW)} tryState={null} />);
    expect(getByTestId('fix-tried').dataset.applied).toBe('true');
    expect(getByTestId('fix-tried-changes').textContent).toMatch(/^talk\.token tk_4mB…3uYi$/);
    expect(getByTestId('fix-tried-verdict').textContent).toMatch(/^With the fix: Verified/);
    expect(queryByTestId('fix-tried-late')).toBeNull();
    expect(container.textContent).not.toContain(TOKEN);
  });

  it('nothing on a load that tried no fix', () => {
    const { container } = render(<FixTriedBanner diagnosis={diagnose(report().snippet(KEY).build(), null, NOW)} tryState={null} />);
    expect(container.textContent).toBe('');
  });
});
