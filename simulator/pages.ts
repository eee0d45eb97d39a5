// Fixture pages: customer sites with the capture snippet in its various shapes.
import { type FixturePage, INSTANCES, PAGES, type PageName } from './fixtures.ts';
import type { TokenStore } from './tokens.ts';

export interface PageContext {
  /** The simulator's origin, e.g. http://127.0.0.1:41234; `${origin}/` is the capture URL. */
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

export interface SnippetOptions {
  captureKey?: string;
  /** Defaults to the simulator's own origin + "/". */
  captureUrl?: string;
  /** Third ap3c.init argument; omitted = the usual two-argument call. */
  initOptions?: unknown;
  scriptSrc?: string;
}

/** The capture snippet in the shape the product document shows. */
export function snippet(ctx: PageContext, opts: SnippetOptions = {}): string {
  const args = [jsLiteral(opts.captureKey ?? INSTANCES.testautomation.captureKey), jsLiteral(opts.captureUrl ?? `${ctx.origin}/`)];
  if (opts.initOptions !== undefined) args.push(jsLiteral(opts.initOptions));
  return `<script>
window.ap3c = window.ap3c || {};
var ap3c = window.ap3c;
ap3c.cmd = ap3c.cmd || [];
ap3c.cmd.push(function() {
  ap3c.init(${args.join(', ')});
  ap3c.track({v: 0});
});
ap3c.activity = function(act) { ap3c.act = (ap3c.act || []); ap3c.act.push(act); };
var s, t; s = document.createElement('script'); s.type = 'text/javascript'; s.src = ${jsLiteral(opts.scriptSrc ?? '/app.js')};
t = document.getElementsByTagName('script')[0]; t.parentNode.insertBefore(s, t);
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

  'spa-login': (page, ctx) => ({
    html: layout(
      page,
      snippet(ctx),
      `<button type="button" id="login">Log in</button>
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
</script>`,
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
