// Injected failures for POST /v1/talk/session, and Ortto's documented IP ban.

export interface FaultSpec {
  status?: number;
  tryInSeconds?: number;
  delayMs?: number;
  malformed?: boolean;
  /** How many requests it applies to, default 1. */
  times?: number;
}

/** Throws a TypeError describing the first problem, so POST /__sim/fault can answer 400. */
export function validateFaultSpec(spec: unknown): FaultSpec {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new TypeError('fault must be an object');
  const s = spec as Record<string, unknown>;
  const intIn = (name: string, min: number, max: number): void => {
    const v = s[name];
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= min && (v as number) <= max)) {
      throw new TypeError(`${name} must be an integer from ${min} to ${max}`);
    }
  };
  intIn('status', 400, 599);
  intIn('tryInSeconds', 0, 86_400);
  intIn('delayMs', 0, 120_000);
  intIn('times', 1, 1_000_000);
  if (s.malformed !== undefined && typeof s.malformed !== 'boolean') throw new TypeError('malformed must be a boolean');
  const out: FaultSpec = {};
  if (s.status !== undefined) out.status = s.status as number;
  if (s.tryInSeconds !== undefined) out.tryInSeconds = s.tryInSeconds as number;
  if (s.delayMs !== undefined) out.delayMs = s.delayMs as number;
  if (s.malformed !== undefined) out.malformed = s.malformed as boolean;
  if (s.times !== undefined) out.times = s.times as number;
  return out;
}

/** Faults are used in the order they were added; each covers `times` requests. */
export class FaultQueue {
  #queue: { spec: FaultSpec; remaining: number }[] = [];

  add(spec: FaultSpec): void {
    this.#queue.push({ spec, remaining: spec.times ?? 1 });
  }

  take(): FaultSpec | undefined {
    const head = this.#queue[0];
    if (!head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) this.#queue.shift();
    return head.spec;
  }

  clear(): void {
    this.#queue = [];
  }
}

// ortto-facts.md: 15 bad or failed-credential requests within 15 s ban the caller's IP for 15 s.
export const BAN_THRESHOLD = 15;
export const BAN_WINDOW_MS = 15_000;
export const BAN_DURATION_MS = 15_000;

export class BanTracker {
  #failures = new Map<string, number[]>();
  #bannedUntil = new Map<string, number>();

  /** Milliseconds of ban left for this IP, 0 when not banned. */
  remainingMs(ip: string, now = Date.now()): number {
    const until = this.#bannedUntil.get(ip) ?? 0;
    if (until <= now) {
      this.#bannedUntil.delete(ip);
      return 0;
    }
    return until - now;
  }

  /** Call for every answer; only 400/401/403 count towards a ban. */
  noteAnswer(ip: string, status: number, now = Date.now()): void {
    if (status !== 400 && status !== 401 && status !== 403) return;
    const recent = (this.#failures.get(ip) ?? []).filter((t) => now - t < BAN_WINDOW_MS);
    recent.push(now);
    if (recent.length >= BAN_THRESHOLD) {
      this.#bannedUntil.set(ip, now + BAN_DURATION_MS);
      this.#failures.delete(ip);
    } else {
      this.#failures.set(ip, recent);
    }
  }

  clear(): void {
    this.#failures.clear();
    this.#bannedUntil.clear();
  }
}
