// @vitest-environment happy-dom
/** Issue 13 in the panel's cards: the current state, "unknown" never shown as "none", and what is inferred marked so. */
import { cleanup, render } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/panel/App.tsx';
import type { PageReport } from '../../src/shared/protocol/model.ts';
import { EventKind } from '../../src/shared/protocol/wire.ts';
import { snapshot } from '../../src/shared/snapshot.ts';
import { makeTabState } from './helpers/report.ts';
import { KEY, report, TOKEN, US_CAPTURE } from './support/report.ts';

const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);
afterEach(() => cleanup());

function panel(r: PageReport): HTMLElement {
  return render(<App state={makeTabState({ report: r })} connected={true} now={NOW} />).container as HTMLElement;
}
const text = (c: ParentNode, id: string): string => c.querySelector(`[data-testid="${id}"]`)?.textContent ?? '';

/** The snippet ran, the capture script never did. */
const stubOnly = (cmd: unknown[]) =>
  report().event(EventKind.Ap3cAssigned, 'ap3c', undefined, 'an object').event(EventKind.CmdQueued, 'cmd.push', cmd).ap3c({ cmd });

describe('the panel on real-world shapes', () => {
  it('a removed window.ap3c: the status says so now, with the time and the latest run’s error; the first run is marked as earlier', () => {
    const c = panel(
      report()
        .snippet(KEY, US_CAPTURE, { talk: { token: TOKEN } })
        .widget(true)
        .event(EventKind.Ap3cAssigned, 'ap3c', undefined, 'undefined')
        .event(EventKind.PageError, 'error', ["Uncaught SyntaxError: Identifier 'ap3c' has already been declared", 'https://shop.example/', 1])
        .with({ ap3c: { state: 'absent' } })
        .build(),
    );
    expect(text(c, 'verdict')).toMatch(/removed window\.ap3c at \d+ ms/);
    expect(text(c, 'status-snippet')).toMatch(/^Found, then removed by the page at \d+ ms: window\.ap3c = undefined$/);
    expect(text(c, 'status-latest-run')).toMatch(/^Threw at \d+ ms: Uncaught SyntaxError: Identifier 'ap3c' has already been declared$/);
    expect(text(c, 'status-init')).toBe('Called once (before window.ap3c was removed)');
    expect(text(c, 'status-token')).toBe('Present (from ap3c.init), in the run before window.ap3c was removed');
    expect(text(c, 'status-talk')).toBe('Widget shown, left from the run before window.ap3c was removed');
    expect(text(c, 'init-earlier')).toContain('on the window.ap3c the page has since removed');
    expect(text(c, 'token')).toContain('given in the run before the page removed window.ap3c');
  });

  it('init queued as a function: "unknown until ap3c.init runs" everywhere, never "none"', () => {
    const c = panel(stubOnly([() => undefined]).build());
    expect(text(c, 'status-token')).toBe('Unknown until ap3c.init runs (the queued command is a function)');
    expect(text(c, 'status-init')).toBe('Not called (queued, waiting for the capture script)');
    expect(text(c, 'status-script')).toBe('Not loaded: 1 command(s) wait on ap3c.cmd');
    expect(text(c, 'token')).toMatch(/^Unknown until ap3c\.init runs: 1 queued function/);
    expect(c.textContent).not.toMatch(/None given|None:/);
  });

  it('init queued as data: the token masked, the key and URL read from it and marked inferred', () => {
    const c = panel(stubOnly([['init', KEY, US_CAPTURE, { talk: { token: TOKEN } }]]).build());
    expect(text(c, 'status-token')).toBe(`In a queued command, not run yet: ${TOKEN.slice(0, 6)}…${TOKEN.slice(-4)}`);
    expect(c.textContent).not.toContain(TOKEN);
    expect(text(c, 'queued-init')).toContain('(inferred)');
    expect(text(c, 'config-source')).toBe('an init queued as data that has not run');
    expect(text(c, 'instance')).toContain('testautomation');
  });

  it('connectors: the integration is named, marked inferred when only its names are there; the key’s creation date is next to the instance', () => {
    const magento = panel(
      report()
        .event(EventKind.Ap3cAssigned, 'ap3c', undefined, 'an object')
        .loaded()
        .event(EventKind.Init, 'initMagento', [KEY, US_CAPTURE, { context: { scope: 'default' }, needsConsentToTrack: false }])
        .build(),
    );
    expect(text(magento, 'integration')).toMatch(/^Magento connector — ap3c\.initMagento was called/);
    expect(text(magento, 'status-init')).toBe('Called once (ap3c.initMagento)');
    expect(text(magento, 'key-created')).toContain('key created 2021-05-25');
    const woo = panel(
      stubOnly([() => undefined])
        .with({ ap3Options: snapshot({ tracking_key: KEY, capture_api_url: 'https://capture-api-us.ortto.app/' }) })
        .build(),
    );
    expect(woo.querySelector('[data-testid="integration"]')?.previousElementSibling?.textContent).toContain('(inferred)');
    expect(text(woo, 'region')).toContain('default (US)');
  });

  it('the script the snippet loads is named, and loads are counted next to init calls', () => {
    const url = 'https://cmp.example/core/v4/appcues.js';
    const c = panel(
      stubOnly([() => undefined])
        .with({ snippetScripts: [url] })
        .build(),
    );
    expect(text(c, 'snippet-script')).toBe(url);
    const twice = panel(report().snippet().with({ captureScriptElements: 2 }).build());
    expect(text(twice, 'status-script')).toBe('Loaded 2 times');
    expect(text(twice, 'status-init')).toBe('Called once; capture script loaded 2 times');
  });

  it('staging: the region is Ortto staging', () => {
    const c = panel(
      report()
        .snippet(KEY, 'https://capture.staging.example/')
        .with({ scripts: ['https://static.ap3stg.com/capture/master/capture.js'] })
        .build(),
    );
    expect(text(c, 'region')).toBe('Ortto staging');
  });
});
