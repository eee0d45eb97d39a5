/**
 * What can be said about a Talk token without knowing its format (it is not public): length,
 * characters, fingerprint, mistakes people make when pasting it, and — only if it happens to be a
 * JWT — its claims. Pure; the clock is a parameter.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { maskToken } from '../mask.ts';
import { fingerprint } from './fingerprint.ts';

export type TokenProblemId =
  | 'not-text'
  | 'empty'
  | 'placeholder'
  | 'doc-placeholder'
  | 'quoted'
  | 'whitespace'
  | 'literal-undefined'
  | 'pasted-twice'
  | 'cut'
  | 'too-long';

export interface TokenProblem {
  id: TokenProblemId;
  message: string;
}

export interface JwtInfo {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  issuedAt: string | null;
  notBefore: string | null;
  expiresAt: string | null;
  expired: boolean;
  notYetValid: boolean;
  algNone: boolean;
}

export interface TokenAnalysis {
  length: number;
  charset: string;
  fingerprint: string;
  masked: string;
  problems: TokenProblem[];
  jwt: JwtInfo | null;
}

/** The SPA placeholder of Ortto's Talk document, misspelt there (`{{<reponse_token>}}`), as pasted. */
const DOC_PLACEHOLDER = /^\{\{\s*<?\s*re?s?ponse[\s_-]*token\s*>?\s*\}\}$/i;

const PLACEHOLDERS = [/<\s*response[\s_-]*token\s*>/i, /^your[-_ ]/i, /\{\{.*\}\}/, /^<.*>$/, /^\$\{.*\}$/, /^(token|xxx+|\.\.\.|…|todo|changeme)$/i];

function charsetOf(token: string): string {
  if (/^[0-9a-f]+$/i.test(token)) return 'hexadecimal';
  if (/^[A-Za-z0-9_-]+$/.test(token)) return 'base64url letters';
  if (/^[A-Za-z0-9._-]+$/.test(token)) return 'base64url letters and dots';
  if (/^[A-Za-z0-9+/=]+$/.test(token)) return 'base64 letters';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: detecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(token)) return 'contains control characters';
  if (/[^\u0020-\u007e]/.test(token)) return 'contains non-ASCII characters';
  return 'printable ASCII with punctuation';
}

const isoDate = (seconds: unknown): string | null =>
  typeof seconds === 'number' && Number.isFinite(seconds) && Math.abs(seconds) < 1e11 ? new Date(seconds * 1000).toISOString() : null;

export function decodeJwtInfo(token: string, nowMs: number): JwtInfo | null {
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token)) return null;
  try {
    const header = decodeProtectedHeader(token) as Record<string, unknown>;
    const payload = decodeJwt(token) as Record<string, unknown>;
    const now = nowMs / 1000;
    const exp = typeof payload.exp === 'number' ? payload.exp : null;
    const nbf = typeof payload.nbf === 'number' ? payload.nbf : null;
    return {
      header,
      payload,
      issuedAt: isoDate(payload.iat),
      notBefore: isoDate(nbf),
      expiresAt: isoDate(exp),
      expired: exp !== null && exp <= now,
      notYetValid: nbf !== null && nbf > now,
      algNone: typeof header.alg === 'string' && header.alg.toLowerCase() === 'none',
    };
  } catch {
    return null;
  }
}

/** `cut`: the recorder kept only the start of a very long value. */
export function analyzeToken(token: unknown, nowMs: number, cut = false): TokenAnalysis {
  if (typeof token !== 'string') {
    const shown = token === null ? 'null' : typeof token;
    return { length: 0, charset: 'none', fingerprint: '', masked: '', problems: [{ id: 'not-text', message: `The token is ${shown}, not text.` }], jwt: null };
  }
  const problems: TokenProblem[] = [];
  const trimmed = token.trim();
  if (trimmed === '') problems.push({ id: 'empty', message: 'The token is empty.' });
  if (trimmed !== token && trimmed !== '') problems.push({ id: 'whitespace', message: 'The token has spaces or line breaks around it.' });
  if (/^(["'`]).*\1$/s.test(trimmed) && trimmed.length >= 2)
    problems.push({ id: 'quoted', message: 'The token is wrapped in quotes: the quotes became part of the token.' });
  const bare = trimmed.replace(/^(["'`])(.*)\1$/s, '$2');
  if (/^(undefined|null|nan|\[object object\])$/i.test(bare))
    problems.push({ id: 'literal-undefined', message: `The token is the text "${bare}": the value was missing when the page was built.` });
  else if (DOC_PLACEHOLDER.test(bare))
    problems.push({
      id: 'doc-placeholder',
      message: `The token is the placeholder ${JSON.stringify(bare)} from Ortto's Talk document (spelt "reponse" there): did you mean the "token" value your server got from POST /v1/talk/session, written into the page in its place?`,
    });
  else if (bare !== '' && PLACEHOLDERS.some((p) => p.test(bare)))
    problems.push({ id: 'placeholder', message: 'The token is a placeholder copied from the documentation, not a real token.' });
  if (bare.length >= 16 && bare.length % 2 === 0 && bare.slice(0, bare.length / 2) === bare.slice(bare.length / 2))
    problems.push({ id: 'pasted-twice', message: 'The token is the same text twice: it was pasted twice.' });
  if (cut) problems.push({ id: 'cut', message: 'The token is extremely long (over 16 KiB); only its start was kept.' });
  else if (token.length > 4096) problems.push({ id: 'too-long', message: `The token is ${token.length} characters long, far longer than a session token.` });
  return {
    length: token.length,
    charset: charsetOf(token),
    fingerprint: fingerprint(token),
    masked: maskToken(token),
    problems,
    jwt: decodeJwtInfo(bare, nowMs),
  };
}
