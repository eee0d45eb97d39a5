/**
 * The page's globals the recorder uses, taken once at document_start, before any page script can
 * replace them (docs/architecture.md, "Trust"). Window and document listener functions are taken
 * from each (in browsers both are EventTarget.prototype's).
 */
import { getOwnPropertyDescriptor } from '../shared/intrinsics.ts';

export const win = window;
export const doc = document;
export const { dispatchEvent: winDispatch, addEventListener: winListen } = win;
export const { dispatchEvent: docDispatch, addEventListener: docListen, removeEventListener: docUnlisten } = doc;
export const CustomEventCtor = CustomEvent;
export const { preventDefault } = Event.prototype;
/** The built-in getter of CustomEvent.prototype.detail (a page could replace the property). */
export const detailOf = (getOwnPropertyDescriptor(CustomEvent.prototype, 'detail') as PropertyDescriptor).get as () => unknown;
export const timeout = setTimeout;
export const microtask = queueMicrotask;
export const perf = performance;
export const perfNow = perf.now;
/**
 * Built-in getters of ErrorEvent: what an uncaught error says, read without page code. (A DOM
 * without them, as happy-dom, leaves them undefined: the recorder then notes no page errors.)
 */
const errorEventGetter = (name: string): (() => unknown) => getOwnPropertyDescriptor(ErrorEvent.prototype, name)?.get as () => unknown;
export const errorMessageOf = errorEventGetter('message');
export const errorFileOf = errorEventGetter('filename');
export const errorLineOf = errorEventGetter('lineno');
