/**
 * The capture key (first ap3c.init argument) is base64url of a 12-byte data-source id followed by
 * the ASCII instance name (ortto-facts.md). Pure.
 */
export type CaptureKeyInfo =
  | {
      ok: true;
      dataSourceId: string;
      instance: string;
      /**
       * When the data source was created: its id's first 4 bytes are a unix time (as in a MongoDB
       * ObjectId; ortto-facts.md). ISO date, or null when those bytes are no plausible date.
       */
      createdAt: string | null;
    }
  | { ok: false; problem: string };

/** Big-endian unsigned 32-bit integer at `at`. */
export const readUint32 = (b: Uint8Array, at: number): number =>
  (((b[at] as number) << 24) >>> 0) + ((b[at + 1] as number) << 16) + ((b[at + 2] as number) << 8) + (b[at + 3] as number);

/** Ortto (then Autopilot) keys start after 2012; anything before, or after 2100, is not this layout. */
const plausibleKeyTime = (seconds: number): boolean => seconds >= 1_325_376_000 && seconds < 4_102_444_800;

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const INSTANCE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function base64UrlToBytes(text: string): Uint8Array | null {
  if (!BASE64URL.test(text) || text.replace(/=+$/, '').length % 4 === 1) return null;
  const b64 = text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  try {
    const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

export const toHex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

export function decodeCaptureKey(key: unknown): CaptureKeyInfo {
  if (typeof key !== 'string') return { ok: false, problem: `The capture key is ${key === undefined ? 'missing' : `not text (${typeof key})`}.` };
  const trimmed = key.trim();
  if (trimmed === '') return { ok: false, problem: 'The capture key is empty.' };
  if (trimmed !== key) return { ok: false, problem: 'The capture key has spaces around it.' };
  if (key.length > 200) return { ok: false, problem: `The capture key is ${key.length} characters long; real keys are about 35.` };
  const bytes = base64UrlToBytes(key);
  if (!bytes) return { ok: false, problem: 'The capture key is not base64url text, so it cannot be an Ortto capture key.' };
  if (bytes.length < 13) return { ok: false, problem: 'The capture key is too short to hold a data-source id and an instance name.' };
  const instance = String.fromCharCode(...bytes.subarray(12));
  if (!INSTANCE.test(instance)) return { ok: false, problem: 'The capture key decodes, but not to an instance name: it may be cut or mistyped.' };
  const created = readUint32(bytes, 0);
  return {
    ok: true,
    dataSourceId: toHex(bytes.subarray(0, 12)),
    instance,
    createdAt: plausibleKeyTime(created) ? new Date(created * 1000).toISOString() : null,
  };
}
