/**
 * API key profiles as the extension's pages see them: never the key itself, only a hint of its
 * last 4 characters. The key lives in the background's key store. Pure.
 */
import type { RegionGuess } from './analysis/region.ts';
import { API_HOSTS } from './ortto-hosts.ts';

export type ProfileRegion = 'default' | 'eu' | 'au' | 'custom';

export interface ProfileInfo {
  id: string;
  label: string;
  region: ProfileRegion;
  /** Only for region "custom" (staging): the API base URL, e.g. https://api.staging.example/ */
  customBaseUrl: string | null;
  /** "••••" and the key's last 4 characters. */
  keyHint: string;
  /** False: the key is kept only until the browser closes (storage.session). */
  remember: boolean;
}

export interface ProfileInput {
  label: string;
  region: ProfileRegion;
  customBaseUrl: string;
  key: string;
  remember: boolean;
}

export const REGION_LABELS: Record<ProfileRegion, string> = {
  default: `Default (US) — ${new URL(API_HOSTS.default).host}`,
  eu: `Europe — ${new URL(API_HOSTS.eu).host}`,
  au: `Australia — ${new URL(API_HOSTS.au).host}`,
  custom: 'Custom base URL (staging)',
};

/** Longest profile name (the options form, the background and the message schema all use it). */
export const PROFILE_LABEL_MAX = 80;

export const keyHint = (key: string): string => `••••${key.slice(-4)}`;

/** A custom base URL must be https, or http on this machine only (local staging, the simulator). */
export function validBaseUrl(text: string): URL | null {
  try {
    const u = new URL(text.trim());
    // (Not [::1]: the extension pages' CSP cannot name an IPv6 address, so the browser would refuse it.)
    const local = u.hostname === '127.0.0.1' || u.hostname === 'localhost';
    if (u.protocol !== 'https:' && !(u.protocol === 'http:' && local)) return null;
    if (u.username || u.password || u.search || u.hash) return null;
    return u;
  } catch {
    return null;
  }
}

export function validateProfile(p: ProfileInput, isNew: boolean): Partial<Record<keyof ProfileInput, string>> {
  const e: Partial<Record<keyof ProfileInput, string>> = {};
  if (p.label.trim() === '' || p.label.length > PROFILE_LABEL_MAX)
    e.label = `Give the profile a name of 1 to ${PROFILE_LABEL_MAX} characters (e.g. "Acme — production").`;
  if (p.region === 'custom' && !validBaseUrl(p.customBaseUrl)) e.customBaseUrl = 'Enter an https:// address (http:// only for 127.0.0.1 or localhost).';
  if (isNew) {
    const k = p.key.trim();
    if (k.length < 8) e.key = 'Paste the whole API key (it is longer than 8 characters).';
    else if (k.length > 512 || /\s/.test(k)) e.key = 'An API key has no spaces and is shorter than 512 characters.';
  }
  return e;
}

export function apiBaseOf(p: Pick<ProfileInfo, 'region' | 'customBaseUrl'>): string | null {
  if (p.region === 'custom') {
    const u = p.customBaseUrl ? validBaseUrl(p.customBaseUrl) : null;
    return u ? `${u.origin}${u.pathname.replace(/\/*$/, '/')}` : null;
  }
  return API_HOSTS[p.region];
}

/** The profile whose region matches the page's capture region; the engineer still chooses. */
export function suggestProfile(profiles: ProfileInfo[], captureRegion: RegionGuess): string | null {
  if (captureRegion !== 'default' && captureRegion !== 'eu' && captureRegion !== 'au') return null;
  return profiles.find((p) => p.region === captureRegion)?.id ?? null;
}
