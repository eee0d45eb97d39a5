/**
 * The real recorder (src/page/recorder.ts) started in the calling test file's DOM (happy-dom),
 * paired with the real relay channel: `messages` receives what the recorder sends, as the relay
 * would. Once per test file: the recorder starts when its module is first imported.
 */
import { pairWithRecorder, type RelayChannel } from '../../../src/content/pairing.ts';

/**
 * happy-dom keeps an ErrorEvent's fields on the event itself; browsers have getters on the
 * prototype, which the recorder takes at start: gives happy-dom the browsers' shape (call first).
 */
export function browserShapedErrorEvent(): void {
  for (const name of ['message', 'filename', 'lineno'])
    Object.defineProperty(ErrorEvent.prototype, name, {
      configurable: true,
      get(this: ErrorEvent) {
        return Object.getOwnPropertyDescriptor(this, name)?.value;
      },
    });
}

export async function startRealRecorder(messages: string[]): Promise<RelayChannel> {
  browserShapedErrorEvent();
  const relay = pairWithRecorder(
    '0123456789abcdef0123456789abcdef',
    (m) => messages.push(m),
    () => true,
  );
  await import('../../../src/page/recorder.ts'); // starts, and pairs with the relay above
  return relay;
}
