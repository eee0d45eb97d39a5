import type { CookieInfo } from '../shared/protocol.ts';

/** The Ortto cookies visible to the page (names start with ap3 or AP3). Values are cut, never parsed here. */
export function readOrttoCookies(cookieString: string): CookieInfo[] {
  const out: CookieInfo[] = [];
  for (const part of cookieString.split(';')) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim();
    if (!/^ap3/i.test(name) || name.length > 300) continue;
    out.push({
      name,
      value:
        eq < 0
          ? ''
          : part
              .slice(eq + 1)
              .trim()
              .slice(0, 4096),
    });
    if (out.length >= 50) break;
  }
  return out;
}
