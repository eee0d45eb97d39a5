/**
 * Who may talk to the background. Pure: takes the sender the browser reports and the extension's
 * own id and base URL. Privileged requests come only from the extension's own pages; page reports
 * only from this extension's content script in a tab's top frame.
 */
export interface SenderLike {
  id?: string;
  url?: string;
  origin?: string;
  tab?: { id?: number };
  frameId?: number;
}

export function isOwnExtensionPage(sender: SenderLike | undefined, extensionId: string, extensionBaseUrl: string): boolean {
  if (!sender || sender.id !== extensionId || typeof sender.url !== 'string') return false;
  return sender.url.startsWith(extensionBaseUrl);
}

/** Returns the tab id of a top-frame content script of this extension on an http(s) page, or undefined. */
export function topFrameContentScriptTab(sender: SenderLike | undefined, extensionId: string): number | undefined {
  if (!sender || sender.id !== extensionId) return undefined;
  if (sender.frameId !== 0 || typeof sender.tab?.id !== 'number') return undefined;
  if (typeof sender.url !== 'string' || !/^https?:\/\//i.test(sender.url)) return undefined;
  return sender.tab.id;
}
