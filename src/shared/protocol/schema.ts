/**
 * Schema helpers every hop of the protocol uses (protocol/*.ts): schemas built on first use, and
 * one safe parse for anything that crosses a hop (anything that does not match is dropped).
 */
import * as v from 'valibot';

/**
 * Schemas are built on first use, so a bundle that only needs names and types (the recorder)
 * carries no validation code at all.
 */
export function lazySchema<T>(build: () => T): () => T {
  let schema: T | undefined;
  return () => {
    if (schema === undefined) schema = build();
    return schema;
  };
}

export const shortString = () => v.pipe(v.string(), v.maxLength(300));
/** An id the panel or the background made with crypto.randomUUID, or a profile's. */
export const requestIdSchema = () => v.pipe(v.string(), v.regex(/^[A-Za-z0-9-]{1,64}$/));
export const profileIdSchema = () => v.pipe(v.string(), v.regex(/^[0-9a-f-]{36}$/));

/** Parses a message from another hop; returns undefined for anything that does not match. */
export function parseMessage<T>(schema: () => v.GenericSchema<unknown, T>, data: unknown): T | undefined {
  // Nothing we send nests deeper than ~20 levels: refuse deeper input before the recursive
  // validator can spend long on it or overflow the stack.
  if (nestedDeeperThan(data, 40)) return undefined;
  try {
    const r = v.safeParse(schema(), data);
    return r.success ? r.output : undefined;
  } catch {
    return undefined;
  }
}

/** Iterative depth check (no recursion, so it cannot overflow itself). */
function nestedDeeperThan(data: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[data, 0]];
  let visited = 0;
  while (stack.length) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (node === null || typeof node !== 'object') continue;
    if (depth > limit || ++visited > 200_000) return true;
    for (const key in node) {
      const child = (node as Record<string, unknown>)[key];
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
