// @vitest-environment happy-dom
/** The 429 countdown: right at its first paint, whenever it appears, and counting down after. */
import { act, cleanup, render } from '@testing-library/preact';
import { render as preactRender } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RetryCountdown } from '../../src/panel/support/RetryCountdown.tsx';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.UTC(2026, 11, 2, 10, 0, 0));
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('RetryCountdown', () => {
  it('reads the clock when it paints a new wait, not when it last ticked', () => {
    // Preact's own render, not act() (which would run the effects first): what a render shows.
    const container = document.createElement('div');
    preactRender(<RetryCountdown retryAt={Date.now() + 2_000} />, container);
    // A minute with no tick (a busy panel), then Ortto's next 429: its first paint says 3 s, not 63.
    vi.setSystemTime(Date.now() + 60_000);
    preactRender(<RetryCountdown retryAt={Date.now() + 3_000} />, container);
    expect(container.textContent).toBe(' Next try in 3 s.');
    preactRender(null, container);
  });

  it('counts down every quarter second and never below 0', () => {
    const { container } = render(<RetryCountdown retryAt={Date.now() + 2_000} />);
    expect(container.textContent).toBe(' Next try in 2 s.');
    act(() => {
      vi.advanceTimersByTime(1_250);
    });
    expect(container.textContent).toBe(' Next try in 1 s.');
    act(() => {
      vi.advanceTimersByTime(5_000);
    });
    expect(container.textContent).toBe(' Next try in 0 s.');
  });
});
