/**
 * What Ortto's Talk session API answers mean (ortto-facts.md): the success shape, the error
 * envelope in words for a person, and the retry rules. Pure; the flow that sends is flow.ts.
 */
import type { OrttoError, SessionSuccess } from '../../shared/talk-session.ts';

export function parseSuccess(data: unknown): SessionSuccess | null {
  if (!data || typeof data !== 'object') return null;
  const d = data as Record<string, unknown>;
  if (typeof d.token !== 'string' || d.token === '' || d.token.length > 16_384) return null;
  const s = (v: unknown): string => (typeof v === 'string' ? v.slice(0, 200) : '');
  return { token: d.token, session_id: s(d.session_id), person_id: s(d.person_id), person_status: s(d.person_status) };
}

/** Reads Ortto's error envelope ({request_id, code, error, details[]}) and says what to do. */
export function explainError(status: number, data: unknown): OrttoError {
  const d = data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  const text = (v: unknown): string => (typeof v === 'string' ? v.slice(0, 300) : '');
  const details = Array.isArray(d.details)
    ? d.details
        .slice(0, 10)
        .map((x) =>
          x && typeof x === 'object'
            ? [text((x as Record<string, unknown>).status), text((x as Record<string, unknown>).error)].filter(Boolean).join(': ')
            : text(x),
        )
    : [];
  const tis = Number(d['try-in-seconds']);
  const base = {
    status,
    code: text(d.error),
    details: details.filter(Boolean),
    requestId: text(d.request_id) || null,
    tryInSeconds: Number.isFinite(tis) && tis >= 0 ? tis : null,
  };
  const say = (message: string, retryable = false): OrttoError => ({ ...base, message, retryable });
  switch (true) {
    case status === 400:
      return say(
        `Ortto rejected the request (400${base.code ? `: ${base.code}` : ''}). ${base.details.length ? 'See what Ortto says below, correct the request' : "Check the person's fields and the options"} and send again.`,
      );
    case status === 401:
      return say(
        'Ortto rejected the API key (401). Check that the profile uses the right key and the region of the Ortto instance that issued it (default, EU or AU).',
      );
    case status === 403:
      return say("This API key is not allowed to create Talk sessions (403). Check the key's permissions in Ortto.");
    case status === 404:
      return say('Ortto has no such endpoint at this address (404). Check the region or custom base URL of the profile.');
    case status === 429:
      return say(`Too many requests (429): Ortto asks to wait ${base.tryInSeconds ?? 'a few'} seconds.`, true);
    case status >= 500:
      return say(`Ortto had a server error (${status}). Try again in a minute.`);
    default:
      return say(`Unexpected answer from Ortto (HTTP ${status}).`);
  }
}

/** Waiting time before retrying a 429: at least try-in-seconds, plus up to 1 s of jitter. */
export function retryDelayMs(tryInSeconds: number | null, random: number): number {
  return Math.max(1, tryInSeconds ?? 1) * 1000 + Math.floor(random * 1000);
}

export const MAX_ATTEMPTS = 3;
export const REQUEST_TIMEOUT_MS = 15_000;
