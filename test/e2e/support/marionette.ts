/**
 * A minimal Marionette client: the protocol Firefox speaks on `--marionette` (pref
 * `marionette.port`). It reaches what WebDriver BiDi does not: the chrome context, where a test
 * can open the real DevTools toolbox and look inside an extension's panel.
 *
 * Wire format: every packet is `<byte length>:<JSON>`. The server speaks first, once, with
 * `{"applicationType":"gecko","marionetteProtocol":3}`; then each command is
 * `[0, id, name, parameters]` and its answer `[1, id, error | null, result | null]`.
 */
import { connect, type Socket } from 'node:net';

export interface MarionetteError {
  error: string;
  message: string;
  stacktrace?: string;
}

export class Marionette {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; name: string }>();
  private hello: ((v: unknown) => void) | null = null;
  private closedWith: Error | null = null;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('close', () => this.fail(new Error('Marionette connection closed')));
    socket.on('error', (e) => this.fail(e));
  }

  /** Connects, retrying until Firefox listens (it opens the port a moment after it starts), and reads the greeting. */
  static async connect(port: number, timeoutMs = 30_000): Promise<Marionette> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    while (Date.now() < deadline) {
      try {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const s = connect({ host: '127.0.0.1', port }, () => resolve(s));
          s.once('error', reject);
        });
        const client = new Marionette(socket);
        const greeting = (await Promise.race([
          new Promise((resolve) => {
            client.hello = resolve;
          }),
          new Promise((_, reject) => setTimeout(() => reject(new Error('no Marionette greeting')), 5000)),
        ])) as { marionetteProtocol?: number };
        if (greeting.marionetteProtocol !== 3) throw new Error(`unexpected Marionette greeting ${JSON.stringify(greeting)}`);
        return client;
      } catch (e) {
        lastError = e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`Could not reach Marionette on port ${port}: ${String(lastError)}`);
  }

  /** Sends one command and resolves with its result (rejects with the server's error message). */
  command<T = unknown>(name: string, parameters: Record<string, unknown> = {}): Promise<T> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const id = this.nextId++;
    const json = Buffer.from(JSON.stringify([0, id, name, parameters]), 'utf8');
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, name });
      this.socket.write(Buffer.concat([Buffer.from(`${json.length}:`), json]));
    });
  }

  /**
   * Runs `script` (a function body; `arguments` holds `args`) in the current context and returns
   * what it returns, awaiting a returned promise. In the chrome context it runs in the browser
   * window, with `gBrowser`, `ChromeUtils` and `Services` at hand.
   */
  async execute<T = unknown>(script: string, args: unknown[] = []): Promise<T> {
    const r = await this.command<{ value: T }>('WebDriver:ExecuteScript', { script, args });
    return r.value;
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const colon = this.buffer.indexOf(':');
      if (colon < 0) return;
      const length = Number(this.buffer.subarray(0, colon).toString('ascii'));
      if (this.buffer.length < colon + 1 + length) return; // wait for the rest of the packet
      const packet: unknown = JSON.parse(this.buffer.subarray(colon + 1, colon + 1 + length).toString('utf8'));
      this.buffer = this.buffer.subarray(colon + 1 + length);
      if (!Array.isArray(packet)) {
        this.hello?.(packet);
        this.hello = null;
        continue;
      }
      const [, id, error, result] = packet as [number, number, MarionetteError | null, unknown];
      const waiter = this.pending.get(id);
      if (!waiter) continue;
      this.pending.delete(id);
      if (error) waiter.reject(new Error(`${waiter.name}: ${error.error}: ${error.message}${error.stacktrace ? `\n${error.stacktrace}` : ''}`));
      else waiter.resolve(result);
    }
  }

  private fail(e: Error): void {
    this.closedWith ??= e;
    for (const w of this.pending.values()) w.reject(e);
    this.pending.clear();
  }
}
