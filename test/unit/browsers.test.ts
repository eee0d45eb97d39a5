import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type BrowserHost, findBrowser } from '../../tools/browsers.ts';

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

// tools/browsers.ts: "When one is missing and we are root on Debian, installs it with apt (saying
// so) unless `install: false`". The machine is replaced: nothing is installed for real.
describe('findBrowser, installing a missing browser', () => {
  const saved = process.env.FIREFOX_PATH;
  let dir = '';
  afterEach(() => {
    if (saved === undefined) delete process.env.FIREFOX_PATH;
    else process.env.FIREFOX_PATH = saved;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A machine that is root on Debian unless told otherwise; its apt puts the browser at `at` (or fails to). */
  function machine(at: string, o: { root?: boolean; debian?: boolean; aptWorks?: boolean } = {}) {
    const ran: string[] = [];
    const said: string[] = [];
    const host: BrowserHost = {
      root: () => o.root ?? true,
      debian: () => o.debian ?? true,
      run: (command) => {
        ran.push(command);
        if (o.aptWorks ?? true) writeFileSync(at, '#!/bin/sh\n');
      },
      log: (line) => said.push(line),
    };
    return { host, ran, said };
  }

  it('as root on Debian: says so, runs apt non-interactively for the right package, and returns the browser', () => {
    delete process.env.FIREFOX_PATH;
    dir = mkdtempSync(join(tmpdir(), 'ti-browsers-'));
    const at = join(dir, 'firefox-esr');
    const m = machine(at);
    expect(findBrowser('firefox', { at }, m.host)).toBe(at);
    expect(m.ran).toEqual(['apt-get update && apt-get install -y firefox-esr >/dev/null']);
    expect(m.said).toEqual(['firefox is not installed; installing it with: apt-get update && apt-get install -y firefox-esr']);
  });

  it('apt ran but the browser is still not there: the error with the command', () => {
    delete process.env.FIREFOX_PATH;
    dir = mkdtempSync(join(tmpdir(), 'ti-browsers-'));
    const at = join(dir, 'firefox-esr');
    const m = machine(at, { aptWorks: false });
    expect(() => findBrowser('firefox', { at }, m.host)).toThrow(
      'firefox was not found. Install it with `sudo apt-get update && apt-get install -y firefox-esr` or set FIREFOX_PATH to its executable.',
    );
    expect(m.ran).toHaveLength(1);
  });

  it('installs nothing when not root, not on Debian, or told not to: the error with the command', () => {
    delete process.env.FIREFOX_PATH;
    dir = mkdtempSync(join(tmpdir(), 'ti-browsers-'));
    const at = join(dir, 'firefox-esr');
    for (const [o, install] of [
      [{ root: false }, undefined],
      [{ debian: false }, undefined],
      [{}, false],
    ] as const) {
      const m = machine(at, o);
      expect(() => findBrowser('firefox', { at, install }, m.host)).toThrow('firefox was not found. Install it with `sudo apt-get update');
      expect(m.ran).toEqual([]);
      expect(m.said).toEqual([]);
    }
  });
});
