/**
 * The page's Ortto cookies, read by the background through the cookies API, so the page never
 * pays for a document.cookie read (a synchronous round trip to the browser). Same URL matching
 * as the page's own view (domain, path, secure); httpOnly cookies, which the page cannot see,
 * are left out (pickOrttoCookies).
 */
import browser from 'webextension-polyfill';
import type { CookieInfo } from '../shared/protocol/model.ts';
import { pickOrttoCookies } from './state/cookies.ts';

export async function orttoCookies(url: string): Promise<CookieInfo[]> {
  try {
    const all = await browser.cookies.getAll({ url });
    return pickOrttoCookies(all);
  } catch {
    return []; // not an http(s) URL, or no permission for it
  }
}
