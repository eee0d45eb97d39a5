// Fixture pages: customer sites with the capture snippet in its various shapes.
import { API_KEYS, type FixturePage, INSTANCES, PAGES, type PageName } from './fixtures.ts';
import type { TokenStore } from './tokens.ts';

export interface PageContext {
  /**
   * The origin the page was requested on, from its Host header (e.g. http://127.0.0.1:41234, or
   * http://capture-api.autopilotapp.com:41234 when a browser maps that name to the simulator); `${origin}/` is the capture URL.
   */
  origin: string;
  tokens: TokenStore;
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

const TRACK = 'ap3c.track({v: 0});';

/** `ap3c.init(key, url[, options]);` with every argument a safe JS literal. */
export function initCall(ctx: PageContext, opts: InitOptions = {}): string {
  const args = [jsLiteral(opts.captureKey ?? INSTANCES.testautomation.captureKey), jsLiteral(opts.captureUrl ?? `${ctx.origin}/`)];
  if (opts.initOptions !== undefined) args.push(jsLiteral(opts.initOptions));
  return `ap3c.init(${args.join(', ')});`;
}

// The pieces of the product document's snippet, so pages that need another order can reuse them.
const STUB = `window.ap3c = window.ap3c || {};
var ap3c = window.ap3c;
ap3c.cmd = ap3c.cmd || [];`;
const ACTIVITY_STUB = 'ap3c.activity = function(act) { ap3c.act = (ap3c.act || []); ap3c.act.push(act); };';

function cmdPush(commands: readonly string[], indent = ''): string {
  return [`${indent}ap3c.cmd.push(function() {`, ...commands.map((c) => `${indent}  ${c}`), `${indent}});`].join('\n');
}

function loadScript(src: string, indent = ''): string {
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

// One builder per page in fixtures.ts; `satisfies` makes a missing or extra one a type error.
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
} satisfies Record<PageName, PageBuilder>;

/** Renders `/pages/NAME.html`, or undefined for an unknown page. */
export function renderPage(path: string, ctx: PageContext): PageResponse | undefined {
  const page = PAGES.find((p) => p.path === path);
  return page ? BUILDERS[page.name](page, ctx) : undefined;
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
