/**
 * The QA checklist: one rule per cause of "Not verified". Each rule is a pure function of the
 * collected facts and returns a status, the evidence it used, and — when it does not pass — the
 * change to make and the step of Ortto's guide ("Create a verified Talk session") it comes from.
 */
import { maskToken } from '../mask.ts';
import { API_HOSTS, DEFAULT_SCRIPT_URL } from '../ortto-hosts.ts';
import { cspFix, describeFinding } from './csp.ts';
import type { Facts } from './facts.ts';
import { INTEGRATION_NAMES } from './page-summary.ts';
import { apiHostFor, REGION_NAMES } from './region.ts';
import type { VerdictKind } from './verdict.ts';

export type RuleStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface RuleResult {
  id: RuleId;
  title: string;
  status: RuleStatus;
  evidence: string[];
  fix: string | null;
  /** The step of Ortto's guide the fix comes from. */
  docStep: string | null;
}

export const DOC_STEPS = {
  request: 'Request a Talk session token',
  add: 'Add the Talk token to your tracking code',
  switch: 'Switch to a verified session',
  snippet: 'Add the Talk token to your tracking code (the capture code itself)',
} as const;

/**
 * One cause. `verdict`: when this rule fails, the verdict it gives — the failing rule of lowest
 * `rank` (most fundamental cause first: a later cause cannot matter while an earlier one holds)
 * becomes the panel's one-sentence verdict. Rules without it only warn or inform.
 * `withoutRecorder`: the rule reads only what the DOM and the network show, so it still holds when
 * the page kept the recorder from working.
 */
export interface Rule {
  id: string;
  title: string;
  verdict?: { rank: number; kind: VerdictKind; say(r: RuleResult, f: Facts): string };
  withoutRecorder?: boolean;
  check(f: Facts): Omit<RuleResult, 'id' | 'title'>;
}

const pass = (...evidence: string[]) => ({ status: 'pass' as const, evidence, fix: null, docStep: null });
const skip = (why: string) => ({ status: 'skip' as const, evidence: [why], fix: null, docStep: null });
const fail = (evidence: string[], fix: string, docStep: string | null) => ({ status: 'fail' as const, evidence, fix, docStep });
const warn = (evidence: string[], fix: string, docStep: string | null) => ({ status: 'warn' as const, evidence, fix, docStep });

const noSnippet = (f: Facts): boolean => !f.summary.snippetFound;
const noInit = (f: Facts): boolean => f.summary.initCalls.length === 0;
const ms = (t: number): string => `${Math.round(t).toLocaleString('en-US')} ms`;
const INIT_NAMES = {
  init: 'ap3c.init',
  initMagento: 'ap3c.initMagento (Magento connector)',
  initWooCommerce: 'ap3c.initWooCommerce (WooCommerce plugin)',
} as const;

/** The connector whose own call to ap3c was recorded (it makes the init call: its options are not the page's to edit), or null. */
function connectorSeen(f: Facts): string | null {
  const { kind, basis } = f.summary.integration;
  return basis === 'seen' && (kind === 'magento' || kind === 'woocommerce') ? INTEGRATION_NAMES[kind] : null;
}

/** What is waiting on ap3c.cmd, in words ("unknown until init runs" for functions). */
export function queuedWords(f: Facts): string | null {
  const q = f.summary.queued;
  if (!q) return null;
  const parts: string[] = [];
  if (q.functions > 0)
    parts.push(
      `${q.functions} queued function(s) on ap3c.${q.queue} that the capture script never ran: what they pass to ap3c.init (key, URL, token) is unknown until init runs`,
    );
  if (q.data.length > 0) parts.push(`${q.data.length} queued data entr${q.data.length === 1 ? 'y' : 'ies'} on ap3c.${q.queue}, not run yet`);
  return parts.join('; ');
}

export const RULES = [
  {
    id: 'inspector-connected',
    withoutRecorder: true,
    verdict: {
      rank: 1,
      kind: 'unknown',
      say: (_, f) =>
        f.report.interference === 'batch-lost'
          ? "The page's ap3c calls carried more than the inspector can pass on, so the cause cannot be told: part of what the page did was lost."
          : 'This page interfered with the inspector, so the cause cannot be told: what the page did with ap3c could not be recorded.',
    },
    title: 'The inspector could record this page',
    check: (f) => {
      const why = f.report.interference;
      if (!why) return pass(f.report.recorderPaired ? 'The recorder in the page answered' : 'Nothing in the page got in the way');
      return fail(
        [
          why === 'no-pairing'
            ? "The inspector's recorder could not connect: something in the page intercepted its start-up messages"
            : why === 'batch-lost'
              ? "Part of what the inspector's recorder saw could not be passed on (too large, over 4 MB at once: the page's ap3c calls carried very large values), so some of it was lost"
              : "The inspector's recorder stopped answering when asked what the page did",
          'So what the page did with ap3c is unknown (not "none"); the widget and scripts are still read directly from the page.',
        ],
        why === 'batch-lost'
          ? 'Reload the page with the panel open. If this stays, look at what the page passes to ap3c (very large objects in ap3c.track calls, say): the inspector cannot pass on more than 4 MB at once.'
          : 'Reload the page. If this stays, a script that runs first (a tag manager, an anti-tamper or bot-protection script, or the page that opened this tab) interferes with the inspector: try with it removed.',
        null,
      );
    },
  },
  {
    id: 'opened-by-same-site',
    withoutRecorder: true,
    title: 'No other page of this site could change this tab first',
    check: (f) =>
      f.report.opener === 'same-origin'
        ? warn(
            [
              'This tab was opened by another page of this site (window.open)',
              'That page can run code in this tab before the inspector starts, and change what the inspector records',
            ],
            'If anything here looks wrong, open this address in a new tab yourself and check again.',
            null,
          )
        : pass('This tab was not opened by a page of this site (or that page let go of it)'),
  },
  {
    id: 'snippet-present',
    verdict: { rank: 2, kind: 'no-snippet', say: () => "Ortto's capture code is not on this page, so Talk cannot run here." },
    title: 'Ortto capture snippet is on the page',
    check: (f) =>
      f.summary.snippetFound
        ? pass(f.summary.ap3cUnreadable ? `window.ap3c exists (${f.summary.ap3cUnreadable})` : 'window.ap3c was defined by the page')
        : fail(
            ['window.ap3c was never defined on this page'],
            "Add Ortto's capture code (Settings → Tracking code in Ortto) to this page's <head>.",
            DOC_STEPS.snippet,
          ),
  },
  {
    id: 'ap3c-intact',
    verdict: {
      rank: 2.2,
      kind: 'not-verified',
      say: (r) => `${r.evidence[0] ?? 'window.ap3c no longer holds Ortto'}: Ortto is not running on this page now, so Talk cannot verify anyone here.`,
    },
    title: "window.ap3c still holds Ortto's object",
    check: (f) => {
      if (noSnippet(f)) return skip('No snippet on the page.');
      const { lifecycle } = f.summary;
      const error = lifecycle.latestRunError;
      const threw = error ? `the snippet's latest run threw at ${ms(error.t)}: "${error.message}"` : null;
      const talkNote =
        'ap3c.talk.setVerifiedSession cannot be reached through window.ap3c; a Talk widget still on the page is left from the earlier run and keeps its identity (inferred).';
      if (lifecycle.removed) {
        const when = lifecycle.removed.t === null ? 'by the time the page was read' : `at ${ms(lifecycle.removed.t)}`;
        return fail(
          [`The page removed window.ap3c ${when} (${lifecycle.removed.how})${threw ? `, and ${threw}` : ''}`, talkNote],
          threw && /already been declared/i.test(threw)
            ? "Keep window.ap3c for the page's life (do not set it to undefined on route changes). If the snippet must run again, declare ap3c with var or use window.ap3c only: a let/const ap3c throws \"Identifier 'ap3c' has already been declared\" on its second run and nothing of it runs."
            : "Keep window.ap3c for the page's life: do not remove it on route changes; run the snippet once per page load and call ap3c.track on a route change.",
          DOC_STEPS.snippet,
        );
      }
      if (lifecycle.replacedAt !== null && !lifecycle.currentSetUp)
        return fail(
          [
            `The page replaced window.ap3c at ${ms(lifecycle.replacedAt)} with an object the capture script never set up${threw ? `, and ${threw}` : ''}`,
            talkNote,
          ],
          'Do not replace window.ap3c after the snippet ran; if the snippet runs again, it must load the capture script again too.',
          DOC_STEPS.snippet,
        );
      if (threw && lifecycle.runs > 0)
        return warn(
          [`${threw[0]?.toUpperCase()}${threw.slice(1)}: that run did nothing; the earlier one still holds`],
          /already been declared/i.test(threw)
            ? 'Declare ap3c with var (or use window.ap3c only) in a snippet that may run twice: a let/const declaration throws on the second run.'
            : 'Fix the error in the snippet, or run the snippet once per page load.',
          DOC_STEPS.snippet,
        );
      if (lifecycle.replacedAt !== null) return pass(`window.ap3c was replaced at ${ms(lifecycle.replacedAt)}; the capture script set the new one up`);
      return pass('window.ap3c kept the object the snippet set up');
    },
  },
  {
    id: 'csp-allows-ortto',
    withoutRecorder: true,
    verdict: {
      rank: 2.5,
      kind: 'not-verified',
      say: (r) => `The page's Content-Security-Policy blocks Ortto (${r.evidence[0]?.replace(/^Blocked: /, '') ?? ''}), so Talk cannot start or reach Ortto.`,
    },
    title: "The page's Content-Security-Policy lets Ortto load and connect",
    check: (f) => {
      const { blocking, reportOnly } = f.csp;
      if (blocking.length > 0) return fail(blocking.map(describeFinding), cspFix(blocking, f.captureUrl), DOC_STEPS.snippet);
      if (reportOnly.length > 0) return warn(reportOnly.map(describeFinding), cspFix(reportOnly, f.captureUrl), DOC_STEPS.snippet);
      return pass(
        f.report.csp && f.report.csp.length > 0
          ? 'Content-Security-Policy violations on this page, none about Ortto'
          : 'No Content-Security-Policy violation about scripts or connections on this page',
      );
    },
  },
  {
    id: 'script-host-typo',
    withoutRecorder: true,
    verdict: {
      rank: 2.8,
      kind: 'not-verified',
      say: (r) => `The capture script's address has a typo from Ortto's own document (${r.evidence[0] ?? ''}), so it never loads and Talk cannot start.`,
    },
    title: "The capture script's address has no typo from Ortto's documents",
    check: (f) => {
      const typos = f.scriptHostTypos;
      if (typos.length === 0) return pass(f.scriptUrl ? `Capture script ${f.scriptUrl}` : 'No misspelt Ortto script host on the page');
      return fail(
        typos.map((t) => `${t.url}: "${t.host}" — did you mean "${t.meant}" (lower-case L, not the digit one)?`),
        `Load ${typos[0]?.fixedUrl ?? DEFAULT_SCRIPT_URL} instead: Ortto's Talk document misspells the host as cdn31.ink.`,
        DOC_STEPS.snippet,
      );
    },
  },
  {
    id: 'script-loaded',
    verdict: {
      rank: 3,
      kind: 'not-verified',
      say: (r) => {
        const from = /^The snippet loads (\S+)/.exec(r.evidence[0] ?? '')?.[1];
        const notOrtto = r.evidence.some((e) => e.startsWith('That is not the address'));
        return `Ortto's capture script did not load${from ? ` from ${from}` : ''} (${notOrtto ? "that is not the address of Ortto's capture script" : 'blocked by an ad-blocker or a wrong address'}), so Talk cannot start.`;
      },
    },
    title: 'Capture script (app.js) loaded',
    check: (f) => {
      if (noSnippet(f)) return skip('No snippet on the page.');
      const netFailed = f.network?.scripts.filter((s) => s.status === 0 || s.status >= 400) ?? [];
      if (f.summary.scriptLoaded) return pass(`ap3c.init was defined by the capture script${f.scriptUrl ? ` from ${f.scriptUrl}` : ''}`);
      const evidence: string[] = [];
      const named = f.snippetScript;
      if (named) {
        const failures = [
          ...(f.report.scriptErrors.includes(named.url) ? ['failed to load'] : []),
          ...f.snippetScriptFailures.map((s) => (s.status === 0 ? (s.error ?? 'blocked') : `HTTP ${s.status}`)),
        ];
        evidence.push(
          `The snippet loads ${named.url}${failures.length > 0 ? ` (${[...new Set(failures)].join(', ')})` : ''}${named.source === 'network' ? ' (the failing script request in the network log)' : ''}.`,
        );
        if (!named.captureShaped)
          evidence.push(`That is not the address of Ortto's capture script (…/app.js, e.g. ${DEFAULT_SCRIPT_URL}): it never defined ap3c.init.`);
      }
      evidence.push(
        ...f.report.scriptErrors.filter((u) => u !== named?.url).map((u) => `${u} failed to load`),
        ...netFailed.filter((s) => s.url !== named?.url).map((s) => `${s.url} → ${s.status === 0 ? (s.error ?? 'blocked') : `HTTP ${s.status}`}`),
      );
      const queued = queuedWords(f);
      if (queued) evidence.push(queued);
      if (evidence.length === 0) evidence.push('ap3c.init was never defined: the capture script did not run');
      const cspBlocked = f.csp.blocking.some((x) => x.target === 'script' || x.target === 'snippet');
      const fix = cspBlocked
        ? "The page's Content-Security-Policy blocks the capture script: see that check. A custom tracking domain would be blocked the same way."
        : f.scriptHostTypos.length > 0
          ? `Fix the script host: ${f.scriptHostTypos[0]?.fixedUrl}.`
          : named && !named.captureShaped
            ? `Load Ortto's capture script from your capture code (Settings → Tracking code in Ortto), e.g. ${DEFAULT_SCRIPT_URL}, instead of ${named.url}.`
            : 'Make sure the capture script URL in the snippet is right and reachable. Ad-blockers block the default Ortto hosts: use a custom tracking domain, or test with the blocker off.';
      return fail(evidence, fix, DOC_STEPS.snippet);
    },
  },
  {
    id: 'init-called',
    verdict: { rank: 4, kind: 'not-verified', say: () => 'The capture code never starts Ortto: ap3c.init is not called.' },
    title: 'ap3c.init was called',
    check: (f) => {
      if (noSnippet(f)) return skip('No snippet on the page.');
      if (!noInit(f)) return pass(`ap3c.init called ${f.summary.initCalls.length} time(s)`);
      // Without the capture script there is no init to call: that cause is reported on its own.
      if (!f.summary.scriptLoaded) return skip('The capture script did not run.');
      if (f.report.late) return skip('The inspector attached after the page started: reload the page to see ap3c.init.');
      return fail(['ap3c.init was never called'], "Keep the snippet's ap3c.cmd.push(function () { ap3c.init(…); … }) call intact.", DOC_STEPS.add);
    },
  },
  {
    id: 'capture-key-decodes',
    verdict: { rank: 6, kind: 'not-verified', say: () => 'The capture key in the snippet is not a valid Ortto key.' },
    title: 'Capture key is a valid Ortto key',
    check: (f) => {
      if (!f.captureKey) return skip(f.summary.queued ? 'Unknown until ap3c.init runs (the queued command has not run).' : 'ap3c.init was not called.');
      if (f.captureKey.ok)
        return pass(
          `Instance "${f.captureKey.instance}", data source ${f.captureKey.dataSourceId}${f.captureKey.createdAt ? `, created ${f.captureKey.createdAt.slice(0, 10)}` : ''}`,
          ...(f.configSource === 'queued' || f.configSource === 'settings'
            ? [
                `Read from ${f.configSource === 'queued' ? 'a queued command that has not run' : "the WooCommerce plugin's ap3Options"}: inferred, not what Ortto received`,
              ]
            : []),
        );
      return fail(
        [f.captureKey.problem],
        'Copy the capture code again from Ortto (Settings → Tracking code) so the first ap3c.init argument is the exact key.',
        DOC_STEPS.snippet,
      );
    },
  },
  {
    id: 'region-known',
    verdict: { rank: 12, kind: 'not-verified', say: () => 'The capture code mixes Ortto regions: the script and the capture URL belong to different regions.' },
    title: 'Ortto region is known',
    check: (f) => {
      if (noInit(f)) return skip('ap3c.init was not called.');
      const api = apiHostFor(f.captureRegion);
      if (f.regionsDisagree)
        return fail(
          [`Capture URL ${f.captureUrl} is ${REGION_NAMES[f.captureRegion]}`, `Script ${f.scriptUrl} is ${REGION_NAMES[f.scriptRegion ?? 'unknown']}`],
          'Use the capture code of one Ortto account: its script host and capture URL belong to the same region.',
          DOC_STEPS.snippet,
        );
      if (api) return pass(`Capture URL ${f.captureUrl} → ${REGION_NAMES[f.captureRegion]}; request tokens from ${api}v1/talk/session`);
      if (f.scriptRegion === 'staging')
        return warn(
          [`Capture script ${f.scriptUrl} is Ortto's staging capture script (region: staging)`, `Capture URL ${f.captureUrl}`],
          "Request tokens from your staging instance's API (a profile with a custom staging URL in the options page); production API keys and hosts do not work here.",
          DOC_STEPS.request,
        );
      if (f.captureRegion === 'custom')
        return warn(
          [`Capture URL ${f.captureUrl} is a custom tracking domain: the region cannot be read from the page`],
          `Request tokens from your account's region: ${API_HOSTS.default} (default), ${API_HOSTS.eu} (Europe) or ${API_HOSTS.au} (Australia).`,
          DOC_STEPS.request,
        );
      return fail(
        [`The capture URL ${JSON.stringify(f.captureUrl)} is not a web address`],
        'Pass the capture URL from your Ortto capture code as the second ap3c.init argument.',
        DOC_STEPS.snippet,
      );
    },
  },
  {
    id: 'talk-enabled',
    verdict: { rank: 5, kind: 'talk-disabled', say: (r) => `Talk is switched off on this page (${r.evidence.join(', ')}).` },
    title: 'Talk is enabled on this page',
    check: (f) => {
      if (noSnippet(f)) return skip('No snippet on the page.');
      if (f.summary.talkDisabledBy.length === 0) return pass('Nothing on the page disables Talk');
      if (f.summary.integration.kind === 'webview')
        return fail(
          [
            `${f.summary.integration.evidence.join('; ')}: in that runner Talk is off by design (inferred from the order of the calls)`,
            ...f.summary.talkDisabledBy.filter((x) => x !== 'ap3c.enableTalk = false'),
          ],
          "Test Talk in a web browser: Ortto's in-app webview runner switches it off after init.",
          DOC_STEPS.add,
        );
      return fail(
        f.summary.talkDisabledBy,
        'Remove disableTalk / disableWidgets from the ap3c.init options and do not set ap3c.enableTalk = false on pages where Talk should run.',
        DOC_STEPS.add,
      );
    },
  },
  {
    id: 'token-present',
    verdict: {
      rank: 7,
      kind: 'not-verified',
      say: (_, f) =>
        f.namedVisitor
          ? `Not verified because the page gives Talk no token: it tells Ortto the visitor is ${f.namedVisitor.email} (in ${f.namedVisitor.where}), but only a token proves it.`
          : 'Not verified because the page gives Talk no token, so Talk cannot prove who the visitor is.',
    },
    title: 'A Talk token is given',
    check: (f) => {
      if (noInit(f)) {
        const q = f.summary.queued;
        if (q?.dataToken) return skip(`Unknown until ap3c.init runs: a queued command (not run yet) carries token ${maskToken(q.dataToken.value)}.`);
        if (q) return skip(`Unknown until ap3c.init runs: ${queuedWords(f)}.`);
        return skip('ap3c.init was not called.');
      }
      if (f.summary.token)
        return pass(
          `Token ${maskToken(f.summary.token.value)} from ${f.summary.token.source === 'init' ? 'ap3c.init options talk.token' : 'ap3c.talk.setVerifiedSession'}`,
        );
      const who = f.namedVisitor;
      const named = who ? [`The page names the visitor ${who.email} in ${who.where}: that identifies a contact, but does not verify it`] : [];
      const forWhom = who ? ` (${who.email})` : '';
      const connector = connectorSeen(f);
      if (connector)
        return fail(
          [`${INIT_NAMES[f.summary.initCalls[0]?.via ?? 'init']} has no talk.token option and ap3c.talk.setVerifiedSession was not called`, ...named],
          `The ${connector} makes the ap3c.init call for you: rather than editing its code, on your server request a token (POST /v1/talk/session with your API key) for the signed-in customer${forWhom}, then have the page call window.ap3c.talk.setVerifiedSession({token}) once Ortto has loaded (Ortto's way to give a token after init).`,
          DOC_STEPS.switch,
        );
      return fail(
        ['ap3c.init has no talk.token option and ap3c.talk.setVerifiedSession was not called', ...named],
        `On your server, request a token (POST /v1/talk/session with your API key) for the signed-in person${forWhom}, then pass it as ap3c.init(key, url, {talk: {token}}).`,
        DOC_STEPS.add,
      );
    },
  },
  {
    id: 'token-well-formed',
    verdict: { rank: 8, kind: 'not-verified', say: (r) => `Not verified because the token on the page is not a real token: ${r.evidence[0] ?? ''}` },
    title: 'Token looks like a real token',
    check: (f) => {
      if (!f.token) return skip('No token.');
      if (f.token.problems.length === 0) return pass(`${f.token.length} characters, ${f.token.charset}, fingerprint ${f.token.fingerprint}`);
      return fail(
        f.token.problems.map((p) => p.message),
        'Put the exact "token" value of the /v1/talk/session answer into the page, without quotes, spaces or placeholder text.',
        DOC_STEPS.add,
      );
    },
  },
  {
    id: 'token-not-expired',
    verdict: { rank: 9, kind: 'not-verified', say: () => 'Not verified because the token has expired.' },
    title: 'Token is not expired',
    check: (f) => {
      if (!f.token) return skip('No token.');
      const jwt = f.token.jwt;
      if (!jwt) return skip("The token's format is not public and it is not a JWT: its expiry cannot be read (tokens last one year).");
      if (jwt.expired) return fail([`Expired at ${jwt.expiresAt}`], 'Request a new token for this person and put it in the page.', DOC_STEPS.request);
      if (jwt.notYetValid) return fail([`Not valid before ${jwt.notBefore}`], "Check the server's clock, then request a new token.", DOC_STEPS.request);
      const evidence = [`JWT, expires ${jwt.expiresAt ?? 'never'}`, 'Its signature cannot be checked in the browser.'];
      if (jwt.algNone) return warn([...evidence, 'alg is "none": the token is not signed'], 'Use the token exactly as Ortto returned it.', DOC_STEPS.request);
      return pass(...evidence);
    },
  },
  {
    id: 'cookie-path-well-formed',
    verdict: { rank: 10, kind: 'not-verified', say: () => 'The cookiePath option is malformed, so Talk cannot pick the right Ortto account.' },
    title: 'cookiePath is well formed',
    check: (f) => {
      if (f.cookiePath.value === null && f.cookiePath.problems.length === 0) return skip('cookiePath is not set (it is optional).');
      const format = f.cookiePath.problems.filter((p) => p.id !== 'other-instance');
      if (format.length === 0) return pass(`cookiePath "${f.cookiePath.value}"`);
      return fail(
        format.map((p) => p.message),
        'Write cookiePath as "/<instance>/", e.g. "/yourinstance/".',
        DOC_STEPS.add,
      );
    },
  },
  {
    id: 'cookie-path-instance',
    verdict: { rank: 11, kind: 'not-verified', say: () => 'The cookiePath names another Ortto instance, so Talk looks for the contact in the wrong account.' },
    title: 'cookiePath matches the capture key instance',
    check: (f) => {
      if (f.cookiePath.value === null) return skip('cookiePath is not set (it is optional).');
      if (!f.captureKey?.ok) return skip('The capture key does not decode, so its instance is unknown.');
      const other = f.cookiePath.problems.find((p) => p.id === 'other-instance');
      if (other) return fail([other.message], `Set cookiePath to "/${f.captureKey.instance}/".`, DOC_STEPS.add);
      if (f.instances.length > 1)
        return warn(
          [`Capture keys of several instances on this page: ${f.instances.join(', ')}`],
          'Use one instance per page, or make cookiePath name the one whose contacts sign in here.',
          DOC_STEPS.add,
        );
      return pass(`cookiePath names "${f.cookiePath.instance}", the capture key's instance`);
    },
  },
  {
    id: 'token-reached-ortto',
    verdict: { rank: 13, kind: 'not-verified', say: () => 'The token never reached Ortto: it was set after Talk had already started.' },
    title: 'The token reached Ortto',
    check: (f) => {
      if (!f.summary.token) return skip('No token.');
      if (!f.network) return skip('Network evidence is only available while DevTools is open: reload with the panel open.');
      const calls = f.network.widgetsGets;
      if (calls.length === 0) return skip('No -/widgets/get call seen yet.');
      const withToken = calls.filter((c) => c.ttFingerprint !== null);
      if (withToken.length === 0) {
        const connector = connectorSeen(f);
        return fail(
          [`${calls.length} -/widgets/get call(s), none with a token (tt)`],
          connector
            ? `The ${connector} makes the ap3c.init call: call window.ap3c.talk.setVerifiedSession({token}) once Ortto has loaded, before the visitor starts a conversation.`
            : 'Pass the token in ap3c.init before the capture script starts, not later.',
          connector ? DOC_STEPS.switch : DOC_STEPS.add,
        );
      }
      if (f.tokenFingerprint && !withToken.some((c) => c.ttFingerprint === f.tokenFingerprint))
        return warn(
          [`Ortto received token ${withToken[withToken.length - 1]?.ttFingerprint}, the page's token is ${f.tokenFingerprint}`],
          'Make sure only one token is set on the page.',
          DOC_STEPS.add,
        );
      return pass(`-/widgets/get sent the token (fingerprint ${withToken[withToken.length - 1]?.ttFingerprint})`);
    },
  },
  {
    id: 'token-accepted',
    verdict: { rank: 15, kind: 'not-verified', say: () => 'Ortto rejected the token: it was most likely issued for another Ortto instance or region.' },
    title: 'Ortto accepted the token',
    check: (f) => {
      if (!f.summary.token) return skip('No token.');
      const w = f.report.widget;
      if (!w.present || w.notVerifiedLabel === null) return skip('The Talk widget cannot be read on this page.');
      if (!w.notVerifiedLabel) return pass('The widget shows no "Not verified" label');
      return fail(
        ['A token was given, yet the widget still says "Not verified"'],
        "The token was not accepted: request it with an API key of the same Ortto instance as the capture key, from that instance's region host, and use it as returned.",
        DOC_STEPS.request,
      );
    },
  },
  {
    id: 'widget-visible',
    verdict: { rank: 16, kind: 'unknown', say: () => 'The Talk widget did not appear on this page.' },
    title: 'Talk widget is on the page and visible',
    check: (f) => {
      if (noSnippet(f) || f.summary.talkDisabledBy.length > 0) return skip('Talk is not expected on this page.');
      const w = f.report.widget;
      if (w.present && w.visible) return pass('#ap3-talk-widget-ui is on the page and visible');
      if (w.present) return warn(['#ap3-talk-widget-ui is on the page but hidden'], 'Check the page CSS does not hide the Talk widget.', null);
      if (!f.summary.scriptLoaded) return skip('The capture script did not run.');
      return fail(
        ['The Talk widget (#ap3-talk-widget-ui) was not rendered'],
        'Enable Talk for this site in Ortto and check that the capture API answers (ad-blockers block it).',
        null,
      );
    },
  },
  {
    id: 'verified-before-conversation',
    verdict: {
      rank: 14,
      kind: 'not-verified',
      say: () => 'The conversation began before the visitor was verified, so that conversation stays "Not verified"; new ones will be verified.',
    },
    title: 'Verification came before the conversation',
    check: (f) => {
      if (f.summary.verifiedSessionCalls.length === 0) return skip('setVerifiedSession was not called.');
      if (f.lateVerifiedSessions > 0)
        return fail(
          [
            'ap3c.talk.setVerifiedSession was called after the visitor had used the Talk widget',
            'That starts a second session; the first conversation stays "known but unverified"',
          ],
          'Call setVerifiedSession right after login, before the visitor opens Talk, or pass the token in ap3c.init on page load.',
          DOC_STEPS.switch,
        );
      return pass('setVerifiedSession was called before the visitor used the widget');
    },
  },
  {
    id: 'single-init',
    title: 'ap3c.init is called once',
    check: (f) => {
      const n = f.summary.initCalls.length;
      if (n === 0) return skip('ap3c.init was not called.');
      // Calls on the current ap3c object, by name: a replaced ap3c starts over, and a connector's
      // init may call ap3c.init itself.
      const current = f.summary.currentInitCalls;
      const most = Math.max(0, ...(['init', 'initMagento', 'initWooCommerce'] as const).map((v) => current.filter((c) => c.via === v).length));
      const earlier = n - current.length;
      const loads = f.captureScriptLoads.count;
      const loadNote = loads > 1 ? [`The capture script was loaded ${loads} times`] : [];
      if (most <= 1)
        return pass(
          n === 1 ? `One ${INIT_NAMES[f.summary.initCalls[0]?.via ?? 'init']} call` : `One call per start of Ortto`,
          ...(earlier > 0 ? [`${earlier} earlier call(s) went to an ap3c object the page replaced`] : []),
        );
      return warn(
        [`ap3c.init was called ${most} times on the same ap3c; only the first one counts`, ...loadNote],
        'Keep one capture snippet per page; to verify later, call ap3c.talk.setVerifiedSession instead of a second init.',
        DOC_STEPS.switch,
      );
    },
  },
  {
    id: 'track-after-init',
    title: 'ap3c.track runs after ap3c.init',
    check: (f) => {
      if (noInit(f)) return skip('ap3c.init was not called.');
      if (!f.trackBeforeInit) return pass('No ap3c.track call before ap3c.init');
      return warn(
        ['ap3c.track was called before ap3c.init: it posts to "undefined-/events/page-event"'],
        'Call ap3c.track only inside the ap3c.cmd.push callback, after ap3c.init.',
        DOC_STEPS.snippet,
      );
    },
  },
  {
    id: 'single-capture-script',
    title: 'The capture script is loaded once',
    check: (f) => {
      if (noSnippet(f)) return skip('No snippet on the page.');
      if (!f.summary.scriptLoaded) return skip('The capture script did not run.');
      const { count, sources } = f.captureScriptLoads;
      const inits = f.summary.initCalls.length;
      const initWords = `ap3c.init called ${inits === 1 ? 'once' : `${inits} times`}`;
      if (count <= 1) return pass(count === 1 ? `Loaded once; ${initWords}` : 'No capture script load seen yet');
      return warn(
        [`The capture script was loaded ${count} times; ${initWords}`, ...sources],
        'Keep one copy of the snippet per page: a theme and a plugin (or a tag manager) each adding it, or a component that re-inserts it on every render (React Helmet), load app.js again.',
        DOC_STEPS.snippet,
      );
    },
  },
  {
    id: 'no-ap3c-errors',
    title: "The page's ap3c calls throw no errors",
    check: (f) => {
      if (noSnippet(f)) return skip('No snippet on the page.');
      const { pageErrors, callErrors } = f.summary;
      if (pageErrors.length === 0 && callErrors.length === 0) return pass('No uncaught error naming ap3c, and no ap3c call threw');
      const evidence = [
        ...pageErrors.map((e) => `${ms(e.t)}: uncaught "${e.message}"${e.source ? ` (${e.source}${e.line ? `:${e.line}` : ''})` : ''}`),
        ...callErrors.map((e) => `${ms(e.t)}: ap3c.${e.name} threw "${e.message}"`),
      ];
      const notFunction = pageErrors.some((e) => /ap3c\.\w+ is not a function/.test(e.message));
      return warn(
        evidence,
        notFunction
          ? 'Call ap3c methods only inside ap3c.cmd.push(function () { … }): they exist only once the capture script has run.'
          : 'Fix the code that calls ap3c; an error there stops the rest of that script.',
        DOC_STEPS.snippet,
      );
    },
  },
  {
    id: 'no-sample-identity',
    title: "No example identity from Ortto's help pages",
    check: (f) => {
      if (noSnippet(f)) return skip('No snippet on the page.');
      const found = f.sampleIdentities;
      if (found.length === 0) return pass('No user@emaildomain.com / "John Apple" passed to ap3c');
      return warn(
        found.map(
          (x) =>
            `${x.where} was given "${x.value}", the example from Ortto's help pages: did you mean the signed-in person's own ${/@/.test(x.value) ? 'email' : 'name'}?`,
        ),
        "Pass the signed-in person's real email and name (and request their Talk token for that email); the help pages' example identity makes every visitor the same contact.",
        DOC_STEPS.request,
      );
    },
  },
  {
    id: 'no-page-session-call',
    withoutRecorder: true,
    title: 'The page does not request tokens itself',
    check: (f) => {
      const exposed = f.apiKeyExposure;
      if (!exposed) return pass('No call to /v1/talk/session from this page');
      return fail(
        [
          `The page called ${exposed.urls.join(', ')}`,
          'Your API key is exposed in the browser: every visitor can read it.',
          ...exposed.keyFingerprints.map((k) => `API key fingerprint ${k}`),
        ],
        'Move the /v1/talk/session request to your server, and rotate the API key in Ortto now.',
        DOC_STEPS.request,
      );
    },
  },
] as const satisfies readonly Rule[];

/** Every rule's id: a typo in an id is a type error. */
export type RuleId = (typeof RULES)[number]['id'];

export function runChecklist(facts: Facts, rules: readonly Rule[] = RULES): RuleResult[] {
  const why = facts.report.interference;
  const unknown = `Unknown: ${why === 'batch-lost' ? 'part of what the page did was lost' : 'the page interfered with the inspector'} (see the first check).`;
  return rules.map((rule) => {
    const r = rule as Rule & { id: RuleId };
    // Never "none" for "unknown": without the recorder, what the page did with ap3c is not known.
    if (why !== undefined && !r.withoutRecorder) return { id: r.id, title: r.title, ...skip(unknown) };
    try {
      return { id: r.id, title: r.title, ...r.check(facts) };
    } catch (e) {
      return { id: r.id, title: r.title, status: 'skip', evidence: [`This check could not run: ${String(e)}`], fix: null, docStep: null };
    }
  });
}
