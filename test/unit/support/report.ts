/** A fluent builder of PageReports for the analysis tests, on top of helpers/report.ts (real snapshots). */
import type { PageReport } from '../../../src/shared/protocol/model.ts';
import { EventKind, type TimelineEvent } from '../../../src/shared/protocol/wire.ts';
import { snapshot } from '../../../src/shared/snapshot.ts';
import { EVENT_LIMITS, makeReport } from '../helpers/report.ts';

export const KEY = 'YKx3hyqjq7hTYkomdGVzdGF1dG9tYXRpb24'; // testautomation (ortto-facts.md)
export const OTHER_KEY = 'ZRLA_-4KEc5e7QsOb3RoZXJpbnN0YW5jZQ'; // otherinstance
export const US_CAPTURE = 'https://capture-api.autopilotapp.com/';
export const EU_CAPTURE = 'https://capture-api-eu.ortto.app/';
export const TOKEN = 'tk_4mB8q0sVx1nE7rYp2LwZk9dFhJc3TgUa.Qe6RyS1vWb8nM0xKz4pLd7Hj2Fc9GtA5sE3uYi';

export class ReportBuilder {
  private events: TimelineEvent[] = [];
  private seq = 0;
  private t = 10;
  report: PageReport = makeReport({ url: 'https://shop.example/', timeOrigin: Date.UTC(2026, 10, 25, 9, 0, 0), activeSince: Date.UTC(2026, 10, 25, 9, 0, 0) });

  event(kind: TimelineEvent['kind'], name: string, args?: unknown[], note?: string): this {
    this.t += 5;
    const e: TimelineEvent = { seq: ++this.seq, t: this.t, kind, name };
    if (args !== undefined) e.args = snapshot(args, EVENT_LIMITS);
    if (note !== undefined) e.note = note;
    this.events.push(e);
    return this;
  }

  /** The standard snippet: ap3c assigned, capture script loaded (init defined) and init called. */
  snippet(captureKey: unknown = KEY, captureUrl: unknown = US_CAPTURE, options?: Record<string, unknown>): this {
    this.event(EventKind.Ap3cAssigned, 'ap3c', undefined, 'an object');
    this.loaded();
    return this.init(captureKey, captureUrl, options);
  }

  loaded(): this {
    this.event(EventKind.MethodDefined, 'init');
    this.ap3c({ cmd: [], init() {}, track() {}, apiHost: US_CAPTURE, uniqueID: 'u1' });
    this.report.scripts = ['https://cdn3l.ink/app.js'];
    return this;
  }

  init(captureKey: unknown = KEY, captureUrl: unknown = US_CAPTURE, options?: Record<string, unknown>): this {
    return this.event(EventKind.Init, 'init', options === undefined ? [captureKey, captureUrl] : [captureKey, captureUrl, options]);
  }

  ap3c(value: Record<string, unknown>): this {
    this.report.ap3c = { state: 'present', snap: snapshot(value) };
    return this;
  }

  widget(notVerified: boolean | null, visible = true): this {
    this.report.widget = {
      present: true,
      inBody: true,
      visible,
      shadow: notVerified === null ? 'closed-or-none' : 'open',
      notVerifiedLabel: notVerified,
      text: notVerified ? 'Not verified' : 'Chat',
    };
    return this;
  }

  with(patch: Partial<PageReport>): this {
    Object.assign(this.report, patch);
    return this;
  }

  build(): PageReport {
    return { ...this.report, events: [...this.events] };
  }
}

export const report = (): ReportBuilder => new ReportBuilder();
