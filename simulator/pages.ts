// Fixture pages: customer sites with the capture snippet in its various shapes.

import { HELLO_EVENT, HELLO_FROM_RECORDER, HELLO_FROM_RELAY, privateEventTypes } from '../src/shared/protocol/wire.ts';
import {
  CHANNEL_ATTACK_BODY,
  CHANNEL_ATTACKS,
  type ChannelAttack,
  catcherScript,
  HIDE_INIT_OVERSIZE_OK,
  openerAttackScript,
  type TraceAttack,
  tracePage,
} from './attack-pages.ts';
import { API_KEYS, type FixturePage, INSTANCES, PAGES, type PageName } from './fixtures.ts';
import type { TokenStore } from './tokens.ts';

export interface PageContext {
  /**
   * The origin the page was requested on, from its Host header (e.g. http://127.0.0.1:41234, or
   * http://capture-api.autopilotapp.com:41234 when a browser maps that name to the simulator); `${origin}/` is the capture URL.
   */
  origin: string;
  tokens: TokenStore;
  /** The port the simulator listens on, for when the Host header names none. */
  port: number;
}

export interface PageResponse {
  html: string;
  /** Extra response headers, e.g. a Content-Security-Policy for a strict-CSP page. */
  headers?: Record<string, string>;
}

type PageBuilder = (page: FixturePage, ctx: PageContext) => PageResponse;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** A JS literal that is safe inside an inline <script> (no `</script>`, no U+2028/9). */
export function jsLiteral(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export interface InitOptions {
  captureKey?: string;
  /** Defaults to the page's origin + "/". */
  captureUrl?: string;
  /** Third ap3c.init argument; omitted = the usual two-argument call. */
  initOptions?: unknown;
}

export interface SnippetOptions extends InitOptions {
  /**
   * The statements of the function pushed onto ap3c.cmd, one per entry.
   * Defaults to the init call (from the other options), then `ap3c.track({v: 0});`.
   */
  commands?: readonly string[];
  scriptSrc?: string;
}

export const TRACK = 'ap3c.track({v: 0});';

/** `ap3c.init(key, url[, options]);` with every argument a safe JS literal. */
export function initCall(ctx: PageContext, opts: InitOptions = {}): string {
  const args = [jsLiteral(opts.captureKey ?? INSTANCES.testautomation.captureKey), jsLiteral(opts.captureUrl ?? `${ctx.origin}/`)];
  if (opts.initOptions !== undefined) args.push(jsLiteral(opts.initOptions));
  return `ap3c.init(${args.join(', ')});`;
}

// The pieces of the product document's snippet, so pages that need another order can reuse them.
export const STUB = `window.ap3c = window.ap3c || {};
var ap3c = window.ap3c;
ap3c.cmd = ap3c.cmd || [];`;
export const ACTIVITY_STUB = 'ap3c.activity = function(act) { ap3c.act = (ap3c.act || []); ap3c.act.push(act); };';

export function cmdPush(commands: readonly string[], indent = ''): string {
  return [`${indent}ap3c.cmd.push(function() {`, ...commands.map((c) => `${indent}  ${c}`), `${indent}});`].join('\n');
}

export function loadScript(src: string, indent = ''): string {
  return `${indent}var s, t; s = document.createElement('script'); s.type = 'text/javascript'; s.src = ${jsLiteral(src)};
${indent}t = document.getElementsByTagName('script')[0]; t.parentNode.insertBefore(s, t);`;
}

/** The capture snippet in the shape the product document shows. */
export function snippet(ctx: PageContext, opts: SnippetOptions = {}): string {
  const commands = opts.commands ?? [initCall(ctx, opts), TRACK];
  return `<script>
${STUB}
${cmdPush(commands)}
${ACTIVITY_STUB}
${loadScript(opts.scriptSrc ?? '/app.js')}
</script>`;
}

/** A Log in button whose click gets a token from the demo backend and calls setVerifiedSession. */
const LOGIN_BODY = `<button type="button" id="login">Log in</button>
<p id="status">Not logged in</p>
<script>
document.getElementById('login').addEventListener('click', function () {
  var status = document.getElementById('status');
  status.textContent = 'Logging in...';
  // The site's own backend asks Ortto for a Talk token and hands it to the browser.
  fetch('/demo-backend/login', { method: 'POST' })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      window.ap3c.talk.setVerifiedSession({ token: data.token });
      status.textContent = 'Logged in';
    })
    .catch(function (e) { status.textContent = 'Login failed: ' + e; });
});
</script>`;

/**
 * The anti-pattern: the page itself asks the Talk session API for a token, with the secret API key
 * in the browser, and loads the capture script only once the token is there.
 */
function pageCallsApi(ctx: PageContext): string {
  const fields = { 'str::email': 'pat@example.com', 'str::name': 'Pat' };
  return `<script>
${STUB}
${ACTIVITY_STUB}
</script>
<script>
function showStatus(text) {
  var el = document.getElementById('status');
  if (el) el.textContent = text;
}
// Do not do this on a real site: the API key is a secret and belongs on the site's server.
fetch('/v1/talk/session', {
  method: 'POST',
  headers: { 'Content-Type': 'application/json', 'X-Api-Key': ${jsLiteral(API_KEYS.default)} },
  body: JSON.stringify({ fields: ${jsLiteral(fields)} }),
})
  .then(function (r) {
    if (!r.ok) throw new Error('HTTP ' + r.status);
    return r.json();
  })
  .then(function (data) {
    var token = data.token;
${cmdPush([`ap3c.init(${jsLiteral(INSTANCES.testautomation.captureKey)}, ${jsLiteral(`${ctx.origin}/`)}, {talk: {token: token}});`, TRACK], '    ')}
${loadScript('/app.js', '    ')}
    showStatus('Token received');
  })
  .catch(function (e) { showStatus('Token request failed: ' + e); });
</script>`;
}

export function layout(page: FixturePage, head: string, body = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(page.title)}</title>
${head}
</head>
<body>
<h1>${escapeHtml(page.title)}</h1>
<p>${escapeHtml(page.description)}</p>
${body}
</body>
</html>
`;
}

// ---- pageOk: how a test tells the page itself still works ----------------------------------------

/**
 * The body of a page's final script. `work` are statements run inside a try/catch with these in scope:
 * `ok()` sets `document.body.dataset.pageOk = 'yes'`, `fail(e)` sets `'no: ' + message`, `check(cond, what)`
 * throws `what` when cond is falsy, and `waitUntil(probe, what, then)` polls probe every 10 ms (up to
 * 5 s) and then runs `then`, failing the page on a throw or a timeout. `work` must end in `ok()`
 * (directly or in the last `then`).
 */
export function pageOkJs(work: string): string {
  return `(function () {
  function ok() { document.body.dataset.pageOk = 'yes'; }
  function fail(e) {
    var message;
    try { message = e && typeof e.message === 'string' ? e.message : String(e); } catch (_) { message = 'unprintable error'; }
    document.body.dataset.pageOk = 'no: ' + message;
  }
  function check(cond, what) { if (!cond) throw new Error('check failed: ' + what); }
  function waitUntil(probe, what, then) {
    var deadline = Date.now() + 5000;
    (function poll() {
      try {
        if (probe()) { then(); return; }
        if (Date.now() > deadline) throw new Error('timed out waiting for ' + what);
        setTimeout(poll, 10);
      } catch (e) { fail(e); }
    })();
  }
  try {
${work
  .trim()
  .split('\n')
  .map((line) => `    ${line}`)
  .join('\n')}
  } catch (e) { fail(e); }
})();`;
}

/** The page's final inline script (put it last in the body). */
export function pageOk(work: string): string {
  return `<script>
${pageOkJs(work)}
</script>`;
}

/** pageOk statements: wait until app.js has run init on window.ap3c, then `then` (which must end in ok()). */
export function afterApp(then = 'ok();'): string {
  return `waitUntil(function () { return window.ap3c && typeof window.ap3c.uniqueID === 'string'; }, 'app.js to run init', function () {
${then
  .trim()
  .split('\n')
  .map((line) => `  ${line}`)
  .join('\n')}
});`;
}

/** An inline script run before the snippet, in its own function scope. */
function setup(code: string): string {
  return `<script>
(function () {
${code
  .trim()
  .split('\n')
  .map((line) => `  ${line}`)
  .join('\n')}
})();
</script>`;
}

/** A page whose head is `before` (if any), then the standard snippet; its body ends with the pageOk script. */
function snippetPage(
  page: FixturePage,
  ctx: PageContext,
  o: { before?: string; after?: string; body?: string; ok?: string; snippet?: SnippetOptions },
): PageResponse {
  const head = [o.before ? setup(o.before) : '', snippet(ctx, o.snippet), o.after ?? ''].filter(Boolean).join('\n');
  return { html: layout(page, head, [o.body ?? '', pageOk(o.ok ?? afterApp())].filter(Boolean).join('\n')) };
}

// ---- Hostile ap3c objects -------------------------------------------------------------------------

const THROWING_GETTERS = ['boom', 'bang', 'toJSON', 'then', 'length'];

const HOSTILE_PROXY_TRAPS = [
  'get',
  'set',
  'has',
  'ownKeys',
  'getOwnPropertyDescriptor',
  'defineProperty',
  'deleteProperty',
  'getPrototypeOf',
  'setPrototypeOf',
  'isExtensible',
  'preventExtensions',
  'apply',
  'construct',
];

/** The `name: {getter}` shape every hostile getter uses. */
function getter(target: string, name: string, body: string, enumerable = true): string {
  return `Object.defineProperty(${target}, ${jsLiteral(name)}, { get: function () { ${body} }, enumerable: ${enumerable}, configurable: true });`;
}

// ---- Strict CSP ----------------------------------------------------------------------------------

const STRICT_CSP = "script-src 'self'; require-trusted-types-for 'script'";
const STRICT_CSP_SNIPPET_PATH = '/pages/strict-csp-snippet.js';
const STRICT_CSP_OK_PATH = '/pages/strict-csp-ok.js';

/** The strict-csp page's snippet file: a default Trusted Types policy, then the standard snippet. */
function strictCspSnippet(ctx: PageContext): string {
  return `// The capture snippet as an external file, for a page whose CSP forbids inline scripts.
// With require-trusted-types-for 'script', assigning a string to script.src throws unless a default policy exists.
(function () {
  if (window.trustedTypes && typeof window.trustedTypes.createPolicy === 'function') {
    try {
      window.trustedTypes.createPolicy('default', { createScriptURL: function (u) { return u; } });
    } catch (e) {
      // A default policy already exists; it decides.
    }
  }
})();
${STUB}
${cmdPush([initCall(ctx), TRACK])}
${ACTIVITY_STUB}
${loadScript('/app.js')}
`;
}

export interface AssetResponse {
  body: string;
  contentType: string;
}

const JS_CONTENT_TYPE = 'application/javascript; charset=utf-8';

/** Non-HTML files the fixture pages load from /pages/, or undefined. */
export function renderAsset(path: string, ctx: PageContext): AssetResponse | undefined {
  if (path === STRICT_CSP_SNIPPET_PATH) return { body: strictCspSnippet(ctx), contentType: JS_CONTENT_TYPE };
  if (path === STRICT_CSP_OK_PATH) return { body: `${pageOkJs(afterApp())}\n`, contentType: JS_CONTENT_TYPE };
  return undefined;
}

// ---- Flood of forged extension messages -----------------------------------------------------------

const FLOOD_COUNT = 10_000;
const FORGED_NONCE = '0'.repeat(32);
const FORGED_BATCH_JSON = JSON.stringify({
  kind: 'batch',
  recorderDocId: '0123456789abcdef',
  full: true,
  late: false,
  events: [{ seq: 1, t: 1, kind: 'init', name: 'init', args: { t: 'arr', items: ['FORGED', 'https://evil.example/'], more: 0 } }],
  dropped: 0,
  ap3c: { state: 'absent' },
});
/** The recorder's wire format (protocol.ts Wire): header `B1`, then the batch; and an older JSON envelope. */
const FORGED_BATCH = `B1${FORGED_BATCH_JSON}`;
const FORGED_ENVELOPE = JSON.stringify({ d: 'to-relay', p: JSON.parse(FORGED_BATCH_JSON) });

const FLOOD_BODY = `<button type="button" id="flood">Flood</button>
<p id="flood-status">Not flooded yet</p>
<script>
document.getElementById('flood').addEventListener('click', function () {
  var started = Date.now();
  var nonce = ${jsLiteral(FORGED_NONCE)};
  // Ask for the relay's secret as a recorder would (protocol.ts): if it ever answers, forge on the real channel.
  var stolen = [];
  var HELLO = ${jsLiteral(HELLO_FROM_RELAY)};
  document.addEventListener(${jsLiteral(HELLO_EVENT)}, function (e) {
    var d = e.detail;
    if (typeof d === 'string' && d.indexOf(HELLO) === 0 && stolen.indexOf(d) < 0) stolen.push(d.slice(HELLO.length));
  }, true);
  document.dispatchEvent(new CustomEvent(${jsLiteral(HELLO_EVENT)}, { detail: ${jsLiteral(HELLO_FROM_RECORDER)} }));
  window.dispatchEvent(new CustomEvent(${jsLiteral(HELLO_EVENT)}, { detail: ${jsLiteral(HELLO_FROM_RECORDER)} }));
  stolen.forEach(function (n) {
    [${jsLiteral(privateEventTypes('NONCE').toRelay)}, ${jsLiteral(privateEventTypes('NONCE').toRecorder)}].forEach(function (t) {
      window.dispatchEvent(new CustomEvent(t.replace('NONCE', n), { detail: ${jsLiteral(FORGED_BATCH)} }));
      window.dispatchEvent(new CustomEvent(t.replace('NONCE', n), { detail: 'S1' }));
    });
  });
  document.body.dataset.nonceLeaked = stolen.length > 0 ? 'yes' : 'no';
  // Shapes Talk Inspector itself uses: the pairing hellos, a batch on a guessed private channel,
  // and runtime/port message shapes sent through window.postMessage.
  var events = [
    { type: 'talk-inspector:relay-hello', detail: nonce },
    { type: 'talk-inspector:recorder-hello' },
    { type: ${jsLiteral(HELLO_EVENT)}, detail: ${jsLiteral(HELLO_FROM_RELAY)} + nonce },
    { type: ${jsLiteral(HELLO_EVENT)}, detail: ${jsLiteral(HELLO_FROM_RECORDER)} },
    { type: ${jsLiteral(privateEventTypes('0'.repeat(32)).toRelay)}, detail: ${jsLiteral(FORGED_BATCH)} },
    { type: 'talk-inspector:' + nonce, detail: ${jsLiteral(FORGED_BATCH)} },
    { type: 'talk-inspector:' + nonce, detail: ${jsLiteral(FORGED_ENVELOPE)} },
    { type: 'talk-inspector:' + nonce, detail: 'S1' },
  ];
  var messages = [
    { type: 'page-update', update: {} },
    { type: 'page-report', report: {} },
    { type: 'request-token', requestId: 'forged', profileId: 'forged', body: { fields: { 'str::email': 'evil@evil.example' } } },
  ];
  for (var i = 0; i < ${FLOOD_COUNT}; i++) window.postMessage(messages[i % messages.length], '*');
  for (var j = 0; j < ${FLOOD_COUNT}; j++) {
    var e = events[j % events.length];
    document.dispatchEvent('detail' in e ? new CustomEvent(e.type, { detail: e.detail }) : new CustomEvent(e.type));
  }
  document.body.dataset.floodMs = String(Date.now() - started);
  document.getElementById('flood-status').textContent = 'Flooded';
  document.body.dataset.flooded = 'yes';
});
</script>`;

// ---- iframes --------------------------------------------------------------------------------------

/** The same page on the other loopback name (localhost <-> 127.0.0.1), which makes it cross-origin. */
export function crossOriginUrl(ctx: PageContext, path: string): string {
  const url = new URL(ctx.origin);
  const host = url.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
  return `http://${host}:${url.port || ctx.port}${path}`;
}

const CHILD_PATH = '/pages/iframe-child.html';

function iframesBody(ctx: PageContext): string {
  return `<iframe id="same-origin-frame" title="Same-origin child" src="${escapeHtml(CHILD_PATH)}" width="600" height="200" onload="this.dataset.loaded = 'yes'"></iframe>
<iframe id="cross-origin-frame" title="Cross-origin child" src="${escapeHtml(crossOriginUrl(ctx, CHILD_PATH))}" width="600" height="200" onload="this.dataset.loaded = 'yes'"></iframe>`;
}

const IFRAMES_OK = afterApp(`var same = document.getElementById('same-origin-frame');
var cross = document.getElementById('cross-origin-frame');
waitUntil(function () {
  var child = same.contentDocument && same.contentDocument.body && same.contentDocument.body.dataset.pageOk;
  if (child && child !== 'yes') throw new Error('same-origin child: ' + child);
  return child === 'yes' && cross.dataset.loaded === 'yes';
}, 'both iframes to load', ok);`);

// ---- spa-routes ---------------------------------------------------------------------------------

function spaRoutesBody(page: FixturePage): string {
  return `<button type="button" id="route-a">Route A</button>
<button type="button" id="route-b">Route B</button>
<script>
(function () {
  var title = ${jsLiteral(page.title)};
  function go(route) {
    history.pushState({}, '', '/pages/spa-routes.html?route=' + route);
    document.querySelector('h1').textContent = title + ' (route ' + route + ')';
    document.body.dataset.route = route;
    window.ap3c.track({ route: route });
  }
  document.getElementById('route-a').addEventListener('click', function () { go('a'); });
  document.getElementById('route-b').addEventListener('click', function () { go('b'); });
})();
</script>`;
}

// ---- storage-flood -------------------------------------------------------------------------------

/**
 * Issue 11 §5: many init calls with ~30 KB of options (two strings at the recorder's 16 KB string
 * limit), spread over several pulls by pushState route changes (`[inits, pad]` per round, each
 * init's options two strings of `pad` characters): first 14 rounds of 25 (10.5 MB in all, the
 * issue's 350 calls; a pull carries every round since the last one in one batch, which must stay
 * under the 4 MB batch limit), then rounds that halve in size, so that without a per-tab budget the one
 * report fills storage.session to within a few hundred bytes (a refused round is lost, the next,
 * smaller one may fit). It starts 1.5 s after load. `data-flood-round` counts the rounds done; the page ends (pageOk) after the last.
 */
export const STORAGE_FLOOD = {
  plan: [
    ...Array.from({ length: 14 }, () => [25, 15_000] as const),
    ...[32, 16, 8, 4, 2, 1].map((n) => [n, 15_000] as const),
    ...[7_500, 3_750, 1_800, 900, 450, 200].map((pad) => [1, pad] as const),
  ],
  gapMs: 400,
  /** After the background's pull at load + 1 s. */
  startAfterLoadMs: 1500,
};
/** Every init call of the page: the snippet's own and the flood's. */
export const STORAGE_FLOOD_INITS = 1 + STORAGE_FLOOD.plan.reduce((n, [inits]) => n + inits, 0);

const STORAGE_FLOOD_OK = afterApp(`var plan = ${jsLiteral(STORAGE_FLOOD.plan)};
var pad = new Array(15001).join('x');
var round = 0;
function start() { setTimeout(next, ${STORAGE_FLOOD.startAfterLoadMs}); }
if (document.readyState === 'complete') start();
else window.addEventListener('load', start);
function next() {
  try {
    var step = plan[round++];
    for (var i = 0; i < step[0]; i++) {
      window.ap3c.init(${jsLiteral(INSTANCES.testautomation.captureKey)}, location.origin + '/', { round: round, i: i, a: round + '-' + i + pad.slice(0, step[1]), b: pad.slice(0, step[1]) + i });
    }
    history.pushState({}, '', '/pages/storage-flood.html?round=' + round);
    document.body.dataset.floodRound = String(round);
    if (round < plan.length) setTimeout(next, ${STORAGE_FLOOD.gapMs});
    else ok();
  } catch (e) { fail(e); }
}`);

// ---- slow-load ----------------------------------------------------------------------------------

/** `/slow/<ms>`: a 1×1 GIF answered after that many milliseconds (at most 10 s). */
export const SLOW_PREFIX = '/slow/';

// ---- heavy --------------------------------------------------------------------------------------

const HEAVY_ITEMS = 1000; // 5 elements each
const HEAVY_SCRIPTS = 30;

function heavyBody(): string {
  const parts: string[] = ['<div id="heavy">'];
  const every = Math.floor(HEAVY_ITEMS / HEAVY_SCRIPTS);
  let scripts = 0;
  for (let i = 0; i < HEAVY_ITEMS; i++) {
    parts.push(`<div class="item" data-i="${i}"><div class="row"><span class="n">#${i}</span><span class="label">Item ${i}</span><em>ok</em></div></div>`);
    if (i % every === every - 1 && scripts < HEAVY_SCRIPTS) {
      scripts += 1;
      parts.push(
        '<script>(function () { var s = 0; for (var i = 0; i < 1000; i++) s += i; (window.__heavySums = window.__heavySums || []).push(s); })();</script>',
      );
    }
  }
  parts.push('</div>');
  return parts.join('\n');
}

const HEAVY_OK = afterApp(`check(window.__heavySums && window.__heavySums.length === ${HEAVY_SCRIPTS}, 'all ${HEAVY_SCRIPTS} inline scripts ran');
check(document.querySelectorAll('#heavy *').length >= 5000, '5,000 elements');
var started = performance.now();
for (var i = 0; i < 10000; i++) window.ap3c.track({ v: 0, i: i });
window.__heavyTrackMs = performance.now() - started;
ok();`);

// One builder per page in fixtures.ts; `satisfies` makes a missing or extra one a type error.
/** A page running one channel attack (attack-pages.ts): the catcher, the attack, then the standard snippet. */
function channelAttackPage(name: ChannelAttack): PageBuilder {
  return (page, ctx) => ({
    html: layout(page, [catcherScript(), setup(CHANNEL_ATTACKS[name]), snippet(ctx)].join('\n'), [CHANNEL_ATTACK_BODY, pageOk(afterApp())].join('\n')),
  });
}

/** A trace probe (attack-pages.ts TRACE_ATTACKS), with its control frame. */
function traceProbePage(name: TraceAttack): PageBuilder {
  return (page) => {
    const { head, body } = tracePage(name);
    return { html: layout(page, head, body) };
  };
}

const OPENER_VICTIM = '/pages/opener-victim.html';
/** Bodies of the opener-attack pages sent 1.5 s after their headers: the opener hooks in between. */
const SLOW_VICTIM = `${OPENER_VICTIM}?slow-body=1500`;

const BUILDERS = {
  standard: (page, ctx) => ({ html: layout(page, snippet(ctx)) }),

  token: (page, ctx) => ({
    // A fresh token per request, so the page always carries one the simulator accepts.
    html: layout(
      page,
      snippet(ctx, {
        initOptions: { talk: { token: ctx.tokens.issue(INSTANCES.testautomation.name), cookiePath: '/testautomation/' } },
      }),
    ),
  }),

  'disable-talk': (page, ctx) => ({ html: layout(page, snippet(ctx, { initOptions: { disableTalk: true } })) }),

  'no-snippet': (page) => ({ html: layout(page, '') }),

  'script-fails': (page, ctx) => ({ html: layout(page, snippet(ctx, { scriptSrc: '/missing/app.js' })) }),

  'spa-login': (page, ctx) => ({ html: layout(page, snippet(ctx), LOGIN_BODY) }),

  'identified-no-token': (page, ctx) =>
    snippetPage(page, ctx, { ok: afterApp(`window.ap3c.track({ v: 0, email: 'jane@shop.example', first: 'Jane' });\nok();`) }),

  'placeholder-token': (page, ctx) => ({ html: layout(page, snippet(ctx, { initOptions: { talk: { token: '<response token>' } } })) }),

  'token-other-instance': (page, ctx) => ({
    html: layout(page, snippet(ctx, { initOptions: { talk: { token: ctx.tokens.issue(INSTANCES.otherinstance.name) } } })),
  }),

  'cookie-path-other-instance': (page, ctx) => ({
    html: layout(
      page,
      snippet(ctx, {
        initOptions: { talk: { token: ctx.tokens.issue(INSTANCES.testautomation.name), cookiePath: `/${INSTANCES.otherinstance.name}/` } },
      }),
    ),
  }),

  'double-init': (page, ctx) => ({
    html: layout(
      page,
      snippet(ctx, {
        commands: [initCall(ctx), initCall(ctx, { initOptions: { talk: { token: ctx.tokens.issue(INSTANCES.testautomation.name) } } }), TRACK],
      }),
    ),
  }),

  'track-before-init': (page, ctx) => ({ html: layout(page, snippet(ctx, { commands: [TRACK, initCall(ctx)] })) }),

  'page-calls-api': (page, ctx) => ({ html: layout(page, pageCallsApi(ctx), '<p id="status">Requesting a Talk token...</p>') }),

  conversation: (page, ctx) => ({ html: layout(page, snippet(ctx), LOGIN_BODY) }),

  verified: (page, ctx) => ({
    html: layout(
      page,
      snippet(ctx, {
        initOptions: { talk: { token: ctx.tokens.issue(INSTANCES.testautomation.name), cookiePath: `/${INSTANCES.testautomation.name}/` } },
      }),
    ),
  }),

  dialogs: (page, ctx) => ({
    html: layout(
      page,
      snippet(ctx, {
        initOptions: { talk: { token: ctx.tokens.issue(INSTANCES.testautomation.name), cookiePath: `/${INSTANCES.testautomation.name}/` } },
      }),
      // In the body: each dialog holds the parser (and the load event) until it is answered.
      `<script>alert('Welcome!'); confirm('Accept cookies?'); window.open('/pages/verified.html?popup=1', '_blank', 'popup');</script>`,
    ),
  }),

  // ---- Hostile ap3c objects ----

  'hostile-throwing-getters': (page, ctx) =>
    snippetPage(page, ctx, {
      before: ['var ap3c = {};', ...THROWING_GETTERS.map((n) => getter('ap3c', n, "throw new Error('hostile getter');")), 'window.ap3c = ap3c;'].join('\n'),
    }),

  'hostile-side-effect-getters': (page, ctx) =>
    snippetPage(page, ctx, {
      before: [
        'window.__getterCalls = 0;',
        'var ap3c = { nested: {} };',
        getter('ap3c', 'counted', 'window.__getterCalls += 1; return 1;'),
        getter('ap3c', 'toJSON', 'window.__getterCalls += 1; return undefined;'),
        getter('ap3c', 'hidden', 'window.__getterCalls += 1; return 1;', false),
        getter('ap3c.nested', 'deep', 'window.__getterCalls += 1; return 1;'),
        'window.ap3c = ap3c;',
      ].join('\n'),
    }),

  'hostile-never-returns': (page, ctx) =>
    snippetPage(page, ctx, {
      before: [
        'var ap3c = {};',
        '// Reading this getter hangs the page: nothing may read it.',
        getter('ap3c', 'forever', 'for (;;) {}'),
        'window.ap3c = ap3c;',
      ].join('\n'),
    }),

  'hostile-proxy': (page) => ({
    html: layout(
      page,
      setup(`var handler = {};
var traps = ${jsLiteral(HOSTILE_PROXY_TRAPS)};
for (var i = 0; i < traps.length; i++) {
  (function (name) {
    handler[name] = function () { throw new Error('hostile proxy trap: ' + name); };
  })(traps[i]);
}
// A function target, so the apply and construct traps are live too. No snippet: it would throw.
window.ap3c = new Proxy(function () {}, handler);`),
      // typeof never reaches a trap.
      pageOk(`check(typeof window.ap3c === 'function', 'window.ap3c is the proxy');
ok();`),
    ),
  }),

  'hostile-cycles': (page, ctx) =>
    snippetPage(page, ctx, {
      before: `var ap3c = {};
ap3c.self = ap3c;
ap3c.a = { b: { c: ap3c } };
ap3c.list = [ap3c];
window.ap3c = ap3c;`,
      ok: afterApp(`check(window.ap3c.self === window.ap3c && window.ap3c.a.b.c === window.ap3c, 'the cycles are intact');
ok();`),
    }),

  'hostile-million-keys': (page, ctx) =>
    snippetPage(page, ctx, {
      before: `var ap3c = {};
for (var i = 0; i < 1000000; i++) ap3c['k' + i] = i;
window.ap3c = ap3c;`,
      ok: afterApp(`check(window.ap3c.k0 === 0 && window.ap3c.k999999 === 999999, 'the keys are intact');
ok();`),
    }),

  'hostile-huge-string': (page, ctx) =>
    snippetPage(page, ctx, {
      before: `window.ap3c = { huge: 'x'.repeat(50 * 1024 * 1024) };`,
      ok: afterApp(`check(window.ap3c.huge.length === 50 * 1024 * 1024, 'the 50 MB string is intact');
ok();`),
    }),

  'hostile-symbols-proto': (page, ctx) =>
    snippetPage(page, ctx, {
      before: `var ap3c = {};
ap3c[Symbol('s')] = 1;
ap3c[Symbol.for('t')] = 2;
// An own enumerable data property named "__proto__": Object.assign or a for-in copy into {} pollutes.
Object.defineProperty(ap3c, '__proto__', { value: { polluted: true }, enumerable: true, configurable: true, writable: true });
window.ap3c = ap3c;`,
      ok: afterApp(`check(({}).polluted === undefined, 'Object.prototype is not polluted');
check(Object.getPrototypeOf(window.ap3c) === Object.prototype, 'ap3c keeps its prototype');
check(Object.getOwnPropertySymbols(window.ap3c).length === 2, 'both Symbol keys are there');
check(Object.getOwnPropertyDescriptor(window.ap3c, '__proto__').value.polluted === true, 'the own __proto__ key is there');
ok();`),
    }),

  // ---- Hostile window.ap3c definitions ----

  'hostile-frozen': (page, ctx) =>
    snippetPage(page, ctx, {
      // The snippet's assignments to ap3c fail silently (sloppy mode); app.js cannot install itself and throws.
      before: 'window.ap3c = Object.freeze({ cmd: [] });',
      ok: `check(Object.isFrozen(window.ap3c), 'ap3c is frozen');
check(Array.isArray(window.ap3c.cmd) && window.ap3c.cmd.length >= 1, 'the snippet queued its command');
ok();`,
    }),

  'hostile-sealed': (page, ctx) =>
    snippetPage(page, ctx, {
      before: 'window.ap3c = Object.seal({ cmd: [] });',
      ok: `check(Object.isSealed(window.ap3c), 'ap3c is sealed');
check(Array.isArray(window.ap3c.cmd) && window.ap3c.cmd.length >= 1, 'the snippet queued its command');
ok();`,
    }),

  'hostile-nonconfigurable': (page, ctx) =>
    snippetPage(page, ctx, {
      before: "Object.defineProperty(window, 'ap3c', { value: {}, configurable: false, writable: true, enumerable: true });",
      ok: afterApp(`check(Object.getOwnPropertyDescriptor(window, 'ap3c').configurable === false, 'window.ap3c stays non-configurable');
ok();`),
    }),

  'hostile-window-getter': (page, ctx) =>
    snippetPage(page, ctx, {
      before: `var store;
Object.defineProperty(window, 'ap3c', {
  get: function () {
    window.__windowGetterCalls = (window.__windowGetterCalls || 0) + 1;
    return store;
  },
  set: function (v) { store = v; },
  configurable: true,
});
// Lets this page's own checks see the object without going through the counting getter.
window.__ap3cStore = function () { return store; };`,
      after: '<script>window.__afterSnippet = window.__windowGetterCalls;</script>',
      ok: `waitUntil(function () { var s = window.__ap3cStore(); return s && typeof s.uniqueID === 'string'; }, 'app.js to run init', function () {
  // app.js reads window.ap3c as it starts; later reads are not this page's.
  window.__afterApp = window.__windowGetterCalls;
  check(window.__afterSnippet > 0, 'the snippet read window.ap3c through the getter');
  ok();
});`,
    }),

  'hostile-replaced-after-init': (page, ctx) =>
    snippetPage(page, ctx, {
      ok: afterApp(`window.ap3c = { replaced: true };
check(window.ap3c.replaced === true, 'window.ap3c was replaced');
ok();`),
    }),

  'hostile-null': (page) => ({
    html: layout(page, '<script>window.ap3c = null;</script>', pageOk(`check(window.ap3c === null, 'window.ap3c is null');\nok();`)),
  }),

  'hostile-number': (page) => ({
    html: layout(page, '<script>window.ap3c = 42;</script>', pageOk(`check(window.ap3c === 42, 'window.ap3c is 42');\nok();`)),
  }),

  'hostile-string': (page) => ({
    html: layout(page, "<script>window.ap3c = 'ap3c';</script>", pageOk(`check(window.ap3c === 'ap3c', 'window.ap3c is the string');\nok();`)),
  }),

  'hostile-init-replaced': (page, ctx) =>
    snippetPage(page, ctx, {
      ok: afterApp(`window.ap3c.init = function () {
  window.__myInitCalls = (window.__myInitCalls || 0) + 1;
  return 'mine';
};
window.__myInitResult = window.ap3c.init();
check(window.__myInitResult === 'mine' && window.__myInitCalls === 1, 'the page\\'s own init ran once');
ok();`),
    }),

  // ---- Other stress cases ----

  'strict-csp': (page) => ({
    html: layout(page, `<script src="${STRICT_CSP_SNIPPET_PATH}"></script>`, `<script src="${STRICT_CSP_OK_PATH}"></script>`),
    headers: { 'Content-Security-Policy': STRICT_CSP },
  }),

  flood: (page, ctx) => snippetPage(page, ctx, { body: FLOOD_BODY }),

  'leak-tojson': channelAttackPage('leak-tojson'),
  'leak-number-tostring': channelAttackPage('leak-number-tostring'),
  'leak-string-slice': channelAttackPage('leak-string-slice'),
  'leak-performance-now': channelAttackPage('leak-performance-now'),
  'leak-ap3c-proxy': channelAttackPage('leak-ap3c-proxy'),
  'leak-track-proxy': channelAttackPage('leak-track-proxy'),
  'leak-settimeout': channelAttackPage('leak-settimeout'),
  'leak-customevent-detail': channelAttackPage('leak-customevent-detail'),
  'leak-error-getters': channelAttackPage('leak-error-getters'),
  'forge-event-init': channelAttackPage('forge-event-init'),
  'forge-proto-accessors': channelAttackPage('forge-proto-accessors'),
  'leak-everything': channelAttackPage('leak-everything'),
  'climb-caller': channelAttackPage('climb-caller'),
  'leak-everything-no-ortto': (page) => ({ html: layout(page, [catcherScript(), setup(CHANNEL_ATTACKS['leak-everything'])].join('\n'), pageOk('ok();')) }),
  'opener-victim': (page, ctx) => snippetPage(page, ctx, {}),
  'no-trace': (page, ctx) =>
    snippetPage(page, ctx, {
      after: `<script>
(function () {
  var names = ['init', 'track', 'talk', 'initMagento', 'initWooCommerce', 'enableTalk'];
  window.__seen = { beforeApp: { in: names.filter(function (n) { return n in window.ap3c; }), own: Object.getOwnPropertyNames(window.ap3c), cmdOwn: Object.getOwnPropertyNames(window.ap3c.cmd) } };
})();
</script>`,
      ok: afterApp(`var d = Object.getOwnPropertyDescriptor(window.ap3c, 'init');
window.__seen.afterApp = { own: Object.getOwnPropertyNames(window.ap3c), initIsData: 'value' in d && typeof d.value === 'function', talkOwn: Object.getOwnPropertyNames(window.ap3c.talk) };
ok();`),
    }),
  'opener-nulled': (page) => ({
    html: layout(
      page,
      '',
      [
        `<button type="button" id="open">Open the victim</button>
<script>document.getElementById('open').addEventListener('click', function () { var w = window.open(${jsLiteral(OPENER_VICTIM)}); w.opener = null; });</script>`,
        pageOk('ok();'),
      ].join('\n'),
    ),
  }),
  'opener-at-once': (page) => ({ html: layout(page, '', [openerAttackScript(OPENER_VICTIM, 'at-once'), pageOk('ok();')].join('\n')) }),
  'opener-after-commit': (page) => ({ html: layout(page, '', [openerAttackScript(SLOW_VICTIM, 'after-commit'), pageOk('ok();')].join('\n')) }),
  'opener-after-commit-document': (page) => ({
    html: layout(page, '', [openerAttackScript(SLOW_VICTIM, 'after-commit-document'), pageOk('ok();')].join('\n')),
  }),

  'hide-init-oversize': (page, ctx) => snippetPage(page, ctx, { ok: afterApp(HIDE_INIT_OVERSIZE_OK) }),
  'trace-revoked-ap3c': traceProbePage('trace-revoked-ap3c'),
  'trace-var-binding': traceProbePage('trace-var-binding'),
  'trace-sparse-cmd': traceProbePage('trace-sparse-cmd'),
  'trace-named-element': traceProbePage('trace-named-element'),

  iframes: (page, ctx) => snippetPage(page, ctx, { body: iframesBody(ctx), ok: IFRAMES_OK }),

  'iframe-child': (page, ctx) => snippetPage(page, ctx, { snippet: { captureKey: INSTANCES.otherinstance.captureKey } }),

  'spa-routes': (page, ctx) => snippetPage(page, ctx, { body: spaRoutesBody(page) }),

  heavy: (page, ctx) => snippetPage(page, ctx, { body: heavyBody(), ok: HEAVY_OK }),

  'slow-load': (page, ctx) =>
    snippetPage(page, ctx, { snippet: { initOptions: { disableTalk: true } }, body: `<img id="slow" alt="" width="1" height="1" src="${SLOW_PREFIX}3000">` }),

  'long-timeline': (page, ctx) =>
    snippetPage(page, ctx, {
      ok: afterApp(`var started = performance.now();
for (var i = 0; i < 100000; i++) window.ap3c.track({ i: i });
window.__longTimelineMs = performance.now() - started;
ok();`),
    }),

  'storage-flood': (page, ctx) => snippetPage(page, ctx, { ok: STORAGE_FLOOD_OK }),

  blocked: (page, ctx) =>
    snippetPage(page, ctx, {
      snippet: { scriptSrc: '/blocked/app.js', captureUrl: `${ctx.origin}/blocked/` },
      // app.js never arrives, so there is nothing to wait for.
      ok: `check(Array.isArray(window.ap3c.cmd) && window.ap3c.cmd.length === 1, 'the snippet queued its command');
ok();`,
    }),
} satisfies Record<PageName, PageBuilder>;

/** Renders `/pages/NAME.html`, or undefined for an unknown page (the real-world pages are real-world-pages.ts'). */
export function renderPage(path: string, ctx: PageContext): PageResponse | undefined {
  const page = PAGES.find((p) => p.path === path);
  return page && Object.hasOwn(BUILDERS, page.name) ? BUILDERS[page.name as PageName](page, ctx) : undefined;
}

export function renderIndex(ctx: PageContext): string {
  const items = PAGES.map(
    (p) => `<li><a href="${escapeHtml(p.path)}">${escapeHtml(p.title)}</a> <code>${escapeHtml(p.path)}</code><br>${escapeHtml(p.description)}</li>`,
  ).join('\n');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Talk Inspector simulator</title></head>
<body>
<h1>Talk Inspector simulator</h1>
<p>A local stand-in for Ortto's capture script, capture API and Talk session API at ${escapeHtml(ctx.origin)}.</p>
<ul>
${items}
</ul>
</body>
</html>
`;
}
