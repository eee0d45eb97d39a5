/**
 * Firefox ESR with the SHIPPED Firefox build (dist/firefox) and its real DevTools panel, driven
 * over Marionette under a private Xvfb display. Puppeteer's BiDi cannot open DevTools; Marionette's
 * chrome context can: it opens the toolbox on a tab, selects the Talk Inspector tool and reads the
 * panel's DOM through a small frame script loaded into the panel's own <browser>.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findBrowser } from '../../../tools/browsers.ts';
import { QUIET_PREFS } from './firefox.ts';
import { Marionette } from './marionette.ts';

export const FIREFOX_DIST = resolve(import.meta.dirname, '../../../dist/firefox');

/** Polls `check` every 50 ms until it is truthy; throws after `timeoutMs` with the last error. */
/** `what` may be a function, read at the timeout: a message that names the last value seen. */
export async function poll<T>(check: () => Promise<T> | T, what: string | (() => string), timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Timed out waiting for ${typeof what === 'function' ? what() : what}${lastError ? ` (${String(lastError)})` : ''}`);
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (address && typeof address === 'object' ? res(address.port) : rej(new Error('no port'))));
    });
  });
}

const exited = (p: ChildProcess): Promise<void> =>
  p.exitCode !== null || p.signalCode !== null ? Promise.resolve() : new Promise((r) => p.once('exit', () => r()));

async function stop(p: ChildProcess | undefined): Promise<void> {
  if (!p?.pid || p.exitCode !== null || p.signalCode !== null) return;
  p.kill('SIGTERM');
  const done = await Promise.race([exited(p).then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]);
  if (!done) {
    p.kill('SIGKILL');
    await exited(p);
  }
}

/** Starts Xvfb on a display number it picks itself (`-displayfd`), and resolves once it accepts clients. */
async function startXvfb(): Promise<{ display: string; process: ChildProcess }> {
  const xvfb = spawn(findBrowser('xvfb'), ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  xvfb.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  const fd3 = xvfb.stdio[3];
  if (!fd3) throw new Error('Xvfb: no display pipe');
  const display = await new Promise<string>((res, rej) => {
    let out = '';
    const fail = (e: Error): void => {
      clearTimeout(timer);
      xvfb.kill('SIGKILL');
      rej(e);
    };
    const timer = setTimeout(() => fail(new Error(`Xvfb did not start: ${stderr}`)), 15_000);
    fd3.on('data', (d) => {
      out += String(d);
      if (out.includes('\n')) {
        clearTimeout(timer);
        res(`:${out.trim()}`);
      }
    });
    xvfb.once('error', (e) => fail(new Error(`Xvfb could not start: ${e.message}`)));
    xvfb.once('exit', (code) => fail(new Error(`Xvfb exited (${code}): ${stderr}`)));
  });
  return { display, process: xvfb };
}

/** Chrome-context prelude: DevTools' loader and the toolbox of the tab under test (kept on the window). */
const DEVTOOLS = `
  const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
  const { gDevTools } = require('devtools/client/framework/devtools');
  const tab = window.__tiTab;
  if (!tab) throw new Error('no tab under test');
`;
const TOOLBOX = `${DEVTOOLS} const toolbox = gDevTools.getToolboxForTab(tab);`;

/** A function run in the panel's window (Xray-wrapped, from a frame script); must be self-contained. */
type InPanel<A extends unknown[], R> = (win: Window, ...args: A) => R | Promise<R>;

export interface PanelView {
  verdictKind: string;
  verdictRule: string;
  verdict: string;
  /** Checklist rule id → pass / fail / warn / skip. */
  statuses: Record<string, string>;
}

/** The Talk Inspector panel inside the real toolbox: reads and drives its DOM through frame scripts. */
export class FirefoxPanel {
  constructor(
    private readonly ff: FirefoxDevtools,
    readonly toolId: string,
  ) {}

  /**
   * Runs `fn(panelWindow, ...args)` in the panel's process and returns its JSON-able result. Each
   * call loads a one-shot frame script into the panel's <browser> that answers by message.
   */
  async evaluate<A extends unknown[], R>(fn: InPanel<A, R>, ...args: A): Promise<R> {
    const code = `(async () => {
      const __name = (f) => f;
      try {
        const value = await (${fn.toString()})(content, ...${JSON.stringify(args)});
        sendAsyncMessage(__NAME__, { value: JSON.stringify(value ?? null) });
      } catch (e) {
        sendAsyncMessage(__NAME__, { error: String(e) });
      }
    })();`;
    const json = await this.ff.chrome<string>(
      `${TOOLBOX}
      const [toolId, code] = arguments;
      const iframe = toolbox?.doc.getElementById('toolbox-panel-iframe-' + toolId);
      const browser = iframe?.contentDocument?.querySelector('browser');
      const mm = browser?.messageManager;
      if (!mm) throw new Error('the Talk Inspector panel is not open');
      // Until the panel's page is in the extension's process, a frame script would land in the
      // browser's first, throwaway document and never answer.
      if (browser.remoteType !== 'extension' || !browser.currentURI?.spec.startsWith('moz-extension:')) throw new Error('the panel is still loading');
      const name = 'ti-e2e:' + Services.uuid.generateUUID();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => { mm.removeMessageListener(name, on); reject(new Error('the panel did not answer')); }, 5000);
        const on = (m) => {
          clearTimeout(timer);
          mm.removeMessageListener(name, on);
          if (m.data.error) reject(new Error(m.data.error)); else resolve(m.data.value);
        };
        mm.addMessageListener(name, on);
        mm.loadFrameScript('data:,' + encodeURIComponent(code.replaceAll('__NAME__', JSON.stringify(name))), false);
      });`,
      [this.toolId, code],
    );
    return JSON.parse(json) as R;
  }

  /** The text of the element with this data-testid ('' when absent). */
  text(testId: string): Promise<string> {
    return this.evaluate((win, id) => win.document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '', testId);
  }

  /** Waits until the element `testId` contains `expected`; returns its text. */
  async waitForText(testId: string, expected: string | RegExp, timeoutMs = 10_000): Promise<string> {
    let last = '';
    await poll(
      async () => {
        last = await this.text(testId);
        return typeof expected === 'string' ? last.includes(expected) : expected.test(last);
      },
      () => `panel ${testId} to show ${expected} (last: "${last}")`,
      timeoutMs,
    );
    return last;
  }

  /** The verdict banner and every checklist rule's status. */
  view(): Promise<PanelView> {
    return this.evaluate((win) => {
      const v = win.document.querySelector('[data-testid="verdict"]');
      const statuses: Record<string, string> = {};
      const items = win.document.querySelectorAll('[data-testid="checklist"] > li');
      for (let i = 0; i < items.length; i++) {
        const li = items[i];
        if (li) statuses[li.getAttribute('data-rule') ?? ''] = li.getAttribute('data-status') ?? '';
      }
      return {
        verdictKind: v?.getAttribute('data-kind') ?? '',
        verdictRule: v?.getAttribute('data-rule') ?? '',
        verdict: v?.textContent ?? '',
        statuses,
      };
    });
  }

  /** Waits until the panel's view satisfies `check`; returns that view. */
  async until(check: (v: PanelView) => boolean, what: string, timeoutMs = 10_000): Promise<PanelView> {
    let last: PanelView | undefined;
    await poll(
      async () => {
        last = await this.view();
        return check(last);
      },
      () => `${what} (last: ${JSON.stringify(last)})`,
      timeoutMs,
    );
    return last as PanelView;
  }

  /** Clicks a control (waits for it first), as assistive technology activates it. */
  async click(selector: string): Promise<void> {
    await poll(() => this.evaluate((win, s) => win.document.querySelector(s) !== null, selector), `${selector} in the panel`);
    await this.evaluate((win, s) => {
      (win.document.querySelector(s) as HTMLElement).click();
    }, selector);
  }

  /** Replaces a field's value and fires `input`, as typing does. */
  async fill(selector: string, value: string): Promise<void> {
    await poll(() => this.evaluate((win, s) => win.document.querySelector(s) !== null, selector), `${selector} in the panel`);
    await this.evaluate(
      (win, s, v) => {
        const input = win.document.querySelector(s) as HTMLInputElement;
        input.focus();
        input.value = v;
        input.dispatchEvent(new (win as unknown as typeof globalThis).Event('input', { bubbles: true }));
      },
      selector,
      value,
    );
  }

  /** The panel's whole text. */
  bodyText(): Promise<string> {
    return this.evaluate((win) => win.document.body.innerText);
  }
}

export class FirefoxDevtools {
  private context: 'chrome' | 'content' = 'chrome';
  /** The Marionette handle of the tab under test. */
  private pageHandle = '';

  constructor(
    readonly marionette: Marionette,
    readonly addonId: string,
    private readonly outputText: () => string,
    private readonly shutdown: () => Promise<void>,
  ) {}

  /** Firefox's own stdout and stderr so far. */
  output(): string {
    return this.outputText();
  }

  close(): Promise<void> {
    return this.shutdown();
  }

  async setContext(context: 'chrome' | 'content'): Promise<void> {
    if (context === this.context) return;
    await this.marionette.command('Marionette:SetContext', { value: context });
    this.context = context;
  }

  /** Runs a script (function body, `arguments`) in the browser window: gBrowser, Services, ChromeUtils. */
  async chrome<T>(script: string, args: unknown[] = []): Promise<T> {
    await this.setContext('chrome');
    return this.marionette.execute<T>(script, args);
  }

  /** Runs `fn(...args)` in the page of the tab under test (content context). */
  async page<A extends unknown[], R>(fn: (...args: A) => R | Promise<R>, ...args: A): Promise<R> {
    await this.setContext('content');
    return this.marionette.execute<R>(`return (${fn.toString()})(...arguments);`, args);
  }

  /** Makes the current tab the tab under test (the one the toolbox inspects). */
  async useCurrentTab(): Promise<void> {
    await this.setContext('content');
    this.pageHandle = await this.marionette.command<{ value: string }>('WebDriver:GetWindowHandle').then((r) => r.value);
    await this.chrome('window.__tiTab = gBrowser.selectedTab;');
  }

  /** Loads `url` in the tab under test and waits for its load event. */
  async navigate(url: string): Promise<void> {
    await this.setContext('content');
    await this.marionette.command('WebDriver:Navigate', { url });
  }

  /** Reloads the tab under test and waits for its load event. */
  async reload(): Promise<void> {
    await this.setContext('content');
    await this.marionette.command('WebDriver:Refresh');
  }

  /** Opens the DevTools toolbox on the tab under test and selects the Talk Inspector tool. */
  async openPanel(): Promise<FirefoxPanel> {
    await this.chrome(`${DEVTOOLS}
      gBrowser.selectedTab = tab;
      return gDevTools.showToolboxForTab(tab).then(() => true);`);
    // The extension's devtools page registers the tool a moment after the toolbox opens; its id
    // carries a counter that changes with every toolbox.
    const toolId = await poll(
      () =>
        this.chrome<string | null>(
          `${TOOLBOX}
          return toolbox?.getAdditionalTools().find((t) => t.extensionId === arguments[0] && t.label === 'Talk Inspector')?.id ?? null;`,
          [this.addonId],
        ),
      'the Talk Inspector tool in the toolbox',
      20_000,
    );
    await this.chrome(`${TOOLBOX} return toolbox.selectTool(arguments[0]).then(() => true);`, [toolId]);
    const panel = new FirefoxPanel(this, toolId);
    // Rendered: the panel left its "connecting" state.
    await poll(() => panel.evaluate((win) => win.document.querySelector('main.panel[aria-busy="false"]') !== null), 'the panel to render', 20_000);
    return panel;
  }

  /**
   * How many times the toolbox saw the inspected page finish loading ("dom-complete", the event
   * Firefox fires `devtools.network.onNavigated` on). The count starts the first time it is asked.
   */
  domCompleteCount(): Promise<number> {
    return this.chrome<number>(`${TOOLBOX}
      if (!toolbox) throw new Error('no toolbox');
      if (toolbox.__tiDomComplete === undefined) {
        toolbox.__tiDomComplete = 0;
        const rc = toolbox.commands.resourceCommand;
        return rc.watchResources([rc.TYPES.DOCUMENT_EVENT], {
          ignoreExistingResources: true,
          onAvailable: (resources) => {
            for (const r of resources) if (r.name === 'dom-complete' && r.targetFront.isTopLevel) toolbox.__tiDomComplete++;
          },
        }).then(() => 0);
      }
      return toolbox.__tiDomComplete;`);
  }

  /** Closes the toolbox of the tab under test; resolves once it is destroyed. */
  async closeToolbox(): Promise<void> {
    await this.chrome(`${TOOLBOX} return toolbox ? gDevTools.closeToolboxForTab(tab).then(() => true) : true;`);
  }

  /** Extension pages of our add-on that are alive now, by view type (background, devtools_panel, …). */
  views(): Promise<string[]> {
    return this.chrome<string[]>(
      `const ext = WebExtensionPolicy.getByID(arguments[0])?.extension;
       return ext ? [...ext.views].map((v) => v.viewType ?? v.envType ?? '?') : [];`,
      [this.addonId],
    );
  }

  /**
   * Errors in the browser console (Services.console, where Firefox also forwards the errors of the
   * extension's process) that come from this extension: its pages and scripts (moz-extension:) or
   * Firefox's extension machinery naming its id ("sendRemoveListener on closed conduit <id>…").
   */
  async extensionErrors(): Promise<string[]> {
    return this.chrome<string[]>(
      `const [id] = arguments;
       const uuid = WebExtensionPolicy.getByID(id)?.mozExtensionHostname ?? '\\u0000';
       const out = [];
       for (const m of Services.console.getMessageArray() ?? []) {
         if (!(m instanceof Ci.nsIScriptError) || (m.flags & Ci.nsIScriptError.warningFlag) || (m.flags & Ci.nsIScriptError.infoFlag)) continue;
         const text = m.errorMessage + ' @ ' + m.sourceName;
         if (text.includes(id) || text.includes(uuid) || text.includes('moz-extension:')) out.push(text);
       }
       return out;`,
      [this.addonId],
    );
  }

  /**
   * Switches Marionette to the tab whose URL satisfies `match` (waiting for it), runs `body` there, then
   * comes back to the tab under test. Used for the options page the panel opens.
   */
  async inTab<T>(match: (url: string) => boolean, what: string, body: () => Promise<T>): Promise<T> {
    await this.setContext('content');
    try {
      const handle = await poll(async () => {
        // One of the few commands whose result is not wrapped in {value}.
        const handles = await this.marionette.command<string[]>('WebDriver:GetWindowHandles');
        for (const h of handles) {
          await this.marionette.command('WebDriver:SwitchToWindow', { handle: h, focus: false });
          const { value: url } = await this.marionette.command<{ value: string }>('WebDriver:GetCurrentURL');
          if (match(url)) return h;
        }
        return null;
      }, what);
      await this.marionette.command('WebDriver:SwitchToWindow', { handle, focus: true });
      return await body();
    } finally {
      await this.setContext('content');
      await this.marionette.command('WebDriver:SwitchToWindow', { handle: this.pageHandle, focus: true });
    }
  }

  /** Closes the current Marionette tab (inside `inTab`). */
  async closeCurrentTab(): Promise<void> {
    await this.setContext('content');
    await this.marionette.command('WebDriver:CloseWindow');
  }

  /** WebDriver element commands in the current tab: real clicks and key presses. */
  async find(selector: string): Promise<string> {
    await this.setContext('content');
    const r = await poll(
      () => this.marionette.command<{ value: Record<string, string> }>('WebDriver:FindElement', { using: 'css selector', value: selector }).catch(() => null),
      selector,
    );
    const id = Object.values(r.value)[0];
    if (!id) throw new Error(`no element reference for ${selector}`);
    return id;
  }

  async type(selector: string, text: string): Promise<void> {
    const id = await this.find(selector);
    await this.marionette.command('WebDriver:ElementSendKeys', { id, text });
  }

  async clickElement(selector: string): Promise<void> {
    const id = await this.find(selector);
    await this.marionette.command('WebDriver:ElementClick', { id });
  }

  /**
   * Answers the permission doorhanger Firefox shows for an extension's permissions.request (here:
   * optional data collection), as a person clicking its main button (`allow`) or the other one.
   * Returns the doorhanger's text.
   */
  async answerPermissionPrompt(allow: boolean): Promise<string> {
    return poll(
      () =>
        this.chrome<string | null>(
          `const n = [...PopupNotifications.panel.querySelectorAll('popupnotification')].find((e) => !e.hidden);
           if (!n || PopupNotifications.panel.state !== 'open') return null;
           const text = n.textContent;
           (arguments[0] ? n.button : n.secondaryButton).click();
           return text;`,
          [allow],
        ),
      'the permission prompt',
    );
  }
}

/** Starts Xvfb and Firefox ESR with Marionette, and installs dist/firefox as a temporary add-on. */
export async function launchFirefoxDevtools(opts: { prefs?: Record<string, unknown> } = {}): Promise<FirefoxDevtools> {
  const executable = findBrowser('firefox');
  const profile = mkdtempSync(join(tmpdir(), 'ti-firefox-devtools-'));
  let xvfb: ChildProcess | undefined;
  let firefox: ChildProcess | undefined;
  let marionette: Marionette | undefined;
  let output = '';
  // Should the test runner die without its afterAll, take Firefox and Xvfb with it.
  const killOnExit = (): void => {
    firefox?.kill('SIGKILL');
    xvfb?.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const close = async (): Promise<void> => {
    process.off('exit', killOnExit);
    if (marionette) {
      await Promise.race([marionette.command('Marionette:Quit', { flags: ['eForceQuit'] }).catch(() => undefined), new Promise((r) => setTimeout(r, 3000))]);
      marionette.close();
    }
    await stop(firefox);
    await stop(xvfb);
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    const x = await startXvfb();
    xvfb = x.process;
    const port = await freePort();
    const prefs: Record<string, unknown> = {
      ...QUIET_PREFS,
      'marionette.port': port,
      'browser.shell.checkDefaultBrowser': false,
      'browser.startup.page': 0,
      'browser.startup.homepage': 'about:blank',
      'startup.homepage_welcome_url': 'about:blank',
      'browser.aboutwelcome.enabled': false,
      'datareporting.policy.firstRunURL': '',
      'browser.tabs.warnOnClose': false,
      'toolkit.startup.max_resumed_crashes': -1,
      'app.normandy.enabled': false,
      'messaging-system.rsexperimentloader.enabled': false,
      'dom.security.https_first': false,
      // DevTools opens docked at the bottom, as a user first sees it.
      'devtools.toolbox.host': 'bottom',
      'devtools.everOpened': true,
      ...opts.prefs,
    };
    writeFileSync(
      join(profile, 'user.js'),
      Object.entries(prefs)
        .map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});\n`)
        .join(''),
    );
    firefox = spawn(executable, ['--marionette', '-remote-allow-system-access', '-no-remote', '-profile', profile, 'about:blank'], {
      env: { ...process.env, DISPLAY: x.display, MOZ_CRASHREPORTER_DISABLE: '1', MOZ_DISABLE_AUTO_SAFE_MODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (d: Buffer): void => {
      output = (output + String(d)).slice(-200_000);
    };
    firefox.stdout?.on('data', collect);
    firefox.stderr?.on('data', collect);
    marionette = await Marionette.connect(port);
    await marionette.command('WebDriver:NewSession', { capabilities: { alwaysMatch: { pageLoadStrategy: 'normal', timeouts: { script: 60_000 } } } });
    const installed = await marionette.command<{ value: string }>('Addon:Install', { path: FIREFOX_DIST, temporary: true });
    await marionette.command('Marionette:SetContext', { value: 'chrome' });
    const ff = new FirefoxDevtools(marionette, installed.value, () => output, close);
    await ff.useCurrentTab();
    return ff;
  } catch (e) {
    await close();
    throw e;
  }
}
