// POST {apiHost}v1/talk/session, as described in ortto-facts.md and the product document.
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BanTracker, FaultQueue, type FaultSpec } from './faults.ts';
import { API_KEYS, DEFAULT_INSTANCE, PEOPLE, type Region } from './fixtures.ts';
import { parseJson, send, sendJson, sleep } from './http-util.ts';
import { type ValidationDetail, validateTalkSessionBody } from './talk-validate.ts';
import type { TokenStore } from './tokens.ts';

export const TALK_SESSION_PATH = '/v1/talk/session';

const CORS_HEADERS = { 'Access-Control-Allow-Origin': '*', 'X-Version': 'sim-1' };

// The real error strings are unknown; these follow the one that is known (`rate-limit`).
const ERROR_NAMES: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  406: 'not-acceptable',
  408: 'request-timeout',
  409: 'conflict',
  410: 'gone',
  429: 'rate-limit',
  500: 'internal-error',
  502: 'bad-gateway',
  503: 'service-unavailable',
  504: 'gateway-timeout',
  507: 'insufficient-storage',
};

/** The region whose key a request must carry, from its Host header. */
export function regionForHost(host: string): Region {
  const name = host.toLowerCase();
  if (name.startsWith('api.eu.')) return 'eu';
  if (name.startsWith('api.au.')) return 'au';
  return 'default';
}

function hex24(): string {
  return randomBytes(12).toString('hex');
}

export class TalkApi {
  readonly faults = new FaultQueue();
  readonly bans = new BanTracker();
  // email -> person id: the seeded PEOPLE, and whoever a request created (their next session is "merged").
  #people = new Map<string, string>(Object.entries(PEOPLE));

  readonly #tokens: TokenStore;

  constructor(tokens: TokenStore) {
    this.#tokens = tokens;
  }

  reset(): void {
    this.faults.clear();
    this.bans.clear();
    this.#people = new Map(Object.entries(PEOPLE));
  }

  async handle(req: IncomingMessage, res: ServerResponse, path: string, body: string): Promise<void> {
    if (req.method === 'OPTIONS') {
      send(res, 204, '', {
        ...CORS_HEADERS,
        'Access-Control-Allow-Headers': 'Content-Type, X-Api-Key',
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Max-Age': '600',
      });
      return;
    }
    const ip = req.socket.remoteAddress ?? 'unknown';
    const status = await this.#answer(req, res, path, body, ip);
    this.bans.noteAnswer(ip, status);
  }

  /** Writes the response and returns its status (for the ban rule). */
  async #answer(req: IncomingMessage, res: ServerResponse, path: string, body: string, ip: string): Promise<number> {
    if (path !== TALK_SESSION_PATH) return this.#error(res, 404, [{ status: 'not-found', error: `no route ${path}` }]);
    if (req.method !== 'POST') {
      return this.#error(res, 405, [{ status: 'method-not-allowed', error: 'use POST' }], { Allow: 'POST, OPTIONS' });
    }

    const bannedMs = this.bans.remainingMs(ip);
    if (bannedMs > 0) return this.#rateLimited(res, Math.ceil(bannedMs / 1000), 'too many failed requests: IP banned');

    const fault = this.faults.take();
    if (fault) {
      if (fault.delayMs) await sleep(fault.delayMs);
      const faulted = this.#applyFault(res, fault);
      if (faulted !== undefined) return faulted;
    }

    const region = regionForHost(req.headers.host ?? '');
    if (req.headers['x-api-key'] !== API_KEYS[region]) {
      // Deliberately the same answer for a missing key, a typo and another region's key: the
      // real API cannot tell them apart either.
      return this.#error(res, 401, [{ status: 'invalid-api-key', error: 'API key is missing or not valid' }]);
    }

    const parsed = parseJson(body);
    if (!parsed.ok) return this.#error(res, 400, [{ status: 'invalid-body', error: 'request body is not valid JSON' }]);
    const result = validateTalkSessionBody(parsed.value);
    if (!result.ok) return this.#error(res, 400, result.details);

    const { email, personId, skipNonExisting } = result.request;
    let personStatus: 'by-id' | 'merged' | 'created';
    let id: string;
    if (personId) {
      personStatus = 'by-id';
      id = personId;
    } else if (this.#people.has(email)) {
      personStatus = 'merged';
      id = this.#people.get(email) ?? hex24();
    } else if (skipNonExisting) {
      // An assumption (Ortto's answer for this case is not public): no person, no session.
      return this.#error(res, 400, [{ status: 'person-not-found', error: 'no person matches, and skip_non_existing is true' }]);
    } else {
      personStatus = 'created';
      id = hex24();
    }
    this.#people.set(email, id);

    sendJson(res, 200, { session_id: hex24(), token: this.#tokens.issue(DEFAULT_INSTANCE, email), person_id: id, person_status: personStatus }, CORS_HEADERS);
    return 200;
  }

  /** Returns the status written, or undefined when the fault only delays the request. */
  #applyFault(res: ServerResponse, fault: FaultSpec): number | undefined {
    if (fault.malformed) {
      // A 200 that is not JSON, like an HTML error page from a proxy.
      send(res, 200, '<html>oops', { ...CORS_HEADERS, 'Content-Type': 'text/html; charset=utf-8' });
      return 200;
    }
    if (fault.status === 429) return this.#rateLimited(res, fault.tryInSeconds ?? 15, 'rate limit exceeded');
    if (fault.status !== undefined) {
      return this.#error(res, fault.status, [{ status: ERROR_NAMES[fault.status] ?? 'error', error: 'simulated fault' }]);
    }
    return undefined;
  }

  // 429 carries `try-in-seconds` in the body and no Retry-After header (ortto-facts.md).
  #rateLimited(res: ServerResponse, seconds: number, why: string): number {
    sendJson(
      res,
      429,
      {
        request_id: randomUUID(),
        code: 429,
        error: 'rate-limit',
        'try-in-seconds': seconds,
        details: [{ status: 'rate-limit', error: why }],
      },
      CORS_HEADERS,
    );
    return 429;
  }

  #error(res: ServerResponse, status: number, details: ValidationDetail[], headers: Record<string, string> = {}): number {
    sendJson(res, status, { request_id: randomUUID(), code: status, error: ERROR_NAMES[status] ?? 'error', details }, { ...CORS_HEADERS, ...headers });
    return status;
  }
}
