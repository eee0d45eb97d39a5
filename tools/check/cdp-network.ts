/**
 * The page's network as the panel sees it in DevTools, read over the Chrome DevTools Protocol:
 * every finished or failed request becomes a HAR-like entry (the shape `devtools.network` hands
 * the panel: `startedDateTime`, request method/url/headers/postData, response status, `_error`,
 * `_resourceType`) and is folded into the evidence by the panel's own `addEntry`
 * (src/shared/analysis/network.ts), which keeps only what the checklist needs and reduces
 * tokens and API keys to fingerprints at once. Nothing else of a request is kept.
 */
import type { CDPSession, Protocol } from 'puppeteer-core';
import { addEntry, EMPTY_NETWORK, type HarLikeEntry, type NetworkEvidence } from '../../src/shared/analysis/network.ts';

/**
 * Requests that started this long before a document's `timeOrigin` still count as its own: the
 * same slack as the panel's `evidenceSince` (src/panel/network-watch.ts), whose rule this follows.
 */
const CLOCK_SLACK_MS = 50;
/** Bodies of requests the checklist reads (-/widgets/get) are small; larger ones are not kept. */
const MAX_POST_DATA = 64 * 1024;

interface Pending {
  entry: HarLikeEntry;
  hasPostData: boolean;
}

export interface NetworkWatch {
  /** The evidence of the document that started loading at `timeOrigin` (ms since the epoch), as the panel filters it. */
  evidence(timeOrigin: number): NetworkEvidence;
  stop(): Promise<void>;
}

const headerList = (headers: Protocol.Network.Headers): { name: string; value: string }[] =>
  Object.entries(headers).map(([name, value]) => ({ name, value: String(value) }));

/** Starts recording the page's requests on `cdp` (a session on the page's target). */
export async function watchNetwork(cdp: CDPSession): Promise<NetworkWatch> {
  const pending = new Map<string, Pending>();
  // Each evidence list is bounded by addEntry; everything else of a request is dropped when it ends.
  let evidence: NetworkEvidence = EMPTY_NETWORK;
  let stopped = false;

  const finish = async (requestId: string, response?: { status: number; statusText?: string; _error?: string | null }): Promise<void> => {
    const p = pending.get(requestId);
    if (!p) return;
    pending.delete(requestId);
    if (p.hasPostData && p.entry.request.postData?.text === undefined) {
      // Bodies Chromium did not inline; the checklist reads -/widgets/get's only.
      if (/-\/widgets\/get/.test(p.entry.request.url)) {
        const body = await cdp.send('Network.getRequestPostData', { requestId }).catch(() => null);
        if (body && body.postData.length <= MAX_POST_DATA) p.entry.request.postData = { text: body.postData };
      }
    }
    if (stopped) return;
    evidence = addEntry(evidence, { ...p.entry, ...(response ? { response } : {}) });
  };

  const onRequest = (e: Protocol.Network.RequestWillBeSentEvent): void => {
    if (e.redirectResponse) {
      // The previous hop of a redirect is an entry of its own, as in a HAR.
      void finish(e.requestId, { status: e.redirectResponse.status, statusText: e.redirectResponse.statusText });
    }
    const r = e.request;
    const text = typeof r.postData === 'string' && r.postData.length <= MAX_POST_DATA ? r.postData : undefined;
    pending.set(e.requestId, {
      hasPostData: r.hasPostData === true,
      entry: {
        startedDateTime: new Date(e.wallTime * 1000).toISOString(),
        request: { method: r.method, url: r.url, headers: headerList(r.headers), ...(text !== undefined ? { postData: { text } } : {}) },
        ...(e.type ? { _resourceType: e.type.toLowerCase() } : {}),
      },
    });
  };
  const statuses = new Map<string, { status: number; statusText: string }>();
  const onResponse = (e: Protocol.Network.ResponseReceivedEvent): void => {
    statuses.set(e.requestId, { status: e.response.status, statusText: e.response.statusText });
  };
  const onFinished = (e: Protocol.Network.LoadingFinishedEvent): void => {
    const s = statuses.get(e.requestId);
    statuses.delete(e.requestId);
    void finish(e.requestId, { status: s?.status ?? 0, statusText: s?.statusText ?? '' });
  };
  const onFailed = (e: Protocol.Network.LoadingFailedEvent): void => {
    const s = statuses.get(e.requestId);
    statuses.delete(e.requestId);
    // As DevTools' HAR: the status if an answer came (a 404 script is cut off once its headers
    // arrive), else 0, and the network error (net::ERR_BLOCKED_BY_CLIENT, …) as _error.
    const error = e.errorText || (e.blockedReason ? `blocked: ${e.blockedReason}` : 'failed');
    void finish(e.requestId, { status: s?.status ?? 0, statusText: s?.statusText ?? '', _error: error });
  };

  cdp.on('Network.requestWillBeSent', onRequest);
  cdp.on('Network.responseReceived', onResponse);
  cdp.on('Network.loadingFinished', onFinished);
  cdp.on('Network.loadingFailed', onFailed);
  await cdp.send('Network.enable', { maxTotalBufferSize: 0, maxResourceBufferSize: 0, maxPostDataSize: MAX_POST_DATA });

  return {
    evidence(timeOrigin) {
      // Every list of the evidence, whichever the analysis has, filtered the same way.
      const since = timeOrigin - CLOCK_SLACK_MS;
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(evidence))
        out[key] = Array.isArray(value) ? value.filter((x: { at?: number }) => x.at === undefined || x.at === 0 || x.at >= since) : value;
      return out as unknown as NetworkEvidence;
    },
    async stop() {
      stopped = true;
      cdp.off('Network.requestWillBeSent', onRequest);
      cdp.off('Network.responseReceived', onResponse);
      cdp.off('Network.loadingFinished', onFinished);
      cdp.off('Network.loadingFailed', onFailed);
      pending.clear();
      statuses.clear();
      await cdp.detach().catch(() => undefined);
    },
  };
}
