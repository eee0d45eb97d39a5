/** Masks a secret-ish string for display: first 6 and last 4 characters, never more than half of it. */
export function maskToken(token: string): string {
  if (token.length >= 20) return `${token.slice(0, 6)}…${token.slice(-4)}`;
  if (token.length >= 8) return `${token.slice(0, 2)}…${token.slice(-2)}`;
  return '•'.repeat(Math.max(token.length, 1));
}
