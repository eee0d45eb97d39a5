/** True only in the test build used by the Firefox end-to-end suite (vite `define`). */
declare const __E2E__: boolean;
