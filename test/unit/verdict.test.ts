import { describe, expect, it } from 'vitest';
import { badgeFor } from '../../src/background/state/badge.ts';
import { diagnose } from '../../src/shared/analysis/index.ts';
import { EventKind } from '../../src/shared/protocol/wire.ts';
import { KEY, report, TOKEN } from './support/report.ts';

const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);
const verdict = (r: ReturnType<typeof report>) => diagnose(r.build(), null, NOW).verdict;

describe('verdict: the one most likely cause', () => {
  it('no snippet', () => {
    const v = verdict(report());
    expect(v.kind).toBe('no-snippet');
    expect(v.ruleId).toBe('snippet-present');
  });
  it('script blocked comes before anything about tokens', () => {
    const v = verdict(
      report()
        .event(EventKind.Ap3cAssigned, 'ap3c')
        .ap3c({ cmd: [] })
        .with({ scriptErrors: ['https://cdn3l.ink/app.js'] }),
    );
    expect(v.ruleId).toBe('script-loaded');
    expect(v.headline).toMatch(/did not load/);
  });
  it('Talk disabled', () => {
    expect(verdict(report().snippet(KEY, undefined, { disableTalk: true })).kind).toBe('talk-disabled');
  });
  it('no token', () => {
    const v = verdict(report().snippet().widget(true));
    expect(v.ruleId).toBe('token-present');
    expect(v.kind).toBe('not-verified');
  });
  it('placeholder token', () => {
    const v = verdict(
      report()
        .snippet(KEY, undefined, { talk: { token: '<response token>' } })
        .widget(true),
    );
    expect(v.ruleId).toBe('token-well-formed');
    expect(v.headline).toContain('placeholder');
  });
  it('cookiePath for another instance', () => {
    expect(
      verdict(
        report()
          .snippet(KEY, undefined, { talk: { token: TOKEN, cookiePath: '/otherinstance/' } })
          .widget(true),
      ).ruleId,
    ).toBe('cookie-path-instance');
  });
  it('token rejected by Ortto (e.g. issued for another instance)', () => {
    expect(
      verdict(
        report()
          .snippet(KEY, undefined, { talk: { token: TOKEN } })
          .widget(true),
      ).ruleId,
    ).toBe('token-accepted');
  });
  it('verified too late', () => {
    const r = report()
      .snippet()
      .widget(false)
      .with({ widgetInteractedAt: 20 })
      .event(EventKind.SetVerifiedSession, 'talk.setVerifiedSession', [{ token: TOKEN }]);
    expect(verdict(r).ruleId).toBe('verified-before-conversation');
  });
  it('verified', () => {
    const v = verdict(
      report()
        .snippet(KEY, undefined, { talk: { token: TOKEN } })
        .widget(false),
    );
    expect(v.kind).toBe('verified');
    expect(v.ruleId).toBeNull();
  });
});

describe('badge', () => {
  const state = (r: ReturnType<typeof report> | null, inspectable = true) => ({
    tabId: 1,
    url: 'https://shop.example/',
    inspectable,
    reason: inspectable ? null : 'no',
    report: r ? r.build() : null,
    browserDocumentId: null,
    pendingNavigation: false,
    loadedWithoutReport: false,
    updatedAt: NOW,
  });
  it('gives a colour, a short text and a word in the tooltip for each verdict', () => {
    const verified = badgeFor(
      state(
        report()
          .snippet(KEY, undefined, { talk: { token: TOKEN } })
          .widget(false),
      ),
      NOW,
    );
    expect(verified).toMatchObject({ kind: 'verified', text: '✓' });
    expect(verified.title).toContain('Verified');
    expect(badgeFor(state(report().snippet().widget(true)), NOW)).toMatchObject({ kind: 'not-verified', text: '!' });
    expect(badgeFor(state(report().snippet(KEY, undefined, { disableTalk: true })), NOW).title).toContain('Talk disabled');
    expect(badgeFor(state(report()), NOW).title).toContain('No Ortto snippet');
    // The same word as the panel's label: a page that kept the recorder out is "Can't tell", not "Checking".
    const blocked = badgeFor(state(report().widget(true).with({ interference: 'no-pairing' })), NOW);
    expect(blocked).toMatchObject({ kind: 'unknown', text: '?' });
    expect(blocked.title).toMatch(/^Talk Inspector: Can't tell — /);
    // PRIVACY.md: with no token, the tooltip names the visitor the page gave Ortto.
    const named = badgeFor(
      state(
        report()
          .snippet()
          .event(EventKind.Track, 'track', [{ v: 0, email: 'jane@shop.example' }]),
      ),
      NOW,
    );
    expect(named.title).toContain('the visitor is jane@shop.example (in ap3c.track)');
  });
  it('says "no snippet" for a page that loaded without reporting', () => {
    expect(badgeFor({ ...state(null), loadedWithoutReport: true }, NOW)).toMatchObject({ kind: 'no-snippet', text: '–' });
  });
  it('is empty for pages that cannot be inspected or have not reported', () => {
    expect(badgeFor(state(null, false), NOW).text).toBe('');
    expect(badgeFor(state(null), NOW).text).toBe('');
  });
});
