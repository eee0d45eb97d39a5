/**
 * "Apply to this page": calls ap3c.talk.setVerifiedSession({token}) in the inspected tab's top
 * frame, in the page's MAIN world, with the token passed as an argument (no code built from
 * strings), and only on the document the engineer was looking at.
 */
import browser from 'webextension-polyfill';
import type { TabState } from '../shared/protocol/model.ts';
import type { ApplyResult } from '../shared/protocol/panel.ts';
import { RelayGlobal } from '../shared/protocol/relay.ts';

/** Runs in the page. Self-contained: it is serialised by scripting.executeScript. */
function setVerifiedSessionInPage(token: string): ApplyResult {
  let talk: { setVerifiedSession?: unknown } | undefined;
  try {
    talk = (window as unknown as { ap3c?: { talk?: { setVerifiedSession?: unknown } } }).ap3c?.talk;
  } catch {
    talk = undefined;
  }
  if (!talk || typeof talk.setVerifiedSession !== 'function')
    return {
      ok: false,
      reason: 'missing',
      message:
        'ap3c.talk.setVerifiedSession is not on this page (Talk disabled, or an older capture script). Use "Copy capture code" and put the token in ap3c.init instead.',
    };
  try {
    (talk.setVerifiedSession as (a: { token: string }) => unknown).call(talk, { token });
    return { ok: true };
  } catch (e) {
    const text = e && typeof e === 'object' && 'message' in e ? String((e as { message: unknown }).message) : String(e);
    return { ok: false, reason: 'threw', message: `ap3c.talk.setVerifiedSession threw an error: ${text.slice(0, 200)}` };
  }
}

/** Reads the relay's document id from the extension's private (isolated) world. Runs there: no imports. */
function readRelayDocId(name: string): unknown {
  return (globalThis as Record<string, unknown>)[name] ?? null;
}

const NAVIGATED: ApplyResult = {
  ok: false,
  reason: 'navigated',
  message: 'The page changed since you looked at it (reload or navigation). Nothing was applied: check the new page, then apply again.',
};

export async function applyToken(state: TabState | undefined, tabId: number, relayDocId: string, token: string): Promise<ApplyResult> {
  if (!state?.report || !state.inspectable) return { ok: false, reason: 'no-page', message: 'This tab has no page Talk Inspector can act on.' };
  if (state.report.relayDocId !== relayDocId) return NAVIGATED;
  // Chrome pins the call to the exact document; elsewhere the private marker is compared first.
  const target = state.browserDocumentId ? { tabId, documentIds: [state.browserDocumentId] } : { tabId, frameIds: [0] };
  try {
    const [probe] = await browser.scripting.executeScript({ target: target as { tabId: number }, func: readRelayDocId, args: [RelayGlobal.RelayDocId] });
    if (probe?.result !== relayDocId) return NAVIGATED;
    const [result] = await browser.scripting.executeScript({
      target: target as { tabId: number },
      world: 'MAIN',
      func: setVerifiedSessionInPage,
      args: [token],
    });
    return (result?.result as ApplyResult | undefined) ?? NAVIGATED;
  } catch {
    // A pinned document that is gone makes executeScript fail: that is a navigation too.
    return NAVIGATED;
  }
}
