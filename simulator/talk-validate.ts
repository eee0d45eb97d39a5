// Body validation for POST /v1/talk/session, following the product document's field list.
import { isIP } from 'node:net';
import { isPlainObject } from './http-util.ts';

export interface TalkSessionRequest {
  email: string;
  name: string;
  personId?: string;
  mergeBy?: string[];
  mergeStrategy: 1 | 2 | 3;
  findStrategy: 0 | 1 | 2;
  skipNonExisting: boolean;
  sourceIp?: string;
}

export interface ValidationDetail {
  status: string;
  error: string;
}

export type ValidationResult = { ok: true; request: TalkSessionRequest } | { ok: false; details: ValidationDetail[] };

const PERSON_ID = /^[0-9a-f]{24}$/i;
// Field ids look like `str::email`, `phn::phone`, `str:cm:custom-field`.
const FIELD_ID = /^[a-z]{2,4}:[a-z0-9-]*:[a-z0-9_-]+$/i;

export function validateTalkSessionBody(body: unknown): ValidationResult {
  const details: ValidationDetail[] = [];
  const bad = (status: string, error: string): void => {
    details.push({ status, error });
  };
  if (!isPlainObject(body)) {
    return { ok: false, details: [{ status: 'invalid-body', error: 'request body must be a JSON object' }] };
  }

  const fields = body.fields;
  let email = '';
  let name = '';
  if (!isPlainObject(fields)) {
    bad('missing-field', 'fields is required and must be an object');
  } else {
    const e = fields['str::email'];
    const n = fields['str::name'];
    if (typeof e !== 'string' || e.trim() === '') bad('missing-field', 'fields.str::email is required');
    else if (!/^[^\s@]+@[^\s@]+$/.test(e)) bad('invalid-field', 'fields.str::email is not a valid email address');
    else email = e.trim().toLowerCase();
    if (typeof n !== 'string' || n.trim() === '') bad('missing-field', 'fields.str::name is required');
    else name = n;
  }

  const personId = body.person_id;
  if (personId !== undefined && !(typeof personId === 'string' && PERSON_ID.test(personId))) {
    bad('invalid-field', 'person_id must be 24 hexadecimal digits');
  }

  const mergeBy = body.merge_by;
  if (
    mergeBy !== undefined &&
    !(Array.isArray(mergeBy) && mergeBy.length >= 1 && mergeBy.length <= 3 && mergeBy.every((f) => typeof f === 'string' && FIELD_ID.test(f)))
  ) {
    bad('invalid-field', 'merge_by must be an array of 1 to 3 field ids');
  }

  const mergeStrategy = body.merge_strategy ?? 2;
  if (mergeStrategy !== 1 && mergeStrategy !== 2 && mergeStrategy !== 3) {
    bad('invalid-field', 'merge_strategy must be 1, 2 or 3');
  }
  const findStrategy = body.find_strategy ?? 0;
  if (findStrategy !== 0 && findStrategy !== 1 && findStrategy !== 2) {
    bad('invalid-field', 'find_strategy must be 0, 1 or 2');
  }
  const skip = body.skip_non_existing ?? false;
  if (typeof skip !== 'boolean') bad('invalid-field', 'skip_non_existing must be a boolean');

  let sourceIp: string | undefined;
  const location = body.location;
  if (location !== undefined) {
    if (!isPlainObject(location)) bad('invalid-field', 'location must be an object');
    else if (location.source_ip !== undefined) {
      if (typeof location.source_ip !== 'string' || isIP(location.source_ip) === 0) {
        bad('invalid-field', 'location.source_ip must be an IP address');
      } else sourceIp = location.source_ip;
    }
  }

  if (details.length > 0) return { ok: false, details };
  const request: TalkSessionRequest = {
    email,
    name,
    mergeStrategy: mergeStrategy as 1 | 2 | 3,
    findStrategy: findStrategy as 0 | 1 | 2,
    skipNonExisting: skip as boolean,
  };
  if (typeof personId === 'string') request.personId = personId.toLowerCase();
  if (Array.isArray(mergeBy)) request.mergeBy = mergeBy as string[];
  if (sourceIp !== undefined) request.sourceIp = sourceIp;
  return { ok: true, request };
}
