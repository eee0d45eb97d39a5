/**
 * `/sitemap.xml`: a sitemaps.org <urlset> of simulator pages, for `talk-inspector check --sitemap`.
 * `?pages=standard,verified` names the fixture pages (default: the demo pages, one of each verdict
 * and cause); `?count=N` lists N URLs (at most 50,000), cycling through them with `?n=1…N` so every
 * URL is distinct. `/sitemap-index.xml?parts=K&count=N&pages=…` is a <sitemapindex> of K such
 * sitemaps that together list the same N URLs (each part with `&part=i`).
 */
import { PAGES } from './fixtures.ts';

const xml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The demo pages: what `npm start` shows, one per situation an integrator meets. */
export const SITEMAP_DEFAULT_PAGES = [
  'standard',
  'token',
  'verified',
  'disable-talk',
  'no-snippet',
  'script-fails',
  'spa-login',
  'placeholder-token',
  'token-other-instance',
  'cookie-path-other-instance',
  'page-calls-api',
];

const MAX_URLS = 50_000;

function pageUrls(origin: string, query: URLSearchParams): string[] | string {
  const names = (query.get('pages') ?? SITEMAP_DEFAULT_PAGES.join(',')).split(',').filter(Boolean);
  const unknown = names.filter((n) => !PAGES.some((p) => p.name === n));
  if (unknown.length > 0 || names.length === 0) return `unknown page ${unknown.join(', ') || '(none)'}`;
  const count = Math.min(MAX_URLS, Math.max(0, Number(query.get('count') ?? names.length) || 0));
  const numbered = query.has('count');
  return Array.from({ length: count }, (_, i) => `${origin}/pages/${names[i % names.length]}.html${numbered ? `?n=${i + 1}` : ''}`);
}

/** The XML for `path` (`/sitemap.xml` or `/sitemap-index.xml`), or an error for a 400, or undefined for another path. */
export function renderSitemap(path: string, query: URLSearchParams, origin: string): { body: string } | { error: string } | undefined {
  if (path !== '/sitemap.xml' && path !== '/sitemap-index.xml') return undefined;
  const urls = pageUrls(origin, query);
  if (typeof urls === 'string') return { error: urls };
  const parts = Math.min(100, Math.max(1, Number(query.get('parts') ?? 1) || 1));
  if (path === '/sitemap-index.xml') {
    const base = new URLSearchParams(query);
    base.delete('parts');
    const locs = Array.from({ length: parts }, (_, i) => {
      const q = new URLSearchParams(base);
      q.set('parts', String(parts));
      q.set('part', String(i + 1));
      return `  <sitemap><loc>${xml(`${origin}/sitemap.xml?${q}`)}</loc></sitemap>`;
    });
    return {
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${locs.join('\n')}\n</sitemapindex>\n`,
    };
  }
  const part = Number(query.get('part') ?? 0);
  const mine = part >= 1 ? urls.filter((_, i) => i % parts === part - 1) : urls;
  const body = mine.map((u) => `  <url><loc>${xml(u)}</loc></url>`).join('\n');
  return { body: `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${body}\n</urlset>\n` };
}
