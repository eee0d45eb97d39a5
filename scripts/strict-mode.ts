/**
 * The recorder's first statement as built (vite.config.ts): strict mode. Page code runs inside the
 * recorder's own steps (a Proxy's traps while a snapshot is taken): in a sloppy-mode script it
 * could climb Function.prototype.caller to the recorder's functions (in both browsers) and call
 * them as it likes; a strict function is never given out (the hostile suites' `climb-caller`
 * attack). The bundler leaves directives out of the file it builds, so it is added here. (The
 * relay runs in the isolated world, where no page code runs.)
 *
 * Neither content script carries V8's compile hint (`//# allFunctionsCalledOnLoad`) any more:
 * counting compilation (V8CompileDuration, which CDP's ScriptDuration leaves out), it cost every
 * page without Ortto ~0.5–1.6 ms to save an Ortto page ~3–5 ms; issue 17 puts pages without Ortto
 * first (docs/performance.md, "Compilation counted").
 */
export const STRICT = '"use strict";';

/** V8's explicit compile hint, which the release test checks is absent. */
export const COMPILE_HINT = '//# allFunctionsCalledOnLoad';
