/**
 * Built-ins taken once, when the module loads. In the page's MAIN world that is document_start,
 * before any page script could replace them: the recorder and the snapshot code call only these
 * (a page that replaced Reflect.apply or String.prototype.slice later changes nothing of ours).
 * One module, so the page's bundle takes each built-in once. Pure.
 */
export const { apply, ownKeys, getOwnPropertyDescriptor, getPrototypeOf, defineProperty, setPrototypeOf, deleteProperty } = Reflect;

/**
 * An own property's descriptor, without a prototype: reading a field it lacks (`'value' in d`,
 * `d.get`) or handing it to defineProperty never reaches an accessor the page put on
 * Object.prototype (which would run with the descriptor, and what it holds, as `this`).
 */
export function ownDescriptor(o: object, key: PropertyKey): PropertyDescriptor | undefined {
  const d = getOwnPropertyDescriptor(o, key);
  if (d) setPrototypeOf(d, null);
  return d;
}
export const { isArray } = Array;
export const { slice: stringSlice, indexOf: stringIndexOf } = String.prototype;
export const { max, min, floor, random } = Math;
export const { stringify, parse } = JSON;
export const SetCtor = Set;
export const WeakSetCtor = WeakSet;
export const ProxyCtor = Proxy;
