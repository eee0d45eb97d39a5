/**
 * docs/report-schema.md as a valibot schema: what `talk-inspector check --json` prints (one array of
 * reports, each with its `check` field, and error entries for pages that could not be checked).
 * Strict: a field the document does not describe fails, so the document and the output cannot
 * drift apart unnoticed. Check ids are passed in (the tests take them from the document itself).
 */
import * as v from 'valibot';

const isoDate = () => v.pipe(v.string(), v.isoTimestamp());
const nullableString = () => v.nullable(v.string());
const status = () => v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(999));
const fingerprint = () => v.pipe(v.string(), v.regex(/^[0-9a-f]{12}$/));
const tool = () => v.strictObject({ name: v.literal('Talk Inspector'), version: v.pipe(v.string(), v.regex(/^\d+\.\d+\.\d+/)) });

export const EXPECTATION_WORDS = ['verified', 'not-verified', 'no-talk', 'no-snippet'] as const;

const checkMeta = () =>
  v.strictObject({
    expected: v.nullable(v.picklist(EXPECTATION_WORDS)),
    asExpected: v.boolean(),
    finalUrl: nullableString(),
    httpStatus: v.nullable(status()),
    settled: v.boolean(),
    durationMs: v.pipe(v.number(), v.minValue(0)),
  });

/** One report (schema version 1), plus the `check` field the command adds. */
export function reportSchema(checkIds?: readonly string[]) {
  const id = checkIds ? v.picklist(checkIds as string[]) : v.pipe(v.string(), v.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/));
  return v.strictObject({
    schema: v.literal('talk-inspector-report'),
    schemaVersion: v.literal(1),
    generatedAt: isoDate(),
    tool: tool(),
    page: v.strictObject({ url: v.string(), loadedAt: v.union([isoDate(), v.literal('')]) }),
    verdict: v.strictObject({
      kind: v.picklist(['verified', 'not-verified', 'talk-disabled', 'no-snippet', 'unknown']),
      headline: v.pipe(v.string(), v.minLength(1)),
      ruleId: v.nullable(id),
      /** A security problem to fix whatever the verdict (an exposed API key); optional: added after version 1 was written. */
      alert: v.optional(v.nullable(v.string())),
    }),
    checklist: v.array(
      v.strictObject({
        id,
        title: v.pipe(v.string(), v.minLength(1)),
        status: v.picklist(['pass', 'warn', 'fail', 'skip']),
        evidence: v.array(v.string()),
        fix: nullableString(),
        docStep: nullableString(),
      }),
    ),
    configuration: v.strictObject({
      captureKey: nullableString(),
      instance: nullableString(),
      dataSourceId: nullableString(),
      captureKeyProblem: nullableString(),
      captureUrl: nullableString(),
      captureRegion: v.string(),
      scriptUrl: nullableString(),
      scriptRegion: nullableString(),
      initCalls: v.pipe(v.number(), v.integer(), v.minValue(0)),
      talkDisabledBy: v.array(v.string()),
      cookiePath: nullableString(),
      // Optional since issue 13.
      keyCreatedAt: v.optional(v.nullable(isoDate())),
      integration: v.optional(v.strictObject({ kind: v.picklist(['snippet', 'magento', 'woocommerce', 'webview']), basis: v.picklist(['seen', 'inferred']) })),
      configSource: v.optional(v.nullable(v.picklist(['call', 'ap3c', 'queued', 'settings']))),
      snippetScript: v.optional(v.nullable(v.strictObject({ url: v.string(), source: v.picklist(['dom', 'network']) }))),
      captureScriptLoads: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
    }),
    csp: v.optional(
      v.array(
        v.strictObject({
          target: v.picklist(['script', 'capture-api', 'talk', 'snippet']),
          directive: v.string(),
          blocked: v.string(),
          disposition: v.picklist(['enforce', 'report']),
          policyDirective: nullableString(),
        }),
      ),
    ),
    ap3cLifecycle: v.optional(
      v.strictObject({ removed: v.boolean(), removedAt: v.nullable(v.number()), replacedAt: v.nullable(v.number()), latestRunError: nullableString() }),
    ),
    pageErrors: v.optional(v.array(v.strictObject({ at: v.number(), message: v.string() }))),
    token: v.nullable(
      v.strictObject({
        source: v.picklist(['init', 'setVerifiedSession']),
        length: v.pipe(v.number(), v.integer(), v.minValue(0)),
        charset: v.string(),
        fingerprint: v.union([fingerprint(), v.literal('')]),
        problems: v.array(v.string()),
        jwt: v.nullable(
          v.strictObject({
            issuedAt: v.nullable(isoDate()),
            notBefore: v.nullable(isoDate()),
            expiresAt: v.nullable(isoDate()),
            expired: v.boolean(),
            alg: nullableString(),
          }),
        ),
        value: v.optional(v.string()),
      }),
    ),
    widget: v.strictObject({ present: v.boolean(), visible: v.boolean(), notVerifiedLabel: v.nullable(v.boolean()) }),
    cookies: v.array(v.strictObject({ name: v.string(), firstSeen: v.optional(v.string()), sessionStart: v.optional(v.string()) })),
    network: v.nullable(
      v.strictObject({
        scripts: v.array(v.strictObject({ url: v.string(), status: status(), error: nullableString() })),
        widgetsGets: v.array(v.strictObject({ url: v.string(), status: status(), tk: v.nullable(v.boolean()), tokenFingerprint: v.nullable(fingerprint()) })),
        pageTalkSessionCalls: v.array(v.strictObject({ url: v.string(), status: status(), apiKeyFingerprint: v.nullable(fingerprint()) })),
      }),
    ),
    timeline: v.array(v.strictObject({ at: v.union([isoDate(), v.literal('')]), event: v.string(), args: nullableString() })),
    timelineDropped: v.pipe(v.number(), v.integer(), v.minValue(0)),
    timelineTrimmed: v.optional(v.strictObject({ events: v.number(), args: v.number() })),
    check: v.optional(checkMeta()),
  });
}

/** A page `check` could not diagnose. */
export const checkErrorSchema = () =>
  v.strictObject({
    schema: v.literal('talk-inspector-check-error'),
    schemaVersion: v.literal(1),
    generatedAt: isoDate(),
    tool: tool(),
    page: v.strictObject({ url: v.string() }),
    error: v.strictObject({
      kind: v.picklist(['timeout', 'unreachable', 'not-inspectable', 'no-report', 'script', 'browser']),
      message: v.pipe(v.string(), v.minLength(1)),
    }),
    check: checkMeta(),
  });

/** The whole `--json` output. */
export const checkOutputSchema = (checkIds?: readonly string[]) => v.array(v.variant('schema', [reportSchema(checkIds), checkErrorSchema()]));
