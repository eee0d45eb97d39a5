/**
 * Options page → background: API key profiles, through runtime.sendMessage, accepted only from the
 * extension's own pages. The key goes in once and never comes back out (profiles carry a hint only).
 */
import * as v from 'valibot';
import { PROFILE_LABEL_MAX, type ProfileInfo } from '../profiles.ts';
import { lazySchema, profileIdSchema } from './schema.ts';

/** Options page → background (runtime.sendMessage); accepted only from the extension's own pages. */
export const ProfileMsg = {
  List: 'profiles:list',
  Save: 'profiles:save',
  Rename: 'profiles:rename',
  Delete: 'profiles:delete',
  ForgetAll: 'profiles:forget-all',
} as const;

const profileInputSchema = () =>
  v.object({
    label: v.pipe(v.string(), v.maxLength(PROFILE_LABEL_MAX)),
    region: v.picklist(['default', 'eu', 'au', 'custom']),
    customBaseUrl: v.pipe(v.string(), v.maxLength(2048)),
    key: v.pipe(v.string(), v.maxLength(1024)),
    remember: v.boolean(),
  });

export const ProfileMessageSchema = /*#__PURE__*/ lazySchema(() =>
  v.variant('type', [
    v.object({ type: v.literal(ProfileMsg.List) }),
    v.object({ type: v.literal(ProfileMsg.Save), input: profileInputSchema() }),
    v.object({ type: v.literal(ProfileMsg.Rename), id: profileIdSchema(), label: v.pipe(v.string(), v.maxLength(PROFILE_LABEL_MAX)) }),
    v.object({ type: v.literal(ProfileMsg.Delete), id: profileIdSchema() }),
    v.object({ type: v.literal(ProfileMsg.ForgetAll) }),
  ]),
);
export type ProfileMessage = v.InferOutput<ReturnType<typeof ProfileMessageSchema>>;
export type ProfileAnswer = { ok: true; profiles: ProfileInfo[] } | { ok: false; errors: Record<string, string>; profiles: ProfileInfo[] };

/** The storage.local key of the API key profiles; the panel watches it to refresh its list. */
export const PROFILES_STORAGE_KEY = 'profiles';
