// Capture keys are base64url(12-byte data-source id + ASCII instance name) (ortto-facts.md).

export interface DecodedCaptureKey {
  dataSourceId: string;
  instance: string;
}

export function encodeCaptureKey(dataSourceId: string, instance: string): string {
  if (!/^[0-9a-f]{24}$/i.test(dataSourceId)) throw new TypeError('dataSourceId must be 24 hex digits');
  return Buffer.concat([Buffer.from(dataSourceId, 'hex'), Buffer.from(instance, 'ascii')]).toString('base64url');
}

/** Returns undefined when the value is not a plausible capture key. */
export function decodeCaptureKey(key: unknown): DecodedCaptureKey | undefined {
  if (typeof key !== 'string' || !/^[A-Za-z0-9_-]+$/.test(key)) return undefined;
  const bytes = Buffer.from(key, 'base64url');
  if (bytes.length <= 12) return undefined;
  const name = bytes.subarray(12).toString('latin1');
  // Instance names seen in the wild are short lowercase identifiers; anything else is garbage.
  if (!/^[a-z0-9][a-z0-9_-]*$/i.test(name)) return undefined;
  return { dataSourceId: bytes.subarray(0, 12).toString('hex'), instance: name };
}
