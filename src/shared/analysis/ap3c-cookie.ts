/**
 * The `ap3c` cookie: 50 base64url characters = a flag byte, then two 12-byte ids whose first 4
 * bytes are unix times (first seen, current session start), then 12 opaque bytes. Pure.
 */
import { base64UrlToBytes, readUint32 } from './capture-key.ts';

export interface Ap3cCookieInfo {
  flag: number;
  firstSeen: string;
  sessionStart: string;
}

export function decodeAp3cCookie(value: unknown): Ap3cCookieInfo | null {
  if (typeof value !== 'string' || value.length !== 50) return null;
  const bytes = base64UrlToBytes(value);
  if (!bytes || bytes.length < 25) return null;
  const first = readUint32(bytes, 1);
  const session = readUint32(bytes, 13);
  // Times before 2015 or far in the future mean this is not the layout we know.
  const plausible = (t: number): boolean => t > 1_420_070_400 && t < 4_102_444_800;
  if (!plausible(first) || !plausible(session)) return null;
  return { flag: bytes[0] as number, firstSeen: new Date(first * 1000).toISOString(), sessionStart: new Date(session * 1000).toISOString() };
}
