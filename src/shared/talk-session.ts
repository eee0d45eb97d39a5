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
  | { kind: 'network' | 'timeout' | 'malformed' | 'no-key' | 'bad-profile' | 'lost'; message: string };

export type FlowOutcome = { ok: true; session: SessionSuccess; attempts: number } | { ok: false; error: FlowError; attempts: number };

export interface FlowProgress {
  attempt: number;
  /** Set while waiting before a retry: when the next attempt starts (epoch ms). */
  retryAt: number | null;
  message: string;
}
