/**
 * Attacks on the inspector's own channel, for the hostile suites (issue 11, docs/reliability.md):
 * page code that tries to learn the recorder ⇄ relay channel's secret event type (through
 * `window.event` while it runs inside one of our dispatches) and, if it ever does, forges a full
 * recorder batch on it. Each page records what it learned in `window.__tiLeaks`; the tests assert
 * it stays empty and the panel never shows the forged capture key.
 * The names come from the extension's own protocol, so the attack follows any change to them.
 */
import { HELLO_EVENT, HELLO_FROM_RECORDER, HELLO_FROM_RELAY, NONCE_LENGTH, privateEventTypes, Wire } from '../src/shared/protocol/wire.ts';

/** What a successful forgery would show in the panel. */
export const FORGED_CAPTURE_KEY = 'FORGED-BY-PAGE';

const forgedBatch = (recorderDocId: string) =>
  `${Wire.Batch}1${JSON.stringify({
    kind: 'batch',
    recorderDocId,
    full: true,
    late: false,
    events: [
      {
        seq: 1,
        t: 1,
        kind: 'init',
        name: 'init',
        args: {
          t: 'arr',
          items: [
            FORGED_CAPTURE_KEY,
            'https://capture-api.eu.autopilotapp.com/',
            { t: 'obj', entries: [['talk', { t: 'obj', entries: [['token', 'forged-token-0000000000']], more: 0 }]], more: 0 },
          ],
          more: 0,
        },
      },
    ],
    dropped: 0,
    ap3c: { state: 'absent' },
  })}`;

/**
 * An inline script, first in <head>: defines `window.__tiCatch()`, which the hooks below call from
 * the page code they replace. When it runs inside one of the inspector's dispatches it reads the
 * secret type from `window.event` (or a nonce from a hello's detail), records it, and forges.
 */
export function catcherScript(): string {
  const sample = privateEventTypes('N'.repeat(NONCE_LENGTH));
  // The type names around the nonce, so the page can rebuild them from a leaked nonce.
  const [beforeNonce, afterRecorder] = sample.toRecorder.split('N'.repeat(NONCE_LENGTH)) as [string, string];
  const afterRelay = sample.toRelay.split('N'.repeat(NONCE_LENGTH))[1] as string;
  return `<script>
(function () {
  var leaks = window.__tiLeaks = [];
  var busy = false;
  var PREFIX = ${JSON.stringify(beforeNonce)};
  var HELLO = ${JSON.stringify(HELLO_FROM_RELAY)};
  var NONCE_LENGTH = ${NONCE_LENGTH};
  var NONCE = /^[0-9a-f]{${NONCE_LENGTH}}$/;
  // The page's own copies, taken before any hook below replaces them.
  var slice = String.prototype.slice, indexOf = String.prototype.indexOf, call = Function.prototype.call;
  var dispatch = EventTarget.prototype.dispatchEvent, CE = CustomEvent, push = Array.prototype.push;
  var detailGet = Object.getOwnPropertyDescriptor(CustomEvent.prototype, 'detail').get;
  var timer = setTimeout;
  function forge(nonce) {
    var types = [PREFIX + nonce + ${JSON.stringify(afterRelay)}, PREFIX + nonce + ${JSON.stringify(afterRecorder)}, PREFIX + nonce];
    for (var i = 0; i < types.length; i++) {
      call.call(dispatch, window, new CE(types[i], { detail: 'O' }));
      call.call(dispatch, window, new CE(types[i], { detail: ${JSON.stringify(forgedBatch('0f0f0f0f0f0f0f0f'))} }));
    }
  }
  window.__tiCatch = function () {
    if (busy) return;
    busy = true;
    try {
      var e = window.event;
      if (!e) return;
      var type = e.type, nonce = null, detail = e instanceof CE ? call.call(detailGet, e) : undefined;
      if (typeof type === 'string' && call.call(indexOf, type, PREFIX) === 0) nonce = call.call(slice, type, PREFIX.length, PREFIX.length + NONCE_LENGTH);
      else if (typeof detail === 'string' && call.call(indexOf, detail, HELLO) === 0) nonce = call.call(slice, detail, HELLO.length);
      // (The test build's own bridge events share the prefix: only a real nonce counts.)
      if (nonce === null || !NONCE.test(nonce)) return;
      call.call(push, leaks, type + (typeof detail === 'string' ? ' ' + call.call(slice, detail, 0, 40) : ''));
      forge(nonce);
      // Again later, outside whatever dispatch this was.
      call.call(timer, window, function () { forge(nonce); }, 0);
    } finally {
      busy = false;
    }
  };
})();
</script>`;
}

/** Each way page code was seen to run while the recorder handled a private event (issue 11 §1). */
export const CHANNEL_ATTACKS = {
  'leak-tojson': `// A getter for Object.prototype.toJSON: reached by JSON.stringify of any object.
Object.defineProperty(Object.prototype, 'toJSON', { configurable: true, get: function () { window.__tiCatch(); return undefined; } });`,
  'leak-number-tostring': `var original = Number.prototype.toString;
Number.prototype.toString = function () { window.__tiCatch(); return original.apply(this, arguments); };`,
  'leak-string-slice': `var original = String.prototype.slice;
String.prototype.slice = function () { window.__tiCatch(); return original.apply(this, arguments); };`,
  'leak-performance-now': `// Replaced before ap3c appears.
var original = performance.now.bind(performance);
performance.now = function () { window.__tiCatch(); return original(); };`,
  'leak-ap3c-proxy': `// window.ap3c is a Proxy: every trap looks at window.event, then does what the object would.
var handler = {};
['get', 'set', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'defineProperty', 'deleteProperty', 'getPrototypeOf'].forEach(function (trap) {
  handler[trap] = function () { window.__tiCatch(); return Reflect[trap].apply(Reflect, arguments); };
});
window.ap3c = new Proxy({}, handler);`,
  'leak-track-proxy': `// A Proxy passed to ap3c.track() (see the page's body: it tracks one every 200 ms).
window.__tiTrackArg = function (n) {
  var handler = {};
  ['get', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'getPrototypeOf'].forEach(function (trap) {
    handler[trap] = function () { window.__tiCatch(); return Reflect[trap].apply(Reflect, arguments); };
  });
  return new Proxy({ tick: n }, handler);
};`,
  'climb-caller': `// Page code that runs inside the recorder's own steps (a Proxy's traps, here a second argument
// of ap3c.track() that only the recorder reads) asks who called it: in a sloppy-mode script,
// Function.prototype.caller hands the page the recorder's functions (its snapshot code, or
// with ap3c a Proxy, the hook that records: callable with forged arguments).
window.__tiProbe = function (n) {
  var handler = {};
  ['get', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'getPrototypeOf'].forEach(function (trap) {
    handler[trap] = function spy() {
      var f = spy.caller;
      if (typeof f === 'function' && window.__tiLeaks.length < 10) window.__tiLeaks.push('caller ' + trap + ': ' + String(f).slice(0, 60));
      return Reflect[trap].apply(Reflect, arguments);
    };
  });
  return new Proxy({ probe: n }, handler);
};`,
  'leak-settimeout': `var original = window.setTimeout;
window.setTimeout = function () { window.__tiCatch(); return original.apply(window, arguments); };`,
  'leak-customevent-detail': `// The getter every listener uses to read a CustomEvent's detail.
var d = Object.getOwnPropertyDescriptor(CustomEvent.prototype, 'detail');
Object.defineProperty(CustomEvent.prototype, 'detail', { configurable: true, enumerable: true, get: function () { window.__tiCatch(); return d.get.call(this); } });`,
  'leak-error-getters': `// The getters the recorder reads an uncaught error's text with (taken at start, read once ap3c
// appears), replaced before the snippet: each read looks at window.event. Then uncaught errors that
// name ap3c, so the recorder reads them (window.__tiErrorReads counts the reads).
window.__tiErrorReads = 0;
['message', 'filename', 'lineno'].forEach(function (name) {
  var d = Object.getOwnPropertyDescriptor(ErrorEvent.prototype, name);
  Object.defineProperty(ErrorEvent.prototype, name, { configurable: true, enumerable: true, get: function () { window.__tiErrorReads++; window.__tiCatch(); return d.get.call(this); } });
});
var thrown = 0;
var thrower = setInterval(function () {
  if (!window.ap3c || typeof window.ap3c.uniqueID !== 'string') return;
  if (++thrown >= 5) clearInterval(thrower);
  throw new Error('ap3c.track probe ' + thrown + ': an uncaught error that names ap3c');
}, 150);`,
  'forge-event-init': `// Getters on Object.prototype for the fields a browser reads from an event's init dictionary
// before \`detail\` (bubbles, cancelable, composed): they run with the dictionary as \`this\`. One
// that finds a recorder batch there records it and rewrites every first item of an argument list
// (ap3c.init's capture key among them) before the event is built.
['bubbles', 'cancelable', 'composed'].forEach(function (name) {
  Object.defineProperty(Object.prototype, name, {
    configurable: true,
    get: function () {
      window.__tiCatch();
      var d = Object.getOwnPropertyDescriptor(this, 'detail');
      if (d && typeof d.value === 'string' && d.value.indexOf('"kind":"batch"') >= 0) {
        if (window.__tiLeaks.length < 10) window.__tiLeaks.push('init dictionary (' + name + '): ' + d.value.slice(0, 40));
        this.detail = d.value.replace(/"items":\\["[^"]*"/g, '"items":["${FORGED_CAPTURE_KEY}"');
      }
      return undefined;
    },
  });
});`,
  'forge-proto-accessors': `// Accessors on Object.prototype for names the recorder's own objects may lack: a setter runs
// when the recorder adds such a name to an object of its own (an event's snapshotted arguments, a
// snapshot's class name), a getter when the engine looks a field up on a property descriptor the
// recorder built. Each rewrites what it finds: the first item of an argument list (ap3c.init's
// capture key), a descriptor's value that looks like ap3c.uniqueID, then keeps the property as it was meant.
// (The page itself never sets either name: any call is the recorder's. Its track calls pass a Date,
// whose snapshot names its class.)
var FORGED = ${JSON.stringify(FORGED_CAPTURE_KEY)};
function note(what) { if (window.__tiLeaks.length < 10) window.__tiLeaks.push(what); }
window.__tiTrackArg = function (n) { return new Date(n); };
// And once Ortto's script ran, a getter among the names the recorder reads on ap3c: the recorder
// copies it as a descriptor, which the engine checks for \`writable\` (below).
var getterSet = setInterval(function () {
  if (!window.ap3c || typeof window.ap3c.uniqueID !== 'string') return;
  clearInterval(getterSet);
  // (Its own descriptor has no prototype, so the getter below leaves it alone.)
  Object.defineProperty(window.ap3c, 'cmdMagento', { __proto__: null, get: function () { return undefined; }, enumerable: true, configurable: true });
}, 20);
['args', 'cls'].forEach(function (name) {
  Object.defineProperty(Object.prototype, name, {
    configurable: true,
    get: function () { return undefined; },
    set: function (v) {
      window.__tiCatch();
      note('setter ' + name);
      if (v && v.t === 'arr' && v.items && typeof v.items[0] === 'string') v.items[0] = FORGED;
      Object.defineProperty(this, name, { value: v, writable: true, enumerable: true, configurable: true });
    },
  });
});
// Proxy trap names (not descriptor fields): the engine looks them up on the handler of a Proxy the
// recorder put in place of ap3c.track; a getter there would run with that handler as \`this\`
// (the page asks with \`in\` on track once Ortto's script ran).
['has', 'getOwnPropertyDescriptor'].forEach(function (name) {
  Object.defineProperty(Object.prototype, name, {
    configurable: true,
    get: function () {
      if (Object.getOwnPropertyDescriptor(this, 'apply')) note('trap lookup on a handler: ' + name);
      return undefined;
    },
  });
});
var probe = setInterval(function () {
  if (!window.ap3c || typeof window.ap3c.uniqueID !== 'string' || typeof window.ap3c.track !== 'function') return;
  clearInterval(probe);
  void ('probe' in window.ap3c.track);
  void Object.getOwnPropertyDescriptor(window.ap3c.track, 'name');
}, 20);
Object.defineProperty(Object.prototype, 'writable', {
  configurable: true,
  get: function () {
    window.__tiCatch();
    var d = Object.getOwnPropertyDescriptor(this, 'value');
    if (d && typeof d.value === 'string' && /^[0-9a-f]{24}$/.test(d.value)) { note('descriptor: ' + d.value); this.value = FORGED; }
    return undefined;
  },
});`,
  'leak-everything': `// Every built-in the recorder could reach, replaced by a look at window.event then the original.
function spy(owner, name) {
  var d = Object.getOwnPropertyDescriptor(owner, name);
  if (!d || typeof d.value !== 'function') return;
  var original = d.value;
  Object.defineProperty(owner, name, { configurable: true, writable: true, enumerable: d.enumerable, value: function () { window.__tiCatch(); return original.apply(this, arguments); } });
}
[[Array.prototype, ['push', 'slice', 'concat', 'map', 'filter', 'forEach', 'join', 'indexOf', 'includes', 'some', 'sort', 'splice']],
 [Array, ['isArray', 'from']],
 [Object, ['keys', 'entries', 'assign', 'defineProperty', 'getOwnPropertyDescriptor', 'getOwnPropertyNames', 'getPrototypeOf', 'freeze', 'is', 'hasOwn']],
 [Reflect, ['ownKeys', 'getOwnPropertyDescriptor', 'defineProperty', 'getPrototypeOf', 'has', 'get']],
 [JSON, ['stringify', 'parse']],
 [Math, ['random', 'floor', 'max', 'min']],
 [String.prototype, ['indexOf', 'startsWith', 'replace', 'split', 'charCodeAt', 'padStart', 'toString', 'substring', 'repeat', 'trim']],
 [Number.prototype, ['toFixed', 'toString']],
 [Number, ['isFinite']],
 [Symbol.prototype, ['toString']],
 [Event.prototype, ['preventDefault', 'stopPropagation', 'stopImmediatePropagation', 'composedPath']],
 [EventTarget.prototype, ['dispatchEvent', 'addEventListener', 'removeEventListener']],
 [Function.prototype, ['bind', 'toString']],
 [window, ['queueMicrotask', 'setTimeout', 'clearTimeout', 'requestAnimationFrame']],
 [performance, ['now']],
 [WeakSet.prototype, ['has', 'add']],
 [Set.prototype, ['has', 'add', 'delete']],
].forEach(function (pair) { pair[1].forEach(function (name) { spy(pair[0], name); }); });
Object.defineProperty(Object.prototype, 'toJSON', { configurable: true, get: function () { window.__tiCatch(); return undefined; } });`,
} as const;
export type ChannelAttack = keyof typeof CHANNEL_ATTACKS;

/**
 * Body of every channel-attack page: once app.js ran, it keeps calling ap3c.track for a while (a
 * Proxy argument where the page defines one), so pulls and live flushes build batches while the
 * test watches.
 */
export const CHANNEL_ATTACK_BODY = `<script>
(function () {
  var n = 0;
  var timer = setInterval(function () {
    if (!window.ap3c || typeof window.ap3c.track !== 'function' || typeof window.ap3c.uniqueID !== 'string') return;
    n++;
    var arg = window.__tiTrackArg ? window.__tiTrackArg(n) : { tick: n };
    if (window.__tiProbe) window.ap3c.track(arg, window.__tiProbe(n));
    else window.ap3c.track(arg);
    if (n >= 60) clearInterval(timer);
  }, 200);
})();
</script>`;

/**
 * The opener attacks (issue 11 §2): a page that opens a page of its own origin and, before that
 * page's scripts run, listens on the new window for the inspector's hellos. `when`:
 * - `at-once`: listeners added to the window right after window.open (Chromium reuses that window
 *   for the navigation, listeners included);
 * - `after-commit`: listeners added once the new document exists, before its body arrived (the
 *   victim is served with a slow body);
 * - `after-commit-document`: the same on the new document, and every hello is stopped there.
 * What it hears goes to `window.__openerHeard`.
 */
export function openerAttackScript(victimUrl: string, when: 'at-once' | 'after-commit' | 'after-commit-document'): string {
  return `<button type="button" id="open">Open the victim</button>
<script>
(function () {
  var heard = window.__openerHeard = [];
  var names = ${JSON.stringify([HELLO_EVENT, 'talk-inspector:relay-hello', 'talk-inspector:recorder-hello', HELLO_FROM_RELAY, HELLO_FROM_RECORDER])};
  function listen(target, block) {
    names.forEach(function (name) {
      target.addEventListener(name, function (e) {
        var detail = e.detail;
        if (typeof detail === 'string' || e.type !== 'load') heard.push(e.type + ' ' + String(detail).slice(0, 80));
        if (block && (typeof detail === 'string')) { e.stopImmediatePropagation(); e.preventDefault(); }
      }, true);
    });
  }
  document.getElementById('open').addEventListener('click', function () {
    var w = window.open(${JSON.stringify(victimUrl)});
    window.__victim = w;
    ${
      when === 'at-once'
        ? 'listen(w, true);\n    document.body.dataset.hooked = "at-once";'
        : `(function hook() {
      var url = '';
      try { url = w.document.URL; } catch (e) {}
      if (url.indexOf(${JSON.stringify(victimUrl.split('?')[0] as string)}) < 0) { setTimeout(hook, 1); return; }
      document.body.dataset.hooked = w.document.documentElement ? 'after-start' : 'before-start';
      ${when === 'after-commit' ? 'listen(w, true);' : 'listen(w.document, true); listen(w, true);'}
    })();`
    }
  });
})();
</script>`;
}

/**
 * Security review (2026-12): what the page itself can see of the inspector. Each probe runs twice on
 * the same page: in the top frame (inspected) and in a same-origin child frame of the same URL with
 * `?control=1` (no content script there: both run with all_frames false), the browser as it is
 * without the inspector. The top frame's result lands in `window.__tiProbe`, the control's in
 * `window.__tiControl`; each claim of "no trace" holds when the two are equal.
 * `head` and `body` are function bodies that fill the object `r` (in <head> and <body>); `global` is a
 * script at the top level of <head>; `markup` goes first in <body>.
 */
export const TRACE_ATTACKS = {
  // The recorder's window.ap3c setter describes the value with Array.isArray, which throws on a
  // revoked Proxy: the page's own plain assignment threw a TypeError (fixed 2026-12-02).
  'trace-revoked-ap3c': {
    head: `var p = Proxy.revocable({}, {});
p.revoke();
try { window.ap3c = p.proxy; r.assign = 'ok'; } catch (e) { r.assign = 'threw ' + e.name + ': ' + e.message; }
window.ap3c = undefined;`,
  },
  // Ortto's own snippet declares \`var ap3c\`: hoisted, that makes window.ap3c a non-configurable
  // global. The recorder's accessor is there first (configurable), so \`var\` adds nothing: the
  // page can delete window.ap3c (and the recorder's accessor with it), which without the inspector
  // fails (false in sloppy code, a TypeError in strict code). A known deviation (docs/reliability.md).
  'trace-var-binding': {
    global: `window.ap3c = window.ap3c || {};
var ap3c = window.ap3c;
ap3c.cmd = ap3c.cmd || [];`,
    body: `var d = Object.getOwnPropertyDescriptor(window, 'ap3c');
r.configurable = d.configurable;
r.strictDelete = (function () { 'use strict'; try { delete window.ap3c; return 'no error'; } catch (e) { return e.name; } })();
r.sloppyDelete = delete window.ap3c;
r.afterDelete = typeof window.ap3c;`,
  },
  // A sparse queue: the page sets ap3c.cmd.length (one store); the recorder walks every index up to
  // it on the next read of window.ap3c, recording each as a cmd.push. 2e7 here (seconds); 2^32 - 1
  // froze the page for many minutes. (A Proxy for cmd can even report length Infinity.) Fixed
  // 2026-12-02: the recorder looks at the queue's first 1,000 entries.
  'trace-sparse-cmd': {
    head: `window.ap3c = { cmd: [] };
window.ap3c.cmd.length = 2e7;
var t0 = performance.now();
void window.ap3c;
var took = Math.round(performance.now() - t0);
r.readMs = took < 500 ? 'under 500 ms' : took + ' ms';
window.ap3c = undefined;`,
  },
  // Named access: an element with id (or iframe with name) "ap3c" is window.ap3c without the
  // inspector; the recorder's own accessor on window shadows it, so a snippet without \`var\` (GTM,
  // a bundler's module) takes its \`|| {}\` branch only under the inspector: the inspector shows a
  // working setup the page does not have without it. A known deviation (docs/reliability.md).
  'trace-named-element': {
    body: `r.before = String(window.ap3c);
window.ap3c = window.ap3c || {};
r.after = String(window.ap3c);`,
    markup: '<div id="ap3c"></div>',
  },
} as const satisfies Record<string, { head?: string; global?: string; body?: string; markup?: string }>;
export type TraceAttack = keyof typeof TRACE_ATTACKS;

/**
 * A trace probe's page (see TRACE_ATTACKS): the probe, run in the top frame and again in a control
 * child frame of the same URL (the page tells which it is by `window === top`).
 */
export function tracePage(name: TraceAttack): { head: string; body: string } {
  const a: { head?: string; global?: string; body?: string; markup?: string } = TRACE_ATTACKS[name];
  const run = (code: string, last: boolean) => `<script>
(function () {
  var r = window.__tiR = window.__tiR || {};
  try {
${code}
  } catch (e) { r.error = String(e); }
  ${last ? 'if (window === top) window.__tiProbe = r; else parent.__tiControl = r;' : ''}
})();
</script>`;
  return {
    head: [a.head ? run(a.head, !a.body) : '', a.global ? `<script>\n${a.global}\n</script>` : ''].join('\n'),
    body: [
      a.markup ?? '',
      a.body ? run(a.body, true) : '',
      `<script>if (window === top) { var f = document.createElement('iframe'); f.src = location.pathname + '?control=1'; document.body.appendChild(f); }</script>`,
    ].join('\n'),
  };
}

/**
 * Security review (2026-12): a batch over the relay's MAX_BATCH_CHARS (4 MB) was dropped by the relay
 * without a word, after the recorder marked its events sent (now passed on empty: the report says
 * part of what the page did was lost). Once app.js ran init, the page makes 160
 * calls that each record a ~30 KB event kept in every pull (here: a track of its own that throws
 * a ~30 KB object, recorded as "threw"), then puts Ortto's track back and keeps tracking small
 * things. The pull carrying ap3c.init is ~4.8 MB: init was never reported ("not called").
 */
export const HIDE_INIT_OVERSIZE_OK = `var a = window.ap3c;
var ortto = a.track;
var big = { a: new Array(15001).join('x'), b: new Array(15001).join('y') };
window.ap3c.track = function () { throw big; };
for (var i = 0; i < 160; i++) { try { window.ap3c.track(i); } catch (e) {} }
window.ap3c.track = ortto;
var n = 0;
var timer = setInterval(function () { window.ap3c.track({ tick: ++n }); if (n >= 60) clearInterval(timer); }, 200);
ok();`;
