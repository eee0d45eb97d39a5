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

/** Hosts of the capture script (app.js); AU's is not public. */
export const SCRIPT_HOSTS: Record<string, Region> = {
  'cdn3l.ink': 'default',
  'cdn2l.ink': 'default',
  's.autopilotapp.com': 'default',
  'cdneu.net': 'eu',
};

/** The capture script the product document's snippet loads (the default region's). */
export const DEFAULT_SCRIPT_URL = 'https://cdn3l.ink/app.js';

/** A capture script URL: …/app.js, with or without a query. */
export const CAPTURE_SCRIPT_PATH = /\/app\.js(?:[?#]|$)/;
/** A call to the Talk session API: …/v1/talk/session. */
export const TALK_SESSION_PATH = /\/v1\/talk\/session(?:[?#]|$)/;

/** The Talk session endpoint under an API base (a region's host, or a custom staging URL). */
export const sessionEndpoint = (apiBase: string): string => `${apiBase.replace(/\/+$/, '')}/v1/talk/session`;
