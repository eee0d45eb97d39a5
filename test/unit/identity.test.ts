import { describe, expect, it } from 'vitest';
import { namedVisitor } from '../../src/shared/analysis/identity.ts';
import { EventKind } from '../../src/shared/protocol/wire.ts';
import { KEY, report, US_CAPTURE } from './support/report.ts';

describe('who the page says the visitor is (an email passed to ap3c, unproven)', () => {
  it("the email of an ap3c.track call (Ortto's tracking-code help page, WordPress and Drupal installs)", () => {
    const r = report()
      .snippet()
      .event(EventKind.Track, 'track', [{ v: 0, email: ' jane@shop.example ', first: 'Jane' }])
      .build();
    expect(namedVisitor(r)).toEqual({ email: 'jane@shop.example', where: 'ap3c.track' });
  });

  it("the Magento connector's context, in both its shapes, named after the connector's call", () => {
    const newer = report()
      .event(EventKind.Init, 'initMagento', [
        KEY,
        US_CAPTURE,
        { context: { scope: 'default', email: 'sam@store.example', phone: null }, needsConsentToTrack: false },
      ])
      .build();
    expect(namedVisitor(newer)).toEqual({ email: 'sam@store.example', where: 'ap3c.initMagento' });
    const older = report()
      .event(EventKind.Init, 'initMagento', [KEY, US_CAPTURE, { scope: 'default', email: 'sam@store.example', phone: null }])
      .build();
    expect(namedVisitor(older)?.email).toBe('sam@store.example');
  });

  it('the newest call wins (an SPA where someone signed in, then another)', () => {
    const r = report()
      .snippet()
      .event(EventKind.Track, 'track', [{ email: 'first@a.example' }])
      .event(EventKind.Track, 'track', [{ email: 'second@a.example' }])
      .build();
    expect(namedVisitor(r)?.email).toBe('second@a.example');
  });

  it("not someone else's email, nor the help pages' example, nor a string the recorder cut", () => {
    const r = report()
      .snippet()
      .event(EventKind.Track, 'track', [{ v: 0, referral: { friend: { email: 'friend@a.example' } } }])
      .event(EventKind.Track, 'track', [{ email: 'user@emaildomain.com', first: 'John', last: 'Apple' }])
      .event(EventKind.Track, 'track', [{ email: `${'a'.repeat(300)}@a.example` }])
      .event(EventKind.Track, 'track', ['page-view', { email: 'second-arg@a.example' }])
      .build();
    expect(namedVisitor(r)).toBeNull();
    const cut = report().snippet().build();
    cut.events.push({
      seq: 99,
      t: 1,
      kind: EventKind.Track,
      name: 'track',
      args: { t: 'arr', items: [{ t: 'obj', entries: [['email', { t: 'str', v: 'jane@shop', len: 20_000 }]], more: 0 }], more: 0 },
    });
    expect(namedVisitor(cut)).toBeNull();
  });

  it('none when nothing names the visitor: no email key, a value that is not an address, a Magento guest, other calls', () => {
    expect(namedVisitor(report().snippet().build())).toBeNull();
    const r = report()
      .snippet()
      .event(EventKind.Track, 'track', [{ v: 0, name: 'jane@shop.example' }])
      .event(EventKind.Track, 'track', [{ email: '$currUserEmail' }])
      .event(EventKind.Init, 'initMagento', [KEY, US_CAPTURE, { context: { scope: 'default', email: null } }])
      .event(EventKind.SetVerifiedSession, 'talk.setVerifiedSession', [{ email: 'x@y.example' }])
      .event(EventKind.Init, 'init', [KEY, US_CAPTURE, { email: 'in-init-options@a.example' }])
      .build();
    expect(namedVisitor(r)).toBeNull();
  });
});
