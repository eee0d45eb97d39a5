// Shared constants for the simulator, its pages and the tests that drive them.
// Nothing here is a real Ortto account: the first key is the public example from
// ortto-facts.md, the second one is made up with the same layout.

export interface InstanceFixture {
  /** Instance name, as encoded at the end of the capture key. */
  name: string;
  /** 12-byte data-source id, hex. */
  dataSourceId: string;
  /** base64url(dataSourceId bytes + ASCII name), without padding: the first `ap3c.init` argument. */
  captureKey: string;
}

export const INSTANCES = {
  testautomation: {
    name: 'testautomation',
    dataSourceId: '60ac77872aa3abb853624a26',
    captureKey: 'YKx3hyqjq7hTYkomdGVzdGF1dG9tYXRpb24',
  },
  otherinstance: {
    name: 'otherinstance',
    dataSourceId: '6512c0ffee0a11ce5eed0b0e',
    // Contains '-' and '_' on purpose, so decoders that only handle plain base64 get caught.
    captureKey: 'ZRLA_-4KEc5e7QsOb3RoZXJpbnN0YW5jZQ',
  },
} as const satisfies Record<string, InstanceFixture>;

/**
 * People already in the simulator's CDP (email → person id), so a support request that creates no
 * one (skip_non_existing, the panel's default) finds someone. Made up.
 */
export const PEOPLE: Readonly<Record<string, string>> = {
  'pat@example.com': '006281d8ff95c3ed70b70801',
  'sam@example.com': '0062a1c0ffee00000000beef',
};

/** The instance every Talk API key issues tokens for. */
export const DEFAULT_INSTANCE = INSTANCES.testautomation.name;

/** Made-up Talk API keys, one per region. The region is chosen by the request's Host header. */
export const API_KEYS = {
  default: 'sim-test-key-default-000000',
  eu: 'sim-test-key-eu-000000',
  au: 'sim-test-key-au-000000',
} as const;

export type Region = keyof typeof API_KEYS;

export interface FixturePage {
  name: string;
  /** Path on the simulator, e.g. `/pages/standard.html`. */
  path: string;
  /** Shown as the page's `<title>` and `<h1>`. */
  title: string;
  description: string;
}

// To add a page: add a row here, then a builder with the same name in pages.ts
// (the compiler insists the two lists match).
const PAGE_ROWS = [
  {
    name: 'standard',
    title: 'Standard snippet, no Talk token',
    description: 'Two-argument ap3c.init, as almost every public snippet does: Talk shows "Not verified".',
  },
  {
    name: 'token',
    title: 'Snippet with a valid Talk token',
    description: 'ap3c.init with talk.token (freshly issued for testautomation on every load) and cookiePath /testautomation/.',
  },
  {
    name: 'disable-talk',
    title: 'Talk disabled with disableTalk: true',
    description: 'ap3c.init with {disableTalk: true}: no Talk widget on this page.',
  },
  {
    name: 'no-snippet',
    title: 'No capture snippet',
    description: 'A plain page without any ap3c code.',
  },
  {
    name: 'script-fails',
    title: 'Capture script fails to load',
    description: 'The snippet is present but its script src (/missing/app.js) answers 404, as when an ad-blocker interferes.',
  },
  {
    name: 'spa-login',
    title: 'Single-page app: log in, then setVerifiedSession',
    description: 'Standard snippet; the Log in button fetches a token from the demo backend and calls ap3c.talk.setVerifiedSession({token}).',
  },
  {
    name: 'identified-no-token',
    title: 'The visitor named with ap3c.track({email}), no Talk token',
    description:
      "Standard snippet; once signed in the page tells Ortto who the visitor is with ap3c.track({email, first}), as Ortto's tracking-code help page shows, but gives Talk no token.",
  },
  {
    name: 'placeholder-token',
    title: 'Token placeholder copied from the docs',
    description: 'ap3c.init with talk: {token: "<response token>"}, pasted straight from the product document: Talk shows "Not verified".',
  },
  {
    name: 'token-other-instance',
    title: 'Token issued for another instance',
    description: 'The capture key is for testautomation, but talk.token was issued for otherinstance: Ortto rejects it and Talk shows "Not verified".',
  },
  {
    name: 'cookie-path-other-instance',
    title: 'cookiePath names another instance',
    description: 'A valid testautomation token, but cookiePath /otherinstance/: Talk looks for the contact in the wrong instance and shows "Not verified".',
  },
  {
    name: 'double-init',
    title: 'ap3c.init called twice',
    description: 'First ap3c.init without options, then again with a valid token: the second call is ignored, so Talk shows "Not verified".',
  },
  {
    name: 'track-before-init',
    title: 'ap3c.track called before ap3c.init',
    description: 'The page event is sent before init, so it goes to "undefined-/events/page-event" on the page\'s own host.',
  },
  {
    name: 'page-calls-api',
    title: 'Page requests the Talk token itself (API key exposed)',
    description: 'The page calls /v1/talk/session from the browser with its secret X-Api-Key, then passes the token to ap3c.init. Verified, but the key leaks.',
  },
  {
    name: 'conversation',
    title: 'Conversation first, log in afterwards',
    description: 'Standard snippet and a Log in button: start a conversation in the widget, then log in; that conversation stays "Not verified".',
  },
  {
    name: 'verified',
    title: 'Correct setup: valid token and matching cookiePath',
    description: 'ap3c.init with a fresh testautomation token and cookiePath /testautomation/: Talk shows no "Not verified" label.',
  },
  // ---- Hostile ap3c objects: the page's own ap3c is built to trip up anything that inspects it ----
  {
    name: 'hostile-throwing-getters',
    title: 'Hostile ap3c: getters that throw',
    description:
      'Before the snippet, window.ap3c gets own enumerable getters (boom, bang, toJSON, then, length) that throw when read; then the standard snippet.',
  },
  {
    name: 'hostile-side-effect-getters',
    title: 'Hostile ap3c: getters with side effects',
    description:
      'Getters on ap3c (counted, toJSON, a non-enumerable hidden) and on ap3c.nested (deep) add 1 to window.__getterCalls when read; the page never reads them, so it stays 0.',
  },
  {
    name: 'hostile-never-returns',
    title: 'Hostile ap3c: a getter that never returns',
    description: 'ap3c.forever is a getter whose body is an endless loop; the page never reads it. Anything that does hangs the page.',
  },
  {
    name: 'hostile-proxy',
    title: 'Hostile ap3c: a Proxy whose every trap throws',
    description: 'window.ap3c is a Proxy (of a function) whose 13 traps all throw. No snippet runs on it (it would throw); the page only sets it.',
  },
  {
    name: 'hostile-cycles',
    title: 'Hostile ap3c: reference cycles',
    description: 'ap3c.self = ap3c, ap3c.a.b.c = ap3c and ap3c.list = [ap3c] before the standard snippet.',
  },
  {
    name: 'hostile-million-keys',
    title: 'Hostile ap3c: 1,000,000 own keys',
    description: 'Before the snippet the page adds k0 to k999999 to window.ap3c, then runs the standard snippet.',
  },
  {
    name: 'hostile-huge-string',
    title: 'Hostile ap3c: a 50 MB string property',
    description: "ap3c.huge = 'x'.repeat(50 * 1024 * 1024), built by the page, then the standard snippet.",
  },
  {
    name: 'hostile-symbols-proto',
    title: 'Hostile ap3c: Symbol keys and an own __proto__ key',
    description: 'ap3c has Symbol keys and an own enumerable "__proto__" data property ({polluted: true}); copying it carelessly pollutes Object.prototype.',
  },
  // ---- Hostile window.ap3c definitions ----
  {
    name: 'hostile-frozen',
    title: 'Hostile window.ap3c: a frozen object',
    description:
      'window.ap3c = Object.freeze({cmd: []}) before the snippet: every assignment to ap3c silently fails, so the capture script cannot install itself.',
  },
  {
    name: 'hostile-sealed',
    title: 'Hostile window.ap3c: a sealed object',
    description: 'window.ap3c = Object.seal({cmd: []}) before the snippet: ap3c.cmd can change, but no new property can be added.',
  },
  {
    name: 'hostile-nonconfigurable',
    title: 'Hostile window.ap3c: a non-configurable property',
    description: 'window.ap3c is defined non-configurable (but writable) before the snippet, so it cannot be redefined as an accessor.',
  },
  {
    name: 'hostile-window-getter',
    title: 'Hostile window.ap3c: an accessor that counts reads',
    description:
      'window.ap3c is a getter/setter pair; every read adds 1 to window.__windowGetterCalls. The count after the snippet is in __afterSnippet, after app.js in __afterApp.',
  },
  {
    name: 'hostile-replaced-after-init',
    title: 'Hostile window.ap3c: replaced after init',
    description: 'Standard snippet; once app.js has run, the page sets window.ap3c = {replaced: true}.',
  },
  {
    name: 'hostile-null',
    title: 'Hostile window.ap3c: null',
    description: 'window.ap3c = null and no snippet.',
  },
  {
    name: 'hostile-number',
    title: 'Hostile window.ap3c: a number',
    description: 'window.ap3c = 42 and no snippet.',
  },
  {
    name: 'hostile-string',
    title: 'Hostile window.ap3c: a string',
    description: "window.ap3c = 'ap3c' and no snippet.",
  },
  {
    name: 'hostile-init-replaced',
    title: 'Hostile window.ap3c: the page replaces ap3c.init',
    description: "Standard snippet; once app.js has run, the page replaces ap3c.init with its own function and calls it once (it returns 'mine').",
  },
  // ---- Other stress cases ----
  {
    name: 'strict-csp',
    title: 'Strict CSP with Trusted Types, no inline script',
    description:
      "Content-Security-Policy: script-src 'self'; require-trusted-types-for 'script'. The snippet is an external same-origin file that creates a default Trusted Types policy before setting script.src.",
  },
  {
    name: 'flood',
    title: 'Flood of forged extension messages',
    description:
      "Standard snippet; the Flood button posts 10,000 window messages and dispatches 10,000 CustomEvents shaped like Talk Inspector's own (hello, private-channel batch, page-report, request-token).",
  },
  {
    name: 'iframes',
    title: 'Snippets in same-origin and cross-origin iframes',
    description:
      'Standard snippet (testautomation) on the top page, plus iframe-child (otherinstance key) in a same-origin iframe and again from the other loopback name (localhost / 127.0.0.1), which is cross-origin.',
  },
  {
    name: 'iframe-child',
    title: 'Iframe child: snippet for another instance',
    description: 'The page the iframes fixture frames: its own snippet uses the otherinstance capture key.',
  },
  {
    name: 'spa-routes',
    title: 'Single-page app: routes with history.pushState',
    description: 'Standard snippet; the Route A / Route B buttons pushState to ?route=a / ?route=b, change this heading and call ap3c.track({route}).',
  },
  {
    name: 'slow-load',
    title: 'Slow load: an image that takes 3 seconds',
    description:
      'Snippet with disableTalk (to tell it from the standard page); an image answered after 3 s keeps the load event waiting, so a test can look at the page while it still loads.',
  },
  {
    name: 'heavy',
    title: 'Heavy page: 5,000 elements, 30 scripts, 10,000 track calls',
    description: 'A big DOM, 30 small inline scripts, the standard snippet and, once app.js has run, 10,000 ap3c.track calls. For the benchmark.',
  },
  {
    name: 'long-timeline',
    title: 'Long timeline: 100,000 track calls',
    description: 'Standard snippet; once app.js has run, the page calls ap3c.track({i}) 100,000 times.',
  },
  {
    name: 'storage-flood',
    title: 'Storage flood: 350 init calls of ~30 KB over 14 route changes, then halving rounds',
    description:
      'Standard snippet; once app.js has run, the page calls ap3c.init 25 times with ~30 KB of options, then pushState to ?round=N, 14 times 0.4 s apart from 1.5 s after load (the background pulls after every route change), then 12 more rounds that halve in size (32 calls down to one of ~0.4 KB). Unbounded, its one report fills the 10 MB storage.session of every tab.',
  },
  // ---- Attacks on the inspector's own channel (simulator/attack-pages.ts, issue 11) ----
  ...(
    [
      ['leak-tojson', 'a getter for Object.prototype.toJSON'],
      ['leak-number-tostring', 'Number.prototype.toString replaced'],
      ['leak-string-slice', 'String.prototype.slice replaced'],
      ['leak-performance-now', 'performance.now replaced before ap3c appears'],
      ['leak-ap3c-proxy', 'window.ap3c is a Proxy'],
      ['leak-track-proxy', 'a Proxy passed to ap3c.track()'],
      ['leak-settimeout', 'setTimeout replaced'],
      ['leak-customevent-detail', 'the getter of CustomEvent.prototype.detail replaced'],
      ['leak-error-getters', 'the ErrorEvent getters (message, filename, lineno) replaced, then uncaught errors that name ap3c'],
      ['forge-event-init', 'getters on Object.prototype that read and rewrite an event init dictionary'],
      ['forge-proto-accessors', 'setters and getters on Object.prototype for names the recorder objects lack'],
      ['leak-everything', 'about 90 built-ins and Object.prototype.toJSON replaced'],
    ] as const
  ).map(([name, what]) => ({
    name,
    title: `Channel attack: ${what}`,
    description: `Standard snippet; the page code it replaces reads window.event whenever it runs, and if it ever sees the inspector's secret channel it forges a full recorder batch (capture key FORGED-BY-PAGE) on it. It tracks a call every 200 ms for 12 s. window.__tiLeaks lists what it learned.`,
  })),
  {
    name: 'climb-caller',
    title: 'Channel attack: a track argument that asks who called it (Function.prototype.caller)',
    description:
      "Standard snippet; every 200 ms for 12 s it calls ap3c.track with a second argument, a Proxy only the recorder reads, whose traps look at Function.prototype.caller: in a sloppy-mode recorder that hands the page the recorder's own functions. window.__tiLeaks lists what it got.",
  },
  {
    name: 'leak-everything-no-ortto',
    title: 'Channel attack on a page without Ortto',
    description:
      "No snippet: the leak-everything page's catcher and replaced built-ins only. The background's pull there is answered inside the relay's request (issue 17); window.__tiLeaks lists what the page learned.",
  },
  {
    name: 'no-trace',
    title: 'What the page sees of the inspector on ap3c',
    description:
      "Standard snippet; right after it (before app.js) and once app.js ran, the page records what it can see on ap3c: which names exist ('talk' in ap3c…), its own property names, and whether init is a plain data property. window.__seen holds it.",
  },
  {
    name: 'dialogs',
    title: 'Correct setup on a page that shows dialogs and opens a pop-up while it loads',
    description:
      'The verified setup; then, while the page loads, alert() and confirm() (each blocks the page until answered) and window.open() of /pages/verified.html?popup=1 in a new window.',
  },
  {
    name: 'opener-victim',
    title: 'Opener attack: the opened page',
    description: 'Standard snippet. Opened by the opener-attack pages (add ?slow-body=MS to have its body sent MS ms after its headers).',
  },
  {
    name: 'opener-at-once',
    title: 'Opener attack: listeners on the new window at once',
    description:
      'The button opens /pages/opener-victim.html with window.open and at once listens on that window for every hello of the inspector, stopping each (Chromium reuses the window, listeners included, for the navigation). window.__openerHeard lists what it heard.',
  },
  {
    name: 'opener-after-commit',
    title: 'Opener attack: listeners on the new window after it committed',
    description:
      'The button opens the victim with a body delayed by 1.5 s, waits until the new document exists, then listens on its window for every hello and stops each.',
  },
  {
    name: 'opener-after-commit-document',
    title: 'Opener attack: listeners on the new document before its scripts',
    description:
      'As opener-after-commit, but on the new document itself, where the hellos are dispatched: the pairing is blocked, and the panel must say the page interfered.',
  },
  {
    name: 'opener-nulled',
    title: 'Opener that hides itself: window.opener set to null',
    description:
      'The button opens /pages/opener-victim.html with window.open and at once sets the new window.opener to null: the opened page cannot tell who opened it, so the inspector cannot flag it (a known limit, docs/reliability.md).',
  },
  ...(
    [
      ['trace-revoked-ap3c', 'the page assigns a revoked Proxy to window.ap3c'],
      ['trace-var-binding', 'the capture snippet (var ap3c), then the page deletes window.ap3c'],
      ['trace-sparse-cmd', 'a sparse ap3c.cmd (length 2e7), then one read of window.ap3c'],
      ['trace-named-element', 'an element with id "ap3c", then a snippet without var'],
    ] as const
  ).map(([name, what]) => ({
    name,
    title: `Trace probe: ${what}`,
    description:
      'Runs the probe in the top frame (inspected) and in a same-origin child frame (?control=1, no content scripts); window.__tiProbe and window.__tiControl hold what each saw.',
  })),
  {
    name: 'hide-init-oversize',
    title: 'Channel attack: a batch over 4 MB, dropped by the relay, carries ap3c.init',
    description:
      "Standard snippet; once app.js ran init, 160 calls each recorded with ~30 KB of arguments (a track of the page's own that throws), then small track calls every 200 ms. The pull that carries init is over the relay's limit.",
  },
  {
    name: 'blocked',
    title: 'Capture script and capture API blocked by an ad-blocker',
    description:
      'The snippet loads /blocked/app.js and init gets the capture URL /blocked/; the simulator drops every /blocked/ request without an answer, like net::ERR_BLOCKED_BY_CLIENT.',
  },
] as const;

export type PageName = (typeof PAGE_ROWS)[number]['name'];

/**
 * Issue 13: pages rebuilt from the shapes real installs ship (their builders: real-world-pages.ts).
 * Each is its own page with its own markup; the rules must hold on the class, not on this text.
 */
const REAL_WORLD_ROWS = [
  {
    name: 'rw-nextjs-csp',
    title: 'Real world: Next.js head, a CSP that blocks app.js',
    description:
      "A minified Next.js head whose runtime injects the snippet after hydration; the response's Content-Security-Policy allows scripts from 'self' only, and the snippet loads app.js from another host.",
  },
  {
    name: 'rw-gtm-csp-connect',
    title: 'Real world: GTM tag on window load, a CSP meta tag that blocks the capture API',
    description:
      "A Google Tag Manager custom-HTML tag fired on window load inserts the snippet; a <meta> Content-Security-Policy has connect-src 'self', and the capture URL is on another host.",
  },
  {
    name: 'rw-spa-reinject',
    title: 'Real world: single-page app removes window.ap3c and runs the snippet again',
    description:
      'The app injects the snippet (declared with const) on start; the Account button changes the route, sets window.ap3c = undefined and injects it again, which throws "Identifier \'ap3c\' has already been declared".',
  },
  {
    name: 'rw-gtm-queued',
    title: 'Real world: GTM tag queues init with a token, app.js never arrives',
    description:
      'A GTM custom-HTML tag fired on load pushes ap3c.init(key, url, {talk: {token}}) on ap3c.cmd; an ad-blocker drops app.js, so the queued function never runs.',
  },
  {
    name: 'rw-queued-data',
    title: 'Real world: a data-layer bridge queues init as data, app.js never arrives',
    description: "A tag manager's bridge pushes ['init', key, url, {talk: {token}}] on ap3c.cmd; app.js is blocked, so it waits there as plain data.",
  },
  {
    name: 'rw-consent-late',
    title: 'Real world: a consent manager injects the snippet late, with the wrong script address',
    description:
      "A cookie banner's consent manager injects the snippet half a second after load (or on Accept); its template loads /core/v4/appcues.js instead of Ortto's app.js.",
  },
  {
    name: 'rw-wordpress-onload',
    title: 'Real world: WordPress window.onload wrapper, the theme tracks too early',
    description:
      'The snippet sits inside window.onload = function () {…}; the theme calls ap3c.track on load, before app.js defines it ("ap3c.track is not a function").',
  },
  {
    name: 'rw-help-sample',
    title: 'Real world: the Ortto help-page sample pasted unchanged',
    description:
      "The Talk document's sample as is: app.js from https://cdn31.ink (digit one), the token placeholder {{<reponse_token>}}, the identity user@emaildomain.com / John Apple.",
  },
  {
    name: 'rw-help-sample-identity',
    title: 'Real world: the Ortto help-page sample with only the script host fixed',
    description: 'The same sample, app.js from the right host: init runs with the placeholder token, and track sends the example identity.',
  },
  {
    name: 'rw-helmet-remount',
    title: 'Real world: React Helmet remounts the snippet',
    description:
      'A React Helmet head renders the snippet and <script src=app.js>; after the first render the component remounts, so app.js is loaded again and init called again.',
  },
  {
    name: 'rw-theme-plugin',
    title: 'Real world: the theme and a plugin both add the snippet',
    description: "The theme's header and an Ortto plugin's footer each carry the snippet: app.js is loaded twice and init called twice.",
  },
  {
    name: 'rw-magento',
    title: 'Real world: Magento connector',
    description:
      'Synchronous <script src> for app.js and the Magento script in <head> (app.js creates ap3c), then ap3c.cmdMagento.push(() => ap3c.initMagento(key, url, {context, needsConsentToTrack})).',
  },
  {
    name: 'rw-woocommerce',
    title: 'Real world: WooCommerce plugin',
    description:
      'var ap3Options = {tracking_key, capture_api_url, …}; ap3c.cmdWooCommerce.push(() => ap3c.initWooCommerce(ctx, ap3Options, ap3Event)); app.js, then app-woocommerce.js.',
  },
  {
    name: 'rw-webview',
    title: 'Real world: the Ortto in-app webview runner',
    description: "init(key, endpoint), then ap3c.enableTalk = false, as the runner of Ortto's mobile SDKs does.",
  },
  {
    name: 'rw-staging',
    title: 'Real world: the Ortto staging capture script',
    description:
      'The snippet loads static.ap3stg.com/capture/master/capture.js (served by the simulator when that host is mapped to it, as the end-to-end tests do).',
  },
] as const;

export type RealWorldPageName = (typeof REAL_WORLD_ROWS)[number]['name'];

export const PAGES: readonly (FixturePage & { name: PageName | RealWorldPageName })[] = [...PAGE_ROWS, ...REAL_WORLD_ROWS].map((row) => ({
  ...row,
  path: `/pages/${row.name}.html`,
}));
