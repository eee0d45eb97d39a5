/** True only in the test build used by the Firefox end-to-end suite (vite `define`). */
declare const __E2E__: boolean;
/**
 * True only in `npm run bench:steps`'s build (vite `define`): `__tiStep(name)` then records the
 * time since the previous step of its script (its prelude: bench/steps.ts); `from` only restarts
 * the clock. Compiled out of every other build.
 */
declare const __STEPS__: boolean;
declare function __tiStep(name: string, from?: boolean): void;
