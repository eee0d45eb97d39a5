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
] as const;

export type PageName = (typeof PAGE_ROWS)[number]['name'];

export const PAGES: readonly (FixturePage & { name: PageName })[] = PAGE_ROWS.map((row) => ({
  ...row,
  path: `/pages/${row.name}.html`,
}));
