/**
 * Options page → background: profile management. Privileged: answers only the extension's own
 * pages (never a content script, a web page or another extension). The store is injected so the
 * sender checks are unit-tested without a browser.
 */

import { PROFILE_LABEL_MAX, type ProfileInfo, type ProfileInput, validateProfile } from '../shared/profiles.ts';
import { type ProfileAnswer, ProfileMessageSchema, ProfileMsg } from '../shared/protocol/options.ts';
import { parseMessage } from '../shared/protocol/schema.ts';
import { isOwnExtensionPage, type SenderLike } from './state/senders.ts';

export interface ProfileStore {
  list(): Promise<ProfileInfo[]>;
  save(input: ProfileInput): Promise<ProfileInfo>;
  rename(id: string, label: string): Promise<void>;
  remove(id: string): Promise<void>;
  forgetAll(): Promise<void>;
}

export function createProfileHandler(extensionId: string, extensionBaseUrl: string, store: ProfileStore) {
  /** Returns undefined for messages that are not profile messages or not from our pages (the caller then does not answer). */
  return (message: unknown, sender: SenderLike | undefined): Promise<ProfileAnswer> | undefined => {
    const msg = parseMessage(ProfileMessageSchema, message);
    if (!msg || !isOwnExtensionPage(sender, extensionId, extensionBaseUrl)) return undefined;
    return (async (): Promise<ProfileAnswer> => {
      switch (msg.type) {
        case ProfileMsg.Save: {
          const errors = validateProfile(msg.input, true);
          if (Object.keys(errors).length) return { ok: false, errors: errors as Record<string, string>, profiles: await store.list() };
          await store.save(msg.input);
          break;
        }
        case ProfileMsg.Rename: {
          const label = msg.label.trim();
          if (label === '' || label.length > PROFILE_LABEL_MAX)
            return { ok: false, errors: { label: `A name has 1 to ${PROFILE_LABEL_MAX} characters.` }, profiles: await store.list() };
          await store.rename(msg.id, label);
          break;
        }
        case ProfileMsg.Delete:
          await store.remove(msg.id);
          break;
        case ProfileMsg.ForgetAll:
          await store.forgetAll();
          break;
        case ProfileMsg.List:
          break;
      }
      return { ok: true, profiles: await store.list() };
    })();
  };
}
