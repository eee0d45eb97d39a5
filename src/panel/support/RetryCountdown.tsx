/**
 * " Next try in N s." for a request waiting to retry (a 429). Read from the clock at every render,
 * so its first paint is right however long the panel has been open; a quarter-second tick only
 * makes it render again.
 */
import { useEffect, useState } from 'preact/hooks';

export function RetryCountdown({ retryAt }: { retryAt: number }) {
  const [, setTick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), 250);
    return () => clearInterval(t);
  }, [retryAt]);
  return <>{` Next try in ${Math.max(0, Math.ceil((retryAt - Date.now()) / 1000))} s.`}</>;
}
