/**
 * Calls `onChange` when the Talk widget host appears, disappears or changes inside its open shadow
 * root. Observes <body>'s children only (not the whole tree) to stay cheap on large pages.
 */
import { findWidgetHost } from './widget-reader.ts';

export function watchWidget(doc: Document, onChange: () => void): { stop(): void } {
  let inner: MutationObserver | undefined;
  let watchedHost: HTMLElement | null = null;

  const attachInner = (): void => {
    const host = findWidgetHost(doc);
    if (host === watchedHost) return;
    inner?.disconnect();
    inner = undefined;
    watchedHost = host;
    if (host) {
      inner = new MutationObserver(onChange);
      inner.observe(host, { attributes: true });
      if (host.shadowRoot) inner.observe(host.shadowRoot, { childList: true, subtree: true, characterData: true, attributes: true });
    }
    onChange();
  };

  const outer = new MutationObserver(attachInner);
  const begin = (): void => {
    if (!doc.body) return;
    outer.observe(doc.body, { childList: true });
    attachInner();
  };
  if (doc.body) begin();
  else doc.addEventListener('DOMContentLoaded', begin, { once: true });

  return {
    stop() {
      outer.disconnect();
      inner?.disconnect();
    },
  };
}
