/** Ortto regions from hosts, using the host table of ortto-facts.md (shared/ortto-hosts.ts). Pure. */
import { API_HOSTS, CAPTURE_HOSTS, type Region, SCRIPT_HOSTS } from '../ortto-hosts.ts';

export type { Region };
/** `staging`: Ortto's staging capture script (static.ap3stg.com); its Talk API host is not public. */
export type RegionGuess = Region | 'staging' | 'custom' | 'unknown';

export const REGION_NAMES: Record<RegionGuess, string> = {
  default: 'default (US)',
  eu: 'Europe',
  au: 'Australia',
  staging: 'Ortto staging',
  custom: 'custom tracking domain',
  unknown: 'unknown',
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
