// The capture API under `{captureUrl}-/…`: widget lookup and page events.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeCaptureKey } from './capture-key.ts';
import { isPlainObject, parseJson, send, sendJson } from './http-util.ts';
import type { TokenStore } from './tokens.ts';

export const CAPTURE_PREFIX = '/-/';

const CORS_HEADERS = { 'Access-Control-Allow-Origin': '*' };

// Bounds the per-visitor session counter map.
const MAX_VISITORS = 10_000;

export interface TalkWidget {
  type: 'talk';
  verified: boolean;
  instance: string;
  session: number;
}

/**
 * `cp` is the page's talk.cookiePath ('' or absent when the page set none). A cookiePath other than
 * `/<instance of the capture key>/` makes Talk look the contact up in another instance, so the
 * session cannot be verified.
 */
export function cookiePathFits(cp: unknown, instance: string): boolean {
  if (cp === undefined || cp === '') return true;
  return cp === `/${instance}/`;
}

export class CaptureApi {
  // `s` (the ap3c cookie) -> how many Talk sessions it has opened. The capture script makes a new
  // current-session id on each page load, so this counts 1 on load and +1 per setVerifiedSession.
  #sessions = new Map<string, number>();
  readonly #tokens: TokenStore;

  constructor(tokens: TokenStore) {
    this.#tokens = tokens;
  }

  reset(): void {
    this.#sessions.clear();
  }

  handle(req: IncomingMessage, res: ServerResponse, path: string, body: string): void {
    if (req.method === 'OPTIONS') {
      send(res, 204, '', {
        ...CORS_HEADERS,
        'Access-Control-Allow-Headers': 'Content-Type',
        'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      });
      return;
    }
    if (req.method === 'POST' && path === '/-/widgets/get') {
      this.#widgets(res, body);
      return;
    }
    if (req.method === 'POST' && (path === '/-/events/page-event' || path === '/-/events/activity')) {
      send(res, 204, '', CORS_HEADERS);
      return;
    }
    sendJson(res, 404, { error: 'not found' }, CORS_HEADERS);
  }

  #widgets(res: ServerResponse, body: string): void {
    const parsed = parseJson(body);
    if (!parsed.ok || !isPlainObject(parsed.value)) {
      sendJson(res, 400, { error: 'body must be a JSON object' }, CORS_HEADERS);
      return;
    }
    const { h, s, tk, tt, cp } = parsed.value;
    const key = decodeCaptureKey(h);
    if (!key) {
      sendJson(res, 400, { error: 'unknown capture key' }, CORS_HEADERS);
      return;
    }
    // tk false: Talk disabled on this page; other widget types would still be returned.
    if (tk !== true) {
      sendJson(res, 200, { widgets: [] }, CORS_HEADERS);
      return;
    }
    const visitor = typeof s === 'string' ? s : '';
    const session = (this.#sessions.get(visitor) ?? 0) + 1;
    this.#sessions.delete(visitor); // re-insert so the map's order is least-recently-used first
    this.#sessions.set(visitor, session);
    if (this.#sessions.size > MAX_VISITORS) {
      const oldest = this.#sessions.keys().next();
      if (!oldest.done) this.#sessions.delete(oldest.value);
    }
    const widget: TalkWidget = {
      type: 'talk',
      verified: this.#tokens.isValidFor(tt, key.instance) && cookiePathFits(cp, key.instance),
      instance: key.instance,
      session,
    };
    sendJson(res, 200, { widgets: [widget] }, CORS_HEADERS);
  }
}
