/** How the background's per-tab state changes. Pure, so every transition is unit-tested. */

import type { CookieInfo, PageReport, TabState } from '../../shared/protocol/model.ts';
import type { PageUpdate } from '../../shared/protocol/relay.ts';
import { inspectability } from './inspectable.ts';
import { reportFromUpdate } from './page-report.ts';

/** A relay's update: folded into the report of the same document, or the start of a new one. */
export function withPageUpdate(
  current: TabState | undefined,
  tabId: number,
  update: PageUpdate,
  cookies: CookieInfo[],
  now: number,
  browserDocumentId: string | null = null,
): TabState | undefined {
  const old = current?.report;
  return withReport(current, tabId, reportFromUpdate(old && old.relayDocId === update.relayDocId ? old : null, update, cookies), now, browserDocumentId);
}

export function withReport(
  current: TabState | undefined,
  tabId: number,
  report: PageReport,
  now: number,
  browserDocumentId: string | null = null,
): TabState | undefined {
  const old = current?.report;
  // A late report from a document the tab already left must not replace the newer one.
  if (old && old.relayDocId !== report.relayDocId && report.activeSince < old.activeSince) return undefined;
  return {
    tabId,
    url: report.url,
    ...inspectability(report.url),
    report,
    browserDocumentId,
    pendingNavigation: false,
    loadedWithoutReport: false,
    updatedAt: now,
  };
}

/** The tab started loading `url` (null when the browser hides it from the extension). */
export function withNavigation(current: TabState | undefined, tabId: number, url: string | null, now: number): TabState {
  const verdict = inspectability(url);
  // Keep the old report until the new document reports (it does within ~100 ms on web pages),
  // but never show it for a page the extension cannot see.
  const report = verdict.inspectable ? (current?.report ?? null) : null;
  return {
    tabId,
    url,
    ...verdict,
    report,
    browserDocumentId: report ? (current?.browserDocumentId ?? null) : null,
    pendingNavigation: verdict.inspectable,
    loadedWithoutReport: false,
    updatedAt: now,
  };
}

/**
 * The tab finished loading. Pages with Ortto report as soon as `ap3c` appears (long before load);
 * a document that is still silent now has no snippet (content scripts stay asleep there).
 */
export function withLoadComplete(current: TabState | undefined, now: number): TabState | undefined {
  if (!current?.pendingNavigation) return undefined;
  return { ...current, report: null, browserDocumentId: null, pendingNavigation: false, loadedWithoutReport: true, updatedAt: now };
}
