/**
 * The extension APIs the relay needs: runtime.connect (live updates) and runtime.sendMessage (the
 * test build's bridge). Kept to this tiny shim instead of webextension-polyfill so the content
 * script, which loads on every page, stays small.
 */
export interface MinimalPort {
  postMessage(message: unknown): void;
  disconnect(): void;
  onDisconnect: { addListener(listener: () => void): void };
}
interface MinimalRuntime {
  id?: string;
  sendMessage(message: unknown): Promise<unknown>;
  connect(info: { name: string }): MinimalPort;
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
