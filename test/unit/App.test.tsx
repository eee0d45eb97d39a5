// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/panel/App.tsx';
import { Checklist } from '../../src/panel/components/Checklist.tsx';
import type { RuleResult } from '../../src/shared/analysis/rules.ts';
import { EventKind } from '../../src/shared/protocol/wire.ts';
import { snapshot } from '../../src/shared/snapshot.ts';
import { CAPTURE_URL, event, initEvent, makeReport, makeTabState, verifiedSessionEvent } from './helpers/report.ts';

const TOKEN = 'tk_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0ZZQX';
const NOW = Date.UTC(2026, 0, 15);

afterEach(() => {
  cleanup();
});

const byTestId = (container: ParentNode, id: string): HTMLElement => {
  const el = container.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  if (!el) throw new Error(`no element with data-testid="${id}"`);
  return el;
};

function fullReport(captureKey = 'KEY-abc') {
  return makeReport({
    url: 'https://shop.example.com/account',
    events: [
      event(1, EventKind.Ap3cAssigned, { name: 'ap3c', note: 'an object' }),
      event(2, EventKind.CmdQueued, { name: 'cmd.push', args: [() => 1] }),
      event(3, EventKind.MethodDefined, { name: 'init' }),
      initEvent(4, captureKey, CAPTURE_URL, { talk: { token: TOKEN, cookiePath: '/x/' } }),
      event(5, EventKind.Track, { name: 'track', args: [{ v: 0 }] }),
    ],
    ap3c: { state: 'present', snap: snapshot({ cmd: [], init() {}, talk: { setVerifiedSession() {} } }) },
    widget: { present: true, inBody: true, visible: true, shadow: 'open', notVerifiedLabel: true, text: 'Not verified' },
    cookies: [{ name: 'ap3c', value: 'abc' }],
  });
}

describe('<App>', () => {
  it('shows the connecting text while there is no state', () => {
    const { container } = render(<App state={null} connected={true} />);
    expect(container.textContent).toContain('Connecting to the page');
    expect(container.querySelector('main')?.getAttribute('aria-busy')).toBe('true');
    expect(container.textContent).toContain('Live');
  });

  it('shows that the connection was lost', () => {
    const { container } = render(<App state={null} connected={false} />);
    expect(container.textContent).toContain('Reconnecting');
  });

  it('shows the reason when the page cannot be inspected', () => {
    const reason = 'Browser pages (chrome://) cannot be inspected: extensions are not allowed to run there.';
    const { container } = render(<App state={makeTabState({ url: 'chrome://settings', inspectable: false, reason })} connected={true} />);
    expect(byTestId(container, 'not-inspectable').textContent).toContain(reason);
    expect(container.querySelector('[data-testid="waiting"]')).toBeNull();
    expect(container.querySelector('main')?.getAttribute('aria-busy')).toBe('false');
  });

  it('a page that kept the recorder from working: the cards say "unknown", never "none"', () => {
    // The recorder never paired: no events and no ap3c, but the DOM shows a widget and the cookie.
    const report = makeReport({
      recorderPaired: false,
      interference: 'no-pairing',
      widget: { present: true, inBody: true, visible: true, shadow: 'open', notVerifiedLabel: true, text: 'Not verified' },
      cookies: [{ name: 'ap3c', value: 'x' }],
    });
    const { container } = render(<App state={makeTabState({ report })} connected={true} now={NOW} />);
    expect(container.querySelector('.verdict-label')?.textContent).toBe("Can't tell");
    for (const id of ['status-snippet', 'status-init', 'status-token', 'token', 'cookie-path'])
      expect(byTestId(container, id).textContent, id).toBe('Unknown: the inspector could not record it (see the first check)');
    expect(container.querySelector('#config-title')?.parentElement?.textContent).toContain('Whether ap3c.init was called, and with what, is unknown');
    const cards = [...container.querySelectorAll('.card')].map((c) => c.textContent ?? '').join('\n');
    for (const none of ['Not found on this page', 'None given', 'Not called', 'Not set', 'has not been called']) expect(cards).not.toContain(none);
    // What the DOM shows is still shown as fact.
    expect(byTestId(container, 'status-talk').textContent).toBe('Widget shown');
  });

  it('counts the checklist in plain English ("1 warning", "2 warnings")', () => {
    const rule = (id: string, status: RuleResult['status']) => ({ id, title: id, status, evidence: ['e'], fix: 'f', docStep: null }) as RuleResult;
    const counts = (results: RuleResult[]) => render(<Checklist results={results} />).container.querySelector('#checklist-title .muted')?.textContent;
    expect(counts([rule('a', 'warn'), rule('b', 'pass')])).toBe('(0 failing, 1 warning, 1 passing)');
    cleanup();
    expect(counts([rule('a', 'warn'), rule('b', 'warn'), rule('c', 'fail')])).toBe('(1 failing, 2 warnings, 0 passing)');
  });

  it('waits when the page has not reported yet', () => {
    const { container } = render(<App state={makeTabState({ report: null })} connected={true} />);
    expect(byTestId(container, 'waiting').textContent).toContain('has not heard from this page');
    expect(container.querySelector('[data-testid="status-snippet"]')).toBeNull();
  });

  it('renders a full report: status rows, masked token, cookie path, capture key, timeline', () => {
    const { container } = render(<App state={makeTabState({ report: fullReport() })} connected={true} now={NOW} />);
    expect(byTestId(container, 'status-snippet').textContent).toBe('Found');
    expect(byTestId(container, 'status-script').textContent).toBe('Loaded');
    expect(byTestId(container, 'status-init').textContent).toBe('Called once');
    expect(byTestId(container, 'status-token').textContent).toBe('Present (from ap3c.init)');
    expect(byTestId(container, 'token').textContent).toContain(`${TOKEN.slice(0, 6)}…${TOKEN.slice(-4)}`);
    expect(byTestId(container, 'token').textContent).toContain(`${TOKEN.length} characters`);
    expect(byTestId(container, 'cookie-path').textContent).toBe('/x/');
    expect(byTestId(container, 'capture-key').textContent).toBe('KEY-abc');
    expect(byTestId(container, 'capture-url').textContent).toBe(CAPTURE_URL);
    expect(byTestId(container, 'page-url').textContent).toContain('https://shop.example.com/account');

    const items = [...byTestId(container, 'timeline').querySelectorAll('li')];
    expect(items.map((li) => li.getAttribute('data-kind'))).toEqual(['ap3c-assigned', 'cmd-queued', 'method-defined', 'init', 'track']);
    expect(items[3]?.textContent).toContain('ap3c.init called');
    expect(items[3]?.textContent).toContain('"KEY-abc"');

    // The full token appears nowhere: not in the token card, options, timeline args or anywhere else.
    expect(container.textContent).not.toContain(TOKEN);
    expect(container.innerHTML).not.toContain(TOKEN);
    expect(document.body.innerHTML).not.toContain(TOKEN);
  });

  it('does not reveal a token given to setVerifiedSession', () => {
    const report = fullReport();
    const other = 'vs_tok_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    report.events.push(verifiedSessionEvent(6, { token: other }));
    const { container } = render(<App state={makeTabState({ report })} connected={true} now={NOW} />);
    expect(byTestId(container, 'status-token').textContent).toBe('Present (from setVerifiedSession)');
    expect(container.innerHTML).not.toContain(other);
    expect(container.innerHTML).not.toContain(TOKEN);
  });

  it('renders page-provided HTML as text', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const report = fullReport(evil);
    report.url = `https://shop.example.com/?q=${evil}`;
    report.widget.text = evil;
    report.cookies = [{ name: `ap3${evil}`, value: evil }];
    report.events.push(event(6, EventKind.HookFailed, { name: evil, note: evil }));
    const { container } = render(<App state={makeTabState({ report })} connected={true} now={NOW} />);
    expect(byTestId(container, 'capture-key').textContent).toBe(evil);
    expect(container.querySelector('img')).toBeNull();
    expect(document.querySelector('img')).toBeNull();
    expect(container.querySelectorAll('[onerror]')).toHaveLength(0);
  });

  it('shows a page with no Ortto snippet', () => {
    const { container } = render(<App state={makeTabState({ report: makeReport() })} connected={true} now={NOW} />);
    expect(byTestId(container, 'status-snippet').textContent).toBe('Not found on this page');
    expect(byTestId(container, 'status-init').textContent).toBe('Not called');
    expect(byTestId(container, 'status-token').textContent).toBe('None given');
    expect(byTestId(container, 'cookie-path').textContent).toBe('Not set');
    expect(container.querySelector('[data-testid="timeline"]')).toBeNull();
  });

  it('shows an unreadable ap3c and two init calls', () => {
    const report = makeReport({
      ap3c: { state: 'unreadable', reason: 'window.ap3c is a getter defined by the page' },
      events: [initEvent(1, 'K1', CAPTURE_URL), initEvent(2, 'K2', CAPTURE_URL)],
    });
    const { container } = render(<App state={makeTabState({ report })} connected={true} now={NOW} />);
    expect(byTestId(container, 'status-snippet').textContent).toContain('not readable');
    expect(byTestId(container, 'status-init').textContent).toBe('Called 2 times');
    expect([...container.querySelectorAll('[data-testid="capture-key"]')].map((e) => e.textContent)).toEqual(['K1', 'K2']);
  });

  it('shows bidi and invisible characters from the page as ⟨U+XXXX⟩, never raw', () => {
    // "KEY-abc" spoofed with an override, and the usual invisible suspects around other page values.
    const report = fullReport('KEY-\u202ecba\u202c');
    report.url = 'https://shop.example.com/\u2066admin\u2069?\u200bq';
    report.scripts = ['https://cdn3l.ink/app.js\u200f'];
    report.ap3c = { state: 'present', snap: snapshot({ cmd: [], init() {}, talk: { setVerifiedSession() {} } }) };
    report.cookies = [{ name: 'ap3c\ufeff', value: 'x' }];
    report.events.push(event(6, EventKind.HookFailed, { name: 'ta\u061clk', note: 'no\u2028te\u0007' }));
    report.events.push(initEvent(7, 'KEY-2', CAPTURE_URL, { talk: { token: TOKEN, cookiePath: '/x\u2067/' }, 'lab\u202eel': 'v\u00adal' }));
    const { container } = render(<App state={makeTabState({ report })} connected={true} now={NOW} />);
    const keys = [...container.querySelectorAll('[data-testid="capture-key"]')].map((e) => e.textContent);
    expect(keys).toEqual(['KEY-⟨U+202E⟩cba⟨U+202C⟩', 'KEY-2']);
    expect(byTestId(container, 'page-url').textContent).toBe('Page: https://shop.example.com/⟨U+2066⟩admin⟨U+2069⟩?⟨U+200B⟩q');
    expect(byTestId(container, 'cookie-path').textContent).toBe('/x⟨U+2067⟩/');
    expect(byTestId(container, 'cookies').textContent).toBe('ap3c⟨U+FEFF⟩');
    expect([...container.querySelectorAll('[data-testid="init-options"]')].at(-1)?.textContent).toContain('"lab⟨U+202E⟩el": "v⟨U+00AD⟩al"');
    expect(byTestId(container, 'timeline').textContent).toContain('Could not watch ta⟨U+061C⟩lk: no⟨U+2028⟩te⟨U+0007⟩');
    expect(container.textContent).toContain('https://cdn3l.ink/app.js⟨U+200F⟩');
    // Nothing invisible or reordering reaches the panel's text at all.
    expect(container.textContent).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
  });
});
