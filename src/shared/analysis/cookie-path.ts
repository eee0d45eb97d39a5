/** The Talk `cookiePath` option: `/<instance>/` for the instance the capture key names. Pure. */
export type CookiePathProblemId = 'not-text' | 'no-leading-slash' | 'no-trailing-slash' | 'other-instance' | 'not-an-instance-path';

export interface CookiePathAnalysis {
  value: string | null;
  /** The instance the path names (`/name/` → name), if it names one. */
  instance: string | null;
  problems: { id: CookiePathProblemId; message: string }[];
}

export function analyzeCookiePath(value: unknown, keyInstance: string | null): CookiePathAnalysis {
  if (value === undefined || value === null) return { value: null, instance: null, problems: [] };
  if (typeof value !== 'string') return { value: null, instance: null, problems: [{ id: 'not-text', message: `cookiePath is ${typeof value}, not text.` }] };
  const problems: CookiePathAnalysis['problems'] = [];
  if (!value.startsWith('/')) problems.push({ id: 'no-leading-slash', message: `cookiePath "${value}" must start with "/".` });
  if (!value.endsWith('/')) problems.push({ id: 'no-trailing-slash', message: `cookiePath "${value}" must end with "/".` });
  const inner = value.replace(/^\/+|\/+$/g, '');
  const instance = /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(inner) ? inner : null;
  if (instance === null) problems.push({ id: 'not-an-instance-path', message: `cookiePath "${value}" is not of the form /<instance>/.` });
  else if (keyInstance !== null && instance.toLowerCase() !== keyInstance.toLowerCase())
    problems.push({
      id: 'other-instance',
      message: `cookiePath names the instance "${instance}", but the capture key belongs to "${keyInstance}".`,
    });
  return { value, instance, problems };
}
