import type { Protocol } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { extensionTime } from '../../bench/extension-time.ts';

const EXT = 'chrome-extension://abcdefghijklmnop/src/page/recorder.js';
const PAGE = 'http://127.0.0.1:8080/app.js';
const frame = (functionName: string, url: string, lineNumber = 0) => ({ functionName, url, lineNumber, columnNumber: 0, scriptId: '1' });

/**
 * (root) → page `track` (through our wrapper `apply`) → the page's own `realTrack`;
 * the wrapper also calls the built-in `push`; the pull `collect` calls `getElementById`.
 */
const profile: Protocol.Profiler.Profile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 6, 8] },
    { id: 2, callFrame: frame('run', PAGE), children: [3] },
    { id: 3, callFrame: frame('apply', EXT, 9), children: [4, 5] },
    { id: 4, callFrame: frame('realTrack', PAGE) },
    { id: 5, callFrame: frame('push', '') },
    { id: 6, callFrame: frame('collect', ''), children: [7] },
    { id: 7, callFrame: frame('getElementById', '') },
    { id: 8, callFrame: frame('(program)', '') },
  ],
  startTime: 0,
  endTime: 7000,
  // Sample i lasts timeDeltas[i + 1] µs.
  samples: [2, 3, 4, 5, 7, 8, 3],
  timeDeltas: [0, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
};

describe('bench: the extension’s share of a CPU profile', () => {
  it('counts extension frames and the built-ins they call, not the page’s code behind a wrapper', () => {
    const { total, byFunction } = extensionTime(profile);
    // apply ×2, push (called by apply), getElementById (called by the pull): 4 samples of 1 ms.
    expect(total).toBe(4);
    expect(byFunction.get('apply src/page/recorder.js:10')).toBe(3);
    expect(byFunction.get('collect (the background pull)')).toBe(1);
    expect([...byFunction.keys()].some((k) => k.includes('realTrack') || k.includes('run'))).toBe(false);
  });

  it('counts what the background injects when a panel watches (goLive, hasRelay), and no other unnamed code', () => {
    const { total, byFunction } = extensionTime({
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), children: [2, 3, 4] },
        { id: 2, callFrame: frame('goLive', '') },
        { id: 3, callFrame: frame('hasRelay', '') },
        { id: 4, callFrame: frame('someoneElse', '') },
      ],
      startTime: 0,
      endTime: 3000,
      samples: [2, 3, 4],
      timeDeltas: [0, 1000, 1000, 1000],
    });
    expect(total).toBe(2);
    expect(byFunction.get('goLive (injected by the background)')).toBe(1);
    expect(byFunction.get('hasRelay (injected by the background)')).toBe(1);
  });
});
