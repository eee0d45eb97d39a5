/**
 * The support form for a Talk session request (POST {apiHost}v1/talk/session): validation, the
 * exact body, and a "copy as cURL" with a placeholder key. Pure. (What Ortto's answers mean is the
 * background's: background/talk-session/api.ts.)
 */
import { sessionEndpoint } from '../../shared/ortto-hosts.ts';

export interface SessionForm {
  email: string;
  name: string;
  /** str::first and str::last: optional. */
  firstName: string;
  lastName: string;
  /** phn::phone: optional, e.g. +61 400 000 000. */
  phone: string;
  personId: string;
  mergeBy: string[];
  mergeStrategy: 1 | 2 | 3;
  findStrategy: 0 | 1 | 2;
  skipNonExisting: boolean;
  sourceIp: string;
  /** Extra person fields: id with its type prefix (e.g. "str::company", "int::age", "bool::vip"). */
  extraFields: { id: string; value: string }[];
}

/**
 * A support engineer asks for a token for a person who should already be in Ortto: by default the
 * request creates no one (skip_non_existing) and changes no field of the person it finds
 * (merge_strategy 3, ignore). Ortto's own defaults (2, overwrite; false, create) are one choice away.
 */
export const EMPTY_FORM: SessionForm = {
  email: '',
  name: '',
  firstName: '',
  lastName: '',
  phone: '',
  personId: '',
  mergeBy: [],
  mergeStrategy: 3,
  findStrategy: 0,
  skipNonExisting: true,
  sourceIp: '',
  extraFields: [],
};

/** The person fields the form has boxes for; extra fields must not repeat them. */
const FORM_FIELDS = new Set(['str::email', 'str::name', 'str::first', 'str::last', 'phn::phone']);

export type FormErrors = Partial<Record<'email' | 'name' | 'phone' | 'personId' | 'mergeBy' | 'sourceIp' | 'extraFields', string>>;

const FIELD_ID = /^(str|int|bool|dtz|phn|geo|txt|decimal)::[a-z0-9_-]{1,100}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9a-f:]+$/i;

export function validateForm(f: SessionForm): FormErrors {
  const e: FormErrors = {};
  if (f.email.trim() === '') e.email = 'Email is required (str::email).';
  else if (!EMAIL.test(f.email.trim())) e.email = 'Enter an email address like pat@example.com.';
  if (f.name.trim() === '') e.name = 'Name is required (str::name).';
  if (f.phone.trim() !== '' && !/^\+?[0-9 ()-]{6,20}$/.test(f.phone.trim())) e.phone = 'Enter a phone number like +61 400 000 000, or leave it empty.';
  if (f.personId.trim() !== '' && !/^[0-9a-f]{24}$/i.test(f.personId.trim()))
    e.personId = 'A person id is 24 hexadecimal characters, e.g. 006281d8ff95c3ed70b70801.';
  if (f.mergeBy.length > 3) e.mergeBy = 'merge_by takes at most 3 field ids.';
  else if (f.mergeBy.some((id) => !FIELD_ID.test(id))) e.mergeBy = 'merge_by takes field ids such as str::email.';
  const ip = f.sourceIp.trim();
  if (ip !== '' && !IPV4.test(ip) && !(ip.includes(':') && IPV6.test(ip))) e.sourceIp = 'Enter an IPv4 or IPv6 address, or leave it empty.';
  const bad = f.extraFields.find((x) => !FIELD_ID.test(x.id.trim()));
  const repeated = f.extraFields.find((x) => FORM_FIELDS.has(x.id.trim().toLowerCase()));
  if (bad) e.extraFields = `"${bad.id}" is not a field id: write type::name, e.g. str::company, int::age, bool::vip.`;
  else if (repeated) e.extraFields = `${repeated.id} has its own box above.`;
  return e;
}

function fieldValue(id: string, value: string): unknown {
  if (id.startsWith('int::')) return Number.isInteger(Number(value)) ? Number(value) : value;
  if (id.startsWith('decimal::')) return Number.isFinite(Number(value)) ? Number(value) : value;
  if (id.startsWith('bool::')) return value === 'true' ? true : value === 'false' ? false : value;
  return value;
}

/** The JSON body, exactly as sent; members left at their defaults are still sent so the preview shows them. */
export function requestBody(f: SessionForm): Record<string, unknown> {
  const fields: Record<string, unknown> = { 'str::email': f.email.trim(), 'str::name': f.name.trim() };
  if (f.firstName.trim()) fields['str::first'] = f.firstName.trim();
  if (f.lastName.trim()) fields['str::last'] = f.lastName.trim();
  if (f.phone.trim()) fields['phn::phone'] = f.phone.trim();
  for (const x of f.extraFields) fields[x.id.trim()] = fieldValue(x.id.trim(), x.value);
  const body: Record<string, unknown> = {};
  if (f.mergeBy.length) body.merge_by = f.mergeBy;
  body.merge_strategy = f.mergeStrategy;
  body.find_strategy = f.findStrategy;
  body.skip_non_existing = f.skipNonExisting;
  if (f.personId.trim()) body.person_id = f.personId.trim().toLowerCase();
  body.fields = fields;
  if (f.sourceIp.trim()) body.location = { source_ip: f.sourceIp.trim() };
  return body;
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** A cURL command for the request. The key is always the placeholder, never the stored key. */
export function curlCommand(apiBase: string, body: Record<string, unknown>): string {
  return [
    `curl --request POST ${shellQuote(sessionEndpoint(apiBase))}`,
    `  --header 'X-Api-Key: YOUR-API-KEY-HERE'`,
    `  --header 'Content-Type: application/json'`,
    `  --data-raw ${shellQuote(JSON.stringify(body))}`,
  ].join(' \\\n');
}

/** What a request will do to the person in Ortto, in one line, and whether it needs a yes first. */
export function effectOf(f: Pick<SessionForm, 'personId' | 'skipNonExisting' | 'mergeStrategy' | 'mergeBy'>): { text: string; needsConfirmation: boolean } {
  const by = f.personId.trim() ? 'by its person id' : f.mergeBy.length ? `by ${f.mergeBy.join(', then ')}` : 'by email';
  const create = !f.skipNonExisting;
  const fields =
    f.mergeStrategy === 2
      ? 'overwrites its fields with the values typed here'
      : f.mergeStrategy === 1
        ? 'fills only its empty fields with the values typed here'
        : 'changes none of its fields';
  const text = `Finds the person ${by}${create ? ', or creates a new person if none matches,' : ' (creates no one if none matches)'} and ${fields}.`;
  return { text, needsConfirmation: create || f.mergeStrategy === 2 };
}

/**
 * Ortto's person_status in words (ortto-facts.md: by-id, merged, created; anything else as Ortto
 * wrote it). What happened to a person it found follows from the merge_strategy sent, which the
 * answer does not repeat: 3 changes none of their fields.
 */
export function personStatusText(status: string, mergeStrategy: SessionForm['mergeStrategy']): string {
  const fields =
    mergeStrategy === 2
      ? 'its fields overwritten with those sent'
      : mergeStrategy === 1
        ? 'only its empty fields filled from those sent'
        : 'none of its fields changed';
  switch (status) {
    case 'by-id':
      return `found by person id (${fields})`;
    case 'merged':
      return `found an existing person (${fields})`;
    case 'created':
      return 'created a new person';
    default:
      return status ? `Ortto says "${status}"` : 'Ortto did not say';
  }
}
