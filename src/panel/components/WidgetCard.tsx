import type { Ap3cCookieInfo } from '../../shared/analysis/ap3c-cookie.ts';
import type { CookieInfo } from '../../shared/protocol/model.ts';
import type { WidgetState } from '../../shared/protocol/relay.ts';
import { visible } from '../format/visible-text.ts';

export function WidgetCard({ widget, cookies, ap3cCookie }: { widget: WidgetState; cookies: CookieInfo[]; ap3cCookie: Ap3cCookieInfo | null }) {
  const label =
    widget.notVerifiedLabel === null ? 'Unknown (widget content not readable)' : widget.notVerifiedLabel ? 'Shows "Not verified"' : 'No "Not verified" label';
  return (
    <section class="card" aria-labelledby="widget-title">
      <h2 id="widget-title">Talk widget</h2>
      <dl class="kv">
        <dt>On the page</dt>
        <dd data-testid="widget-present">{widget.present ? 'Yes' : 'No'}</dd>
        {widget.present && (
          <>
            <dt>Visible</dt>
            <dd data-testid="widget-visible">{widget.visible ? 'Yes' : 'No'}</dd>
            <dt>Verification label</dt>
            <dd data-testid="widget-label">{label}</dd>
          </>
        )}
        <dt>Ortto cookies</dt>
        <dd data-testid="cookies">{cookies.length ? visible(cookies.map((c) => c.name).join(', ')) : 'None'}</dd>
        {ap3cCookie && (
          <>
            <dt>Visitor first seen</dt>
            <dd>{ap3cCookie.firstSeen}</dd>
            <dt>Session started</dt>
            <dd>{ap3cCookie.sessionStart}</dd>
          </>
        )}
      </dl>
    </section>
  );
}
