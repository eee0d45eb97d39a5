/**
 * API key profiles. The key of a profile is stored apart from its description and is read only
 * here, in the background, to send a request: it never goes to a page, a content script, a panel,
 * a log, a URL or an export. Remembered keys live in storage.local, the others in storage.session
 * (gone when the browser closes). Never the sync area: keys must not follow a browser account.
 */
import browser from 'webextension-polyfill';
import { keyHint, type ProfileInfo, type ProfileInput } from '../shared/profiles.ts';
import { PROFILES_STORAGE_KEY } from '../shared/protocol/options.ts';

const PROFILES = PROFILES_STORAGE_KEY;
const keyName = (id: string): string => `apikey:${id}`;

type Area = { setAccessLevel?: (o: { accessLevel: string }) => Promise<void> };

/**
 * Content scripts may read storage.local by default: restrict both areas to extension pages where
 * the browser can (Chrome). Firefox supports this for storage.session only (closed to content
 * scripts by default there) and has no switch for storage.local (Mozilla bug 1724754): our
 * content scripts never read storage, and docs/store.md says so.
 */
export async function lockStorage(): Promise<void> {
  for (const area of [browser.storage.local, browser.storage.session] as unknown as Area[]) {
    try {
      await area.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' });
    } catch {
      // Not supported for this area in this browser (Firefox's storage.local).
    }
  }
}

export async function listProfiles(): Promise<ProfileInfo[]> {
  const [local, session] = await Promise.all([browser.storage.local.get(PROFILES), browser.storage.session.get(PROFILES)]);
  const all = [...((local[PROFILES] as ProfileInfo[] | undefined) ?? []), ...((session[PROFILES] as ProfileInfo[] | undefined) ?? [])];
  return all.map((p) => ({ id: p.id, label: p.label, region: p.region, customBaseUrl: p.customBaseUrl, keyHint: p.keyHint, remember: p.remember }));
}

const areaOf = (remember: boolean) => (remember ? browser.storage.local : browser.storage.session);

async function writeList(remember: boolean, change: (list: ProfileInfo[]) => ProfileInfo[]): Promise<void> {
  const area = areaOf(remember);
  const got = await area.get(PROFILES);
  await area.set({ [PROFILES]: change((got[PROFILES] as ProfileInfo[] | undefined) ?? []) });
}

export async function saveProfile(input: ProfileInput): Promise<ProfileInfo> {
  const id = crypto.randomUUID();
  const key = input.key.trim();
  const profile: ProfileInfo = {
    id,
    label: input.label.trim(),
    region: input.region,
    customBaseUrl: input.region === 'custom' ? input.customBaseUrl.trim() : null,
    keyHint: keyHint(key),
    remember: input.remember,
  };
  await areaOf(input.remember).set({ [keyName(id)]: key });
  await writeList(input.remember, (list) => [...list, profile]);
  return profile;
}

export async function renameProfile(id: string, label: string): Promise<void> {
  for (const remember of [true, false]) await writeList(remember, (list) => list.map((p) => (p.id === id ? { ...p, label: label.trim() } : p)));
}

export async function deleteProfile(id: string): Promise<void> {
  for (const remember of [true, false]) {
    await writeList(remember, (list) => list.filter((p) => p.id !== id));
    await areaOf(remember).remove(keyName(id));
  }
}

export async function forgetAll(): Promise<void> {
  for (const remember of [true, false]) {
    const area = areaOf(remember);
    const all = await area.get(null);
    await area.remove(Object.keys(all).filter((k) => k === PROFILES || k.startsWith('apikey:')));
  }
}

/** The key of a profile, for the request about to be sent. Background only. */
export async function readKey(id: string): Promise<string | null> {
  for (const remember of [true, false]) {
    const got = await areaOf(remember).get(keyName(id));
    const key = got[keyName(id)];
    if (typeof key === 'string') return key;
  }
  return null;
}
