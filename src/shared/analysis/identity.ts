/**
 * Who the page tells Ortto the visitor is, without a token: the commonest real install identifies
 * a signed-in person with `ap3c.track({email, …})` (Ortto's tracking-code help page, the WordPress
 * and Drupal installs in ortto-facts.md), and the Magento connector passes the customer's email in
 * its context. That names a contact; only a Talk token proves it. Pure.
 */
import type { PageReport } from '../protocol/model.ts';
import { EventKind } from '../protocol/wire.ts';
import type { Snap } from '../snapshot.ts';
import { isSampleIdentity } from './doc-samples.ts';

export interface NamedVisitor {
  email: string;
  /** The call it was passed to. */
  where: string;
}

/** An address as long as an email can be (RFC 5321): a cut string is never taken as one. */
const EMAIL = /^[^@\s]{1,64}@[^@\s]{1,189}$/;

/** `obj.email`, when it is a whole email address (not the help pages' example). */
function emailOf(snap: Snap | undefined): string | null {
  if (typeof snap !== 'object' || snap === null || snap.t !== 'obj') return null;
  const value = snap.entries.find(([key]) => key === 'email')?.[1];
  if (typeof value !== 'string') return null;
  const email = value.trim();
  return EMAIL.test(email) && !isSampleIdentity(email) ? email : null;
}

const argsOf = (snap: Snap | undefined): Snap[] => (typeof snap === 'object' && snap !== null && snap.t === 'arr' ? snap.items : []);

/**
 * The newest email the page passed where Ortto reads the visitor's identity, or null when none was
 * recorded: the top level of `ap3c.track`'s first argument, and the Magento connector's options
 * (`{context: {email}}`, or `{email}` in its older shape). Deeper emails (a friend's, an order's)
 * are someone else's.
 */
export function namedVisitor(report: PageReport): NamedVisitor | null {
  for (let i = report.events.length - 1; i >= 0; i--) {
    const e = report.events[i];
    if (!e) continue;
    const args = argsOf(e.args);
    if (e.kind === EventKind.Track) {
      const email = emailOf(args[0]);
      if (email) return { email, where: 'ap3c.track' };
    } else if (e.kind === EventKind.Init && e.name === 'initMagento') {
      const options = args[2];
      const context = typeof options === 'object' && options !== null && options.t === 'obj' ? options.entries.find(([k]) => k === 'context')?.[1] : undefined;
      const email = emailOf(context) ?? emailOf(options);
      if (email) return { email, where: 'ap3c.initMagento' };
    }
  }
  return null;
}
