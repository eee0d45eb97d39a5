/** Everything the checklist rules look at, computed once from a page report (and network evidence, when the panel has it). Pure. */

import { CAPTURE_SCRIPT_PATH } from '../ortto-hosts.ts';
import type { PageReport } from '../protocol/model.ts';
import { EventKind } from '../protocol/wire.ts';
import { snapGet, snapString } from '../snapshot.ts';
import { type Ap3cCookieInfo, decodeAp3cCookie } from './ap3c-cookie.ts';
import { type CaptureKeyInfo, decodeCaptureKey } from './capture-key.ts';
import { analyzeCookiePath, type CookiePathAnalysis } from './cookie-path.ts';
import { analyzeCsp, type CspFacts } from './csp.ts';
import { type SampleIdentity, type ScriptHostTypo, sampleIdentities, scriptHostTypos } from './doc-samples.ts';
import { fingerprint } from './fingerprint.ts';
import { type NamedVisitor, namedVisitor } from './identity.ts';
import type { NetworkEvidence, ScriptLoad } from './network.ts';
import { type InitCall, type PageSummary, summarize } from './page-summary.ts';
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
  /**
   * Where the capture key and URL come from: an init call (`call`), ap3c.apiHost (`ap3c`), an init
   * queued as data that never ran (`queued`), the WooCommerce plugin's settings (`settings`).
   * Only `call` and `ap3c` are what Ortto was actually given; the others are inferred.
   */
  configSource: 'call' | 'ap3c' | 'queued' | 'settings' | null;
  captureRegion: RegionGuess;
  scriptUrl: string | null;
  scriptRegion: RegionGuess | null;
  /**
   * The script the snippet loads, named whatever its file name (item: a consent manager's copy at
   * …/core/v4/appcues.js): inserted in the task that set window.ap3c up (`dom`), or, when that was
   * not seen, a failed script request in the network evidence (`network`).
   */
  snippetScript: { url: string; source: 'dom' | 'network'; captureShaped: boolean } | null;
  /** Failed loads of the snippet's script seen in the network evidence. */
  snippetScriptFailures: ScriptLoad[];
  csp: CspFacts;
  scriptHostTypos: ScriptHostTypo[];
  sampleIdentities: SampleIdentity[];
  /** The email the page passed to ap3c.track or an init call (who it says the visitor is, unproven), or null when none was recorded. */
  namedVisitor: NamedVisitor | null;
  /** How many times a capture script was loaded, the largest count any source gives, and each source's count. */
  captureScriptLoads: { count: number; sources: string[] };
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

/** The capture key and URL the page uses, and where they come from (see Facts.configSource). */
function configOf(
  report: PageReport,
  summary: PageSummary,
): { key: InitCall | { captureKey: string | undefined } | null; url: string | null; source: Facts['configSource'] } {
  const lastInit = summary.initCalls[summary.initCalls.length - 1];
  if (lastInit) return { key: lastInit, url: lastInit.captureUrl ?? null, source: 'call' };
  const apiHost = report.ap3c.state === 'present' ? snapString(snapGet(report.ap3c.snap, 'apiHost')) : undefined;
  if (apiHost !== undefined) return { key: null, url: apiHost, source: 'ap3c' };
  const queued = summary.queued?.dataInit;
  if (queued) return { key: queued, url: queued.captureUrl ?? null, source: 'queued' };
  const options = report.ap3Options;
  if (options !== undefined) {
    const key = snapString(snapGet(options, 'tracking_key'));
    const url = snapString(snapGet(options, 'capture_api_url')) ?? null;
    if (key !== undefined || url !== null) return { key: { captureKey: key }, url, source: 'settings' };
  }
  return { key: null, url: null, source: null };
}

/** The script the snippet inserted (a capture-shaped one first), else a failed script request DevTools saw. */
function snippetScriptOf(report: PageReport, network: NetworkEvidence | null): Facts['snippetScript'] {
  const inserted = report.snippetScripts ?? [];
  const dom = inserted.find((u) => CAPTURE_SCRIPT_PATH.test(u)) ?? inserted[0];
  if (dom !== undefined) return { url: dom, source: 'dom', captureShaped: CAPTURE_SCRIPT_PATH.test(dom) };
  const failed = network?.failedScripts?.[0];
  if (failed && report.scripts.length === 0) return { url: failed.url, source: 'network', captureShaped: false };
  return null;
}

export function captureScriptLoadsOf(report: PageReport, summary: PageSummary, network: NetworkEvidence | null): Facts['captureScriptLoads'] {
  const sources: [number, string][] = [
    [report.captureScriptElements ?? 0, 'capture <script> elements in the page'],
    [report.captureScriptLoads ?? 0, 'fetches (resource timing)'],
    [network?.scripts.filter((s) => s.status > 0 && s.status < 400).length ?? 0, 'loads in the network log'],
    [summary.captureScriptRuns, 'times the capture script set ap3c up (inferred: it defined ap3c.init and ap3c.track)'],
  ];
  const count = Math.max(0, ...sources.map(([n]) => n));
  return { count, sources: sources.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`) };
}

export function collectFacts(report: PageReport, network: NetworkEvidence | null, nowMs: number): Facts {
  const summary = summarize(report);
  const config = configOf(report, summary);
  const captureKey = config.key ? decodeCaptureKey(config.key.captureKey) : null;
  const instances = [...new Set(summary.initCalls.map((c) => decodeCaptureKey(c.captureKey)).flatMap((k) => (k.ok ? [k.instance] : [])))];
  const captureUrl = config.url;
  const captureRegion = captureUrl === null ? 'unknown' : regionOfCaptureUrl(captureUrl);
  const snippetScript = snippetScriptOf(report, network);
  const definedIn = report.ap3cDefinedIn !== undefined && CAPTURE_SCRIPT_PATH.test(report.ap3cDefinedIn) ? report.ap3cDefinedIn : undefined;
  // Only a capture-shaped address is called the capture script; another one the snippet loads is `snippetScript`.
  const scriptUrl = report.scripts[0] ?? definedIn ?? (snippetScript?.captureShaped ? snippetScript.url : undefined) ?? network?.scripts[0]?.url ?? null;
  const scriptRegion = scriptUrl === null ? null : regionOfScriptUrl(scriptUrl);
  const allScripts = [
    ...report.scripts,
    ...report.scriptErrors,
    ...(report.snippetScripts ?? []),
    ...(definedIn ? [definedIn] : []),
    ...(network?.scripts.map((s) => s.url) ?? []),
    ...(snippetScript?.source === 'network' ? [snippetScript.url] : []),
  ];
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
    configSource: config.source,
    captureRegion,
    scriptUrl,
    scriptRegion,
    snippetScript,
    snippetScriptFailures: snippetScript ? (network?.failedScripts ?? []).filter((s) => s.url === snippetScript.url) : [],
    csp: analyzeCsp(report.csp, allScripts, captureUrl),
    scriptHostTypos: scriptHostTypos(allScripts),
    sampleIdentities: sampleIdentities(report),
    namedVisitor: namedVisitor(report),
    captureScriptLoads: captureScriptLoadsOf(report, summary, network),
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
