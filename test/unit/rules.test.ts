import { describe, expect, it } from 'vitest';
import { collectFacts } from '../../src/shared/analysis/facts.ts';
import { diagnose } from '../../src/shared/analysis/index.ts';
import { addEntry, EMPTY_NETWORK, type NetworkEvidence } from '../../src/shared/analysis/network.ts';
import { RULES, type Rule, type RuleResult, runChecklist } from '../../src/shared/analysis/rules.ts';
import type { PageReport } from '../../src/shared/protocol/model.ts';
import { EventKind } from '../../src/shared/protocol/wire.ts';
import { EU_CAPTURE, KEY, OTHER_KEY, report, TOKEN } from './support/report.ts';

const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);

function rule(r: PageReport, id: string, network: NetworkEvidence | null = null): RuleResult {
  const found = diagnose(r, network, NOW).results.find((x) => x.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
}

const good = () =>
  report()
    .snippet(KEY, 'https://capture-api.autopilotapp.com/', { talk: { token: TOKEN, cookiePath: '/testautomation/' } })
    .widget(false);

function widgetsGet(tt: string | null, tk = true): NetworkEvidence {
  return addEntry(EMPTY_NETWORK, {
    startedDateTime: new Date(NOW).toISOString(),
    request: {
      method: 'POST',
      url: 'https://capture-api.autopilotapp.com/-/widgets/get',
      postData: { text: JSON.stringify({ h: KEY, s: 'x', tk, tt: tt ?? '' }) },
    },
    response: { status: 200 },
  });
}

describe('checklist', () => {
  it('has unique ids and every rule returns a complete result', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of diagnose(good().build(), null, NOW).results) {
      expect(['pass', 'warn', 'fail', 'skip']).toContain(r.status);
      expect(r.title.length).toBeGreaterThan(5);
      expect(r.evidence.length).toBeGreaterThan(0);
      if (r.status === 'fail' || r.status === 'warn') expect(r.fix).toBeTruthy();
    }
  });

  it('a correct setup passes every rule that can be checked without network evidence', () => {
    const results = diagnose(good().build(), null, NOW).results;
    expect(results.filter((r) => r.status === 'fail' || r.status === 'warn')).toEqual([]);
    expect(diagnose(good().build(), widgetsGet(TOKEN), NOW).results.find((r) => r.id === 'token-reached-ortto')?.status).toBe('pass');
  });

  it('snippet-present', () => {
    expect(rule(good().build(), 'snippet-present').status).toBe('pass');
    const r = rule(report().build(), 'snippet-present');
    expect(r.status).toBe('fail');
    expect(r.docStep).toBeTruthy();
  });

  it('script-loaded', () => {
    expect(rule(good().build(), 'script-loaded').status).toBe('pass');
    const blocked = report()
      .event(EventKind.Ap3cAssigned, 'ap3c')
      .ap3c({ cmd: [] })
      .with({ scriptErrors: ['https://cdn3l.ink/app.js'] })
      .build();
    const r = rule(blocked, 'script-loaded');
    expect(r.status).toBe('fail');
    expect(r.evidence.join(' ')).toContain('cdn3l.ink/app.js failed to load');
    const net = addEntry(EMPTY_NETWORK, { request: { method: 'GET', url: 'https://cdn3l.ink/app.js' }, response: { status: 404 } });
    expect(rule(report().event(EventKind.Ap3cAssigned, 'ap3c').ap3c({ cmd: [] }).build(), 'script-loaded', net).evidence.join(' ')).toContain('HTTP 404');
  });

  it('init-called', () => {
    expect(rule(good().build(), 'init-called').status).toBe('pass');
    expect(rule(report().event(EventKind.Ap3cAssigned, 'ap3c').loaded().build(), 'init-called').status).toBe('fail');
    expect(rule(report().event(EventKind.Ap3cAssigned, 'ap3c').loaded().with({ late: true }).build(), 'init-called').status).toBe('skip');
    expect(rule(report().event(EventKind.Ap3cAssigned, 'ap3c').ap3c({ cmd: [] }).build(), 'init-called').status).toBe('skip');
  });

  it('capture-key-decodes', () => {
    expect(rule(good().build(), 'capture-key-decodes').evidence[0]).toContain('testautomation');
    expect(rule(report().snippet('not a key!').build(), 'capture-key-decodes').status).toBe('fail');
    expect(rule(report().snippet(42).build(), 'capture-key-decodes').status).toBe('fail');
  });

  it('region-known', () => {
    expect(rule(good().build(), 'region-known').evidence[0]).toContain('https://api.ap3api.com/');
    const mixed = report().snippet(KEY, EU_CAPTURE).build();
    expect(mixed.scripts[0]).toContain('cdn3l.ink'); // a US script host
    expect(rule(mixed, 'region-known').status).toBe('fail');
    expect(rule(report().snippet(KEY, 'https://t.brand.example/').build(), 'region-known').status).toBe('warn');
    expect(rule(report().snippet(KEY, 'not a url').build(), 'region-known').status).toBe('fail');
  });

  it('talk-enabled', () => {
    expect(rule(good().build(), 'talk-enabled').status).toBe('pass');
    expect(rule(report().snippet(KEY, undefined, { disableTalk: true }).build(), 'talk-enabled').status).toBe('fail');
    expect(rule(report().snippet(KEY, undefined, { disableWidgets: true }).build(), 'talk-enabled').status).toBe('fail');
    const off = report()
      .snippet()
      .ap3c({ init() {}, enableTalk: false })
      .build();
    expect(rule(off, 'talk-enabled').evidence).toContain('ap3c.enableTalk = false');
  });

  it('token-present', () => {
    expect(rule(good().build(), 'token-present').status).toBe('pass');
    expect(rule(report().snippet().build(), 'token-present').status).toBe('fail');
    const later = report()
      .snippet()
      .event(EventKind.SetVerifiedSession, 'talk.setVerifiedSession', [{ token: TOKEN }])
      .build();
    expect(rule(later, 'token-present').evidence[0]).toContain('setVerifiedSession');
  });

  it('token-present: a page that names the visitor without a token is told that a name is not proof', () => {
    const plain = diagnose(report().snippet().build(), null, NOW);
    expect(plain.verdict.headline).toBe('Not verified because the page gives Talk no token, so Talk cannot prove who the visitor is.');
    const named = diagnose(
      report()
        .snippet()
        .event(EventKind.Track, 'track', [{ v: 0, email: 'jane@shop.example' }])
        .build(),
      null,
      NOW,
    );
    expect(named.verdict.headline).toBe(
      'Not verified because the page gives Talk no token: it tells Ortto the visitor is jane@shop.example (in ap3c.track), but only a token proves it.',
    );
    const r = named.results.find((x) => x.id === 'token-present');
    expect(r?.evidence[1]).toMatch(/names the visitor jane@shop\.example in ap3c\.track: that identifies a contact, but does not verify it/);
    expect(r?.fix).toMatch(/for the signed-in person \(jane@shop\.example\), then pass it as ap3c\.init/);
  });

  it('token-present: on a connector page (the plugin makes the init call) the fix is setVerifiedSession, not an init option', () => {
    const magento = rule(
      report()
        .event(EventKind.Init, 'initMagento', [KEY, 'https://capture-api.autopilotapp.com/', { context: { scope: 'default', email: 'sam@store.example' } }])
        .build(),
      'token-present',
    );
    expect(magento.status).toBe('fail');
    expect(magento.evidence[0]).toMatch(/^ap3c\.initMagento \(Magento connector\) has no talk\.token/);
    expect(magento.fix).toMatch(/^The Magento connector makes the ap3c\.init call for you/);
    expect(magento.fix).toMatch(/\(sam@store\.example\), then have the page call window\.ap3c\.talk\.setVerifiedSession\(\{token\}\)/);
    expect(magento.docStep).toBe('Switch to a verified session');
    const plain = rule(report().snippet().build(), 'token-present');
    expect(plain.fix).toMatch(/then pass it as ap3c\.init\(key, url, \{talk: \{token\}\}\)/);
    expect(plain.docStep).toBe('Add the Talk token to your tracking code');
    // A connector only inferred (its settings on the page, a plain init call recorded) is not said to make the call.
    const inferred = rule(
      report()
        .snippet()
        .with({ ap3Options: { t: 'obj', entries: [['tracking_key', KEY]], more: 0 } })
        .build(),
      'token-present',
    );
    expect(inferred.fix).toMatch(/then pass it as ap3c\.init/);
    // Token given late on a connector page: the fix is setVerifiedSession early, not an init option.
    const late = rule(
      report()
        .event(EventKind.Init, 'initMagento', [KEY, 'https://capture-api.autopilotapp.com/', { context: { scope: 'default' } }])
        .event(EventKind.SetVerifiedSession, 'talk.setVerifiedSession', [{ token: TOKEN }])
        .build(),
      'token-reached-ortto',
      widgetsGet(null),
    );
    expect(late.status).toBe('fail');
    expect(late.fix).toMatch(/^The Magento connector makes the ap3c\.init call: call window\.ap3c\.talk\.setVerifiedSession/);
  });

  it('token-well-formed', () => {
    expect(rule(good().build(), 'token-well-formed').status).toBe('pass');
    for (const bad of ['<response token>', 'YOUR-TOKEN', '{{token}}', ` ${TOKEN}`, `"${TOKEN}"`, 'undefined', 'null', `${TOKEN}${TOKEN}`, '']) {
      const r = rule(
        report()
          .snippet(KEY, undefined, { talk: { token: bad } })
          .build(),
        'token-well-formed',
      );
      expect(r.status, bad).toBe('fail');
    }
  });

  it('token-not-expired (JWT only)', () => {
    const jwt = (payload: object, alg = 'HS256') =>
      `${Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2ln`;
    const now = NOW / 1000;
    const withToken = (t: string) =>
      report()
        .snippet(KEY, undefined, { talk: { token: t } })
        .build();
    expect(rule(withToken(TOKEN), 'token-not-expired').status).toBe('skip');
    expect(rule(withToken(jwt({ iat: now - 10, exp: now + 3600 })), 'token-not-expired').status).toBe('pass');
    expect(rule(withToken(jwt({ iat: now - 7200, exp: now - 3600 })), 'token-not-expired').status).toBe('fail');
    expect(rule(withToken(jwt({ nbf: now + 3600 })), 'token-not-expired').status).toBe('fail');
    expect(rule(withToken(jwt({ exp: now + 3600 }, 'none')), 'token-not-expired').status).toBe('warn');
  });

  it('cookie-path-well-formed', () => {
    expect(rule(good().build(), 'cookie-path-well-formed').status).toBe('pass');
    expect(
      rule(
        report()
          .snippet(KEY, undefined, { talk: { token: TOKEN } })
          .build(),
        'cookie-path-well-formed',
      ).status,
    ).toBe('skip');
    for (const bad of ['testautomation/', '/testautomation', '/', '/a b/']) {
      expect(
        rule(
          report()
            .snippet(KEY, undefined, { talk: { token: TOKEN, cookiePath: bad } })
            .build(),
          'cookie-path-well-formed',
        ).status,
        bad,
      ).toBe('fail');
    }
  });

  it('cookie-path-instance', () => {
    expect(rule(good().build(), 'cookie-path-instance').status).toBe('pass');
    const other = rule(
      report()
        .snippet(KEY, undefined, { talk: { token: TOKEN, cookiePath: '/otherinstance/' } })
        .build(),
      'cookie-path-instance',
    );
    expect(other.status).toBe('fail');
    expect(other.fix).toContain('/testautomation/');
    const two = report()
      .snippet(OTHER_KEY)
      .init(KEY, undefined, { talk: { token: TOKEN, cookiePath: '/testautomation/' } })
      .build();
    expect(rule(two, 'cookie-path-instance').status).toBe('warn');
  });

  it('token-reached-ortto', () => {
    expect(rule(good().build(), 'token-reached-ortto').status).toBe('skip');
    expect(rule(good().build(), 'token-reached-ortto', widgetsGet(TOKEN)).status).toBe('pass');
    expect(rule(good().build(), 'token-reached-ortto', widgetsGet(null)).status).toBe('fail');
    expect(rule(good().build(), 'token-reached-ortto', widgetsGet('another-token-value-123456')).status).toBe('warn');
  });

  it('token-accepted', () => {
    expect(rule(good().build(), 'token-accepted').status).toBe('pass');
    const rejected = report()
      .snippet(KEY, undefined, { talk: { token: TOKEN } })
      .widget(true)
      .build();
    expect(rule(rejected, 'token-accepted').status).toBe('fail');
    expect(
      rule(
        report()
          .snippet(KEY, undefined, { talk: { token: TOKEN } })
          .widget(null)
          .build(),
        'token-accepted',
      ).status,
    ).toBe('skip');
  });

  it('widget-visible', () => {
    expect(rule(good().build(), 'widget-visible').status).toBe('pass');
    expect(rule(good().widget(false, false).build(), 'widget-visible').status).toBe('warn');
    expect(rule(report().snippet().build(), 'widget-visible').status).toBe('fail');
    expect(rule(report().snippet(KEY, undefined, { disableTalk: true }).build(), 'widget-visible').status).toBe('skip');
  });

  it('verified-before-conversation', () => {
    const before = report()
      .snippet()
      .event(EventKind.SetVerifiedSession, 'talk.setVerifiedSession', [{ token: TOKEN }])
      .widget(false);
    expect(rule(before.with({ widgetInteractedAt: 5000 }).build(), 'verified-before-conversation').status).toBe('pass');
    const after = report()
      .snippet()
      .widget(false)
      .with({ widgetInteractedAt: 20 })
      .event(EventKind.SetVerifiedSession, 'talk.setVerifiedSession', [{ token: TOKEN }])
      .build();
    const r = rule(after, 'verified-before-conversation');
    expect(r.status).toBe('fail');
    expect(r.docStep).toBe('Switch to a verified session');
  });

  it('single-init', () => {
    expect(rule(good().build(), 'single-init').status).toBe('pass');
    expect(rule(report().snippet().init().build(), 'single-init').status).toBe('warn');
  });

  it('track-after-init', () => {
    expect(
      rule(
        good()
          .event(EventKind.Track, 'track', [{ v: 0 }])
          .build(),
        'track-after-init',
      ).status,
    ).toBe('pass');
    const early = report()
      .event(EventKind.Ap3cAssigned, 'ap3c')
      .loaded()
      .event(EventKind.Track, 'track', [{ v: 0 }])
      .init()
      .build();
    expect(rule(early, 'track-after-init').status).toBe('warn');
  });

  it('no-page-session-call', () => {
    expect(rule(good().build(), 'no-page-session-call').status).toBe('pass');
    const leaked = good()
      .with({ talkSessionCalls: ['https://api.ap3api.com/v1/talk/session'] })
      .build();
    expect(rule(leaked, 'no-page-session-call').status).toBe('fail');
    const net = addEntry(EMPTY_NETWORK, {
      request: { method: 'POST', url: 'https://api.ap3api.com/v1/talk/session', headers: [{ name: 'X-Api-Key', value: 'made-up-canary-key-0001' }] },
      response: { status: 200 },
    });
    const r = rule(good().build(), 'no-page-session-call', net);
    expect(r.status).toBe('fail');
    expect(JSON.stringify(r)).not.toContain('made-up-canary-key-0001');
    expect(r.evidence.join(' ')).toMatch(/API key fingerprint [0-9a-f]{12}/);
  });

  it('a rule that throws is reported as not checked, not as a crash', () => {
    const throwing: Rule = {
      id: 'throws',
      title: 'A rule that throws',
      check: () => {
        throw new Error('boom');
      },
    };
    const [r] = runChecklist(collectFacts(good().build(), null, NOW), [throwing]);
    expect(r?.status).toBe('skip');
    expect(r?.evidence[0]).toContain('boom');
  });

  it('every rule that gives a verdict has its own rank', () => {
    const ranks = RULES.flatMap((r) => ('verdict' in r ? [r.verdict.rank] : []));
    expect(new Set(ranks).size).toBe(ranks.length);
  });
});

describe('when the page interferes with the inspector', () => {
  for (const why of ['no-pairing', 'no-answer', 'batch-lost'] as const) {
    it(`${why}: the verdict says so, and no recorder-based check claims "none"`, () => {
      // A page whose ap3c calls went unrecorded looks like a page without a snippet: it must not be called one.
      const d = diagnose(report().widget(true).with({ interference: why }).build(), null, NOW);
      expect(d.verdict.ruleId).toBe('inspector-connected');
      expect(d.verdict.kind).toBe('unknown');
      expect(d.verdict.headline).toContain(why === 'batch-lost' ? 'part of what the page did was lost' : 'interfered');
      const failing = d.results.filter((r) => r.status === 'fail').map((r) => r.id);
      expect(failing).toEqual(['inspector-connected']);
      expect(d.results.find((r) => r.id === 'snippet-present')?.status).toBe('skip');
      expect(d.results.find((r) => r.id === 'token-present')?.evidence[0]).toMatch(/^Unknown/);
    });
  }

  it('a page that calls the Talk API itself is still reported (that check reads only the DOM)', () => {
    const r = report()
      .with({ interference: 'no-pairing', talkSessionCalls: ['https://api.ap3api.com/v1/talk/session'] })
      .build();
    expect(rule(r, 'no-page-session-call').status).toBe('fail');
  });

  it('without interference the check passes', () => {
    expect(rule(good().build(), 'inspector-connected').status).toBe('pass');
  });
});

describe('a tab opened by another page of the same site', () => {
  it('is flagged: that page could script it before the inspector started', () => {
    const r = rule(good().with({ opener: 'same-origin' }).build(), 'opened-by-same-site');
    expect(r.status).toBe('warn');
    expect(r.evidence.join(' ')).toContain('window.open');
    expect(rule(good().build(), 'opened-by-same-site').status).toBe('pass');
  });
});
