/**
 * Finds the browsers the end-to-end tests, the benchmark, `npm start` and `talk-inspector check`
 * drive: CHROMIUM_PATH / FIREFOX_PATH, then Debian's /usr/bin/chromium and /usr/bin/firefox-esr;
 * and Xvfb (XVFB_PATH, /usr/bin/Xvfb), the display the Firefox DevTools panel suite starts for
 * itself. When one is missing and we are root on Debian, installs it with apt (saying so) unless
 * `install: false`; otherwise fails with the exact command to run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export type BrowserName = 'chromium' | 'firefox' | 'xvfb';

const DEFAULTS: Record<BrowserName, { env: string; path: string; apt: string }> = {
  chromium: { env: 'CHROMIUM_PATH', path: '/usr/bin/chromium', apt: 'chromium' },
  firefox: { env: 'FIREFOX_PATH', path: '/usr/bin/firefox-esr', apt: 'firefox-esr' },
  xvfb: { env: 'XVFB_PATH', path: '/usr/bin/Xvfb', apt: 'xvfb' },
};

const safeRead = (p: string): string => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
};

/** What findBrowser asks of the machine (tests replace it). */
export interface BrowserHost {
  root(): boolean;
  debian(): boolean;
  /** Runs a shell command as it is (its error output to the terminal), throwing if it fails. */
  run(command: string): void;
  log(line: string): void;
}

const MACHINE: BrowserHost = {
  root: () => process.getuid?.() === 0,
  debian: () => existsSync('/etc/debian_version') || /debian/i.test(safeRead('/etc/os-release')),
  run: (command) => execFileSync('sh', ['-c', command], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }),
  log: (line) => console.log(line),
};

/** `at`: where to look instead of Debian's path (tests). */
export function findBrowser(name: BrowserName, opts: { install?: boolean; at?: string } = {}, host: BrowserHost = MACHINE): string {
  const d = { ...DEFAULTS[name], ...(opts.at ? { path: opts.at } : {}) };
  const command = `apt-get update && apt-get install -y ${d.apt}`;
  const fromEnv = process.env[d.env];
  if (fromEnv) {
    if (!existsSync(fromEnv))
      throw new Error(
        `${d.env} is set to ${fromEnv}, but no file is there. Point it at the ${name} executable, or unset it and install ${name} with \`sudo ${command}\`.`,
      );
    return fromEnv;
  }
  if (existsSync(d.path)) return d.path;
  if (opts.install !== false && host.root() && host.debian()) {
    host.log(`${name} is not installed; installing it with: ${command}`);
    host.run(`${command} >/dev/null`);
    if (existsSync(d.path)) return d.path;
  }
  throw new Error(`${name} was not found. Install it with \`sudo ${command}\` or set ${d.env} to its executable.`);
}
