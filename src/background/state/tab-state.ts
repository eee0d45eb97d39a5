/** How the background's per-tab state changes. Pure, so every transition is unit-tested. */

import type { CookieInfo, PageReport, PageUpdate, TabState } from '../../shared/protocol.ts';
import { inspectability } from './inspectable.ts';
import { reportFromUpdate } from './page-report.ts';

/** A relay's update: folded into the report of the same document, or the start of a new one. */
export function withPageUpdate(
  current: TabState | undefined,
  tabId: number,
  update: PageUpdate,
  cookies: CookieInfo[],
  now: number,
  documentId: string | null = null,
): TabState | undefined {
  const old = current?.report;
  return withReport(current, tabId, reportFromUpdate(old && old.docId === update.docId ? old : null, update, cookies), now, documentId);
}

export function withReport(
  current: TabState | undefined,
  tabId: number,
  report: PageReport,
  now: number,
  documentId: string | null = null,
): TabState | undefined {
  const old = current?.report;
  // A late report from a document the tab already left must not replace the newer one.
  if (old && old.docId !== report.docId && report.activeSince < old.activeSince) return undefined;
  return { tabId, url: report.url, ...inspectability(report.url), report, documentId, pendingNavigation: false, loadedWithoutReport: false, updatedAt: now };
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
    documentId: report ? (current?.documentId ?? null) : null,
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
  return { ...current, report: null, documentId: null, pendingNavigation: false, loadedWithoutReport: true, updatedAt: now };
}
