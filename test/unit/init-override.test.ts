import { describe, expect, it } from 'vitest';
import { applyOverride, parseOverride } from '../../src/page/init-override.ts';

describe('applyOverride ("Try on reload")', () => {
  it('puts the token and cookiePath in talk, keeps the key and every other option, never changes the page’s objects', () => {
    const talk = { token: 'old', other: 1 };
    const options = { cookieDomains: ['.brand.app'], talk, disableWidgets: false };
    const args = ['KEY', 'https://capture-api.autopilotapp.com/', options];
    const out = applyOverride(args, { token: 'tk_new', cookiePath: '/testautomation/' });
    expect(out).toEqual([
      'KEY',
      'https://capture-api.autopilotapp.com/',
      { cookieDomains: ['.brand.app'], talk: { token: 'tk_new', other: 1, cookiePath: '/testautomation/' }, disableWidgets: false },
    ]);
    expect(options.talk).toBe(talk);
    expect(talk).toEqual({ token: 'old', other: 1 });
    expect(args[2]).toBe(options);
  });

  it('a two-argument init gets options; talkOn removes disableTalk and disableWidgets; the capture URL can change', () => {
    expect(applyOverride(['KEY', 'https://a/'], { token: 't' })).toEqual(['KEY', 'https://a/', { talk: { token: 't' } }]);
    expect(applyOverride(['KEY', 'https://a/', { disableTalk: true, disableWidgets: true, link: 'h' }], { talkOn: true })).toEqual([
      'KEY',
      'https://a/',
      { link: 'h' },
    ]);
    expect(applyOverride(['KEY', 'https://a/'], { captureUrl: 'https://capture-api.eu.autopilotapp.com/' })[1]).toBe(
      'https://capture-api.eu.autopilotapp.com/',
    );
  });

  it('never calls a getter of the page (it is copied as a getter)', () => {
    let calls = 0;
    const options = {};
    Object.defineProperty(options, 'link', {
      enumerable: true,
      get: () => {
        calls++;
        return 'h';
      },
    });
    const out = applyOverride(['KEY', 'U', options], { cookiePath: '/x/' }) as [string, string, object];
    expect(calls).toBe(0);
    expect(Object.getOwnPropertyDescriptor(out[2], 'link')?.get).toBeTypeOf('function');
  });

  it('reads only an object as the override', () => {
    expect(parseOverride('{"token":"t"}')).toEqual({ token: 't' });
    expect(parseOverride('"t"')).toBeUndefined();
    expect(parseOverride('null')).toBeUndefined();
    expect(parseOverride('{')).toBeUndefined();
  });
});
