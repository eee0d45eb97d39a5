/** Everything the checklist rules look at, computed once from a page report (and network evidence, when the panel has it). Pure. */

import type { PageReport } from '../protocol/model.ts';
import { EventKind } from '../protocol/wire.ts';
import { snapGet, snapString } from '../snapshot.ts';
import { type Ap3cCookieInfo, decodeAp3cCookie } from './ap3c-cookie.ts';
import { type CaptureKeyInfo, decodeCaptureKey } from './capture-key.ts';
import { analyzeCookiePath, type CookiePathAnalysis } from './cookie-path.ts';
import { fingerprint } from './fingerprint.ts';
import type { NetworkEvidence } from './network.ts';
import { type PageSummary, summarize } from './page-summary.ts';
import { type RegionGuess, regionOfCaptureUrl, regionOfScriptUrl, regionsDisagree } from './region.ts';
import { analyzeToken, type TokenAnalysis } from './token.ts';

export interface Facts {
  report: PageReport;
  summary: PageSummary;
  network: NetworkEvidence | null;
  captureKey: CaptureKeyInfo | null;
  /** Distinct instance names named by the capture keys of every init call. */
  instances: string[];
  captureUrl: string | null;
  captureRegion: RegionGuess;
  scriptUrl: string | null;
  scriptRegion: RegionGuess | null;
  regionsDisagree: boolean;
  token: TokenAnalysis | null;
  tokenFingerprint: string | null;
  cookiePath: CookiePathAnalysis;
  trackBeforeInit: boolean;
  ap3cCookie: Ap3cCookieInfo | null;
  /** setVerifiedSession calls made after the visitor had interacted with the widget. */
  lateVerifiedSessions: number;
  /**
   * The page's own calls to the Talk session API (its secret API key is in the browser): the URLs,
   * and the fingerprints of the keys DevTools saw in them.
   */
  apiKeyExposure: { urls: string[]; keyFingerprints: string[] } | null;
}

export function collectFacts(report: PageReport, network: NetworkEvidence | null, nowMs: number): Facts {
  const summary = summarize(report);
  const lastInit = summary.initCalls[summary.initCalls.length - 1];
  const captureKey = lastInit ? decodeCaptureKey(lastInit.captureKey) : null;
  const instances = [...new Set(summary.initCalls.map((c) => decodeCaptureKey(c.captureKey)).flatMap((k) => (k.ok ? [k.instance] : [])))];
  const apiHost = report.ap3c.state === 'present' ? snapString(snapGet(report.ap3c.snap, 'apiHost')) : undefined;
  const captureUrl = lastInit?.captureUrl ?? apiHost ?? null;
  const captureRegion = captureUrl === null ? 'unknown' : regionOfCaptureUrl(captureUrl);
  const scriptUrl = report.scripts[0] ?? network?.scripts[0]?.url ?? null;
  const scriptRegion = scriptUrl === null ? null : regionOfScriptUrl(scriptUrl);
  const token = summary.token ? analyzeToken(summary.token.value, nowMs, summary.token.cut) : null;
  const firstInit = report.events.find((e) => e.kind === EventKind.Init);
  const interacted = report.widgetInteractedAt;
  return {
    report,
    summary,
    network,
    captureKey,
    instances,
    captureUrl,
    captureRegion,
    scriptUrl,
    scriptRegion,
    regionsDisagree: scriptRegion !== null && regionsDisagree(captureRegion, scriptRegion),
    token,
    tokenFingerprint: summary.token && !summary.token.cut ? fingerprint(summary.token.value) : null,
    cookiePath: analyzeCookiePath(summary.cookiePath ?? undefined, captureKey?.ok ? captureKey.instance : null),
    trackBeforeInit: report.events.some((e) => e.kind === EventKind.Track && (firstInit === undefined || e.seq < firstInit.seq)) && firstInit !== undefined,
    ap3cCookie: decodeAp3cCookie(report.cookies.find((c) => c.name === 'ap3c')?.value),
    lateVerifiedSessions: interacted === null ? 0 : summary.verifiedSessionCalls.filter((e) => e.t > interacted).length,
    apiKeyExposure: apiKeyExposureOf(report, network),
  };
}

function apiKeyExposureOf(report: PageReport, network: NetworkEvidence | null): Facts['apiKeyExposure'] {
  const urls = [...new Set([...report.talkSessionCalls, ...(network?.talkSessionCalls.map((c) => c.url) ?? [])])];
  if (urls.length === 0) return null;
  const keyFingerprints = [...new Set(network?.talkSessionCalls.flatMap((c) => (c.keyFingerprint ? [c.keyFingerprint] : [])) ?? [])];
  return { urls, keyFingerprints };
}
