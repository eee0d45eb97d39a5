// @vitest-environment happy-dom
/**
 * Issue 13, the recorder's side (the real recorder paired with the real relay channel): connector
 * inits, the enableTalk flag, uncaught errors naming ap3c, and the WooCommerce plugin's settings.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseBatch } from '../../src/background/state/page-report.ts';
import type { RelayChannel } from '../../src/content/pairing.ts';
import { EventKind, type RecorderBatch, Wire } from '../../src/shared/protocol/wire.ts';
import { startRealRecorder } from './helpers/real-recorder.ts';

const messages: string[] = [];
let relay: RelayChannel;
// biome-ignore lint/suspicious/noExplicitAny: stands in for arbitrary page code
const w = window as any;

beforeAll(async () => {
  relay = await startRealRecorder(messages);
});

async function pull(): Promise<RecorderBatch> {
  const before = messages.length;
  relay.request(Wire.Full);
  await new Promise((r) => setTimeout(r, 0));
  const batch = messages.slice(before).find((m) => m.startsWith(Wire.Batch));
  const parsed = batch ? parseBatch(batch.slice(2)) : undefined;
  if (!parsed) throw new Error('no batch');
  return parsed;
}

describe('recorder: real-world snippet shapes', () => {
  it('records the Magento and WooCommerce connectors’ inits with their arguments, and when enableTalk is set', async () => {
    w.ap3c = { cmd: [] };
    w.ap3c.initMagento = (_key: string, _url: string, _opts: unknown) => 'magento';
    w.ap3c.initWooCommerce = () => 'woo';
    expect(w.ap3c.initMagento('KEY', 'https://capture-api.example/', { context: { scope: 'default' }, needsConsentToTrack: true })).toBe('magento');
    expect(w.ap3c.initWooCommerce({ page: 'shop' }, { tracking_key: 'KEY' }, { e: 1 })).toBe('woo');
    w.ap3c.enableTalk = false;
    expect(w.ap3c.enableTalk).toBe(false);
    const batch = await pull();
    const inits = batch.events.filter((e) => e.kind === EventKind.Init);
    expect(inits.map((e) => e.name)).toEqual(['initMagento', 'initWooCommerce']);
    expect(JSON.stringify(inits[0]?.args)).toContain('needsConsentToTrack');
    const flag = batch.events.find((e) => e.kind === EventKind.FlagSet);
    expect(flag).toMatchObject({ name: 'enableTalk', args: { t: 'arr', items: [false] } });
  });

  it('records uncaught errors that name ap3c, with the script and line; ignores others and plain error events', async () => {
    dispatchEvent(new ErrorEvent('error', { message: 'Uncaught TypeError: ap3c.track is not a function', filename: 'https://shop.example/', lineno: 12 }));
    dispatchEvent(new ErrorEvent('error', { message: 'Uncaught TypeError: x is undefined', filename: 'https://shop.example/', lineno: 13 }));
    dispatchEvent(new Event('error'));
    const errors = (await pull()).events.filter((e) => e.kind === EventKind.PageError);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.args).toEqual({ t: 'arr', items: ['Uncaught TypeError: ap3c.track is not a function', 'https://shop.example/', 12], more: 0 });
  });

  it('keeps at most 50 of them (a page may throw in a loop)', async () => {
    for (let i = 0; i < 200; i++) dispatchEvent(new ErrorEvent('error', { message: `Identifier 'ap3c' has already been declared ${i}` }));
    expect((await pull()).events.filter((e) => e.kind === EventKind.PageError)).toHaveLength(50);
  });

  it('reads window.ap3Options’ known keys only, and never calls a getter there', async () => {
    w.ap3Options = { tracking_key: 'KEY', capture_api_url: 'https://capture-api-us.ortto.app/', secret: 'not read' };
    const snap = JSON.stringify((await pull()).ap3Options);
    expect(snap).toContain('capture-api-us.ortto.app');
    expect(snap).not.toContain('not read');
    let reads = 0;
    delete w.ap3Options;
    Object.defineProperty(window, 'ap3Options', {
      configurable: true,
      get: () => {
        reads++;
        return {};
      },
    });
    expect((await pull()).ap3Options).toBeUndefined();
    expect(reads).toBe(0);
  });

  it('tells the relay about new ap3c objects (A, then E once the code returned), for the first 20 only', async () => {
    const before = messages.length;
    for (let i = 0; i < 30; i++) w.ap3c = { cmd: [], i };
    await Promise.resolve();
    const notes = messages.slice(before);
    expect(notes.filter((m) => m === Wire.Assigned).length).toBeLessThanOrEqual(20);
    expect(notes.filter((m) => m === Wire.Assigned).length).toBe(notes.filter((m) => m === Wire.AssignedEnd).length);
    // E comes after the page's code: every A of the loop is sent before the first E.
    expect(notes.indexOf(Wire.AssignedEnd)).toBeGreaterThan(notes.lastIndexOf(Wire.Assigned));
  });
});
