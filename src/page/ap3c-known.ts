/** What the recorder reads of window.ap3c. Pure (built-ins captured at load, as in snapshot.ts). */
/**
 * The names Ortto's snippet and script are known to use on ap3c (ortto-facts.md). Only these are
 * read: listing every key of a hostile ap3c (a million of them) would cost the page most of a second.
 */
import { apply, defineProperty, ownDescriptor } from '../shared/intrinsics.ts';

export const AP3C_KEYS = [
  'cmd',
  'act',
  'activity',
  'init',
  'track',
  'talk',
  'uniqueID',
  'apiHost',
  'enableTalk',
  'getCookie',
  'clearSession',
  '_generalWidget',
  'getWidgetsData',
  'cmdWooCommerce',
  'initWooCommerce',
  'cmdMagento',
  'initMagento',
];

/** What is read of `window.ap3Options`, the WooCommerce plugin's settings (ortto-facts.md). */
export const AP3_OPTIONS_KEYS = ['tracking_key', 'capture_api_url'];

/**
 * `ours`: whether a getter is one of the recorder's own accessors (hooks.ts), whose value is read
 * (it is the page's value, kept by our code); any other getter stays an uncalled getter.
 */
export function pickKnown(value: unknown, keys: string[] = AP3C_KEYS, ours?: (get: unknown) => boolean): unknown {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return value;
  const picked = {};
  for (let i = 0; i < keys.length; i++) {
    const name = keys[i] as string;
    let d: PropertyDescriptor | undefined;
    try {
      d = ownDescriptor(value, name);
    } catch {
      return value; // a Proxy that throws: let the snapshot say so
    }
    // Copied as descriptors, so a getter stays an (uncalled) getter in the snapshot.
    if (d && ours?.(d.get)) {
      const v = apply(d.get as () => unknown, value, []);
      // (Our accessor on a name the page never set holds nothing.)
      if (v !== undefined) defineProperty(picked, name, { __proto__: null, value: v, enumerable: true, configurable: true } as PropertyDescriptor);
    } else if (d) defineProperty(picked, name, { __proto__: null, ...d, configurable: true } as PropertyDescriptor);
  }
  return picked;
}
