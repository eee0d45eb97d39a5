/**
 * What a Talk session request gives back, as the background reports it to the panel (types only:
 * the request itself is the background's, background/talk-session/).
 */

export interface SessionSuccess {
  session_id: string;
  token: string;
  person_id: string;
  person_status: string;
}

export interface OrttoError {
  status: number;
  code: string;
  /** What happened and what to do, for a person. */
  message: string;
  details: string[];
  requestId: string | null;
  tryInSeconds: number | null;
  retryable: boolean;
}

/** `lost`: the panel lost its link to the background (the worker stopped) before the outcome arrived. */
export type FlowError =
  | ({ kind: 'ortto' } & OrttoError)
  | { kind: 'network' | 'timeout' | 'malformed' | 'no-key' | 'bad-profile' | 'lost' | 'no-consent'; message: string };

export type FlowOutcome = { ok: true; session: SessionSuccess; attempts: number } | { ok: false; error: FlowError; attempts: number };

export interface FlowProgress {
  attempt: number;
  /** Set while waiting before a retry: when the next attempt starts (epoch ms). */
  retryAt: number | null;
  message: string;
}

/**
 * Firefox's data-collection categories a token request transmits (to Ortto, when the engineer asks):
 * the API key, and the person's email and name. Optional in the manifest: asked for when the first
 * API key profile is saved, so an integrator who never uses the support flow is never asked.
 */
export const TOKEN_REQUEST_DATA = ['authenticationInfo', 'personallyIdentifyingInfo'] as const;
