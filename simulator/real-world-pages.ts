// Issue 13: pages shaped like real Ortto installs (rows in fixtures.ts, REAL_WORLD_ROWS). Each has
// its own markup, the way such sites write it (minified heads, tag managers, consent managers,
// theme + plugin, connectors); the extension's rules must hold on the class, not on this text.
import { type FixturePage, INSTANCES, PAGES, type RealWorldPageName } from './fixtures.ts';
import {
  ACTIVITY_STUB,
  afterApp,
  cmdPush,
  crossOriginUrl,
  jsLiteral,
  layout,
  loadScript,
  type PageContext,
  type PageResponse,
  pageOk,
  STUB,
  TRACK,
} from './pages.ts';

const KEY = INSTANCES.testautomation.captureKey;
const key = jsLiteral(KEY);
const captureUrl = (ctx: PageContext): string => `${ctx.origin}/`;

/** The product document's snippet on one line, as minifiers and page builders leave it. */
function minifiedSnippet(ctx: PageContext, src: string, url = captureUrl(ctx)): string {
  return `window.ap3c=window.ap3c||{};var ap3c=window.ap3c;ap3c.cmd=ap3c.cmd||[];ap3c.cmd.push(function(){ap3c.init(${key},${jsLiteral(url)});ap3c.track({v:0});});ap3c.activity=function(act){ap3c.act=(ap3c.act||[]);ap3c.act.push(act);};var s,t;s=document.createElement('script');s.type='text/javascript';s.src=${jsLiteral(src)};t=document.getElementsByTagName('script')[0];t.parentNode.insertBefore(s,t);`;
}

/** The snippet in the product document's shape, without its <script> tags. */
function plainSnippet(ctx: PageContext, opts: { commands?: string[]; src?: string; url?: string } = {}): string {
  const init = `ap3c.init(${key}, ${jsLiteral(opts.url ?? captureUrl(ctx))});`;
  return [STUB, cmdPush(opts.commands ?? [init, TRACK]), ACTIVITY_STUB, loadScript(opts.src ?? '/app.js')].join('\n');
}

/** A Google Tag Manager container whose "Window Loaded" trigger fires one custom-HTML tag (inserted as a script, as GTM does). */
function gtmOnLoad(tagScript: string): string {
  return `<script>
(function (w, d, l) {
  w[l] = w[l] || [];
  w[l].push({ 'gtm.start': new Date().getTime(), event: 'gtm.js' });
  // Trigger "Window Loaded" → Custom HTML tag "Ortto capture code".
  w.addEventListener('load', function () {
    var tag = d.createElement('script');
    tag.setAttribute('data-gtmsrc', 'GTM-SIM0RTT0');
    tag.text = ${jsLiteral(tagScript)};
    d.body.appendChild(tag);
    w[l].push({ event: 'gtm.load' });
  });
})(window, document, 'dataLayer');
</script>`;
}

type Builder = (page: FixturePage, ctx: PageContext) => PageResponse;

// ---- 1. CSP ----------------------------------------------------------------------------------------

const NEXT_CSP = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'";

function nextjsCsp(page: FixturePage, ctx: PageContext): PageResponse {
  // Next.js renders <Script id="ortto" strategy="afterInteractive"> as data its runtime injects after hydration.
  const nextData = {
    props: { pageProps: {} },
    page: '/',
    query: {},
    buildId: 'sim-build',
    scripts: [{ id: 'ortto', children: minifiedSnippet(ctx, crossOriginUrl(ctx, '/app.js')) }],
  };
  const head =
    '<meta name="viewport" content="width=device-width"/><meta name="next-head-count" content="3"/><link rel="preload" href="/_next/static/css/7a1b9c.css" as="style"/><noscript data-n-css=""></noscript>';
  const body = `<div id="__next"><main class="layout_main__x1"><p>Shop</p></main></div><script id="__NEXT_DATA__" type="application/json">${jsLiteral(nextData)}</script><script>(function(){var d=JSON.parse(document.getElementById('__NEXT_DATA__').textContent);function run(){d.scripts.forEach(function(x){var s=document.createElement('script');s.id=x.id;s.setAttribute('data-nscript','afterInteractive');s.innerHTML=x.children;document.body.appendChild(s);});}if(document.readyState==='complete')setTimeout(run,0);else window.addEventListener('load',function(){setTimeout(run,0);});})();</script>
${pageOk(`waitUntil(function () { return window.ap3c && window.ap3c.cmd && window.ap3c.cmd.length === 1; }, 'the snippet to run', function () {
  // app.js is blocked by the page's own policy: it never defines init.
  setTimeout(function () { check(typeof window.ap3c.init !== 'function', 'app.js stayed blocked'); ok(); }, 300);
});`)}`;
  return { html: layout(page, head, body), headers: { 'Content-Security-Policy': NEXT_CSP } };
}

function gtmCspConnect(page: FixturePage, ctx: PageContext): PageResponse {
  const capture = crossOriginUrl(ctx, '/');
  const head = `<meta http-equiv="Content-Security-Policy" content="connect-src 'self'">
${gtmOnLoad(plainSnippet(ctx, { url: capture }))}`;
  return { html: layout(page, head, pageOk(afterApp())) };
}

// ---- 2. SPA that removes window.ap3c and runs the snippet again -------------------------------------

function spaReinject(page: FixturePage, ctx: PageContext): PageResponse {
  // The app's snippet module declares ap3c with const: fine once per page, a SyntaxError the second time.
  const snippetText = `const ap3c = (window.ap3c = window.ap3c || {});
ap3c.cmd = ap3c.cmd || [];
ap3c.cmd.push(function () { ap3c.init(${key}, ${jsLiteral(captureUrl(ctx))}); ap3c.track({ v: 0 }); });
(function () { var s = document.createElement('script'); s.src = '/app.js'; s.setAttribute('data-ortto', ''); document.head.appendChild(s); })();`;
  const body = `<nav><button type="button" id="to-account">Account</button></nav>
<p id="route">Route: home</p>
<script>
(function () {
  var SNIPPET = ${jsLiteral(snippetText)};
  function injectOrtto() {
    var el = document.createElement('script');
    el.setAttribute('data-ortto-snippet', '');
    el.text = SNIPPET;
    document.head.appendChild(el);
  }
  function cleanUpOrtto() {
    // The app's route guard: forget the tracker, drop its tags, load it again for the new route.
    window.ap3c = undefined;
    document.querySelectorAll('script[data-ortto], script[data-ortto-snippet]').forEach(function (n) { n.remove(); });
  }
  injectOrtto();
  document.getElementById('to-account').addEventListener('click', function () {
    history.pushState({}, '', '/pages/rw-spa-reinject.html?route=account');
    document.getElementById('route').textContent = 'Route: account';
    cleanUpOrtto();
    injectOrtto();
    document.body.dataset.route = 'account';
  });
})();
</script>
${pageOk(afterApp())}`;
  return { html: layout(page, '', body) };
}

// ---- 3. init queued, app.js never arrives ------------------------------------------------------------

function gtmQueued(page: FixturePage, ctx: PageContext): PageResponse {
  const token = ctx.tokens.issue(INSTANCES.testautomation.name);
  const init = `ap3c.init(${key}, ${jsLiteral(captureUrl(ctx))}, {talk: {token: ${jsLiteral(token)}, cookiePath: '/testautomation/'}});`;
  const head = gtmOnLoad(plainSnippet(ctx, { commands: [init, TRACK], src: '/blocked/app.js' }));
  return {
    html: layout(
      page,
      head,
      pageOk(`waitUntil(function () { return window.ap3c && window.ap3c.cmd && window.ap3c.cmd.length === 1; }, 'the GTM tag to run', ok);`),
    ),
  };
}

function queuedData(page: FixturePage, ctx: PageContext): PageResponse {
  const token = ctx.tokens.issue(INSTANCES.testautomation.name);
  const head = `<script>
window.ap3c = window.ap3c || {};
var ap3c = window.ap3c;
ap3c.cmd = ap3c.cmd || [];
// The data-layer bridge queues what the tag manager handed it, as data.
ap3c.cmd.push(['init', ${key}, ${jsLiteral(captureUrl(ctx))}, { talk: { token: ${jsLiteral(token)} } }]);
${loadScript('/blocked/app.js')}
</script>`;
  return { html: layout(page, head, pageOk(`check(window.ap3c.cmd.length === 1, 'the command waits'); ok();`)) };
}

// ---- 4. a consent manager with the wrong script address ----------------------------------------------

const APPCUES_PATH = '/core/v4/appcues.js';

function consentLate(page: FixturePage, ctx: PageContext): PageResponse {
  const body = `<div id="cmp-banner" role="dialog" aria-label="Cookie consent">We use cookies. <button type="button" id="cmp-accept">Accept</button></div>
<script>
(function () {
  var TEMPLATE = ${jsLiteral(minifiedSnippet(ctx, APPCUES_PATH))};
  var done = false;
  function consentGiven() {
    if (done) return;
    done = true;
    document.getElementById('cmp-banner').hidden = true;
    // Category "analytics" granted: the consent manager runs the blocked snippet now.
    var s = document.createElement('script');
    s.type = 'text/javascript';
    s.setAttribute('data-cmp-category', 'analytics');
    s.text = TEMPLATE;
    document.head.appendChild(s);
  }
  document.getElementById('cmp-accept').addEventListener('click', consentGiven);
  // A returning visitor's stored consent is applied a moment after load.
  window.addEventListener('load', function () { setTimeout(consentGiven, 500); });
})();
</script>
${pageOk(`waitUntil(function () { return window.Appcues && window.ap3c && window.ap3c.cmd; }, 'the consent manager to inject the snippet', ok);`)}`;
  return { html: layout(page, '', body) };
}

/** What the consent manager's template loads instead of app.js: another vendor's script. */
const APPCUES_JS = `/* A stand-in for another vendor's script, served where the consent manager's template points. */
window.Appcues = window.Appcues || { identify: function () {}, page: function () {} };
`;

// ---- 5. WordPress window.onload wrapper, the theme tracks too early ----------------------------------

function wordpressOnload(page: FixturePage, ctx: PageContext): PageResponse {
  const head = `<script type="text/javascript">
/* <![CDATA[ */
window.onload = function () {
${plainSnippet(ctx)}
};
/* ]]> */
</script>
<script type="text/javascript" id="theme-scripts">
/* Theme: track the page view on load. ap3c exists (the snippet made it), but app.js has not run yet. */
window.addEventListener('load', function () {
  ap3c.track({ v: 0, theme: 'storefront' });
});
</script>`;
  return { html: layout(page, head, pageOk(afterApp())) };
}

// ---- 6. Ortto's help-page sample ---------------------------------------------------------------------

function helpSample(ctx: PageContext, src: string): string {
  // As in Ortto's Talk document: the token placeholder (its spelling) and the help pages' example identity.
  return `<script>
window.ap3c = window.ap3c || {};
var ap3c = window.ap3c;
ap3c.cmd = ap3c.cmd || [];
ap3c.cmd.push(function() {
    ap3c.init(${key}, ${jsLiteral(captureUrl(ctx))}, { talk: { token: '{{<reponse_token>}}' } });
    ap3c.track({ v: 0, email: 'user@emaildomain.com', name: 'John Apple' });
});
ap3c.activity = function(act) { ap3c.act = (ap3c.act || []); ap3c.act.push(act); };
var s, t; s = document.createElement('script'); s.type = 'text/javascript'; s.src = ${jsLiteral(src)};
t = document.getElementsByTagName('script')[0]; t.parentNode.insertBefore(s, t);
</script>`;
}

// ---- 7. app.js loaded twice ---------------------------------------------------------------------------

function helmetRemount(page: FixturePage, ctx: PageContext): PageResponse {
  // <Helmet><script>{stub}</script><script src=app.js async /></Helmet>, remounted once after the first render.
  const stub = [STUB, cmdPush([`ap3c.init(${key}, ${jsLiteral(captureUrl(ctx))});`, TRACK]), ACTIVITY_STUB].join('\n');
  const body = `<div id="root"></div>
<script>
(function () {
  var STUB_TEXT = ${jsLiteral(stub)};
  function mountHelmet() {
    document.querySelectorAll('[data-react-helmet]').forEach(function (n) { n.remove(); });
    var inline = document.createElement('script');
    inline.setAttribute('data-react-helmet', 'true');
    inline.text = STUB_TEXT;
    var src = document.createElement('script');
    src.setAttribute('data-react-helmet', 'true');
    src.async = true;
    src.src = '/app.js';
    src.addEventListener('load', function () { window.__appLoads = (window.__appLoads || 0) + 1; });
    document.head.appendChild(inline);
    document.head.appendChild(src);
  }
  mountHelmet();
  // The layout re-renders (a context provider changes key): Helmet unmounts and mounts again.
  var poll = setInterval(function () {
    if (window.ap3c && typeof window.ap3c.uniqueID === 'string') { clearInterval(poll); mountHelmet(); }
  }, 20);
})();
</script>
${pageOk(`waitUntil(function () { return window.__appLoads === 2; }, 'app.js to load twice', ok);`)}`;
  return { html: layout(page, '', body) };
}

function themePlugin(page: FixturePage, ctx: PageContext): PageResponse {
  const theme = `<!-- Theme options → Header scripts -->
<script>
${plainSnippet(ctx)}
</script>`;
  const plugin = `<!-- Ortto for WordPress (plugin) -->
<script>
${plainSnippet(ctx)}
</script>
${pageOk(
  afterApp(`check(document.querySelectorAll('script[src$="/app.js"]').length === 2, 'both copies of the snippet inserted app.js');
ok();`),
)}`;
  return { html: layout(page, theme, plugin) };
}

// ---- 8. connectors and the in-app webview --------------------------------------------------------------

const MAGENTO_PATH = '/static/frontend/Ortto/ortto-magento.js';
const WOOCOMMERCE_PATH = '/app-woocommerce.js';

function magento(page: FixturePage, ctx: PageContext): PageResponse {
  const head = `<script type="text/javascript" src="/app.js"></script>
<script type="text/javascript" src="${MAGENTO_PATH}"></script>
<script type="text/x-magento-init">{"*": {"Ortto_Connector/js/init": {}}}</script>
<script>
window.ap3c = window.ap3c || {};
ap3c.cmdMagento = ap3c.cmdMagento || [];
ap3c.cmdMagento.push(function () {
  ap3c.initMagento(${key}, ${jsLiteral(captureUrl(ctx))}, { context: { scope: 'default', email: null, phone: null }, needsConsentToTrack: false });
});
</script>`;
  return { html: layout(page, head, pageOk(afterApp())) };
}

/** The Magento connector's script (its behaviour beyond what ortto-facts.md says is the simulator's guess). */
const MAGENTO_JS = `(function () {
  var ap3c = (window.ap3c = window.ap3c || {});
  ap3c.initMagento = function (key, url, options) {
    window.ortto = window.ortto || {};
    window.ortto.base_url = url;
    window.ortto.needsConsentToTrack = !!(options && options.needsConsentToTrack);
    ap3c.init(key, url);
    ap3c.track({ v: 0 });
  };
  function run(fn) { try { if (typeof fn === 'function') fn(); } catch (e) { console.error(e); } }
  var queued = ap3c.cmdMagento;
  ap3c.cmdMagento = { push: function () { for (var i = 0; i < arguments.length; i++) run(arguments[i]); return 0; } };
  if (queued && typeof queued.length === 'number') for (var j = 0; j < queued.length; j++) run(queued[j]);
})();
`;

function woocommerce(page: FixturePage, ctx: PageContext): PageResponse {
  const options = { tracking_key: KEY, capture_api_url: captureUrl(ctx), currency: 'AUD', page_type: 'shop', plugin_version: '1.9.2' };
  const head = `<script type="text/javascript">
var ap3Options = ${jsLiteral(options)};
var ap3Event = {"type":"page","page":"shop"};
window.ap3c = window.ap3c || {};
var ap3c = window.ap3c;
ap3c.cmd = ap3c.cmd || [];
ap3c.cmdWooCommerce = ap3c.cmdWooCommerce || [];
ap3c.cmdWooCommerce.push(function () { ap3c.initWooCommerce({ page: 'shop' }, ap3Options, ap3Event); });
(function () {
  ['/app.js', '${WOOCOMMERCE_PATH}'].forEach(function (src) {
    var s = document.createElement('script');
    s.src = src;
    s.async = false; // in order: app.js first
    document.head.appendChild(s);
  });
})();
</script>`;
  return { html: layout(page, head, pageOk(afterApp())) };
}

/** The WooCommerce plugin's browser script (guessed beyond what ortto-facts.md says). */
const WOOCOMMERCE_JS = `(function () {
  var ap3c = (window.ap3c = window.ap3c || {});
  ap3c.trackWooCommerce = function (event) { ap3c.track(event); };
  ap3c.initWooCommerce = function (context, options, event) {
    ap3c.init(options.tracking_key, options.capture_api_url);
    if (event) ap3c.trackWooCommerce(event);
  };
  function run(fn) { try { if (typeof fn === 'function') fn(); } catch (e) { console.error(e); } }
  var queued = ap3c.cmdWooCommerce;
  ap3c.cmdWooCommerce = { push: function () { for (var i = 0; i < arguments.length; i++) run(arguments[i]); return 0; } };
  if (queued && typeof queued.length === 'number') for (var j = 0; j < queued.length; j++) run(queued[j]);
})();
`;

function webview(page: FixturePage, ctx: PageContext): PageResponse {
  // The runner of Ortto's mobile SDKs: init(token, endpoint) (its "token" is the capture key), then Talk off.
  const head = `<script>
${plainSnippet(ctx, { commands: [`ap3c.init(${key}, ${jsLiteral(captureUrl(ctx))});`, 'ap3c.enableTalk = false;'] })}
</script>`;
  return { html: layout(page, head, pageOk(afterApp())) };
}

// ---- 10. staging ------------------------------------------------------------------------------------

export const STAGING_SCRIPT_PATH = '/capture/master/capture.js';

function staging(page: FixturePage, ctx: PageContext): PageResponse {
  const src = `http://static.ap3stg.com:${new URL(ctx.origin).port || ctx.port}${STAGING_SCRIPT_PATH}`;
  return { html: layout(page, `<script>\n${plainSnippet(ctx, { src })}\n</script>`) };
}

const BUILDERS = {
  'rw-nextjs-csp': nextjsCsp,
  'rw-gtm-csp-connect': gtmCspConnect,
  'rw-spa-reinject': spaReinject,
  'rw-gtm-queued': gtmQueued,
  'rw-queued-data': queuedData,
  'rw-consent-late': consentLate,
  'rw-wordpress-onload': wordpressOnload,
  'rw-help-sample': (page, ctx) => ({
    html: layout(page, helpSample(ctx, 'https://cdn31.ink/app.js'), pageOk(`check(window.ap3c.cmd.length === 1, 'the command waits'); ok();`)),
  }),
  'rw-help-sample-identity': (page, ctx) => ({ html: layout(page, helpSample(ctx, '/app.js'), pageOk(afterApp())) }),
  'rw-helmet-remount': helmetRemount,
  'rw-theme-plugin': themePlugin,
  'rw-magento': magento,
  'rw-woocommerce': woocommerce,
  'rw-webview': webview,
  'rw-staging': staging,
} satisfies Record<RealWorldPageName, Builder>;

/** Renders a real-world page, or undefined. */
export function renderRealWorldPage(path: string, ctx: PageContext): PageResponse | undefined {
  const page = PAGES.find((p) => p.path === path);
  return page && Object.hasOwn(BUILDERS, page.name) ? BUILDERS[page.name as RealWorldPageName](page, ctx) : undefined;
}

/** Scripts these pages load from outside /pages/ (the capture script itself is the server's). */
export const REAL_WORLD_SCRIPTS: Readonly<Record<string, string>> = {
  [APPCUES_PATH]: APPCUES_JS,
  [MAGENTO_PATH]: MAGENTO_JS,
  [WOOCOMMERCE_PATH]: WOOCOMMERCE_JS,
};
