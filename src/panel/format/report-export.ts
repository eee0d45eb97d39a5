/**
 * Exportable QA reports (JSON and Markdown) built from a diagnosis. Pure. The schema is versioned
 * and documented in docs/report-schema.md. Tokens appear only as fingerprints unless the user asks
 * for them; API keys never appear (only the fingerprint of a key the page itself exposed).
 */

import { fingerprint } from '../../shared/analysis/fingerprint.ts';
import type { Diagnosis } from '../../shared/analysis/index.ts';
import { describeEvent } from '../../shared/analysis/page-summary.ts';
import { REGION_NAMES } from '../../shared/analysis/region.ts';
import type { RuleResult } from '../../shared/analysis/rules.ts';
import { fixTriedOn } from '../try-fix/fix-plan.ts';
import { mdCode, mdText } from './markdown.ts';
import { snapText } from './snap-text.ts';

export const REPORT_SCHEMA = 'talk-inspector-report';
export const REPORT_SCHEMA_VERSION = 1;

export interface ExportOptions {
  includeToken: boolean;
  generatedAt: Date;
  toolVersion: string;
}

export interface ExportedReport {
  schema: typeof REPORT_SCHEMA;
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  generatedAt: string;
  tool: { name: 'Talk Inspector'; version: string };
  page: { url: string; loadedAt: string };
  verdict: { kind: string; headline: string; ruleId: string | null };
  checklist: RuleResult[];
  configuration: {
    captureKey: string | null;
    instance: string | null;
    dataSourceId: string | null;
    captureKeyProblem: string | null;
    captureUrl: string | null;
    captureRegion: string;
    scriptUrl: string | null;
    scriptRegion: string | null;
    initCalls: number;
    talkDisabledBy: string[];
    cookiePath: string | null;
    /** When the capture key's data source was created (from its id), if the key decodes to a plausible date. */
    keyCreatedAt?: string | null;
    /** Which Ortto integration starts Ortto here, and whether a call of it was seen or only its names. */
    integration?: { kind: string; basis: 'seen' | 'inferred' };
    /** Where the capture key and URL come from: `call`, `ap3c`, `queued` or `settings` (the last two are inferred). */
    configSource?: string | null;
    /** The script the snippet loads, named whatever its name, and how it was found (`dom` or `network`). */
    snippetScript?: { url: string; source: 'dom' | 'network' } | null;
    /** How many times a capture script was loaded (the largest count any source gives). */
    captureScriptLoads?: number;
  };
  /** Content-Security-Policy violations that block (or would block) Ortto: what, the directive, the blocked URL. */
  csp?: { target: string; directive: string; blocked: string; disposition: 'enforce' | 'report'; policyDirective: string | null }[];
  /** What window.ap3c went through: removed or replaced (ms since the page's start), and the latest run's error. */
  ap3cLifecycle?: { removedAt: number | null; removed: boolean; replacedAt: number | null; latestRunError: string | null };
  /** Uncaught errors naming ap3c, and errors thrown through ap3c calls. */
  pageErrors?: { at: number; message: string }[];
  token: null | {
    source: 'init' | 'setVerifiedSession';
    length: number;
    charset: string;
    fingerprint: string;
    problems: string[];
    jwt: null | { issuedAt: string | null; notBefore: string | null; expiresAt: string | null; expired: boolean; alg: string | null };
    /** Present only when the user ticked "include token". */
    value?: string;
  };
  widget: { present: boolean; visible: boolean; notVerifiedLabel: boolean | null };
  cookies: { name: string; firstSeen?: string; sessionStart?: string }[];
  network: null | {
    scripts: { url: string; status: number; error: string | null }[];
    widgetsGets: { url: string; status: number; tk: boolean | null; tokenFingerprint: string | null }[];
    pageTalkSessionCalls: { url: string; status: number; apiKeyFingerprint: string | null }[];
  };
  timeline: { at: string; event: string; args: string | null }[];
  timelineDropped: number;
  /** Present when the report was trimmed to its storage budget: older events and calls whose arguments were left out. */
  timelineTrimmed?: { events: number; args: number };
  /**
   * Present when this load ran a fix tried with "Try on reload" (not the site's own ap3c.init
   * options): whether the first ap3c.init got it, and what changed (a token as its fingerprint).
   */
  fixTried?: { applied: boolean; changes: string[] };
}

const tokenFingerprintText = (value: string): string => `sha256:${fingerprint(value)}`;

export function buildReport(d: Diagnosis, opts: ExportOptions): ExportedReport {
  const { facts } = d;
  const report = facts.report;
  const token = facts.summary.token;
  const jwt = facts.token?.jwt ?? null;
  const hide = opts.includeToken ? (v: string) => v : tokenFingerprintText;
  const iso = (ms: number): string => (Number.isFinite(ms) ? new Date(ms).toISOString() : '');
  const tried = fixTriedOn(report, hide);
  return {
    schema: REPORT_SCHEMA,
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: opts.generatedAt.toISOString(),
    tool: { name: 'Talk Inspector', version: opts.toolVersion },
    page: { url: report.url, loadedAt: iso(report.timeOrigin) },
    verdict: { ...d.verdict },
    checklist: d.results.map((r) => ({ ...r, evidence: [...r.evidence] })),
    configuration: {
      captureKey: facts.summary.initCalls.at(-1)?.captureKey ?? null,
      instance: facts.captureKey?.ok ? facts.captureKey.instance : null,
      dataSourceId: facts.captureKey?.ok ? facts.captureKey.dataSourceId : null,
      captureKeyProblem: facts.captureKey && !facts.captureKey.ok ? facts.captureKey.problem : null,
      captureUrl: facts.captureUrl,
      captureRegion: REGION_NAMES[facts.captureRegion],
      scriptUrl: facts.scriptUrl,
      scriptRegion: facts.scriptRegion === null ? null : REGION_NAMES[facts.scriptRegion],
      initCalls: facts.summary.initCalls.length,
      talkDisabledBy: facts.summary.talkDisabledBy,
      cookiePath: facts.cookiePath.value,
      keyCreatedAt: facts.captureKey?.ok ? facts.captureKey.createdAt : null,
      integration: { kind: facts.summary.integration.kind, basis: facts.summary.integration.basis },
      configSource: facts.configSource,
      snippetScript: facts.snippetScript && { url: facts.snippetScript.url, source: facts.snippetScript.source },
      captureScriptLoads: facts.captureScriptLoads.count,
    },
    csp: [...facts.csp.blocking, ...facts.csp.reportOnly].map((f) => ({
      target: f.target,
      directive: f.violation.directive,
      blocked: f.violation.blocked,
      disposition: f.violation.disposition,
      policyDirective: f.applies ? `${f.applies.name} ${f.applies.value}`.trim() : null,
    })),
    ap3cLifecycle: {
      removed: facts.summary.lifecycle.removed !== null,
      removedAt: facts.summary.lifecycle.removed?.t ?? null,
      replacedAt: facts.summary.lifecycle.replacedAt,
      latestRunError: facts.summary.lifecycle.latestRunError?.message ?? null,
    },
    pageErrors: [
      ...facts.summary.pageErrors.map((e) => ({ at: e.t, message: e.message })),
      ...facts.summary.callErrors.map((e) => ({ at: e.t, message: `ap3c.${e.name} threw: ${e.message}` })),
    ].sort((a, b) => a.at - b.at),
    token:
      token && facts.token
        ? {
            source: token.source,
            length: facts.token.length,
            charset: facts.token.charset,
            fingerprint: facts.token.fingerprint,
            problems: facts.token.problems.map((p) => p.message),
            jwt: jwt && {
              issuedAt: jwt.issuedAt,
              notBefore: jwt.notBefore,
              expiresAt: jwt.expiresAt,
              expired: jwt.expired,
              alg: typeof jwt.header.alg === 'string' ? jwt.header.alg : null,
            },
            ...(opts.includeToken ? { value: token.value } : {}),
          }
        : null,
    widget: { present: report.widget.present, visible: report.widget.visible, notVerifiedLabel: report.widget.notVerifiedLabel },
    cookies: report.cookies.map((c) =>
      c.name === 'ap3c' && facts.ap3cCookie
        ? { name: c.name, firstSeen: facts.ap3cCookie.firstSeen, sessionStart: facts.ap3cCookie.sessionStart }
        : { name: c.name },
    ),
    network: facts.network && {
      scripts: facts.network.scripts.map(({ url, status, error }) => ({ url, status, error })),
      widgetsGets: facts.network.widgetsGets.map(({ url, status, tk, ttFingerprint }) => ({ url, status, tk, tokenFingerprint: ttFingerprint })),
      pageTalkSessionCalls: facts.network.talkSessionCalls.map(({ url, status, keyFingerprint }) => ({ url, status, apiKeyFingerprint: keyFingerprint })),
    },
    timeline: report.events.map((e) => ({
      at: iso(report.timeOrigin + e.t),
      event: describeEvent(e),
      args: e.args === undefined ? null : snapText(e.args, 4000, hide),
    })),
    timelineDropped: report.dropped,
    ...(report.trimmed ? { timelineTrimmed: { events: report.trimmed.events, args: report.trimmed.args } } : {}),
    ...(tried ? { fixTried: { applied: tried.applied, changes: tried.changes } } : {}),
  };
}

const STATUS_WORD: Record<RuleResult['status'], string> = { pass: '✅ pass', warn: '⚠️ warn', fail: '❌ fail', skip: '➖ skip' };
const orNone = (value: string | null, none: string): string => (value === null ? none : mdCode(value));

/**
 * Every string below that is not a literal of this function comes from the page or quotes it (the
 * checklist's evidence and fixes embed URLs, keys and paths): it goes through `mdCode` (values) or
 * `mdText` (sentences, table cells), so it renders as the text it is.
 */
export function toMarkdown(r: ExportedReport): string {
  const c = r.configuration;
  const lines: string[] = [
    '# Talk Inspector report',
    '',
    `**${mdText(r.verdict.headline)}**`,
    '',
    ...(r.fixTried
      ? [
          `> ${r.fixTried.applied ? 'This load ran a fix tried with Talk Inspector (Try on reload), not the site’s own ap3c.init options' : 'A fix tried with Talk Inspector (Try on reload) came too late for this load: it ran the site’s own options'}: ${mdText(r.fixTried.changes.join('; '))}.`,
          '',
        ]
      : []),
    `- Page: ${mdCode(r.page.url)}`,
    `- Generated: ${mdText(r.generatedAt)} (Talk Inspector ${mdText(r.tool.version)}, report schema ${r.schemaVersion})`,
    '',
    '## Checklist',
    '',
    '| Check | Result | Evidence | Fix |',
    '|---|---|---|---|',
    ...r.checklist.map(
      (row) =>
        `| ${mdText(row.title)} | ${STATUS_WORD[row.status]} | ${mdText(row.evidence.join('; '))} | ${mdText(row.fix ? `${row.fix}${row.docStep ? ` (guide: ${row.docStep})` : ''}` : '')} |`,
    ),
    '',
    '## Configuration',
    '',
    `- Capture key: ${orNone(c.captureKey, 'none')}${c.instance !== null ? ` (instance ${mdCode(c.instance)}, data source ${orNone(c.dataSourceId, 'unknown')}${c.keyCreatedAt ? `, created ${mdText(c.keyCreatedAt.slice(0, 10))}` : ''})` : ''}`,
    `- Capture URL: ${orNone(c.captureUrl, 'none')} (${mdText(c.captureRegion)})`,
    ...(c.integration ? [`- Integration: ${mdText(c.integration.kind)}${c.integration.basis === 'inferred' ? ' (inferred)' : ''}`] : []),
    `- Capture script: ${orNone(c.scriptUrl, 'not found')}${c.captureScriptLoads && c.captureScriptLoads > 1 ? `, loaded ${c.captureScriptLoads} times` : ''}`,
    ...(c.snippetScript && c.snippetScript.url !== c.scriptUrl ? [`- The snippet loads: ${mdCode(c.snippetScript.url)}`] : []),
    `- ap3c.init calls: ${c.initCalls}`,
    `- cookiePath: ${orNone(c.cookiePath, 'not set')}`,
    `- Talk disabled by: ${c.talkDisabledBy.map(mdText).join(', ') || 'nothing'}`,
    '',
    '## Token',
    '',
    r.token
      ? [
          `- From: ${mdText(r.token.source)}`,
          `- Length: ${r.token.length} (${mdText(r.token.charset)})`,
          `- Fingerprint: ${mdCode(`sha256:${r.token.fingerprint}`)}`,
          ...(r.token.value !== undefined ? [`- Value: ${mdCode(r.token.value)}`] : []),
          ...r.token.problems.map((p) => `- Problem: ${mdText(p)}`),
        ].join('\n')
      : 'No token.',
    '',
    '## Timeline',
    '',
    ...r.timeline.map((e) => `- ${mdText(e.at)} ${mdText(e.event)}${e.args ? ` — ${mdCode(e.args)}` : ''}`),
    ...(r.timelineDropped ? [`- (${r.timelineDropped} older events dropped)`] : []),
    '',
  ];
  return lines.join('\n');
}
