/**
 * The recorder's first statement as built (vite.config.ts): strict mode. Page code runs inside the
 * recorder's own steps (a Proxy's traps while a snapshot is taken): in a sloppy-mode script it
 * could climb Function.prototype.caller to the recorder's functions (in both browsers) and call
 * them as it likes; a strict function is never given out (the hostile suites' `climb-caller`
 * attack). The bundler leaves directives out of the file it builds, so it is added here. (The
 * relay runs in the isolated world, where no page code runs.)
 *
 * Neither content script carries V8's compile hint (`//# allFunctionsCalledOnLoad`) any more: it
 * moved compilation out of CDP's ScriptDuration into V8CompileDuration without lowering the sum,
 * and cost pages without Ortto ~0.75 ms more in all (docs/performance.md, "Compilation counted").
 */
export const STRICT = '"use strict";';

/** V8's explicit compile hint, which the release test checks is absent. */
export const COMPILE_HINT = '//# allFunctionsCalledOnLoad';
