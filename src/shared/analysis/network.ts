/**
 * Network evidence from DevTools (HAR entries of the inspected page), reduced to what the checklist
 * needs. Pure: takes HAR-shaped objects, returns facts. Secrets are reduced to fingerprints here
 * and never kept: an API key header becomes a 12-hex fingerprint, a token sent as `tt` too.
 */
import { CAPTURE_API_PATH, CAPTURE_SCRIPT_PATH, TALK_SESSION_PATH, WIDGETS_GET_PATH } from '../ortto-hosts.ts';
import { fingerprint } from './fingerprint.ts';

export interface HarLikeEntry {
  startedDateTime?: string;
  request: { method: string; url: string; headers?: { name: string; value: string }[]; postData?: { text?: string } };
  response?: { status: number; statusText?: string; _error?: string | null };
  _resourceType?: string;
}

export interface ScriptLoad {
  url: string;
  status: number; // 0: blocked or failed before an answer
  error: string | null;
  at: number;
}

export interface WidgetsGet {
  url: string;
  status: number;
  /** Talk enabled flag sent to Ortto (null when the body could not be read). */
  tk: boolean | null;
  /** Fingerprint of the token sent as `tt`, or null when none was sent. */
  ttFingerprint: string | null;
  at: number;
}

export interface TalkSessionCall {
  url: string;
  status: number;
  keyFingerprint: string | null;
  at: number;
}

export interface NetworkEvidence {
  scripts: ScriptLoad[];
  widgetsGets: WidgetsGet[];
  /** Other calls to the capture API (`{captureUrl}-/…`), to tell whether it answered at all. */
  captureApi: { url: string; status: number; at: number }[];
  talkSessionCalls: TalkSessionCall[];
  /**
   * Other scripts that failed to load (no answer, blocked, or HTTP 400+), whatever their name: the
   * snippet may load Ortto's script from an address that is not app.js-shaped (a consent manager's
   * copy, a mistyped path). The analysis matches them against the script the snippet inserted.
   */
  failedScripts?: ScriptLoad[];
}

export const EMPTY_NETWORK: NetworkEvidence = { scripts: [], widgetsGets: [], captureApi: [], talkSessionCalls: [], failedScripts: [] };

const JS_FILE = /\.m?js(?:[?#]|$)/i;

function readBody(entry: HarLikeEntry): Record<string, unknown> | null {
  const text = entry.request.postData?.text;
  if (typeof text === 'string' && text.length < 1_000_000) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object') return parsed as Record<string, unknown>;
    } catch {
      // Form-encoded bodies are read below.
    }
    try {
      return Object.fromEntries(new URLSearchParams(text));
    } catch {
      return null;
    }
  }
  return null;
}

const truthy = (v: unknown): boolean | null =>
  v === true || v === 'true' || v === '1' || v === 1 ? true : v === false || v === 'false' || v === '0' || v === 0 ? false : null;

const time = (entry: HarLikeEntry): number => {
  const t = entry.startedDateTime ? Date.parse(entry.startedDateTime) : Number.NaN;
  return Number.isFinite(t) ? t : 0;
};

/** Adds one request to the evidence, ignoring a request already seen (same URL, start time and kind). */
export function addEntry(evidence: NetworkEvidence, entry: HarLikeEntry): NetworkEvidence {
  const url = entry.request.url.slice(0, 2048);
  const status = entry.response?.status ?? 0;
  const at = time(entry);
  const same = (x: { url: string; at: number }): boolean => x.url === url && x.at === at;
  if (TALK_SESSION_PATH.test(url) && entry.request.method !== 'OPTIONS') {
    if (evidence.talkSessionCalls.some(same)) return evidence;
    const key = entry.request.headers?.find((h) => h.name.toLowerCase() === 'x-api-key')?.value;
    return { ...evidence, talkSessionCalls: [...evidence.talkSessionCalls, { url, status, keyFingerprint: key ? fingerprint(key) : null, at }].slice(-20) };
  }
  if (WIDGETS_GET_PATH.test(url) && entry.request.method !== 'OPTIONS') {
    if (evidence.widgetsGets.some(same)) return evidence;
    const body = readBody(entry);
    const tt = body?.tt;
    const call: WidgetsGet = {
      url,
      status,
      tk: body ? truthy(body.tk) : null,
      ttFingerprint: typeof tt === 'string' && tt !== '' ? fingerprint(tt) : null,
      at,
    };
    return { ...evidence, widgetsGets: [...evidence.widgetsGets, call].slice(-20) };
  }
  if (CAPTURE_SCRIPT_PATH.test(url)) {
    if (evidence.scripts.some(same)) return evidence;
    const error = entry.response?._error ?? (status === 0 ? 'no answer (blocked or offline)' : null);
    return { ...evidence, scripts: [...evidence.scripts, { url, status, error: error ?? null, at }].slice(-10) };
  }
  if (CAPTURE_API_PATH.test(url)) {
    if (evidence.captureApi.some(same)) return evidence;
    return { ...evidence, captureApi: [...evidence.captureApi, { url, status, at }].slice(-20) };
  }
  if ((status === 0 || status >= 400) && (entry._resourceType === 'script' || (entry._resourceType === undefined && JS_FILE.test(url)))) {
    const failed = evidence.failedScripts ?? [];
    if (failed.some(same)) return evidence;
    const error = entry.response?._error ?? (status === 0 ? 'no answer (blocked or offline)' : null);
    return { ...evidence, failedScripts: [...failed, { url, status, error, at }].slice(-10) };
  }
  return evidence;
}
