/**
 * Sends one Talk session request with Ortto's rules: 15 s timeout, credentials omitted, 429
 * retried after try-in-seconds (plus jitter) at most 3 attempts in all, 400/401/403 never retried
 * (Ortto bans an IP for 15 s after 15 bad requests in 15 s). Network, timeout and malformed
 * answers each get their own message. fetch and the clock are injected, so this stays pure.
 */
import { sessionEndpoint } from '../../shared/ortto-hosts.ts';
import type { FlowOutcome, FlowProgress } from '../../shared/talk-session.ts';
import { explainError, MAX_ATTEMPTS, parseSuccess, REQUEST_TIMEOUT_MS, retryDelayMs } from './api.ts';

export interface FlowDeps {
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => number;
  timeoutMs?: number;
}

export async function sendSessionRequest(
  apiBase: string,
  apiKey: string,
  body: Record<string, unknown>,
  onProgress: (p: FlowProgress) => void,
  deps: FlowDeps,
): Promise<FlowOutcome> {
  const url = sessionEndpoint(apiBase);
  for (let attempt = 1; ; attempt++) {
    onProgress({ attempt, retryAt: null, message: attempt === 1 ? 'Sending the request to Ortto…' : `Attempt ${attempt} of ${MAX_ATTEMPTS}…` });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), deps.timeoutMs ?? REQUEST_TIMEOUT_MS);
    let response: Response;
    try {
      response = await deps.fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Api-Key': apiKey },
        body: JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
        redirect: 'error',
        signal: controller.signal,
      });
    } catch {
      clearTimeout(timer);
      if (controller.signal.aborted)
        return {
          ok: false,
          attempts: attempt,
          error: {
            kind: 'timeout',
            message: `Ortto did not answer within ${Math.round((deps.timeoutMs ?? REQUEST_TIMEOUT_MS) / 1000)} seconds. Try again; if it keeps happening, check the network or the profile's address.`,
          },
        };
      return {
        ok: false,
        attempts: attempt,
        error: { kind: 'network', message: `Could not reach ${new URL(url).host}: the network is down, the address is wrong, or something blocks it.` },
      };
    }
    let text = '';
    try {
      text = await response.text();
    } catch {
      clearTimeout(timer);
      return {
        ok: false,
        attempts: attempt,
        error: { kind: controller.signal.aborted ? 'timeout' : 'network', message: 'The answer from Ortto was cut off before it arrived. Try again.' },
      };
    }
    clearTimeout(timer);
    let data: unknown;
    try {
      data = text === '' ? undefined : JSON.parse(text);
    } catch {
      data = undefined;
    }
    if (response.ok) {
      const session = parseSuccess(data);
      if (session) return { ok: true, session, attempts: attempt };
      return {
        ok: false,
        attempts: attempt,
        error: { kind: 'malformed', message: `Ortto answered ${response.status} but not with a session (no token in the answer). Nothing was applied.` },
      };
    }
    const error = explainError(response.status, data);
    if (!error.retryable) return { ok: false, attempts: attempt, error: { kind: 'ortto', ...error } };
    if (attempt >= MAX_ATTEMPTS) {
      // Not "wait 2 seconds" after three tries: say what was tried and when to try again.
      const wait = retryDelayMs(error.tryInSeconds, 0);
      const at = new Date(deps.now() + wait).toLocaleTimeString();
      const message = `Ortto still asks to slow down (429) after ${attempt} tries. Nothing was applied; try again after ${at}.`;
      return { ok: false, attempts: attempt, error: { kind: 'ortto', ...error, message } };
    }
    const wait = retryDelayMs(error.tryInSeconds, deps.random());
    onProgress({ attempt, retryAt: deps.now() + wait, message: `${error.message} Retrying automatically (${attempt + 1} of ${MAX_ATTEMPTS}).` });
    await deps.sleep(wait);
  }
}
