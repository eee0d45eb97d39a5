import { describe, expect, it } from 'vitest';
import { decodeAp3cCookie } from '../../src/shared/analysis/ap3c-cookie.ts';
import { decodeCaptureKey } from '../../src/shared/analysis/capture-key.ts';
import { analyzeCookiePath } from '../../src/shared/analysis/cookie-path.ts';
import { fingerprint } from '../../src/shared/analysis/fingerprint.ts';
import { addEntry, EMPTY_NETWORK } from '../../src/shared/analysis/network.ts';
import { apiHostFor, regionOfCaptureUrl, regionOfScriptUrl, regionsDisagree } from '../../src/shared/analysis/region.ts';
import { analyzeToken } from '../../src/shared/analysis/token.ts';

const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);

describe('capture key', () => {
  it('decodes the worked example of ortto-facts.md', () => {
    expect(decodeCaptureKey('YKx3hyqjq7hTYkomdGVzdGF1dG9tYXRpb24')).toEqual({
      ok: true,
      dataSourceId: '60ac77872aa3abb853624a26',
      instance: 'testautomation',
      createdAt: '2021-05-25T04:05:27.000Z',
    });
  });
  it('decodes base64url with - and _', () => {
    expect(decodeCaptureKey('ZRLA_-4KEc5e7QsOb3RoZXJpbnN0YW5jZQ')).toEqual({
      ok: true,
      dataSourceId: '6512c0ffee0a11ce5eed0b0e',
      instance: 'otherinstance',
      createdAt: '2023-09-26T11:31:11.000Z',
    });
  });
  it.each([
    [undefined, 'missing'],
    [42, 'not text'],
    ['', 'empty'],
    [' YKx3hyqjq7hTYkomdGVzdGF1dG9tYXRpb24', 'spaces'],
    ['not a key!', 'not base64url'],
    ['YKx3hyqj', 'too short'],
    ['YKx3hyqjq7hTYkom//8A', 'not base64url'],
    ['x'.repeat(5000), 'characters long'],
    ['ÿÿÿ', 'not base64url'],
  ])('says clearly when %j does not decode', (key, words) => {
    const r = decodeCaptureKey(key);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toContain(words);
  });
  it('rejects a 12-byte id followed by binary instead of an instance name', () => {
    const bytes = Buffer.concat([Buffer.alloc(12, 1), Buffer.from([0, 1, 2, 255])]);
    expect(decodeCaptureKey(bytes.toString('base64url')).ok).toBe(false);
  });
});

describe('region', () => {
  it('reads capture URLs with the host table', () => {
    expect(regionOfCaptureUrl('https://capture-api.autopilotapp.com/')).toBe('default');
    expect(regionOfCaptureUrl('https://capture-api-us.ortto.app/')).toBe('default');
    expect(regionOfCaptureUrl('https://capture-api.eu.autopilotapp.com/')).toBe('eu');
    expect(regionOfCaptureUrl('https://capture-api-eu.ortto.app/')).toBe('eu');
    expect(regionOfCaptureUrl('https://capture-api-au.ortto.app/')).toBe('au');
    expect(regionOfCaptureUrl('https://t.brand.example/')).toBe('custom');
    expect(regionOfCaptureUrl('nonsense')).toBe('unknown');
    expect(regionOfCaptureUrl(undefined)).toBe('unknown');
  });
  it('reads script hosts, never guessing AU', () => {
    expect(regionOfScriptUrl('https://cdn3l.ink/app.js')).toBe('default');
    expect(regionOfScriptUrl('https://cdneu.net/app.js')).toBe('eu');
    expect(regionOfScriptUrl('https://t.brand.example/app.js')).toBe('custom');
  });
  it('flags a script and capture URL of different regions', () => {
    expect(regionsDisagree('eu', 'default')).toBe(true);
    expect(regionsDisagree('eu', 'eu')).toBe(false);
    expect(regionsDisagree('au', 'custom')).toBe(false);
  });
  it('names the API host of each region', () => {
    expect(apiHostFor('default')).toBe('https://api.ap3api.com/');
    expect(apiHostFor('eu')).toBe('https://api.eu.ap3api.com/');
    expect(apiHostFor('au')).toBe('https://api.au.ap3api.com/');
    expect(apiHostFor('custom')).toBeNull();
  });
});

describe('token', () => {
  const real = 'tk_4mB8q0sVx1nE7rYp2LwZk9dFhJc3TgUa.Qe6RyS1vWb8nM0xKz4pLd7Hj2Fc9GtA5sE3uYi';
  it('describes an opaque token without judging its format', () => {
    const a = analyzeToken(real, NOW);
    expect(a.problems).toEqual([]);
    expect(a.length).toBe(real.length);
    expect(a.fingerprint).toMatch(/^[0-9a-f]{12}$/);
    expect(a.masked).toBe(`${real.slice(0, 6)}…${real.slice(-4)}`);
    expect(a.jwt).toBeNull();
  });
  it('fingerprints are the first 12 hex digits of SHA-256', () => {
    // sha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    expect(fingerprint('abc')).toBe('ba7816bf8f01');
  });
  it.each([
    ['<response token>', 'placeholder'],
    ['YOUR-TOKEN-HERE', 'placeholder'],
    ['{{<reponse_token>}}', 'doc-placeholder'],
    [`"${real}"`, 'quoted'],
    [`${real}\n`, 'whitespace'],
    ['undefined', 'literal-undefined'],
    ['null', 'literal-undefined'],
    [`${real}${real}`, 'pasted-twice'],
    ['', 'empty'],
    ['x'.repeat(5000), 'too-long'],
  ])('finds %j', (token, id) => {
    expect(analyzeToken(token, NOW).problems.map((p) => p.id)).toContain(id);
  });
  it('handles non-strings and unicode', () => {
    expect(analyzeToken(42, NOW).problems[0]?.id).toBe('not-text');
    expect(analyzeToken(null, NOW).problems[0]?.message).toContain('null');
    expect(analyzeToken('tøken-ünïcode-✓-value', NOW).charset).toContain('non-ASCII');
  });
  it('decodes a JWT, with dates, expiry and alg none', () => {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = NOW / 1000;
    const jwt = `${enc({ alg: 'none' })}.${enc({ iat: now - 60, exp: now - 1 })}.`;
    const a = analyzeToken(jwt, NOW);
    expect(a.jwt?.expired).toBe(true);
    expect(a.jwt?.algNone).toBe(true);
    expect(a.jwt?.issuedAt).toBe(new Date((now - 60) * 1000).toISOString());
    expect(analyzeToken(`${enc({ alg: 'HS256' })}.${enc({ nbf: now + 100 })}.sig`, NOW).jwt?.notYetValid).toBe(true);
    expect(analyzeToken('aaa.bbb.ccc', NOW).jwt).toBeNull(); // three parts, but not JSON
  });
});

describe('cookiePath', () => {
  it('accepts /instance/ of the capture key', () => {
    expect(analyzeCookiePath('/testautomation/', 'testautomation').problems).toEqual([]);
  });
  it('is optional', () => {
    expect(analyzeCookiePath(undefined, 'testautomation')).toEqual({ value: null, instance: null, problems: [] });
  });
  it('finds malformed paths and other instances', () => {
    const ids = (v: unknown) => analyzeCookiePath(v, 'testautomation').problems.map((p) => p.id);
    expect(ids('testautomation/')).toContain('no-leading-slash');
    expect(ids('/testautomation')).toContain('no-trailing-slash');
    expect(ids('/otherinstance/')).toEqual(['other-instance']);
    expect(ids('/a/b/')).toContain('not-an-instance-path');
    expect(ids(7)).toEqual(['not-text']);
  });
});

describe('ap3c cookie', () => {
  it('decodes first-seen and session-start times', () => {
    const b = Buffer.alloc(37);
    b[0] = 1;
    b.writeUInt32BE(1_700_000_000, 1);
    b.writeUInt32BE(1_764_000_000, 13);
    const value = b.toString('base64url');
    expect(value).toHaveLength(50);
    expect(decodeAp3cCookie(value)).toEqual({
      flag: 1,
      firstSeen: new Date(1_700_000_000_000).toISOString(),
      sessionStart: new Date(1_764_000_000_000).toISOString(),
    });
  });
  it('returns null for anything else', () => {
    expect(decodeAp3cCookie('short')).toBeNull();
    expect(decodeAp3cCookie('A'.repeat(50))).toBeNull(); // zero times are not plausible
    expect(decodeAp3cCookie(undefined)).toBeNull();
  });
});

describe('network evidence', () => {
  const entry = (url: string, method = 'GET', status = 200, extra: object = {}) => ({
    startedDateTime: '2026-11-25T10:00:00.000Z',
    request: { method, url, ...extra },
    response: { status },
  });
  it('classifies requests and never keeps secrets', () => {
    let e = addEntry(EMPTY_NETWORK, entry('https://cdn3l.ink/app.js', 'GET', 0));
    e = addEntry(
      e,
      entry('https://capture-api.autopilotapp.com/-/widgets/get', 'POST', 200, { postData: { text: '{"h":"k","tk":true,"tt":"secret-token-1"}' } }),
    );
    e = addEntry(e, entry('https://api.ap3api.com/v1/talk/session', 'POST', 200, { headers: [{ name: 'x-api-key', value: 'secret-key-1' }] }));
    e = addEntry(e, entry('https://capture-api.autopilotapp.com/-/events/page-event', 'POST'));
    e = addEntry(e, entry('https://shop.example/other.js'));
    expect(e.scripts[0]).toMatchObject({ status: 0, error: 'no answer (blocked or offline)' });
    expect(e.widgetsGets[0]).toMatchObject({ tk: true, ttFingerprint: fingerprint('secret-token-1') });
    expect(e.talkSessionCalls[0]?.keyFingerprint).toBe(fingerprint('secret-key-1'));
    expect(e.captureApi).toHaveLength(1);
    expect(JSON.stringify(e)).not.toMatch(/secret-(token|key)-1/);
  });
  it('counts a request seen twice (HAR and live) once, and ignores preflights', () => {
    const w = entry('https://capture-api.autopilotapp.com/-/widgets/get', 'POST');
    const once = addEntry(EMPTY_NETWORK, w);
    expect(addEntry(once, w)).toBe(once);
    expect(addEntry(EMPTY_NETWORK, entry('https://api.ap3api.com/v1/talk/session', 'OPTIONS', 204)).talkSessionCalls).toEqual([]);
  });
  it('reads form-encoded bodies and survives garbage', () => {
    const e = addEntry(EMPTY_NETWORK, entry('https://x.example/-/widgets/get', 'POST', 200, { postData: { text: 'h=k&tk=false&tt=' } }));
    expect(e.widgetsGets[0]).toMatchObject({ tk: false, ttFingerprint: null });
    const g = addEntry(EMPTY_NETWORK, entry('https://x.example/-/widgets/get', 'POST', 200, { postData: { text: '\u0000{not json' } }));
    expect(g.widgetsGets).toHaveLength(1);
  });
});
