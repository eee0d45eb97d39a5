/** Ortto regions from hosts, using the host table of ortto-facts.md. Pure. */
export type Region = 'default' | 'eu' | 'au';
export type RegionGuess = Region | 'custom' | 'unknown';

export const API_HOSTS: Record<Region, string> = {
  default: 'https://api.ap3api.com/',
  eu: 'https://api.eu.ap3api.com/',
  au: 'https://api.au.ap3api.com/',
};

export const REGION_NAMES: Record<RegionGuess, string> = {
  default: 'default (US)',
  eu: 'Europe',
  au: 'Australia',
  custom: 'custom tracking domain',
  unknown: 'unknown',
};

const CAPTURE_HOSTS: Record<string, Region> = {
  'capture-api.autopilotapp.com': 'default',
  'capture-api-us.ortto.app': 'default',
  'capture-api.ap3prod.com': 'default',
  'capture-api-master.autopilotapp.com': 'default',
  'capture-api.eu.autopilotapp.com': 'eu',
  'capture-api-eu.ortto.app': 'eu',
  'capture-api-au.ortto.app': 'au',
};

const SCRIPT_HOSTS: Record<string, Region> = {
  'cdn3l.ink': 'default',
  'cdn2l.ink': 'default',
  's.autopilotapp.com': 'default',
  'cdneu.net': 'eu',
};

function hostOf(url: unknown): string | null {
  if (typeof url !== 'string' || url.length > 4096) return null;
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/** Region of a capture URL (2nd init argument, or ap3c.apiHost). A valid URL on another host is a custom tracking domain. */
export function regionOfCaptureUrl(url: unknown): RegionGuess {
  const host = hostOf(url);
  if (host === null) return 'unknown';
  return CAPTURE_HOSTS[host] ?? 'custom';
}

/** Region of the capture script's URL; AU's script host is not public, so it is never inferred. */
export function regionOfScriptUrl(url: unknown): RegionGuess {
  const host = hostOf(url);
  if (host === null) return 'unknown';
  return SCRIPT_HOSTS[host] ?? 'custom';
}

/** True when both are known Ortto regions and they differ (e.g. an EU script with a US capture URL). */
export function regionsDisagree(capture: RegionGuess, script: RegionGuess): boolean {
  const known = (r: RegionGuess): r is Region => r === 'default' || r === 'eu' || r === 'au';
  return known(capture) && known(script) && capture !== script;
}

export function apiHostFor(region: RegionGuess): string | null {
  return region === 'default' || region === 'eu' || region === 'au' ? API_HOSTS[region] : null;
}
