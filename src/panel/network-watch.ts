/**
 * Network evidence for the inspected page from DevTools: the HAR log (requests made before the
 * panel opened) plus every request that finishes afterwards. `addEntry` drops duplicates, so an
 * entry seen both ways counts once. Secrets are reduced to fingerprints by `addEntry` at once.
 */
import browser from 'webextension-polyfill';
import { addEntry, EMPTY_NETWORK, type HarLikeEntry, type NetworkEvidence } from '../shared/analysis/network.ts';

type DevtoolsNetwork = {
  getHAR(): Promise<{ entries?: HarLikeEntry[] }>;
  onRequestFinished: { addListener(cb: (entry: HarLikeEntry) => void): void; removeListener(cb: (entry: HarLikeEntry) => void): void };
  onNavigated: { addListener(cb: (url: string) => void): void; removeListener(cb: (url: string) => void): void };
};

/** Returns null outside DevTools (the panel opened as a page has no network view). */
export function watchNetwork(onEvidence: (evidence: NetworkEvidence) => void, shouldReset: () => boolean): { stop(): void } | null {
  const network = (browser as unknown as { devtools?: { network?: DevtoolsNetwork } }).devtools?.network;
  if (!network) return null;
  let evidence = EMPTY_NETWORK;
  const add = (entry: HarLikeEntry): void => {
    const next = addEntry(evidence, entry);
    if (next !== evidence) {
      evidence = next;
      onEvidence(evidence);
    }
  };
  const onNavigated = (): void => {
    if (!shouldReset()) return;
    evidence = EMPTY_NETWORK;
    onEvidence(evidence);
  };
  network.onRequestFinished.addListener(add);
  network.onNavigated.addListener(onNavigated);
  onEvidence(evidence);
  network
    .getHAR()
    .then((har) => {
      for (const entry of har.entries ?? []) add(entry);
    })
    .catch(() => undefined);
  return {
    stop() {
      network.onRequestFinished.removeListener(add);
      network.onNavigated.removeListener(onNavigated);
    },
  };
}
