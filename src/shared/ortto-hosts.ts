/**
 * Ortto's hosts and paths, one place for the table of ortto-facts.md: regions, capture and script
 * hosts, the Talk session API, and the URL shapes the relay and the network evidence look for.
 * The manifest's host permissions are built from API_HOSTS too. Pure.
 */
export type Region = 'default' | 'eu' | 'au';

/** The Talk session API of each region (an API key works only against its own region's host). */
export const API_HOSTS: Record<Region, string> = {
  default: 'https://api.ap3api.com/',
  eu: 'https://api.eu.ap3api.com/',
  au: 'https://api.au.ap3api.com/',
};

/** Capture URLs (2nd ap3c.init argument) by region. */
export const CAPTURE_HOSTS: Record<string, Region> = {
  'capture-api.autopilotapp.com': 'default',
  'capture-api-us.ortto.app': 'default',
  'capture-api.ap3prod.com': 'default',
  'capture-api-master.autopilotapp.com': 'default',
  'capture-api.eu.autopilotapp.com': 'eu',
  'capture-api-eu.ortto.app': 'eu',
  'capture-api-au.ortto.app': 'au',
};

/** Hosts of the capture script (app.js); AU's is not public. Staging's (`capture.js`) has no Talk API host of its own here. */
export const SCRIPT_HOSTS: Record<string, Region | 'staging'> = {
  'cdn3l.ink': 'default',
  'cdn2l.ink': 'default',
  's.autopilotapp.com': 'default',
  'cdneu.net': 'eu',
  'static.ap3stg.com': 'staging',
};

/**
 * Script hosts as Ortto's own documents misspell them, with the host meant. Ortto's Talk document
 * writes `cdn31.ink` (digit one) for `cdn3l.ink` (ortto-facts.md, "More from public installs").
 */
export const SCRIPT_HOST_TYPOS: Record<string, string> = { 'cdn31.ink': 'cdn3l.ink', 'cdn21.ink': 'cdn2l.ink' };

/**
 * Domains only Ortto uses (its capture, script, API and staging hosts live under them): a request to
 * one of them, or a subdomain, is Ortto's, whatever its path.
 */
export const ORTTO_DOMAINS = ['autopilotapp.com', 'ortto.app', 'ortto.com', 'ap3api.com', 'ap3prod.com', 'ap3stg.com', 'cdn3l.ink', 'cdn2l.ink', 'cdneu.net'];

/**
 * A URL on one of Ortto's domains (or under one), or with the shape of a capture script or capture
 * API call. Written out rather than built from ORTTO_DOMAINS: a literal costs a page nothing until
 * it is used (the relay loads on every page); a unit test keeps its domains those of ORTTO_DOMAINS.
 */
export const ORTTO_URL =
  /^[a-z]+:\/\/(?:[^/?#]*\.)?(?:autopilotapp\.com|ortto\.app|ortto\.com|ap3api\.com|ap3prod\.com|ap3stg\.com|cdn3l\.ink|cdn2l\.ink|cdneu\.net)(?::\d+)?(?:[/?#]|$)|\/(?:app|capture)\.js(?:[?#]|$)|\/-\/[a-z-]+\/[a-z-]+(?:[?#]|$)/i;

/** Whether a host name is one of Ortto's domains or under one. */
export const isOrttoHost = (host: string): boolean => {
  const h = host.toLowerCase();
  return ORTTO_DOMAINS.some((d) => h === d || h.endsWith(`.${d}`));
};

/** The capture script the product document's snippet loads (the default region's). */
export const DEFAULT_SCRIPT_URL = 'https://cdn3l.ink/app.js';

/**
 * A capture script URL: …/app.js (production), or staging's …/capture/<branch>/capture.js, with or
 * without a query. `CAPTURE_SCRIPT_SELECTOR` finds the candidates in the DOM (the pattern decides).
 */
export const CAPTURE_SCRIPT_PATH = /\/app\.js(?:[?#]|$)|\/capture\/[\w.-]+\/capture\.js(?:[?#]|$)/;
export const CAPTURE_SCRIPT_SELECTOR = 'script[src*="app.js"],script[src*="capture.js"]';
/** Ortto's staging capture script (ortto-facts.md): a capture script whose region is "staging". */
export const STAGING_SCRIPT_URL = 'https://static.ap3stg.com/capture/master/capture.js';
/** The capture API's widget lookup, `{captureUrl}-/widgets/get`. */
export const WIDGETS_GET_PATH = /-\/widgets\/get(?:[?#]|$)/;
/** Any capture API call, `{captureUrl}-/<group>/<name>`. */
export const CAPTURE_API_PATH = /\/-\/[a-z-]+\/[a-z-]+(?:[?#]|$)/;
/** A call to the Talk session API: …/v1/talk/session. */
export const TALK_SESSION_PATH = /\/v1\/talk\/session(?:[?#]|$)/;

/** The Talk session endpoint under an API base (a region's host, or a custom staging URL). */
export const sessionEndpoint = (apiBase: string): string => `${apiBase.replace(/\/+$/, '')}/v1/talk/session`;
