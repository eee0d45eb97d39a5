// Talk session tokens. The real format is unknown (ortto-facts.md), so these are deliberately
// opaque and NOT JWTs: a tool that tries to decode them must cope.
import { createHmac, randomBytes } from 'node:crypto';

export interface IssuedToken {
  instance: string;
  email: string;
  issuedAt: number;
}

// Bounded so a long demo session cannot grow without limit; oldest tokens go first.
const MAX_TOKENS = 50_000;

export class TokenStore {
  // Per process: tokens from an earlier run are (correctly) unknown to this one.
  readonly #secret = randomBytes(32);
  readonly #issued = new Map<string, IssuedToken>();

  issue(instance: string, email = 'sim.user@example.com'): string {
    const nonce = randomBytes(18).toString('base64url');
    const mac = createHmac('sha256', this.#secret).update(`${instance}\n${nonce}`).digest('base64url');
    const token = `tk_${nonce}.${mac}`;
    this.#issued.set(token, { instance, email, issuedAt: Date.now() });
    if (this.#issued.size > MAX_TOKENS) {
      const oldest = this.#issued.keys().next();
      if (!oldest.done) this.#issued.delete(oldest.value);
    }
    return token;
  }

  lookup(token: unknown): IssuedToken | undefined {
    return typeof token === 'string' ? this.#issued.get(token) : undefined;
  }

  /** True when the token was issued by this simulator for exactly this instance. */
  isValidFor(token: unknown, instance: string): boolean {
    return this.lookup(token)?.instance === instance;
  }
}
