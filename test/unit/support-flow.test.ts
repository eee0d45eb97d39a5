import { describe, expect, it } from 'vitest';
import { createProfileHandler, type ProfileStore } from '../../src/background/profiles-handler.ts';
import { explainError, retryDelayMs } from '../../src/background/talk-session/api.ts';
import { type FlowDeps, sendSessionRequest } from '../../src/background/talk-session/flow.ts';
import { captureCode } from '../../src/panel/format/capture-code.ts';
import { curlCommand, EMPTY_FORM, effectOf, personStatusText, requestBody, validateForm } from '../../src/panel/support/session-form.ts';
import { apiBaseOf, keyHint, type ProfileInfo, suggestProfile, validateProfile, validBaseUrl } from '../../src/shared/profiles.ts';
import { ProfileMsg } from '../../src/shared/protocol/options.ts';
import { snapshot } from '../../src/shared/snapshot.ts';
import type { FlowProgress } from '../../src/shared/talk-session.ts';

const KEY = 'made-up-canary-key-7781';

describe('request form', () => {
  const form = { ...EMPTY_FORM, email: 'pat@example.com', name: 'Pat' };
  it('requires email and name, checks person_id, merge_by, IP and extra field ids', () => {
    expect(validateForm(EMPTY_FORM)).toMatchObject({ email: expect.any(String), name: expect.any(String) });
    expect(validateForm(form)).toEqual({});
    expect(validateForm({ ...form, email: 'not-an-email' }).email).toBeTruthy();
    expect(validateForm({ ...form, personId: '123' }).personId).toBeTruthy();
    expect(validateForm({ ...form, personId: '006281d8ff95c3ed70b70801' }).personId).toBeUndefined();
    expect(validateForm({ ...form, mergeBy: ['str::email', 'str::a', 'str::b', 'str::c'] }).mergeBy).toContain('at most 3');
    expect(validateForm({ ...form, sourceIp: '300.1.1.1' }).sourceIp).toBeTruthy();
    expect(validateForm({ ...form, sourceIp: '119.19.0.218' }).sourceIp).toBeUndefined();
    expect(validateForm({ ...form, extraFields: [{ id: 'company', value: 'x' }] }).extraFields).toContain('type::name');
    expect(validateForm({ ...form, extraFields: [{ id: 'str::first', value: 'x' }] }).extraFields).toContain('its own box');
    expect(validateForm({ ...form, phone: 'call me' }).phone).toContain('phone number');
    expect(validateForm({ ...form, phone: '+61 400 000 000' }).phone).toBeUndefined();
  });
  it('builds the body of the product document', () => {
    const body = requestBody({
      ...form,
      personId: '006281D8FF95C3ED70B70801',
      mergeBy: ['str::email'],
      sourceIp: '119.19.0.218',
      extraFields: [
        { id: 'int::age', value: '42' },
        { id: 'bool::vip', value: 'true' },
      ],
    });
    expect(body).toEqual({
      merge_by: ['str::email'],
      merge_strategy: 3,
      find_strategy: 0,
      skip_non_existing: true,
      person_id: '006281d8ff95c3ed70b70801',
      fields: { 'str::email': 'pat@example.com', 'str::name': 'Pat', 'int::age': 42, 'bool::vip': true },
      location: { source_ip: '119.19.0.218' },
    });
  });
  it('first and last name and phone have their own boxes', () => {
    const body = requestBody({ ...form, firstName: ' Pat ', lastName: 'Example', phone: '+61 400 000 000' });
    expect(body.fields).toEqual({
      'str::email': 'pat@example.com',
      'str::name': 'Pat',
      'str::first': 'Pat',
      'str::last': 'Example',
      'phn::phone': '+61 400 000 000',
    });
  });
  it('defaults to the safe request: creates no one, changes no field, and needs no confirmation', () => {
    expect(EMPTY_FORM).toMatchObject({ skipNonExisting: true, mergeStrategy: 3 });
    const safe = effectOf(EMPTY_FORM);
    expect(safe.needsConfirmation).toBe(false);
    expect(safe.text).toBe('Finds the person by email (creates no one if none matches) and changes none of its fields.');
  });
  it('a request that can create a person or overwrite fields says so and needs a yes', () => {
    const create = effectOf({ ...EMPTY_FORM, skipNonExisting: false });
    expect(create).toEqual({
      text: 'Finds the person by email, or creates a new person if none matches, and changes none of its fields.',
      needsConfirmation: true,
    });
    const overwrite = effectOf({ ...EMPTY_FORM, mergeStrategy: 2, personId: '006281d8ff95c3ed70b70801' });
    expect(overwrite.text).toContain('by its person id');
    expect(overwrite.text).toContain('overwrites its fields');
    expect(overwrite.needsConfirmation).toBe(true);
    const append = effectOf({ ...EMPTY_FORM, mergeStrategy: 1, mergeBy: ['str::email', 'phn::phone'] });
    expect(append).toEqual({
      text: 'Finds the person by str::email, then phn::phone (creates no one if none matches) and fills only its empty fields with the values typed here.',
      needsConfirmation: false,
    });
  });
  it('person_status in words', () => {
    expect(personStatusText('created', 3)).toBe('created a new person');
    expect(personStatusText('by-id', 3)).toBe('found by person id (none of its fields changed)');
    // What a found person went through is the merge_strategy sent (the answer does not say): the
    // panel's default, 3, changes nothing, and the words must not say it merged anything.
    expect(personStatusText('merged', 3)).toBe('found an existing person (none of its fields changed)');
    expect(personStatusText('merged', 2)).toBe('found an existing person (its fields overwritten with those sent)');
    expect(personStatusText('merged', 1)).toBe('found an existing person (only its empty fields filled from those sent)');
    expect(personStatusText('odd<b>', 3)).toBe('Ortto says "odd<b>"');
    expect(personStatusText('', 3)).toBe('Ortto did not say');
  });
  it('copy as cURL never carries a real key', () => {
    const curl = curlCommand('https://api.eu.ap3api.com/', requestBody(form));
    expect(curl).toContain("'https://api.eu.ap3api.com/v1/talk/session'");
    expect(curl).toContain('X-Api-Key: YOUR-API-KEY-HERE');
    expect(curlCommand('https://x/', { fields: { 'str::name': "O'Brien" } })).toContain(`O'\\''Brien`);
  });
});

describe('Ortto errors', () => {
  it('reads the envelope and says what to do', () => {
    const e400 = explainError(400, { request_id: 'r1', code: 400, error: 'bad-request', details: [{ status: 'invalid', error: 'str::email is required' }] });
    expect(e400.details).toEqual(['invalid: str::email is required']);
    expect(e400.requestId).toBe('r1');
    expect(e400.retryable).toBe(false);
    expect(explainError(401, {}).message).toMatch(/region/);
    expect(explainError(403, {}).retryable).toBe(false);
    expect(explainError(404, {}).message).toMatch(/404/);
    expect(explainError(503, 'garbage').message).toMatch(/server error/);
    const e429 = explainError(429, { error: 'rate-limit', 'try-in-seconds': 7 });
    expect(e429).toMatchObject({ retryable: true, tryInSeconds: 7 });
  });
  it('waits at least try-in-seconds plus jitter under a second', () => {
    expect(retryDelayMs(3, 0)).toBe(3000);
    expect(retryDelayMs(3, 0.999)).toBeLessThan(4000);
    expect(retryDelayMs(null, 0)).toBe(1000);
  });
});

function fakeDeps(answers: (() => Response | Promise<Response>)[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const sleeps: number[] = [];
  const deps: FlowDeps = {
    fetch: async (url, init) => {
      calls.push({ url, init });
      const next = answers.shift();
      if (!next) throw new Error('no more answers');
      return next();
    },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    now: () => 1000,
    timeoutMs: 50,
  };
  return { deps, calls, sleeps };
}

const json = (status: number, body: unknown) => () => new Response(JSON.stringify(body), { status });
const ok = json(200, { session_id: 's', token: 'tk_new', person_id: 'p', person_status: 'created' });

describe('sending a session request', () => {
  it('sends the key only in the X-Api-Key header, omits credentials', async () => {
    const { deps, calls } = fakeDeps([ok]);
    const out = await sendSessionRequest('https://api.ap3api.com/', KEY, { fields: {} }, () => undefined, deps);
    expect(out).toMatchObject({ ok: true, attempts: 1 });
    expect(calls[0]?.url).toBe('https://api.ap3api.com/v1/talk/session');
    expect(calls[0]?.url).not.toContain(KEY);
    const headers = (calls[0]?.init.headers ?? {}) as Record<string, string>;
    expect(headers['X-Api-Key']).toBe(KEY);
    expect(calls[0]?.init.credentials).toBe('omit');
  });
  it('retries 429 after try-in-seconds, at most 3 attempts, with progress', async () => {
    const progress: FlowProgress[] = [];
    const limited = json(429, { error: 'rate-limit', 'try-in-seconds': 2 });
    const { deps, sleeps } = fakeDeps([limited, limited, ok]);
    const out = await sendSessionRequest('https://a/', KEY, {}, (p) => progress.push(p), deps);
    expect(out.ok).toBe(true);
    expect(sleeps).toEqual([2500, 2500]);
    expect(progress.some((p) => p.retryAt === 1000 + 2500)).toBe(true);
    const again = fakeDeps([limited, limited, limited, ok]);
    const failed = await sendSessionRequest('https://a/', KEY, {}, () => undefined, again.deps);
    expect(failed).toMatchObject({ ok: false, attempts: 3 });
    // It says it tried 3 times and when to try again, not "wait 2 seconds".
    const message = failed.ok ? '' : failed.error.message;
    expect(message).toContain('after 3 tries');
    expect(message).toContain(`try again after ${new Date(1000 + 2000).toLocaleTimeString()}`);
    expect(message).not.toContain('asks to wait');
  });
  it.each([400, 401, 403])('never retries %i', async (status) => {
    const { deps, calls } = fakeDeps([json(status, { error: 'x' }), ok]);
    const out = await sendSessionRequest('https://a/', KEY, {}, () => undefined, deps);
    expect(out.ok).toBe(false);
    expect(calls).toHaveLength(1);
  });
  it('gives network errors, timeouts and malformed answers their own message, never with the key', async () => {
    const net = await sendSessionRequest('https://a/', KEY, {}, () => undefined, fakeDeps([() => Promise.reject(new TypeError('Failed to fetch'))]).deps);
    expect(net.ok || net.error.kind).toBe('network');
    const slow = fakeDeps([]);
    slow.deps.fetch = (_url, init) =>
      new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    const timeout = await sendSessionRequest('https://a/', KEY, {}, () => undefined, slow.deps);
    expect(timeout.ok || timeout.error.kind).toBe('timeout');
    const bad = await sendSessionRequest('https://a/', KEY, {}, () => undefined, fakeDeps([() => new Response('<html>oops', { status: 200 })]).deps);
    expect(bad.ok || bad.error.kind).toBe('malformed');
    for (const o of [net, timeout, bad]) expect(JSON.stringify(o)).not.toContain(KEY);
  });
});

describe('profiles', () => {
  const p = (region: ProfileInfo['region'], id: string): ProfileInfo => ({
    id,
    label: id,
    region,
    customBaseUrl: region === 'custom' ? 'https://api.staging.example/' : null,
    keyHint: '••••abcd',
    remember: true,
  });
  it('never shows more than the last 4 characters of a key', () => {
    expect(keyHint(KEY)).toBe('••••7781');
  });
  it('maps regions to hosts; custom base URLs must be https (http only on loopback)', () => {
    expect(apiBaseOf(p('eu', 'a'))).toBe('https://api.eu.ap3api.com/');
    expect(apiBaseOf(p('custom', 'a'))).toBe('https://api.staging.example/');
    expect(apiBaseOf({ region: 'custom', customBaseUrl: 'http://evil.example/' })).toBeNull();
    expect(apiBaseOf({ region: 'custom', customBaseUrl: 'http://127.0.0.1:8080' })).toBe('http://127.0.0.1:8080/');
    expect(validateProfile({ label: 'x', region: 'custom', customBaseUrl: 'ftp://x', key: KEY, remember: true }, true).customBaseUrl).toBeTruthy();
    expect(validateProfile({ label: '', region: 'default', customBaseUrl: '', key: 'short', remember: true }, true)).toMatchObject({
      label: expect.any(String),
      key: expect.any(String),
    });
  });
  it('suggests the profile of the page region only for known regions', () => {
    const list = [p('default', 'us'), p('eu', 'eu'), p('custom', 'staging')];
    expect(suggestProfile(list, 'eu')).toBe('eu');
    expect(suggestProfile(list, 'custom')).toBeNull();
    expect(suggestProfile(list, 'au')).toBeNull();
  });
});

describe('privileged profile handler', () => {
  const ext = 'abcdefghijklmnopabcdefghijklmnop';
  const base = `chrome-extension://${ext}/`;
  const store = (): ProfileStore & { saved: number } => {
    const s = {
      saved: 0,
      list: async () => [],
      save: async () => {
        s.saved++;
        return { id: '1', label: 'x', region: 'default' as const, customBaseUrl: null, keyHint: '••••', remember: true };
      },
      rename: async () => undefined,
      remove: async () => undefined,
      forgetAll: async () => undefined,
    };
    return s;
  };
  const save = { type: ProfileMsg.Save, input: { label: 'Prod', region: 'default', customBaseUrl: '', key: KEY, remember: true } };
  it('answers the extension own pages', async () => {
    const s = store();
    const answer = await createProfileHandler(ext, base, s)(save, { id: ext, url: `${base}src/options/options.html` });
    expect(answer?.ok).toBe(true);
    expect(s.saved).toBe(1);
  });
  it.each([
    ['a content script on a web page', { id: ext, url: 'https://shop.example/', tab: { id: 3 }, frameId: 0 }],
    ['another extension', { id: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', url: 'chrome-extension://zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz/page.html' }],
    ['a web page that mentions our URL', { id: ext, url: `https://evil.example/?${base}` }],
    ['no sender', undefined],
  ])('rejects %s', async (_name, sender) => {
    const s = store();
    expect(createProfileHandler(ext, base, s)(save, sender)).toBeUndefined();
    expect(s.saved).toBe(0);
  });
  it('validates before saving', async () => {
    const s = store();
    const answer = await createProfileHandler(ext, base, s)({ ...save, input: { ...save.input, key: 'x' } }, { id: ext, url: `${base}x.html` });
    expect(answer?.ok).toBe(false);
    expect(s.saved).toBe(0);
  });
});

describe('copy capture code', () => {
  it("keeps the page's options and fills talk {token, cookiePath}", () => {
    const options = snapshot({ cookieDomains: ['.brand.app'], link: 'h', disableWidgets: false, talk: { token: 'old' }, hook() {} });
    const code = captureCode({
      captureKey: 'KEY',
      captureUrl: 'https://capture-api.autopilotapp.com/',
      options,
      scriptUrl: 'https://cdn3l.ink/app.js',
      token: 'tk_new</script>',
      cookiePath: '/testautomation/',
    });
    expect(code).toContain(
      `ap3c.init("KEY", "https://capture-api.autopilotapp.com/", {"cookieDomains": [".brand.app"], "link": "h", "disableWidgets": false, "talk": {"token": "tk_new\\u003c/script\\u003e", "cookiePath": "/testautomation/"}});`,
    );
    expect(code).not.toContain('old');
    expect(code).not.toContain('</script>"');
    expect(code).toContain('s.src = "https://cdn3l.ink/app.js"');
  });
});

describe('custom base URL', () => {
  it('http only on 127.0.0.1 or localhost (the extension pages CSP allows no more), https anywhere', () => {
    expect(validBaseUrl('http://127.0.0.1:8080/')).not.toBeNull();
    expect(validBaseUrl('http://localhost:8080/')).not.toBeNull();
    expect(validBaseUrl('https://staging.example/')).not.toBeNull();
    expect(validBaseUrl('http://[::1]:8080/')).toBeNull();
    expect(validBaseUrl('http://staging.example/')).toBeNull();
  });
});
