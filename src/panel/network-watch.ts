/**
 * Network evidence for the inspected page from DevTools: the HAR log (requests made before the
 * panel opened) plus every request that finishes afterwards. `addEntry` drops duplicates, so an
 * entry seen both ways counts once. Secrets are reduced to fingerprints by `addEntry` at once.
 *
 * Which page load a request belongs to is told by its start time, never by DevTools' navigation
 * event: Firefox fires `devtools.network.onNavigated` only once the new page has finished
 * loading, after many of its requests (Chromium, when the navigation commits). Clearing the
 * evidence then lost the new page's `-/widgets/get`. `evidenceSince` keeps a document's requests.
 */
import browser from 'webextension-polyfill';
import { addEntry, EMPTY_NETWORK, type HarLikeEntry, type NetworkEvidence } from '../shared/analysis/network.ts';

type DevtoolsNetwork = {
  getHAR(): Promise<{ entries?: HarLikeEntry[] }>;
  onRequestFinished: { addListener(cb: (entry: HarLikeEntry) => void): void; removeListener(cb: (entry: HarLikeEntry) => void): void };
};

/**
 * Requests that started this long before a document's `performance.timeOrigin` still count as
 * its own: DevTools' clock (HAR `startedDateTime`) and the page's are read in different places. A
 * new document's first request starts after its navigation began, so nothing of it is lost; only
 * a request of the previous page started within this margin before the navigation would be kept.
 */
export const CLOCK_SLACK_MS = 50;

/**
 * The evidence of one document: requests that started at or after its navigation start (its
 * `timeOrigin`). Entries without a start time (`at` 0) are kept. Pure.
 */
export function evidenceSince(evidence: NetworkEvidence, timeOrigin: number): NetworkEvidence {
  const since = timeOrigin - CLOCK_SLACK_MS;
  const keep = <T extends { at: number }>(list: T[]): T[] =>
    list.some((x) => x.at !== 0 && x.at < since) ? list.filter((x) => x.at === 0 || x.at >= since) : list;
  const next: NetworkEvidence = {
    scripts: keep(evidence.scripts),
    widgetsGets: keep(evidence.widgetsGets),
    captureApi: keep(evidence.captureApi),
    talkSessionCalls: keep(evidence.talkSessionCalls),
    ...(evidence.failedScripts ? { failedScripts: keep(evidence.failedScripts) } : {}),
  };
  const same = (Object.keys(next) as (keyof NetworkEvidence)[]).every((k) => next[k] === evidence[k]);
  return same ? evidence : next;
}

/**
 * Collects the evidence of every request DevTools sees (each list bounded by `addEntry`) until
 * `stop()`, which removes the listener. Returns null outside DevTools (the panel opened as a page
 * has no network view).
 */
export function watchNetwork(onEvidence: (evidence: NetworkEvidence) => void): { stop(): void } | null {
  const network = (browser as unknown as { devtools?: { network?: DevtoolsNetwork } }).devtools?.network;
  if (!network) return null;
  let evidence = EMPTY_NETWORK;
  let stopped = false;
  const add = (entry: HarLikeEntry): void => {
    if (stopped) return;
    const next = addEntry(evidence, entry);
    if (next !== evidence) {
      evidence = next;
      onEvidence(evidence);
    }
  };
  network.onRequestFinished.addListener(add);
  onEvidence(evidence);
  network
    .getHAR()
    .then((har) => {
      for (const entry of har.entries ?? []) add(entry);
    })
    .catch(() => undefined);
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      network.onRequestFinished.removeListener(add);
    },
  };
}
