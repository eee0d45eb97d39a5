/** Whether the extension can inspect a URL, and if not, why — in words for a person. Pure. */
export interface Inspectability {
  inspectable: boolean;
  reason: string | null;
}

const STORE_HOSTS = ['chromewebstore.google.com', 'chrome.google.com', 'addons.mozilla.org', 'microsoftedge.microsoft.com'];

export function inspectability(url: string | null | undefined): Inspectability {
  if (!url) return { inspectable: false, reason: 'This page cannot be inspected: the browser does not let extensions see it.' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { inspectable: false, reason: 'This page cannot be inspected: its address is not a web address.' };
  }
  const scheme = parsed.protocol;
  if (scheme === 'file:')
    return { inspectable: false, reason: 'Local files (file://) cannot be inspected. Serve the page from a local web server (http://127.0.0.1/…) instead.' };
  if (scheme !== 'http:' && scheme !== 'https:')
    return {
      inspectable: false,
      reason: `Browser pages (${scheme}//) cannot be inspected: extensions are not allowed to run there. Open the website you want to check.`,
    };
  if (STORE_HOSTS.includes(parsed.hostname))
    return { inspectable: false, reason: 'Extension store pages cannot be inspected: the browser protects them from all extensions.' };
  return { inspectable: true, reason: null };
}
