/** Reads the Talk widget's state from the DOM. Its inner structure is not public, so only text is trusted. */
import type { WidgetState } from '../shared/protocol/relay.ts';

export const WIDGET_HOST_ID = 'ap3-talk-widget-ui';
const NOT_VERIFIED = /not\s+verified/i;

export function findWidgetHost(doc: Document): HTMLElement | null {
  return doc.getElementById(WIDGET_HOST_ID);
}

export function readWidget(doc: Document): WidgetState {
  const host = findWidgetHost(doc);
  if (!host) return { present: false, inBody: false, visible: false, shadow: 'closed-or-none', notVerifiedLabel: null, text: '' };
  const root = host.shadowRoot;
  const text = (root ? root.textContent : host.textContent) ?? '';
  const visible = typeof host.checkVisibility === 'function' ? host.checkVisibility() : host.getClientRects().length > 0;
  return {
    present: true,
    inBody: host.parentElement === doc.body,
    visible: visible && hasVisibleContent(host, root),
    shadow: root ? 'open' : 'closed-or-none',
    notVerifiedLabel: root ? NOT_VERIFIED.test(text) : null,
    text: text.replace(/\s+/g, ' ').trim().slice(0, 2000),
  };
}

/** A host with a zero-size box can still show content through its shadow tree (fixed-position children). */
function hasVisibleContent(host: HTMLElement, root: ShadowRoot | null): boolean {
  const r = host.getBoundingClientRect();
  if (r.width > 0 && r.height > 0) return true;
  if (!root) return false;
  const elements = root.querySelectorAll('*');
  // A few dozen elements are enough to find the launcher; never walk a huge tree.
  for (let i = 0; i < elements.length && i < 50; i++) {
    const el = elements[i] as Element;
    if (el.localName === 'style' || el.localName === 'script') continue;
    const er = el.getBoundingClientRect();
    if (er.width > 0 && er.height > 0) return true;
  }
  return false;
}
