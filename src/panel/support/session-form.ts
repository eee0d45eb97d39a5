/**
 * The support form for a Talk session request (POST {apiHost}v1/talk/session): validation, the
 * exact body, and a "copy as cURL" with a placeholder key. Pure. (What Ortto's answers mean is the
 * background's: background/talk-session/api.ts.)
 */
import { sessionEndpoint } from '../../shared/ortto-hosts.ts';

export interface SessionForm {
  email: string;
  name: string;
  personId: string;
  mergeBy: string[];
  mergeStrategy: 1 | 2 | 3;
  findStrategy: 0 | 1 | 2;
  skipNonExisting: boolean;
  sourceIp: string;
  /** Extra person fields: id with its type prefix (e.g. "str::company", "int::age", "bool::vip"). */
  extraFields: { id: string; value: string }[];
}

export const EMPTY_FORM: SessionForm = {
  email: '',
  name: '',
  personId: '',
  mergeBy: [],
  mergeStrategy: 2,
  findStrategy: 0,
  skipNonExisting: false,
  sourceIp: '',
  extraFields: [],
};

export type FormErrors = Partial<Record<'email' | 'name' | 'personId' | 'mergeBy' | 'sourceIp' | 'extraFields', string>>;

const FIELD_ID = /^(str|int|bool|dtz|phn|geo|txt|decimal)::[a-z0-9_-]{1,100}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9a-f:]+$/i;

export function validateForm(f: SessionForm): FormErrors {
  const e: FormErrors = {};
  if (f.email.trim() === '') e.email = 'Email is required (str::email).';
  else if (!EMAIL.test(f.email.trim())) e.email = 'Enter an email address like pat@example.com.';
  if (f.name.trim() === '') e.name = 'Name is required (str::name).';
  if (f.personId.trim() !== '' && !/^[0-9a-f]{24}$/i.test(f.personId.trim()))
    e.personId = 'A person id is 24 hexadecimal characters, e.g. 006281d8ff95c3ed70b70801.';
  if (f.mergeBy.length > 3) e.mergeBy = 'merge_by takes at most 3 field ids.';
  else if (f.mergeBy.some((id) => !FIELD_ID.test(id))) e.mergeBy = 'merge_by takes field ids such as str::email.';
  const ip = f.sourceIp.trim();
  if (ip !== '' && !IPV4.test(ip) && !(ip.includes(':') && IPV6.test(ip))) e.sourceIp = 'Enter an IPv4 or IPv6 address, or leave it empty.';
  const bad = f.extraFields.find((x) => !FIELD_ID.test(x.id.trim()) || x.id.trim() === 'str::email' || x.id.trim() === 'str::name');
  if (bad) e.extraFields = `"${bad.id}" is not a field id with a type prefix (e.g. str::company, int::age, bool::vip).`;
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
