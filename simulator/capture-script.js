/*
 * Simulated Ortto capture script, served as /app.js by the Talk Inspector simulator.
 * It mimics what ortto-facts.md knows about the real script; where the real behaviour is unknown
 * (the widget's inner structure, what the flag byte means) it does something plausible and simple.
 * Plain browser code (ES2019 at most) in one IIFE, no modules: it is served as-is, never bundled.
 */
(() => {
  // Keep the object the page's snippet created: the page (and the extension) hold references to it.
  window.ap3c = window.ap3c || {};
  var ap3c = window.ap3c;

  var SESSION_COOKIE = 'ap3c';
  var TALK_COOKIE = 'ap3c_talk';
  var YEAR_SECONDS = 365 * 24 * 60 * 60;
  var HOST_ID = 'ap3-talk-widget-ui';

  var state = {
    key: null,
    sessionCookie: '',
    widgetsEnabled: false,
    talkEnabled: false,
    token: '',
    // talk.cookiePath as the page gave it ('' = not given; sent as cp) and the path the Talk cookie uses.
    talkCookiePath: '',
    cookiePath: '/',
    // Bumped on every widgets/get so a slow, older answer cannot overwrite a newer one.
    generation: 0,
    verified: false,
    conversationStarted: false,
    // 'unverified' | 'verified' | '' : how the earlier conversation (if any) was identified.
    previous: '',
    ui: null,
  };

  function noop() {}

  function randomBytes(n) {
    var out = new Uint8Array(n);
    if (window.crypto && window.crypto.getRandomValues) {
      window.crypto.getRandomValues(out);
    } else {
      for (var i = 0; i < n; i++) out[i] = Math.floor(Math.random() * 256);
    }
    return out;
  }

  function toBase64url(bytes) {
    var bin = '';
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function fromBase64url(text) {
    try {
      var bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
      var out = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
      return out;
    } catch {
      return null;
    }
  }

  function toHex(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    return s;
  }

  function readCookie(name) {
    var all;
    try {
      all = document.cookie ? document.cookie.split('; ') : [];
    } catch {
      return '';
    }
    for (var i = 0; i < all.length; i++) {
      if (all[i].indexOf(name + '=') === 0) return all[i].slice(name.length + 1);
    }
    return '';
  }

  function writeCookie(name, value, path, maxAge) {
    try {
      // Host-only (no Domain attribute), as the real ap3c cookie is.
      document.cookie = name + '=' + value + '; path=' + path + '; max-age=' + maxAge + '; SameSite=Lax';
    } catch {
      // Sandboxed documents throw on cookie access; the script keeps working without cookies.
    }
  }

  // A 12-byte id whose first 4 bytes are big-endian unix seconds (like a MongoDB ObjectId).
  function timedId(seconds) {
    var id = randomBytes(12);
    id[0] = (seconds >>> 24) & 255;
    id[1] = (seconds >>> 16) & 255;
    id[2] = (seconds >>> 8) & 255;
    id[3] = seconds & 255;
    return id;
  }

  // ap3c cookie: flag byte + first-seen id + current-session id + 12 opaque bytes = 37 bytes,
  // 50 base64url characters. First-seen survives from an existing cookie; the session is new.
  function startSession() {
    var now = Math.floor(Date.now() / 1000);
    var old = fromBase64url(readCookie(SESSION_COOKIE));
    var bytes = new Uint8Array(37);
    bytes[0] = old && old.length === 37 ? old[0] : 1;
    bytes.set(old && old.length === 37 ? old.subarray(1, 13) : timedId(now), 1);
    bytes.set(timedId(now), 13);
    bytes.set(randomBytes(12), 25);
    var value = toBase64url(bytes);
    writeCookie(SESSION_COOKIE, value, '/', YEAR_SECONDS);
    return value;
  }

  function post(url, body) {
    // A string body keeps this a CORS "simple" request (text/plain): no preflight.
    return fetch(url, {
      method: 'POST',
      body: JSON.stringify(body),
      credentials: 'omit',
      keepalive: false,
    });
  }

  function postQuietly(url, body) {
    try {
      post(url, body).catch(noop);
    } catch {
      // Tracking must never break the page.
    }
  }

  // Events (track, activity) reach the network at most EVENTS_PER_SECOND times a second; the rest
  // are counted and dropped. Without this a page that tracks in a loop (the heavy and long-timeline
  // fixtures: 10,000 and 100,000 calls) spends seconds in fetch() and floods the simulator.
  var EVENTS_PER_SECOND = 20;
  var eventWindow = { start: 0, sent: 0, dropped: 0 };

  function eventAllowed() {
    var now = Date.now();
    if (now - eventWindow.start >= 1000) {
      eventWindow.start = now;
      eventWindow.sent = 0;
    }
    if (eventWindow.sent >= EVENTS_PER_SECOND) {
      eventWindow.dropped += 1;
      return false;
    }
    eventWindow.sent += 1;
    return true;
  }

  function whenBodyReady() {
    if (document.body) return Promise.resolve();
    return new Promise((resolve) => {
      document.addEventListener('DOMContentLoaded', () => {
        resolve();
      });
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  var WIDGET_CSS =
    ':host{all:initial}' +
    '#__root{position:fixed;right:16px;bottom:16px;z-index:2147483000;font:14px/1.4 sans-serif;color:#1d2433}' +
    '.launcher{display:inline-block;padding:10px 16px;border-radius:20px;background:#3a47d5;color:#fff;cursor:pointer}' +
    '.panel{margin-bottom:8px;width:260px;padding:12px;border:1px solid #c9cde3;border-radius:8px;background:#fff}' +
    '.message-bar{min-height:1.4em;margin:8px 0;color:#a32020;font-weight:bold}' +
    '.earlier{color:#666;font-size:12px}' +
    '.start{padding:6px 10px}';

  function removeWidget() {
    var old = document.getElementById(HOST_ID);
    if (old && old.parentNode) old.parentNode.removeChild(old);
    state.ui = null;
  }

  function renderTalk(widget) {
    removeWidget();
    state.verified = widget.verified === true;
    state.conversationStarted = false;

    var host = document.createElement('div');
    host.id = HOST_ID;
    if (state.previous) host.setAttribute('data-previous-session', state.previous);
    var shadow = host.attachShadow({ mode: 'open' });

    var root = el('div');
    root.id = '__root';
    // The launcher is the root's first div, as in the real widget.
    var launcher = el('div', 'launcher', 'Chat with us');
    launcher.setAttribute('role', 'button');
    launcher.tabIndex = 0;

    var panel = el('div', 'panel');
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-label', 'Talk messenger');
    panel.appendChild(el('div', 'session', 'Session ' + widget.session));
    if (state.previous === 'unverified') panel.appendChild(el('div', 'earlier', 'Earlier conversation: Not verified'));
    // The product document: unverified contacts get "Not verified" in the message bar; verified ones no label.
    var bar = el('div', 'message-bar', state.verified ? '' : 'Not verified');
    bar.setAttribute('role', 'status');
    panel.appendChild(bar);
    var start = el('button', 'start', 'Start conversation');
    start.type = 'button';
    start.addEventListener('click', startConversation);
    panel.appendChild(start);

    launcher.addEventListener('click', () => {
      panel.hidden = !panel.hidden;
    });
    // A role=button works from the keyboard too: Enter or Space.
    launcher.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
      panel.hidden = !panel.hidden;
    });

    root.appendChild(launcher);
    root.appendChild(panel);
    var style = el('style', '', WIDGET_CSS);
    shadow.appendChild(style);
    shadow.appendChild(root);
    document.body.appendChild(host);
    state.ui = { host: host, start: start };
  }

  function startConversation() {
    if (!state.ui) return false;
    state.conversationStarted = true;
    state.ui.host.setAttribute('data-conversation', 'started');
    state.ui.start.textContent = 'Conversation started';
    state.ui.start.disabled = true;
    return true;
  }

  function loadWidgets() {
    state.generation += 1;
    var generation = state.generation;
    var body = { h: state.key, s: state.sessionCookie, tk: state.talkEnabled, tt: state.token, cp: state.talkCookiePath };
    var request;
    try {
      request = post(String(ap3c.apiHost) + '-/widgets/get', body);
    } catch {
      return Promise.resolve();
    }
    return request
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => {
        if (generation !== state.generation || !data || !data.widgets) return undefined;
        for (var i = 0; i < data.widgets.length; i++) {
          var widget = data.widgets[i];
          // ap3c.enableTalk = false suppresses Talk, also when set after init (Ortto's in-app webview runner).
          if (widget && widget.type === 'talk' && state.talkEnabled && ap3c.enableTalk !== false) {
            return whenBodyReady().then(() => {
              if (generation === state.generation) renderTalk(widget);
            });
          }
        }
        return undefined;
      })
      .catch(noop);
  }

  ap3c.init = (key, url, options) => {
    // uniqueID + apiHost mean init already ran (a second snippet on the page, or a double call).
    if (ap3c.uniqueID && ap3c.apiHost) return;
    var opts = options && typeof options === 'object' ? options : {};
    var talk = opts.talk && typeof opts.talk === 'object' ? opts.talk : {};
    ap3c.uniqueID = toHex(randomBytes(12));
    ap3c.apiHost = url;
    state.key = key;
    state.sessionCookie = startSession();
    state.widgetsEnabled = opts.disableWidgets !== true;
    state.talkEnabled = state.widgetsEnabled && opts.disableTalk !== true && ap3c.enableTalk !== false;
    // A token given to setVerifiedSession before init wins over the snippet's.
    if (!state.token && typeof talk.token === 'string') state.token = talk.token;
    if (typeof talk.cookiePath === 'string' && talk.cookiePath) {
      state.talkCookiePath = talk.cookiePath;
      // The cookie itself needs a usable path; the server judges cp as given.
      if (talk.cookiePath.charAt(0) === '/') state.cookiePath = talk.cookiePath;
    }
    if (state.talkEnabled) {
      writeCookie(TALK_COOKIE, toBase64url(randomBytes(12)), state.cookiePath, YEAR_SECONDS);
    }
    if (state.widgetsEnabled) loadWidgets();
  };

  ap3c.track = (event) => {
    if (!eventAllowed()) return;
    // Deliberately String(apiHost): before init this is "undefined-/events/page-event", resolved
    // relative to the page, exactly the bug seen on real sites.
    postQuietly(String(ap3c.apiHost) + '-/events/page-event', {
      h: state.key,
      s: state.sessionCookie,
      u: String(location.href),
      r: document.referrer,
      e: event,
    });
  };

  ap3c.activity = (act) => {
    if (!eventAllowed()) return;
    postQuietly(String(ap3c.apiHost) + '-/events/activity', { h: state.key, s: state.sessionCookie, a: act });
  };

  ap3c.getCookie = () => readCookie(SESSION_COOKIE);

  ap3c.clearSession = () => {
    writeCookie(SESSION_COOKIE, '', '/', 0);
    writeCookie(TALK_COOKIE, '', state.cookiePath, 0);
    state.sessionCookie = '';
  };

  ap3c.talk = {
    setVerifiedSession: (arg) => {
      if (!arg || typeof arg !== 'object' || typeof arg.token !== 'string' || arg.token === '') {
        throw new TypeError('setVerifiedSession requires {token}');
      }
      state.token = arg.token;
      // The earlier conversation keeps its identity status; once unverified, it stays unverified.
      if (state.conversationStarted) {
        state.previous = state.previous === 'unverified' || !state.verified ? 'unverified' : 'verified';
      }
      if (!ap3c.apiHost || !state.talkEnabled) return Promise.resolve();
      // Restart the messenger: drop the current widget, fetch again with the new token.
      removeWidget();
      return loadWidgets();
    },
  };
  // Test hook; non-enumerable so tools listing ap3c.talk see only the documented function.
  Object.defineProperty(ap3c.talk, '_startConversation', {
    value: startConversation,
    enumerable: false,
    configurable: true,
    writable: true,
  });

  function run(fn) {
    if (typeof fn !== 'function') return;
    try {
      fn();
    } catch (e) {
      // One broken queued call must not stop the others.
      if (window.console) window.console.error(e);
    }
  }

  // Drain the queue in order (including anything queued while draining), then make push immediate.
  var queued = ap3c.cmd;
  if (queued && typeof queued.length === 'number') {
    for (var i = 0; i < queued.length; i++) run(queued[i]);
  }
  ap3c.cmd = {
    push: function () {
      for (var j = 0; j < arguments.length; j++) run(arguments[j]);
      return 0;
    },
  };

  var acts = ap3c.act;
  if (acts && typeof acts.length === 'number') {
    for (var k = 0; k < acts.length; k++) ap3c.activity(acts[k]);
  }
  ap3c.act = [];
})();
