/**
 * The Ortto cookies among a page's cookies (names start with ap3 or AP3) that the page itself can
 * read (not httpOnly: docs/store.md). Values are cut, never parsed here. Pure.
 */
import type { CookieInfo } from '../../shared/protocol/model.ts';

export function pickOrttoCookies(cookies: readonly { name: string; value: string; httpOnly?: boolean }[]): CookieInfo[] {
  const out: CookieInfo[] = [];
  for (const { name, value, httpOnly } of cookies) {
    if (httpOnly || !/^ap3/i.test(name) || name.length > 300) continue;
    out.push({ name, value: value.slice(0, 4096) });
    if (out.length >= 50) break;
  }
  return out;
}
