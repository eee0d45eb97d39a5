/**
 * Content-Security-Policy violations (reported by the browser to the page, kept by the relay) read
 * against what the page does with Ortto: which of them blocked the capture script, the capture API
 * or another Ortto host, the directive that decided it, and the hosts to add. Pure.
 */
import { CAPTURE_API_PATH, CAPTURE_SCRIPT_PATH, isOrttoHost } from '../ortto-hosts.ts';
import type { CspViolation } from '../protocol/relay.ts';

/**
 * What a violation stopped: `script`, Ortto's capture script (or the script the snippet loads);
 * `capture-api`, a call to the capture API (`-/widgets/get`, events); `talk`, a connection to another
 * Ortto host (most likely Talk's own: its host is not public, so this is inferred); `snippet`, the
 * inline snippet itself.
 */
export type CspTarget = 'script' | 'capture-api' | 'talk' | 'snippet';

export interface CspFinding {
  target: CspTarget;
  violation: CspViolation;
  /** The directive of the policy that decided (the effective one, or the one it falls back to), and its sources. */
  applies: { name: string; value: string } | null;
  /** The origin to allow (`https://cdn3l.ink`), or null for an inline snippet. */
  origin: string | null;
}

export interface CspFacts {
  /** Enforced: these requests were blocked. */
  blocking: CspFinding[];
  /** Report-only policies: nothing was blocked, but an enforced copy of the policy would block these. */
  reportOnly: CspFinding[];
}

/** Which directives a browser consults, in order, for each effective directive (CSP level 3). */
const FALLBACKS: Record<string, string[]> = {
  'script-src-elem': ['script-src-elem', 'script-src', 'default-src'],
  'script-src-attr': ['script-src-attr', 'script-src', 'default-src'],
  'script-src': ['script-src', 'default-src'],
  'connect-src': ['connect-src', 'default-src'],
};

/** The directive of `policy` that decides `effective`, with its sources. */
export function applyingDirective(policy: string, effective: string): { name: string; value: string } | null {
  const directives = new Map<string, string>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), sources.join(' '));
  }
  for (const name of FALLBACKS[effective] ?? [effective]) {
    const value = directives.get(name);
    if (value !== undefined) return { name, value };
  }
  return null;
}

function urlOf(text: string | null | undefined): URL | null {
  if (!text) return null;
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/**
 * `scriptUrls`: the capture scripts and the scripts the snippet inserted; `captureUrl`: the capture
 * URL the page uses (2nd init argument, or what a queued command or the connector's settings say).
 * Violations about anything else are the page's own business and are left out.
 */
export function analyzeCsp(violations: readonly CspViolation[] | undefined, scriptUrls: readonly string[], captureUrl: string | null): CspFacts {
  const scriptOrigins = new Set(scriptUrls.flatMap((u) => urlOf(u)?.origin ?? []));
  const captureOrigin = urlOf(captureUrl)?.origin ?? null;
  const out: CspFacts = { blocking: [], reportOnly: [] };
  for (const v of violations ?? []) {
    const url = urlOf(v.blocked);
    let target: CspTarget | null = null;
    if (url === null) target = v.sample?.includes('ap3c') && v.directive.startsWith('script-src') ? 'snippet' : null;
    else if (v.directive.startsWith('script-src')) {
      // A custom tracking domain serves app.js from the capture host: that counts as Ortto's script too.
      if (scriptOrigins.has(url.origin) || url.origin === captureOrigin || isOrttoHost(url.hostname) || CAPTURE_SCRIPT_PATH.test(url.pathname))
        target = 'script';
    } else if (v.directive.startsWith('connect-src')) {
      if (url.origin === captureOrigin || CAPTURE_API_PATH.test(url.pathname)) target = 'capture-api';
      else if (isOrttoHost(url.hostname)) target = 'talk';
    }
    if (target === null) continue;
    const finding: CspFinding = { target, violation: v, applies: applyingDirective(v.policy, v.directive), origin: url ? url.origin : null };
    (v.disposition === 'report' ? out.reportOnly : out.blocking).push(finding);
  }
  return out;
}

const WHAT: Record<CspTarget, string> = {
  script: "Ortto's capture script",
  'capture-api': "Ortto's capture API",
  talk: "a connection to an Ortto host (most likely Talk's own; its host is not public)",
  snippet: 'the inline capture snippet (it mentions ap3c)',
};

/** One line of evidence for a finding. */
export function describeFinding(f: CspFinding): string {
  const applies = f.applies
    ? `${f.applies.name} ${f.applies.value || "(no sources: 'none')"}${f.applies.name !== f.violation.directive ? ` (${f.violation.directive} falls back to it)` : ''}`
    : f.violation.directive;
  const blocked = f.target === 'snippet' ? `an inline script ("${f.violation.sample ?? ''}")` : f.violation.blocked;
  return `${f.violation.disposition === 'report' ? 'Would block (report-only policy)' : 'Blocked'}: ${WHAT[f.target]}, ${blocked} — the page's Content-Security-Policy "${applies}"`;
}

/**
 * The change to make: the origins to add to script-src and connect-src. `captureUrl` names the
 * capture host even when the capture API has not been tried yet (the script was blocked first).
 */
export function cspFix(findings: readonly CspFinding[], captureUrl: string | null): string {
  const scriptOrigins = [...new Set(findings.filter((f) => f.target === 'script').flatMap((f) => (f.origin ? [f.origin] : [])))];
  const connect = new Set(findings.filter((f) => f.target === 'capture-api' || f.target === 'talk').flatMap((f) => (f.origin ? [f.origin] : [])));
  const capture = urlOf(captureUrl)?.origin;
  if (capture) connect.add(capture);
  const parts: string[] = [];
  const scriptDirective = findings.find((f) => f.target === 'script' && f.applies)?.applies?.name ?? 'script-src';
  if (scriptOrigins.length > 0)
    parts.push(
      `add ${scriptOrigins.join(' ')} to ${scriptDirective === 'default-src' ? 'script-src (the policy has none, so default-src applies: add a script-src that keeps its sources)' : scriptDirective}`,
    );
  if (findings.some((f) => f.target === 'snippet'))
    parts.push('allow the inline snippet (a nonce or hash in script-src, or load it from a file your policy allows)');
  if (connect.size > 0) parts.push(`add ${[...connect].join(' ')} to connect-src`);
  else parts.push("add your capture URL's host (the second ap3c.init argument) to connect-src");
  return `In the page's Content-Security-Policy (response header or <meta http-equiv>), ${parts.join(', and ')}. A custom tracking domain does not help while the policy blocks it.`;
}
