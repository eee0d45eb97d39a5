/**
 * The page's globals the recorder uses, taken once at document_start, before any page script can
 * replace them (docs/architecture.md, "Trust"). Window and document listener functions are taken
 * from each (in browsers both are EventTarget.prototype's).
 */
import { ownDescriptor } from '../shared/intrinsics.ts';

export const win = window;
export const doc = document;
export const { dispatchEvent: winDispatch, addEventListener: winListen } = win;
export const { dispatchEvent: docDispatch, addEventListener: docListen, removeEventListener: docUnlisten } = doc;
export const CustomEventCtor = CustomEvent;
export const { preventDefault } = Event.prototype;
/** The built-in getter of CustomEvent.prototype.detail (a page could replace the property). */
export const detailOf = (ownDescriptor(CustomEvent.prototype, 'detail') as PropertyDescriptor).get as () => unknown;
export const timeout = setTimeout;
export const microtask = queueMicrotask;
export const perf = performance;
export const perfNow = perf.now;
const ErrorEventCtor = ErrorEvent;
/**
 * ErrorEvent's getters (message, filename, lineno): what an uncaught error says. The constructor is
 * taken at start (so reading them runs no page code), its getters when asked, once ap3c appears:
 * reading them at start cost every page ~15–40 µs, and only Ortto pages listen for errors. A page
 * that replaced them before its snippet ran only changes what its own errors say (untrusted text
 * anyway), in its own `error` event, where no private event is dispatched. (A DOM without them,
 * as happy-dom, gives undefined: the recorder then notes no page errors.)
 */
export const errorGetter = (name: 'message' | 'filename' | 'lineno'): (() => unknown) => ownDescriptor(ErrorEventCtor.prototype, name)?.get as () => unknown;
