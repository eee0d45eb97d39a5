/**
 * The one extension API the relay needs: runtime.sendMessage (promise-returning in both browsers
 * under MV3). Kept to this tiny shim instead of webextension-polyfill so the content script, which
 * loads on every page, stays small.
 */
interface MinimalRuntime {
  id?: string;
  sendMessage(message: unknown): Promise<unknown>;
}

const g = globalThis as unknown as { browser?: { runtime?: MinimalRuntime }; chrome?: { runtime?: MinimalRuntime } };

export function extensionRuntime(): MinimalRuntime | undefined {
  return g.browser?.runtime ?? g.chrome?.runtime;
}

/** False once the extension was reloaded or removed: this content script is then orphaned. */
export function runtimeAlive(): boolean {
  try {
    return Boolean(extensionRuntime()?.id);
  } catch {
    return false;
  }
}
