/**
 * Token requests for the panel: the key is read here and only here; one request in flight per
 * identical body and profile (a second ask joins the first); progress (429 countdowns) and the
 * outcome go back to every panel that asked.
 */
import browser from 'webextension-polyfill';
import { apiBaseOf } from '../shared/profiles.ts';
import type { FlowOutcome, FlowProgress } from '../shared/talk-session.ts';
import { TOKEN_REQUEST_DATA } from '../shared/talk-session.ts';
import { listProfiles, readKey } from './key-store.ts';
import { sendSessionRequest } from './talk-session/flow.ts';

const inFlight = new Map<string, { listeners: Set<(p: FlowProgress) => void>; done: Promise<FlowOutcome> }>();

export function requestToken(profileId: string, body: Record<string, unknown>, onProgress: (p: FlowProgress) => void): Promise<FlowOutcome> {
  const id = `${profileId}|${JSON.stringify(body)}`;
  const running = inFlight.get(id);
  if (running) {
    running.listeners.add(onProgress);
    return running.done;
  }
  const listeners = new Set([onProgress]);
  const done = run(profileId, body, (p) => {
    for (const l of listeners) l(p);
  }).finally(() => inFlight.delete(id));
  inFlight.set(id, { listeners, done });
  return done;
}

async function run(profileId: string, body: Record<string, unknown>, onProgress: (p: FlowProgress) => void): Promise<FlowOutcome> {
  const profile = (await listProfiles()).find((p) => p.id === profileId);
  const base = profile ? apiBaseOf(profile) : null;
  if (!profile || !base)
    return {
      ok: false,
      attempts: 0,
      error: { kind: 'bad-profile', message: 'That API key profile no longer exists, or its address is invalid. Choose another profile.' },
    };
  if (!(await consentGiven()))
    return {
      ok: false,
      attempts: 0,
      error: {
        kind: 'no-consent',
        message: 'Firefox has not been allowed to send your API key and this person to Ortto. Open "Manage API keys" and save the profile again to be asked.',
      },
    };
  const key = await readKey(profileId);
  if (!key)
    return {
      ok: false,
      attempts: 0,
      error: { kind: 'no-key', message: 'The key of this profile is gone (it was kept only until the browser closed). Add it again in the options page.' },
    };
  return sendSessionRequest(base, key, body, onProgress, {
    fetch: (url, init) => fetch(url, init),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    random: Math.random,
    now: Date.now,
  });
}

/** Firefox (data_collection_permissions): the engineer allowed what a token request sends. Elsewhere there is nothing to allow. */
async function consentGiven(): Promise<boolean> {
  if (!browser.runtime.getManifest().browser_specific_settings?.gecko) return true;
  try {
    return await (browser.permissions as unknown as { contains(p: { data_collection: string[] }): Promise<boolean> }).contains({
      data_collection: [...TOKEN_REQUEST_DATA],
    });
  } catch {
    return false;
  }
}
