/**
 * Which pages `talk-inspector check` visits: URLs from the command line, a list file and sitemaps,
 * without duplicates, cut to one shard. Pure but for `fetchSitemaps`, whose fetch is injected.
 */
import { gunzipSync } from 'node:zlib';
import { type Expectation, isExpectation } from './options.ts';

export interface PageToCheck {
  url: string;
  /** The verdict this page must have (its line in the --urls file, else --expect), or null. */
  expect: Expectation | null;
}

/** A URL as typed, checked: http(s) only. The error says why not, with a hint when one helps. */
export function checkUrl(text: string): { ok: true; url: string } | { ok: false; error: string } {
  const trimmed = text.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    const hint = /^[\w-]+(\.[\w-]+)+(:\d+)?(\/|$)/.test(trimmed) ? ` (did you mean https://${trimmed} ?)` : '';
    return { ok: false, error: `"${trimmed}" is not a URL${hint}.` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { ok: false, error: `"${trimmed}" is not an http or https URL: Talk Inspector checks web pages only.` };
  return { ok: true, url: url.href };
}

/** The --urls file: one URL per line, optionally followed by the verdict it must have; "#" starts a comment. */
export function parseUrlList(text: string, source: string): { ok: true; pages: PageToCheck[] } | { ok: false; error: string } {
  const pages: PageToCheck[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/(^|\s)#.*$/, '').trim();
    if (line === '') continue;
    const [first = '', second, ...rest] = line.split(/\s+/);
    const where = `${source}, line ${i + 1}`;
    if (rest.length > 0) return { ok: false, error: `${where}: expected "<url> [verdict]", got "${line}".` };
    const checked = checkUrl(first);
    if (!checked.ok) return { ok: false, error: `${where}: ${checked.error}` };
    if (second !== undefined && !isExpectation(second))
      return { ok: false, error: `${where}: "${second}" is not a verdict (verified, not-verified, no-talk, no-snippet).` };
    pages.push({ url: checked.url, expect: second ?? null });
  }
  return { ok: true, pages };
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function xmlText(raw: string): string {
  const cdata = /^\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*$/.exec(raw);
  if (cdata) return (cdata[1] ?? '').trim();
  return raw
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
        return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return XML_ENTITIES[name.toLowerCase()] ?? whole;
    })
    .trim();
}

/**
 * A sitemap (sitemaps.org): the page URLs of a <urlset>, or the sitemap URLs of a <sitemapindex>.
 * Only <loc> is read; namespaces and extensions (images, hreflang links) are ignored.
 */
export function parseSitemap(xml: string): { kind: 'urlset' | 'index'; locs: string[] } | { kind: 'invalid'; error: string } {
  const root = /<(?:[\w-]+:)?(urlset|sitemapindex)[\s>]/.exec(xml);
  if (!root) return { kind: 'invalid', error: 'neither a <urlset> nor a <sitemapindex>' };
  const kind = root[1] === 'urlset' ? 'urlset' : 'index';
  // <loc> directly inside <url>/<sitemap> (image:loc and friends carry a prefix and are skipped).
  const locs = [...xml.matchAll(/<loc>([\s\S]*?)<\/loc>/g)].map((m) => xmlText(m[1] ?? ''));
  return { kind, locs };
}

export type SitemapFetch = (url: string) => Promise<{ ok: boolean; status: number; bytes: Uint8Array }>;

/** The default fetch for sitemaps: Node's, with a time limit. */
export const fetchBytes: SitemapFetch = async (url) => {
  const res = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(30_000), headers: { 'User-Agent': 'talk-inspector-check' } });
  return { ok: res.ok, status: res.status, bytes: new Uint8Array(await res.arrayBuffer()) };
};

export const MAX_SITEMAP_URLS = 50_000;

/**
 * Reads sitemaps, following sitemap indexes (three levels at most, each sitemap once), up to
 * MAX_SITEMAP_URLS page URLs. Entries that are not http(s) URLs are returned as `skipped`.
 */
export async function fetchSitemaps(
  roots: string[],
  get: SitemapFetch = fetchBytes,
): Promise<{ ok: true; urls: string[]; skipped: string[] } | { ok: false; error: string }> {
  const urls: string[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  const visit = async (url: string, depth: number): Promise<string | null> => {
    if (seen.has(url) || urls.length >= MAX_SITEMAP_URLS) return null;
    seen.add(url);
    let got: Awaited<ReturnType<SitemapFetch>>;
    try {
      got = await get(url);
    } catch (e) {
      return `could not read the sitemap ${url}: ${e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e)}`;
    }
    if (!got.ok) return `could not read the sitemap ${url}: HTTP ${got.status}`;
    const bytes = got.bytes[0] === 0x1f && got.bytes[1] === 0x8b ? gunzipSync(got.bytes) : got.bytes;
    const parsed = parseSitemap(new TextDecoder().decode(bytes));
    if (parsed.kind === 'invalid') return `${url} is not a sitemap: ${parsed.error}`;
    for (const loc of parsed.locs) {
      const checked = checkUrl(loc);
      if (!checked.ok) {
        skipped.push(loc);
        continue;
      }
      if (parsed.kind === 'urlset') {
        if (urls.length < MAX_SITEMAP_URLS) urls.push(checked.url);
      } else if (depth >= 3) return `${url}: sitemap indexes nested more than 3 deep`;
      else {
        const error = await visit(checked.url, depth + 1);
        if (error) return error;
      }
    }
    return null;
  };
  for (const root of roots) {
    const checked = checkUrl(root);
    if (!checked.ok) return { ok: false, error: `--sitemap: ${checked.error}` };
    const error = await visit(checked.url, 1);
    if (error) return { ok: false, error };
  }
  return { ok: true, urls, skipped };
}

/** Pages in order, each URL once (the first mention wins, with its expectation). */
export function dedupe(pages: PageToCheck[]): PageToCheck[] {
  const seen = new Set<string>();
  return pages.filter((p) => {
    if (seen.has(p.url)) return false;
    seen.add(p.url);
    return true;
  });
}

/** The i-th of n shares (1-based): pages i, i+n, i+2n… so every share gets a mix of the list. */
export function shardOf<T>(list: readonly T[], shard: { index: number; total: number } | null): T[] {
  if (!shard) return [...list];
  return list.filter((_, k) => k % shard.total === shard.index - 1);
}
