/**
 * Who the page tells Ortto the visitor is, without a token: the commonest real install identifies
 * a signed-in person with `ap3c.track({email, …})` (Ortto's tracking-code help page, the WordPress
 * and Drupal installs in ortto-facts.md), and the Magento connector passes the customer's email in
 * its context. That names a contact; only a Talk token proves it. Pure.
 */
import type { PageReport } from '../protocol/model.ts';
import { EventKind } from '../protocol/wire.ts';
import type { Snap } from '../snapshot.ts';

export interface NamedVisitor {
  email: string;
  /** The call it was passed to. */
  where: string;
}

const WHERE: Partial<Record<string, string>> = {
  [EventKind.Track]: 'ap3c.track',
  [EventKind.Init]: 'ap3c.init',
};

/** The first `email` property holding an address, at most a few levels down (Magento: `{context: {email}}`). */
function emailIn(snap: Snap | undefined, depth = 0): string | null {
  if (depth > 3 || snap === undefined || snap === null || typeof snap !== 'object') return null;
  const children = snap.t === 'arr' ? snap.items.map((s) => ['', s] as const) : snap.t === 'obj' ? snap.entries : [];
  for (const [key, value] of children) {
    const text = typeof value === 'string' ? value : typeof value === 'object' && value?.t === 'str' ? value.v : null;
    if (text !== null && /^e-?mail$/i.test(key) && /^[^@\s]+@[^@\s]+$/.test(text.trim())) return text.trim();
  }
  for (const [, value] of children) {
    const found = emailIn(value, depth + 1);
    if (found) return found;
  }
  return null;
}

/** The newest email the page passed to ap3c.track or an init call (the person signed in last), or null when none was recorded. */
export function namedVisitor(report: PageReport): NamedVisitor | null {
  for (let i = report.events.length - 1; i >= 0; i--) {
    const e = report.events[i];
    const where = e && WHERE[e.kind];
    if (!e || !where) continue;
    const email = emailIn(e.args);
    if (email) return { email, where: e.kind === EventKind.Init && e.name ? `ap3c.${e.name}` : where };
  }
  return null;
}
