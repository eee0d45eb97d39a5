/**
 * Issue 13: the diagnosis on the snippet shapes customers ship. One block per item; every rule is
 * tested passing and failing, on reports shaped like what the recorder and relay send.
 */
import { describe, expect, it } from 'vitest';
import { decodeCaptureKey } from '../../src/shared/analysis/capture-key.ts';
import { analyzeCsp, applyingDirective, cspFix } from '../../src/shared/analysis/csp.ts';
import { meantScriptHost, scriptHostTypos } from '../../src/shared/analysis/doc-samples.ts';
import { diagnose } from '../../src/shared/analysis/index.ts';
import { addEntry, EMPTY_NETWORK, type NetworkEvidence } from '../../src/shared/analysis/network.ts';
import { regionOfScriptUrl } from '../../src/shared/analysis/region.ts';
import type { RuleResult } from '../../src/shared/analysis/rules.ts';
import { CAPTURE_SCRIPT_PATH, ORTTO_DOMAINS, ORTTO_URL } from '../../src/shared/ortto-hosts.ts';
import type { PageReport } from '../../src/shared/protocol/model.ts';
import type { CspViolation } from '../../src/shared/protocol/relay.ts';
import { EventKind } from '../../src/shared/protocol/wire.ts';
import { snapshot } from '../../src/shared/snapshot.ts';
import { KEY, report, TOKEN, US_CAPTURE } from './support/report.ts';

const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);

function run(r: PageReport, network: NetworkEvidence | null = null) {
  return diagnose(r, network, NOW);
}
function rule(r: PageReport, id: string, network: NetworkEvidence | null = null): RuleResult {
  const found = run(r, network).results.find((x) => x.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
}

/** The snippet ran, but the capture script never did: ap3c holds the queue only. */
const stubOnly = (cmd: unknown[] = [() => undefined]) =>
  report().event(EventKind.Ap3cAssigned, 'ap3c', undefined, 'an object').event(EventKind.CmdQueued, 'cmd.push', cmd).ap3c({ cmd });

const violation = (v: Partial<CspViolation>): CspViolation => ({
  directive: 'script-src-elem',
  blocked: 'https://cdn3l.ink/app.js',
  disposition: 'enforce',
  policy: "default-src 'self'; script-src 'self' 'unsafe-inline'",
  t: 12,
  ...v,
});

describe('1. a Content-Security-Policy that blocks Ortto', () => {
  it('names the directive, the blocked host and the hosts to add; the verdict is the CSP, not an ad-blocker', () => {
    const r = stubOnly()
      .with({ scriptErrors: ['https://cdn3l.ink/app.js'], snippetScripts: ['https://cdn3l.ink/app.js'], csp: [violation({})] })
      .build();
    const d = run(r);
    expect(d.verdict.ruleId).toBe('csp-allows-ortto');
    expect(d.verdict.headline).toMatch(/Content-Security-Policy blocks Ortto/);
    expect(d.verdict.headline).toContain('https://cdn3l.ink/app.js');
    const csp = d.results.find((x) => x.id === 'csp-allows-ortto') as RuleResult;
    expect(csp.status).toBe('fail');
    expect(csp.evidence[0]).toContain("script-src 'self' 'unsafe-inline' (script-src-elem falls back to it)");
    expect(csp.fix).toContain('add https://cdn3l.ink to script-src');
    expect(csp.fix).toContain('connect-src');
    // The script check no longer sends people to a custom tracking domain.
    const script = d.results.find((x) => x.id === 'script-loaded') as RuleResult;
    expect(script.status).toBe('fail');
    expect(script.fix).toMatch(/Content-Security-Policy/);
    expect(script.fix).toMatch(/custom tracking domain would be blocked/);
  });

  it('connect-src blocking -/widgets/get names the capture host; an Ortto host that is not the capture API is "Talk", inferred', () => {
    const r = report()
      .snippet(KEY, US_CAPTURE)
      .with({
        csp: [
          violation({ directive: 'connect-src', blocked: 'https://capture-api.autopilotapp.com/-/widgets/get', policy: "connect-src 'self'" }),
          violation({ directive: 'connect-src', blocked: 'wss://talk.ortto.app/ws', policy: "connect-src 'self'" }),
        ],
      })
      .build();
    const csp = rule(r, 'csp-allows-ortto');
    expect(csp.status).toBe('fail');
    expect(csp.evidence[0]).toMatch(/Ortto's capture API, https:\/\/capture-api\.autopilotapp\.com\/-\/widgets\/get .*"connect-src 'self'"/);
    expect(csp.evidence[1]).toMatch(/most likely Talk's own; its host is not public/);
    expect(csp.fix).toContain('add https://capture-api.autopilotapp.com wss://talk.ortto.app to connect-src');
    expect(run(r).verdict.ruleId).toBe('csp-allows-ortto');
  });

  it('a report-only policy warns; violations about other sites pass; no violation passes', () => {
    const reportOnly = report()
      .snippet()
      .with({ csp: [violation({ disposition: 'report' })] })
      .build();
    expect(rule(reportOnly, 'csp-allows-ortto').status).toBe('warn');
    expect(rule(reportOnly, 'csp-allows-ortto').evidence[0]).toMatch(/^Would block \(report-only policy\)/);
    const unrelated = report()
      .snippet()
      .with({ csp: [violation({ blocked: 'https://ads.example/tag.js' })] })
      .build();
    expect(rule(unrelated, 'csp-allows-ortto').status).toBe('pass');
    expect(rule(report().snippet().build(), 'csp-allows-ortto').status).toBe('pass');
  });

  it('a custom tracking domain or the snippet’s own script counts as Ortto’s; an inline snippet blocked by its sample', () => {
    const custom = violation({ blocked: 'https://t.shop.example/app.js' });
    const f = analyzeCsp([custom], [], 'https://t.shop.example/');
    expect(f.blocking.map((x) => x.target)).toEqual(['script']);
    const appcues = analyzeCsp([violation({ blocked: 'https://cmp.example/core/v4/appcues.js' })], ['https://cmp.example/core/v4/appcues.js'], null);
    expect(appcues.blocking).toHaveLength(1);
    const inline = analyzeCsp([violation({ blocked: 'inline', sample: 'window.ap3c = window.ap3c || {};' })], [], null);
    expect(inline.blocking[0]?.target).toBe('snippet');
    expect(cspFix(inline.blocking, null)).toMatch(/nonce or hash/);
  });

  it('reads which directive of the policy decides', () => {
    expect(applyingDirective("default-src 'self'", 'script-src-elem')).toEqual({ name: 'default-src', value: "'self'" });
    expect(applyingDirective("script-src-elem https:; script-src 'none'", 'script-src-elem')).toEqual({ name: 'script-src-elem', value: 'https:' });
    expect(applyingDirective('img-src *', 'connect-src')).toBeNull();
    expect(ORTTO_URL.test('https://cdn3l.ink/app.js')).toBe(true);
    expect(ORTTO_URL.test('https://ortto.app.evil.example/x')).toBe(false);
  });

  it("Ortto's URL pattern names exactly the domains of ORTTO_DOMAINS (it is written out)", () => {
    const named = /\(\?:([a-z0-9\\.|]+)\)\(\?::/.exec(ORTTO_URL.source)?.[1]?.replaceAll('\\.', '.').split('|');
    expect(named?.sort()).toEqual([...ORTTO_DOMAINS].sort());
    for (const d of ORTTO_DOMAINS) {
      expect(ORTTO_URL.test(`https://${d}/x`)).toBe(true);
      expect(ORTTO_URL.test(`https://api.${d}:8443/`)).toBe(true);
      expect(ORTTO_URL.test(`https://${d}.evil.example/x`)).toBe(false);
      expect(ORTTO_URL.test(`https://not${d}/x`)).toBe(false);
    }
  });
});

describe('2. the page removes window.ap3c or runs the snippet again', () => {
  const spa = () =>
    report()
      .snippet()
      .widget(true)
      .event(EventKind.Ap3cAssigned, 'ap3c', undefined, 'undefined')
      .event(EventKind.PageError, 'error', ["Uncaught SyntaxError: Identifier 'ap3c' has already been declared", 'https://shop.example/account', 1]);

  it('reports the current state: removed at T, the latest run threw with its text; the verdict is that, not the token', () => {
    const r = spa()
      .with({ ap3c: { state: 'absent' } })
      .build();
    const d = run(r);
    expect(d.verdict.ruleId).toBe('ap3c-intact');
    expect(d.verdict.headline).toMatch(/removed window\.ap3c at \d+ ms/);
    const intact = d.results.find((x) => x.id === 'ap3c-intact') as RuleResult;
    expect(intact.status).toBe('fail');
    expect(intact.evidence[0]).toContain('window.ap3c = undefined');
    expect(intact.evidence[0]).toContain("Identifier 'ap3c' has already been declared");
    expect(intact.evidence[1]).toMatch(/setVerifiedSession cannot be reached/);
    expect(intact.fix).toMatch(/var/);
    expect(d.facts.summary.lifecycle.removed?.t).toBeGreaterThan(0);
  });

  it('a deleted window.ap3c (gone when read) has no time, and says so', () => {
    const r = report()
      .snippet()
      .with({ ap3c: { state: 'absent' } })
      .build();
    const intact = rule(r, 'ap3c-intact');
    expect(intact.status).toBe('fail');
    expect(intact.evidence[0]).toContain('by the time the page was read');
  });

  it('replaced and set up again by the capture script: passes, and init is counted per object', () => {
    const r = report().snippet().event(EventKind.Ap3cAssigned, 'ap3c', undefined, 'an object').event(EventKind.MethodDefined, 'init').init().build();
    expect(rule(r, 'ap3c-intact').status).toBe('pass');
    expect(rule(r, 'single-init').status).toBe('pass');
    expect(rule(r, 'single-init').evidence.join(' ')).toMatch(/1 earlier call\(s\) went to an ap3c object the page replaced/);
  });

  it('replaced by an object the capture script never set up: fails', () => {
    const r = report().snippet().event(EventKind.Ap3cAssigned, 'ap3c', undefined, 'an object').ap3c({ replaced: true }).build();
    expect(rule(r, 'ap3c-intact').status).toBe('fail');
  });

  it('a later run threw while the first still holds: a warning that the earlier run still holds', () => {
    const r = report()
      .snippet()
      .event(EventKind.PageError, 'error', ["Uncaught SyntaxError: Identifier 'ap3c' has already been declared", 'https://shop.example/', 1])
      .build();
    const intact = rule(r, 'ap3c-intact');
    expect(intact.status).toBe('warn');
    expect(intact.evidence[0]).toMatch(/^The snippet's latest run threw/);
  });
});

describe('3. init queued but never run', () => {
  it('a queued function: the token is "unknown until init runs", never "none"', () => {
    const d = run(stubOnly().build());
    const token = d.results.find((x) => x.id === 'token-present') as RuleResult;
    expect(token.status).toBe('skip');
    expect(token.evidence[0]).toMatch(/^Unknown until ap3c\.init runs: 1 queued function/);
    expect(d.facts.summary.queued).toMatchObject({ queue: 'cmd', functions: 1, dataToken: null });
    expect(rule(stubOnly().build(), 'script-loaded').evidence.join(' ')).toMatch(/unknown until init runs/);
  });

  it('reads the queue as the recorder sends it: an array with the recorder’s own push wrapper', () => {
    const cmd: unknown[] = [() => undefined];
    Object.defineProperty(cmd, 'push', { value: function push() {}, enumerable: false, configurable: true, writable: true });
    const d = run(stubOnly(cmd).build());
    expect(d.facts.summary.queued).toMatchObject({ queue: 'cmd', functions: 1 });
    // After the capture script ran, cmd is its {push} object: nothing is queued.
    expect(
      run(
        report()
          .snippet()
          .ap3c({ cmd: { push() {} }, init() {} })
          .build(),
      ).facts.summary.queued,
    ).toBeNull();
  });

  it('plain data in the queue: the token is shown masked, the key and URL read (inferred)', () => {
    const d = run(stubOnly([['init', KEY, US_CAPTURE, { talk: { token: TOKEN } }]]).build());
    const q = d.facts.summary.queued;
    expect(q?.dataToken?.value).toBe(TOKEN);
    expect(q?.dataInit?.captureKey).toBe(KEY);
    expect(d.facts.configSource).toBe('queued');
    expect(d.facts.captureRegion).toBe('default');
    const token = d.results.find((x) => x.id === 'token-present') as RuleResult;
    expect(token.evidence[0]).toContain(`${TOKEN.slice(0, 6)}…${TOKEN.slice(-4)}`);
    expect(token.evidence.join(' ')).not.toContain(TOKEN);
    expect(d.results.find((x) => x.id === 'capture-key-decodes')?.evidence.join(' ')).toMatch(/inferred/);
  });
});

describe('4. the script the snippet inserted is named, whatever its name', () => {
  it('a consent manager’s …/core/v4/appcues.js: the evidence and the verdict name it', () => {
    const url = 'https://cmp.example/core/v4/appcues.js';
    const r = stubOnly()
      .with({ snippetScripts: [url], scriptErrors: [url] })
      .build();
    const d = run(r);
    expect(d.verdict.ruleId).toBe('script-loaded');
    expect(d.verdict.headline).toContain(`did not load from ${url}`);
    expect(d.verdict.headline).toContain("not the address of Ortto's capture script");
    const script = d.results.find((x) => x.id === 'script-loaded') as RuleResult;
    expect(script.evidence[0]).toBe(`The snippet loads ${url} (failed to load).`);
    expect(script.fix).toContain(`instead of ${url}`);
  });

  it('when the insertion was not seen, the failing script request in the network log names it', () => {
    const url = 'https://cmp.example/core/v4/appcues.js';
    const net = addEntry(EMPTY_NETWORK, {
      startedDateTime: new Date(NOW).toISOString(),
      request: { method: 'GET', url },
      response: { status: 404 },
      _resourceType: 'script',
    });
    expect(net.failedScripts).toHaveLength(1);
    const d = run(stubOnly().build(), net);
    expect(d.facts.snippetScript).toEqual({ url, source: 'network', captureShaped: false });
    expect(d.verdict.headline).toContain(url);
    expect(d.results.find((x) => x.id === 'script-loaded')?.evidence[0]).toMatch(/HTTP 404.*network log/);
  });

  it('an app.js-shaped snippet script keeps the ad-blocker wording', () => {
    const url = 'https://cdn3l.ink/app.js';
    const d = run(
      stubOnly()
        .with({ snippetScripts: [url], scriptErrors: [url] })
        .build(),
    );
    expect(d.verdict.headline).toMatch(/did not load from https:\/\/cdn3l\.ink\/app\.js \(blocked by an ad-blocker or a wrong address\)/);
  });
});

describe('5. errors thrown by the page’s own ap3c calls', () => {
  it('lists uncaught errors naming ap3c and calls that threw, with a fix for calling too early', () => {
    const r = stubOnly().event(EventKind.PageError, 'error', ['Uncaught TypeError: ap3c.track is not a function', 'https://shop.example/', 42]).build();
    const errors = rule(r, 'no-ap3c-errors');
    expect(errors.status).toBe('warn');
    expect(errors.evidence[0]).toMatch(/uncaught "Uncaught TypeError: ap3c\.track is not a function" \(https:\/\/shop\.example\/:42\)/);
    expect(errors.fix).toMatch(/ap3c\.cmd\.push/);
    const threw = report()
      .snippet()
      .event(EventKind.CallThrew, 'talk.setVerifiedSession', [new TypeError('setVerifiedSession requires {token}')])
      .build();
    expect(rule(threw, 'no-ap3c-errors').evidence[0]).toMatch(/ap3c\.talk\.setVerifiedSession threw "setVerifiedSession requires \{token\}"/);
    expect(rule(report().snippet().build(), 'no-ap3c-errors').status).toBe('pass');
  });
});

describe('6. samples from Ortto’s documentation', () => {
  it('the identity user@emaildomain.com / "John Apple": a warning with a did-you-mean', () => {
    const r = report()
      .snippet()
      .event(EventKind.Track, 'track', [{ email: 'user@emaildomain.com', name: 'John Apple' }])
      .build();
    const sample = rule(r, 'no-sample-identity');
    expect(sample.status).toBe('warn');
    expect(sample.evidence).toHaveLength(2);
    expect(sample.evidence[0]).toMatch(/ap3c\.track was given "user@emaildomain\.com".*did you mean the signed-in person's own email/);
    expect(
      rule(
        report()
          .snippet()
          .event(EventKind.Track, 'track', [{ email: 'ada@shop.example' }])
          .build(),
        'no-sample-identity',
      ).status,
    ).toBe('pass');
  });

  it('the placeholder {{<reponse_token>}} (sic): the token check says where it comes from and what was meant', () => {
    const r = report()
      .snippet(KEY, US_CAPTURE, { talk: { token: '{{<reponse_token>}}' } })
      .build();
    const d = run(r);
    expect(d.verdict.ruleId).toBe('token-well-formed');
    expect(d.verdict.headline).toMatch(/placeholder "\{\{<reponse_token>\}\}" from Ortto's Talk document.*did you mean/);
  });

  it('the script host typo cdn31.ink (digit one): fails before "did not load", with the address meant', () => {
    const url = 'https://cdn31.ink/app.js';
    const d = run(
      stubOnly()
        .with({ snippetScripts: [url], scriptErrors: [url], scripts: [url] })
        .build(),
    );
    expect(d.verdict.ruleId).toBe('script-host-typo');
    const typo = d.results.find((x) => x.id === 'script-host-typo') as RuleResult;
    expect(typo.evidence[0]).toMatch(/"cdn31\.ink" — did you mean "cdn3l\.ink"/);
    expect(typo.fix).toContain('https://cdn3l.ink/app.js');
    expect(meantScriptHost('CDN3I.ink')).toBe('cdn3l.ink');
    expect(meantScriptHost('cdn3l.ink')).toBeNull();
    expect(scriptHostTypos(['https://example.com/app.js'])).toEqual([]);
    expect(rule(report().snippet().build(), 'script-host-typo').status).toBe('pass');
  });
});

describe('7. the capture script loaded twice', () => {
  it('counts loads from every source and shows them next to the init calls', () => {
    const r = report().snippet().with({ captureScriptElements: 2, captureScriptLoads: 2 }).build();
    const loads = rule(r, 'single-capture-script');
    expect(loads.status).toBe('warn');
    expect(loads.evidence[0]).toBe('The capture script was loaded 2 times; ap3c.init called once');
    expect(loads.evidence).toContain('2 fetches (resource timing)');
    // A Helmet remount removes the first element: the capture script's own second run still counts.
    const remount = report()
      .snippet()
      .init()
      .event(EventKind.MethodDefined, 'init')
      .event(EventKind.MethodDefined, 'track')
      .event(EventKind.MethodDefined, 'track')
      .with({ captureScriptElements: 1 })
      .build();
    expect(rule(remount, 'single-capture-script').evidence[0]).toBe('The capture script was loaded 2 times; ap3c.init called 2 times');
    expect(rule(report().snippet().with({ captureScriptElements: 1 }).build(), 'single-capture-script').status).toBe('pass');
    // A page replacing init alone is not a second capture script.
    const replacedInit = report().snippet().event(EventKind.MethodDefined, 'init').with({ captureScriptElements: 1 }).build();
    expect(rule(replacedInit, 'single-capture-script').status).toBe('pass');
  });
});

describe('8. connectors and Ortto’s in-app webview', () => {
  const magentoKey = KEY;
  it('Magento: initMagento(key, url, {context, needsConsentToTrack}) gives the key, region and integration', () => {
    const r = report()
      .event(EventKind.Ap3cAssigned, 'ap3c', undefined, 'an object')
      .loaded()
      .event(EventKind.Init, 'initMagento', [magentoKey, US_CAPTURE, { context: { scope: 'default', email: null, phone: null }, needsConsentToTrack: false }])
      .build();
    const d = run(r);
    expect(d.facts.summary.integration).toMatchObject({ kind: 'magento', basis: 'seen' });
    expect(d.facts.captureKey).toMatchObject({ ok: true, instance: 'testautomation' });
    expect(d.facts.captureRegion).toBe('default');
    expect(d.results.find((x) => x.id === 'init-called')?.status).toBe('pass');
    expect(d.results.find((x) => x.id === 'single-init')?.evidence[0]).toMatch(/ap3c\.initMagento \(Magento connector\)/);
  });

  it('WooCommerce: initWooCommerce(ctx, ap3Options, event), or ap3Options alone (inferred)', () => {
    const options = { tracking_key: KEY, capture_api_url: 'https://capture-api-us.ortto.app/' };
    const called = report()
      .event(EventKind.Ap3cAssigned, 'ap3c', undefined, 'an object')
      .loaded()
      .event(EventKind.Init, 'initWooCommerce', [{ page: 'shop' }, options, { type: 'page' }])
      .build();
    const d = run(called);
    expect(d.facts.summary.integration).toMatchObject({ kind: 'woocommerce', basis: 'seen' });
    expect(d.facts.captureKey).toMatchObject({ ok: true, instance: 'testautomation' });
    expect(d.facts.captureUrl).toBe('https://capture-api-us.ortto.app/');
    const settingsOnly = stubOnly()
      .with({ ap3Options: snapshot(options) })
      .build();
    const s = run(settingsOnly);
    expect(s.facts.summary.integration).toMatchObject({ kind: 'woocommerce', basis: 'inferred' });
    expect(s.facts.configSource).toBe('settings');
    expect(s.facts.captureKey).toMatchObject({ ok: true });
  });

  it('the in-app webview: enableTalk = false set after init', () => {
    const r = report()
      .snippet()
      .event(EventKind.FlagSet, 'enableTalk', [false])
      .ap3c({ init() {}, apiHost: US_CAPTURE, enableTalk: false })
      .build();
    const d = run(r);
    expect(d.facts.summary.integration.kind).toBe('webview');
    expect(d.verdict.kind).toBe('talk-disabled');
    expect(d.results.find((x) => x.id === 'talk-enabled')?.fix).toMatch(/in-app webview runner/);
    // Set before init, it is the page switching Talk off, not the runner.
    const before = report()
      .event(EventKind.Ap3cAssigned, 'ap3c', undefined, 'an object')
      .event(EventKind.FlagSet, 'enableTalk', [false])
      .loaded()
      .init()
      .build();
    expect(run(before).facts.summary.integration.kind).toBe('snippet');
  });
});

describe('9. the capture key’s creation date', () => {
  it('is read from the data-source id and shown with the instance', () => {
    expect(decodeCaptureKey(KEY)).toMatchObject({ createdAt: '2021-05-25T04:05:27.000Z' });
    expect(rule(report().snippet().build(), 'capture-key-decodes').evidence[0]).toContain('created 2021-05-25');
    // Four zero bytes are no date.
    const zero = Buffer.concat([Buffer.alloc(12), Buffer.from('shop')]).toString('base64url');
    expect(decodeCaptureKey(zero)).toMatchObject({ ok: true, createdAt: null });
  });
});

describe('10. Ortto staging', () => {
  it('static.ap3stg.com/capture/master/capture.js is a capture script of region "staging"', () => {
    const url = 'https://static.ap3stg.com/capture/master/capture.js';
    expect(CAPTURE_SCRIPT_PATH.test(url)).toBe(true);
    expect(CAPTURE_SCRIPT_PATH.test('https://example.com/js/capture.js')).toBe(false);
    expect(regionOfScriptUrl(url)).toBe('staging');
    const r = report()
      .snippet(KEY, 'https://capture-api.staging.example/')
      .with({ scripts: [url] })
      .build();
    const d = run(r);
    expect(d.facts.scriptRegion).toBe('staging');
    expect(d.results.find((x) => x.id === 'region-known')?.status).toBe('warn');
    expect(d.results.find((x) => x.id === 'region-known')?.evidence[0]).toMatch(/staging capture script \(region: staging\)/);
  });
});
