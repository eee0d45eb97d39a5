import { describe, expect, it } from 'vitest';
import { CookieSchema, type PageReport, PageReportSchema } from '../../src/shared/protocol/model.ts';
import { PanelMessageSchema, PortMsg } from '../../src/shared/protocol/panel.ts';
import { type PageUpdate, PageUpdateSchema, RuntimeMessageSchema, RuntimeMsg, WidgetStateSchema } from '../../src/shared/protocol/relay.ts';
import { parseMessage } from '../../src/shared/protocol/schema.ts';
import {
  Ap3cStateSchema,
  EventKind,
  privateEventTypes,
  type RecorderBatch,
  RecorderBatchSchema,
  SnapSchema,
  TIMELINE_CAP,
  type TimelineEvent,
  TimelineEventSchema,
} from '../../src/shared/protocol/wire.ts';
import { snapshot } from '../../src/shared/snapshot.ts';
import { makeReport } from './helpers/report.ts';

const EVENT_LIMITS = { depth: 4, keys: 50, stringLength: 16 * 1024, totalSize: 32 * 1024 };

function initEvent(seq: number): TimelineEvent {
  return {
    seq,
    t: 12.5 + seq,
    kind: EventKind.Init,
    name: 'init',
    args: snapshot(['KEY', 'https://capture-api.autopilotapp.com/', { talk: { token: 'tok-123', cookiePath: '/x/' } }], EVENT_LIMITS),
  };
}

function validBatch(): RecorderBatch {
  const ap3c = {
    cmd: [() => 1],
    init() {},
    get lazy() {
      return 1;
    },
    n: Number.NaN,
    big: 10n,
    sym: Symbol('s'),
    long: 'x'.repeat(20_000),
    nested: { a: { b: { c: { d: { e: { f: { g: 1 } } } } } } },
  };
  (ap3c as Record<string, unknown>).self = ap3c;
  return {
    kind: 'batch',
    recorderDocId: '0123456789abcdef',
    full: true,
    late: false,
    events: [
      { seq: 1, t: 1, kind: EventKind.Ap3cAssigned, name: 'ap3c', note: 'an object' },
      { seq: 2, t: 2, kind: EventKind.CmdQueued, name: 'cmd.push', args: snapshot([() => 1], EVENT_LIMITS) },
      initEvent(3),
    ],
    dropped: 0,
    ap3c: { state: 'present', snap: snapshot(ap3c) },
  };
}

function validReport(): PageReport {
  const b = validBatch();
  return makeReport({
    relayDocId: '12345-67890',
    url: 'https://example.com/page',
    timeOrigin: 1_700_000_000_000.5,
    activeSince: 1_700_000_000_000.5,
    events: b.events,
    ap3c: b.ap3c,
    widget: { present: true, inBody: true, visible: true, shadow: 'open', notVerifiedLabel: false, text: 'Chat with us' },
    cookies: [{ name: 'ap3c', value: 'abc' }],
    scripts: ['https://cdn.example.com/app.js'],
    widgetInteractedAt: 1234.5,
  });
}

/** A deep copy with one change, for building malformed variants. */
function tweak<T>(value: T, change: (copy: Record<string, unknown>) => void): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  change(copy);
  return copy;
}

describe('names', () => {
  it('private event types are namespaced, one per direction', () => {
    expect(privateEventTypes('ab')).toEqual({ toRecorder: 'talk-inspector:ab:to-recorder', toRelay: 'talk-inspector:ab:to-relay' });
  });
});

describe('RecorderBatchSchema', () => {
  it('accepts a batch built from real snapshots, unchanged', () => {
    const batch = validBatch();
    const parsed = parseMessage(RecorderBatchSchema, batch);
    expect(parsed).toEqual(batch);
  });

  it('accepts it after a JSON round trip (what the channel does)', () => {
    expect(parseMessage(RecorderBatchSchema, JSON.parse(JSON.stringify(validBatch())))).toEqual(validBatch());
  });

  it('accepts every ap3c state', () => {
    for (const ap3c of [{ state: 'absent' }, { state: 'unreadable', reason: 'getter' }, { state: 'present', snap: null }]) {
      expect(parseMessage(RecorderBatchSchema, { ...validBatch(), ap3c })).toBeDefined();
    }
  });

  it('accepts exactly TIMELINE_CAP events and rejects one more', () => {
    const events = Array.from({ length: TIMELINE_CAP }, (_, i) => ({ seq: i + 1, t: i, kind: EventKind.Track, name: 'track' }));
    expect(parseMessage(RecorderBatchSchema, { ...validBatch(), events })).toBeDefined();
    const tooMany = [...events, { seq: TIMELINE_CAP + 1, t: 0, kind: EventKind.Track }];
    expect(parseMessage(RecorderBatchSchema, { ...validBatch(), events: tooMany })).toBeUndefined();
  });

  const malformed: [string, unknown][] = [
    ['wrong kind', { ...validBatch(), kind: 'sync' }],
    ['missing kind', tweak(validBatch(), (b) => delete b.kind)],
    ['missing recorderDocId', tweak(validBatch(), (b) => delete b.recorderDocId)],
    ['missing events', tweak(validBatch(), (b) => delete b.events)],
    ['missing ap3c', tweak(validBatch(), (b) => delete b.ap3c)],
    ['missing dropped', tweak(validBatch(), (b) => delete b.dropped)],
    ['recorderDocId too short', { ...validBatch(), recorderDocId: '0123456789abcde' }],
    ['recorderDocId too long', { ...validBatch(), recorderDocId: '0123456789abcdef0' }],
    ['recorderDocId with upper-case hex', { ...validBatch(), recorderDocId: '0123456789ABCDEF' }],
    ['recorderDocId not hex', { ...validBatch(), recorderDocId: '0123456789abcdeg' }],
    ['recorderDocId with a newline', { ...validBatch(), recorderDocId: '0123456789abcdef\n' }],
    ['recorderDocId a number', { ...validBatch(), recorderDocId: 1234567890123456 }],
    ['full a string', { ...validBatch(), full: 'true' }],
    ['late a number', { ...validBatch(), late: 1 }],
    ['dropped a string', { ...validBatch(), dropped: '0' }],
    ['events an object', { ...validBatch(), events: {} }],
    ['event with unknown kind', { ...validBatch(), events: [{ seq: 1, t: 1, kind: 'evil' }] }],
    ['event without seq', { ...validBatch(), events: [{ t: 1, kind: EventKind.Init }] }],
    ['event seq a string', { ...validBatch(), events: [{ seq: '1', t: 1, kind: EventKind.Init }] }],
    ['event with an over-long name', { ...validBatch(), events: [{ seq: 1, t: 1, kind: EventKind.Init, name: 'n'.repeat(301) }] }],
    ['event with an over-long note', { ...validBatch(), events: [{ seq: 1, t: 1, kind: EventKind.Init, note: 'n'.repeat(301) }] }],
    ['event args with an over-long string', { ...validBatch(), events: [{ seq: 1, t: 1, kind: EventKind.Init, args: 's'.repeat(64 * 1024 + 1) }] }],
    ['event args with an unknown Snap tag', { ...validBatch(), events: [{ seq: 1, t: 1, kind: EventKind.Init, args: { t: 'html', v: '<b>' } }] }],
    [
      'unknown Snap tag nested deep in args',
      {
        ...validBatch(),
        events: [
          {
            seq: 1,
            t: 1,
            kind: EventKind.Init,
            args: { t: 'arr', items: [{ t: 'obj', entries: [['talk', { t: 'obj', entries: [['token', { t: 'weird' }]], more: 0 }]], more: 0 }], more: 0 },
          },
        ],
      },
    ],
    ['ap3c with unknown state', { ...validBatch(), ap3c: { state: 'maybe' } }],
    ['ap3c present without snap', { ...validBatch(), ap3c: { state: 'present' } }],
    ['ap3c unreadable without reason', { ...validBatch(), ap3c: { state: 'unreadable' } }],
    ['ap3c unreadable with an over-long reason', { ...validBatch(), ap3c: { state: 'unreadable', reason: 'r'.repeat(301) } }],
    ['null', null],
    ['undefined', undefined],
    ['a string', 'batch'],
    ['a JSON string of a valid batch', JSON.stringify(validBatch())],
    ['a number', 42],
    ['an array', [validBatch()]],
    ['an empty object', {}],
  ];

  for (const [name, data] of malformed) {
    it(`rejects ${name}`, () => {
      expect(parseMessage(RecorderBatchSchema, data)).toBeUndefined();
    });
  }

  it('drops unknown extra keys instead of passing them on', () => {
    const parsed = parseMessage(RecorderBatchSchema, { ...validBatch(), extra: { evil: true } });
    expect(parsed).toBeDefined();
    expect(parsed).not.toHaveProperty('extra');
  });
});

describe('SnapSchema', () => {
  it('accepts every snapshot tag', () => {
    const snaps: unknown[] = [
      null,
      true,
      1.5,
      'text',
      { t: 'undef' },
      { t: 'num', v: 'NaN' },
      { t: 'big', v: '1' },
      { t: 'sym', v: 'Symbol(x)' },
      { t: 'str', v: 'cut', len: 10 },
      { t: 'fn', name: 'init' },
      { t: 'get', set: false },
      { t: 'cycle' },
      { t: 'deep' },
      { t: 'cut' },
      { t: 'err', v: 'threw' },
      { t: 'arr', items: [1, { t: 'cycle' }], more: 3 },
      { t: 'obj', entries: [['a', 1]], more: 0, cls: 'Foo' },
    ];
    for (const s of snaps) expect(parseMessage(SnapSchema, s)).toEqual(s);
  });

  it('rejects malformed snapshots', () => {
    const bad: unknown[] = [
      undefined,
      { t: 'unknown' },
      { t: 'num' },
      { t: 'num', v: 1 },
      { t: 'fn', name: 'f'.repeat(301) },
      { t: 'get' },
      { t: 'get', set: 'no' },
      { t: 'str', v: 'x' },
      { t: 'arr', items: 'no', more: 0 },
      { t: 'arr', items: [], more: '0' },
      { t: 'arr', items: Array.from({ length: 1001 }, () => 1), more: 0 },
      { t: 'obj', entries: [['a']], more: 0 },
      { t: 'obj', entries: [[1, 1]], more: 0 },
      { t: 'obj', entries: [['a', { t: 'bad' }]], more: 0 },
      { t: 'obj', entries: [], more: 0, cls: 1 },
      [1, 2],
      () => 1,
      Symbol('x'),
      10n,
    ];
    for (const s of bad) expect(parseMessage(SnapSchema, s)).toBeUndefined();
  });

  it('returns undefined (does not throw) for absurdly deep nesting', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = { t: 'arr', items: [deep], more: 0 };
    let result: unknown = 'not run';
    expect(() => {
      result = parseMessage(SnapSchema, deep);
    }).not.toThrow();
    expect(result).toBeUndefined();
  });
});

describe('TimelineEventSchema and Ap3cStateSchema', () => {
  it('accepts a minimal event and every event kind', () => {
    for (const kind of Object.values(EventKind)) expect(parseMessage(TimelineEventSchema, { seq: 1, t: 0, kind })).toEqual({ seq: 1, t: 0, kind });
  });

  it('rejects a bad ap3c state', () => {
    expect(parseMessage(Ap3cStateSchema, { state: 'absent' })).toEqual({ state: 'absent' });
    expect(parseMessage(Ap3cStateSchema, { state: 'present', snap: { t: 'nope' } })).toBeUndefined();
    expect(parseMessage(Ap3cStateSchema, 'absent')).toBeUndefined();
  });
});

describe('PageReportSchema', () => {
  it('accepts a valid report', () => {
    expect(parseMessage(PageReportSchema, validReport())).toEqual(validReport());
  });

  const malformed: [string, unknown][] = [
    ['relayDocId too long', { ...validReport(), relayDocId: 'd'.repeat(65) }],
    ['url too long', { ...validReport(), url: `https://e.com/${'p'.repeat(8192)}` }],
    ['url not a string', { ...validReport(), url: null }],
    ['timeOrigin a string', { ...validReport(), timeOrigin: '0' }],
    ['missing activeSince', tweak(validReport(), (r) => delete r.activeSince)],
    ['recorderPaired missing', tweak(validReport(), (r) => delete r.recorderPaired)],
    ['too many events', { ...validReport(), events: Array.from({ length: TIMELINE_CAP + 1 }, (_, i) => ({ seq: i, t: 0, kind: EventKind.Track })) }],
    ['widget missing', tweak(validReport(), (r) => delete r.widget)],
    ['widget shadow unknown', tweak(validReport(), (r) => Object.assign(r.widget as object, { shadow: 'closed' }))],
    ['widget text too long', tweak(validReport(), (r) => Object.assign(r.widget as object, { text: 't'.repeat(2001) }))],
    ['widget notVerifiedLabel a string', tweak(validReport(), (r) => Object.assign(r.widget as object, { notVerifiedLabel: 'yes' }))],
    ['too many cookies', { ...validReport(), cookies: Array.from({ length: 51 }, (_, i) => ({ name: `ap3c${i}`, value: '' })) }],
    ['cookie value too long', { ...validReport(), cookies: [{ name: 'ap3c', value: 'v'.repeat(4097) }] }],
    ['cookie name too long', { ...validReport(), cookies: [{ name: 'n'.repeat(301), value: '' }] }],
    ['cookie without value', { ...validReport(), cookies: [{ name: 'ap3c' }] }],
    ['too many script URLs', { ...validReport(), scripts: Array.from({ length: 11 }, (_, i) => `https://e.com/${i}/app.js`) }],
    ['an over-long script URL', { ...validReport(), scriptErrors: [`https://e.com/${'a'.repeat(2048)}`] }],
    ['talkSessionCalls not an array', { ...validReport(), talkSessionCalls: 'https://e.com' }],
    ['widgetInteractedAt a string', { ...validReport(), widgetInteractedAt: '1' }],
    ['widgetInteractedAt missing', tweak(validReport(), (r) => delete r.widgetInteractedAt)],
  ];
  for (const [name, data] of malformed) {
    it(`rejects ${name}`, () => {
      expect(parseMessage(PageReportSchema, data)).toBeUndefined();
    });
  }

  it('accepts a null notVerifiedLabel (widget not readable)', () => {
    const r = validReport();
    r.widget.notVerifiedLabel = null;
    expect(parseMessage(PageReportSchema, r)).toBeDefined();
  });
});

describe('small schemas', () => {
  it('WidgetStateSchema and CookieSchema', () => {
    expect(parseMessage(WidgetStateSchema, validReport().widget)).toEqual(validReport().widget);
    expect(parseMessage(CookieSchema, { name: 'ap3c', value: '' })).toEqual({ name: 'ap3c', value: '' });
    expect(parseMessage(CookieSchema, { name: 'ap3c', value: 1 })).toBeUndefined();
  });
});

function validUpdate(): PageUpdate {
  const { relayDocId, url, timeOrigin, activeSince, widget, scripts, scriptErrors, talkSessionCalls, widgetInteractedAt } = validReport();
  return {
    relayDocId,
    url,
    timeOrigin,
    activeSince,
    batches: [JSON.stringify(validBatch())],
    dom: { widget, scripts, scriptErrors, talkSessionCalls, widgetInteractedAt },
  };
}

describe('PageUpdateSchema', () => {
  it('accepts a valid update; its batches stay strings for the background to parse', () => {
    expect(parseMessage(PageUpdateSchema, validUpdate())).toEqual(validUpdate());
    expect(parseMessage(PageUpdateSchema, { ...validUpdate(), batches: [] })).toBeDefined();
  });

  const withDom = (change: (dom: Record<string, unknown>) => void) => tweak(validUpdate(), (u) => change(u.dom as Record<string, unknown>));
  const malformed: [string, unknown][] = [
    ['a batch that is not a string', { ...validUpdate(), batches: [validBatch()] }],
    ['a batch over 4 MiB', { ...validUpdate(), batches: ['x'.repeat(4 * 1024 * 1024 + 1)] }],
    ['too many batches', { ...validUpdate(), batches: Array.from({ length: 52 }, () => '{}') }],
    ['no dom facts', tweak(validUpdate(), (u) => delete u.dom)],
    ['widget missing', withDom((d) => delete d.widget)],
    ['widget shadow unknown', withDom((d) => Object.assign(d.widget as object, { shadow: 'closed' }))],
    ['widget text too long', withDom((d) => Object.assign(d.widget as object, { text: 't'.repeat(2001) }))],
    ['too many script URLs', withDom((d) => Object.assign(d, { scripts: Array.from({ length: 11 }, (_, i) => `https://e.com/${i}/app.js`) }))],
    ['talkSessionCalls not an array', withDom((d) => Object.assign(d, { talkSessionCalls: 'https://e.com' }))],
    ['widgetInteractedAt a string', withDom((d) => Object.assign(d, { widgetInteractedAt: '1' }))],
    ['url too long', { ...validUpdate(), url: `https://e.com/${'p'.repeat(8192)}` }],
    ['relayDocId too long', { ...validUpdate(), relayDocId: 'd'.repeat(65) }],
  ];
  for (const [name, data] of malformed) {
    it(`rejects ${name}`, () => {
      expect(parseMessage(PageUpdateSchema, data)).toBeUndefined();
    });
  }
});

describe('RuntimeMessageSchema', () => {
  it('accepts a page update message and the e2e state query', () => {
    const msg = { type: RuntimeMsg.PageUpdate, update: validUpdate() };
    expect(parseMessage(RuntimeMessageSchema, msg)).toEqual(msg);
    expect(parseMessage(RuntimeMessageSchema, { type: RuntimeMsg.E2eGetState })).toEqual({ type: 'e2e:get-state' });
  });

  it('rejects malformed runtime messages', () => {
    for (const bad of [
      { type: 'page-update' },
      { type: 'page-update', update: { ...validUpdate(), url: 1 } },
      { type: 'page-update', update: validBatch() },
      { type: 'page-report', report: validReport() },
      { type: 'other' },
      { update: validUpdate() },
      null,
      'page-update',
      7,
      [{ type: 'e2e:get-state' }],
    ]) {
      expect(parseMessage(RuntimeMessageSchema, bad)).toBeUndefined();
    }
  });
});

describe('PanelMessageSchema', () => {
  it('accepts a subscription to a tab', () => {
    expect(parseMessage(PanelMessageSchema, { type: PortMsg.Subscribe, tabId: 12 })).toEqual({ type: 'subscribe', tabId: 12 });
    expect(parseMessage(PanelMessageSchema, { type: PortMsg.Subscribe, tabId: 0 })).toEqual({ type: 'subscribe', tabId: 0 });
  });

  it('rejects a negative, fractional, non-finite or non-number tabId', () => {
    for (const tabId of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '3', null, undefined]) {
      expect(parseMessage(PanelMessageSchema, { type: PortMsg.Subscribe, tabId })).toBeUndefined();
    }
  });

  it('rejects other shapes', () => {
    for (const bad of [{ type: 'tab-state', tabId: 1 }, { tabId: 1 }, null, 'subscribe', 1, [], [{ type: 'subscribe', tabId: 1 }]]) {
      expect(parseMessage(PanelMessageSchema, bad)).toBeUndefined();
    }
  });
});
