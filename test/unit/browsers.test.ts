import { afterEach, describe, expect, it } from 'vitest';
import { findBrowser } from '../../tools/browsers.ts';

// README.md ("Use in CI") and docs/check.md: no browser is exit 2 "with the reason and the command
// that fixes it". The command is what findBrowser's error says.
describe('findBrowser, when the browser is not there', () => {
  const saved = process.env.CHROMIUM_PATH;
  afterEach(() => {
    if (saved === undefined) delete process.env.CHROMIUM_PATH;
    else process.env.CHROMIUM_PATH = saved;
  });

  it('names the apt command and the variable to set', () => {
    delete process.env.CHROMIUM_PATH;
    expect(() => findBrowser('chromium', { install: false, at: '/nonexistent/chromium' })).toThrow(
      'chromium was not found. Install it with `sudo apt-get update && apt-get install -y chromium` or set CHROMIUM_PATH to its executable.',
    );
  });

  it('says what is wrong with CHROMIUM_PATH, and the command', () => {
    process.env.CHROMIUM_PATH = '/nonexistent/no-such-chromium';
    expect(() => findBrowser('chromium', { install: false })).toThrow(
      'CHROMIUM_PATH is set to /nonexistent/no-such-chromium, but no file is there. Point it at the chromium executable, or unset it and install chromium with `sudo apt-get update && apt-get install -y chromium`.',
    );
  });

  it('finds what is there', () => {
    process.env.CHROMIUM_PATH = process.execPath;
    expect(findBrowser('chromium', { install: false })).toBe(process.execPath);
  });
});
