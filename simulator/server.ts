// A local stand-in for Ortto: capture script, capture API, Talk session API and fixture pages,
// all on one loopback HTTP server that answers whatever the Host header says.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CAPTURE_PREFIX, CaptureApi } from './capture-api.ts';
import { type FaultSpec, validateFaultSpec } from './faults.ts';
import { API_KEYS, DEFAULT_INSTANCE } from './fixtures.ts';
import { flattenHeaders, readBody, send, sendJson } from './http-util.ts';
import { type PageContext, renderAsset, renderIndex, renderPage, SLOW_PREFIX } from './pages.ts';
import { REAL_WORLD_SCRIPTS, renderRealWorldPage, STAGING_SCRIPT_PATH } from './real-world-pages.ts';
import { renderSitemap } from './sitemap.ts';

const ONE_PIXEL_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

import { TalkApi } from './talk-api.ts';
import { TokenStore } from './tokens.ts';

export type { FaultSpec } from './faults.ts';

export interface RecordedRequest {
  /** Date.now() when the request's body had been read. */
  at: number;
  method: string;
  /** Path and query string, as sent. */
  path: string;
  host: string;
  headers: Record<string, string>;
  body: string;
}

export interface Simulator {
  /** e.g. "http://127.0.0.1:41234". Pages take theirs from the request's Host header instead (originFromHost). */
  origin: string;
  port: number;
  close(): Promise<void>;
  /** Every request received, oldest first (control requests under /__sim/ excluded). A string path matches as a substring. */
  requests(filter?: { path?: string | RegExp }): RecordedRequest[];
  /** Clears recorded requests, faults, the IP ban and the simulated contacts. Issued tokens stay valid. */
  reset(): void;
  /** Applies to the next `times` POST /v1/talk/session requests. */
  fault(spec: FaultSpec): void;
  /** A token the simulated widget accepts for that instance. */
  issueToken(instance: string, email?: string): string;
  apiKeys: { default: string; eu: string; au: string };
}

const MAX_RECORDED = 10_000;
const CONTROL_PREFIX = '/__sim/';
const DEMO_LOGIN_PATH = '/demo-backend/login';
/** Everything under here is dropped without an answer, as an ad-blocker does (net::ERR_BLOCKED_BY_CLIENT). */
const BLOCKED_PREFIX = '/blocked/';

const CAPTURE_SCRIPT = readFileSync(new URL('./capture-script.js', import.meta.url), 'utf8');

const NO_STORE = { 'Cache-Control': 'no-store' };
const HTML_HEADERS = { 'Content-Type': 'text/html; charset=utf-8', ...NO_STORE };
const CONTROL_CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'Content-Type',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
};

function matches(record: RecordedRequest, path: string | RegExp | undefined): boolean {
  if (path === undefined) return true;
  if (typeof path === 'string') return record.path.includes(path);
  path.lastIndex = 0; // a /g or /y regex would otherwise remember where it stopped
  return path.test(record.path);
}

// hostname (DNS labels, which covers dotted IPv4 too) with an optional port; nothing else.
const HOST_HEADER = /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*)(?::([0-9]{1,5}))?$/i;

/**
 * The origin a request was made to, from its Host header: `http://${host}`. Pages use it for their
 * capture URL, so a browser that maps a real Ortto host name to the simulator sees that name in the
 * page. A missing or implausible header (anything but `hostname[:port]`) gives `fallback`: the
 * header's text is never echoed into a page.
 */
export function originFromHost(host: string | undefined, fallback: string): string {
  if (host === undefined || host.length > 260) return fallback;
  const match = HOST_HEADER.exec(host);
  if (!match) return fallback;
  const [, name = '', port] = match;
  if (name.length > 253) return fallback;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65_535)) return fallback;
  return `http://${name.toLowerCase()}${port === undefined ? '' : `:${Number(port)}`}`;
}

export async function startSimulator(opts: { port?: number } = {}): Promise<Simulator> {
  const tokens = new TokenStore();
  const talk = new TalkApi(tokens);
  const capture = new CaptureApi(tokens);
  let recorded: RecordedRequest[] = [];
  let origin = '';
  let port = 0;
  const pageContext = (req: IncomingMessage): PageContext => ({ origin: originFromHost(req.headers.host, origin), tokens, port });

  const requests = (filter?: { path?: string | RegExp }): RecordedRequest[] =>
    recorded.filter((r) => matches(r, filter?.path)).map((r) => ({ ...r, headers: { ...r.headers } }));

  const reset = (): void => {
    recorded = [];
    talk.reset();
  };

  function record(req: IncomingMessage, body: string): void {
    recorded.push({
      at: Date.now(),
      method: req.method ?? '',
      path: req.url ?? '',
      host: req.headers.host ?? '',
      headers: flattenHeaders(req),
      body,
    });
    if (recorded.length > MAX_RECORDED) recorded.splice(0, recorded.length - MAX_RECORDED);
  }

  function control(req: IncomingMessage, res: ServerResponse, url: URL, body: string): void {
    const route = `${req.method} ${url.pathname}`;
    if (req.method === 'OPTIONS') {
      send(res, 204, '', CONTROL_CORS);
    } else if (route === 'GET /__sim/requests') {
      sendJson(res, 200, requests({ path: url.searchParams.get('path') ?? undefined }), CONTROL_CORS);
    } else if (route === 'POST /__sim/reset') {
      reset();
      send(res, 204, '', CONTROL_CORS);
    } else if (route === 'POST /__sim/fault') {
      try {
        talk.faults.add(validateFaultSpec(JSON.parse(body)));
        send(res, 204, '', CONTROL_CORS);
      } catch (e) {
        sendJson(res, 400, { error: e instanceof Error ? e.message : String(e) }, CONTROL_CORS);
      }
    } else if (route === 'GET /__sim/token') {
      const instance = url.searchParams.get('instance');
      if (!instance) {
        sendJson(res, 400, { error: 'instance is required' }, CONTROL_CORS);
        return;
      }
      sendJson(res, 200, { token: tokens.issue(instance, url.searchParams.get('email') ?? undefined) }, CONTROL_CORS);
    } else {
      sendJson(res, 404, { error: `no control route ${route}` }, CONTROL_CORS);
    }
  }

  // Plays the customer's own backend: after a login it asks "Ortto" for a Talk token.
  function demoLogin(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'POST') {
      sendJson(res, 405, { error: 'use POST' }, { Allow: 'POST' });
      return;
    }
    sendJson(res, 200, { token: tokens.issue(DEFAULT_INSTANCE, 'demo.user@example.com') });
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    const path = url.pathname;
    let body: string;
    try {
      body = await readBody(req);
    } catch {
      send(res, 413, 'request body too large', { 'Content-Type': 'text/plain; charset=utf-8' });
      return;
    }
    // Control traffic is the test harness talking, not the simulated world: keep it out of the log.
    if (path.startsWith(CONTROL_PREFIX)) {
      control(req, res, url, body);
      return;
    }
    record(req, body);

    if (path.startsWith(BLOCKED_PREFIX)) {
      // No status line, no headers: the connection just ends.
      req.socket.destroy();
      return;
    }
    if (path.startsWith('/v1/')) {
      await talk.handle(req, res, path, body);
    } else if (path.startsWith(CAPTURE_PREFIX)) {
      capture.handle(req, res, path, body);
    } else if (path.startsWith(SLOW_PREFIX)) {
      const ms = Math.min(10_000, Math.max(0, Number(path.slice(SLOW_PREFIX.length)) || 0));
      await new Promise((r) => setTimeout(r, ms));
      send(res, 200, ONE_PIXEL_GIF, { 'Content-Type': 'image/gif', ...NO_STORE });
    } else if (path === '/app.js' || path === STAGING_SCRIPT_PATH) {
      // (Staging's capture script is the same simulated script under its own name.)
      send(res, 200, CAPTURE_SCRIPT, { 'Content-Type': 'text/javascript; charset=utf-8', ...NO_STORE });
    } else if (Object.hasOwn(REAL_WORLD_SCRIPTS, path)) {
      send(res, 200, REAL_WORLD_SCRIPTS[path] as string, { 'Content-Type': 'text/javascript; charset=utf-8', ...NO_STORE });
    } else if (path === '/') {
      send(res, 200, renderIndex(pageContext(req)), HTML_HEADERS);
    } else if (path === DEMO_LOGIN_PATH) {
      demoLogin(req, res);
    } else if (path === '/sitemap.xml' || path === '/sitemap-index.xml') {
      // For `talk-inspector check --sitemap` (simulator/sitemap.ts).
      const sitemap = renderSitemap(path, url.searchParams, pageContext(req).origin);
      if (sitemap && 'body' in sitemap) send(res, 200, sitemap.body, { 'Content-Type': 'application/xml; charset=utf-8', ...NO_STORE });
      else send(res, 400, sitemap?.error ?? 'not found', { 'Content-Type': 'text/plain; charset=utf-8', ...NO_STORE });
    } else {
      const page = path.startsWith('/pages/') ? (renderPage(path, pageContext(req)) ?? renderRealWorldPage(path, pageContext(req))) : undefined;
      const asset = page || !path.startsWith('/pages/') ? undefined : renderAsset(path, pageContext(req));
      // ?slow-body=MS: headers at once, the body MS ms later (the opener-attack pages hook in between).
      const slowBody = Math.min(10_000, Math.max(0, Number(url.searchParams.get('slow-body')) || 0));
      // ?slow-head=MS: nothing for MS ms, then the page (a reload that keeps the old document up meanwhile).
      const slowHead = Math.min(10_000, Math.max(0, Number(url.searchParams.get('slow-head')) || 0));
      if (page && slowHead > 0) await new Promise((r) => setTimeout(r, slowHead));
      // ?cacheable=1: the page without no-store, so the browser may keep it in its back/forward cache.
      const pageHeaders = url.searchParams.get('cacheable') === '1' ? { ...HTML_HEADERS, 'Cache-Control': 'no-cache' } : HTML_HEADERS;
      if (page && slowBody > 0) {
        res.writeHead(200, { ...pageHeaders, ...page.headers });
        res.flushHeaders();
        await new Promise((r) => setTimeout(r, slowBody));
        res.end(page.html);
      } else if (page) send(res, 200, page.html, { ...pageHeaders, ...page.headers });
      else if (asset) send(res, 200, asset.body, { 'Content-Type': asset.contentType, ...NO_STORE });
      else send(res, 404, 'not found', { 'Content-Type': 'text/plain; charset=utf-8', ...NO_STORE });
    }
  }

  const server = createServer((req, res) => {
    route(req, res).catch((e: unknown) => {
      // A bug in a handler should show up in the test, not hang the browser.
      console.error('[simulator]', e);
      if (!res.headersSent) send(res, 500, 'simulator error', { 'Content-Type': 'text/plain; charset=utf-8' });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        // Keep-alive connections from browsers would otherwise hold close() open.
        server.closeAllConnections();
      }),
    requests,
    reset,
    fault: (spec) => talk.faults.add(validateFaultSpec(spec)),
    issueToken: (instance, email) => tokens.issue(instance, email),
    apiKeys: { ...API_KEYS },
  };
}
