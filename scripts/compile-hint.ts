/**
 * The first line of the recorder and the relay as built (vite.config.ts). Chrome's V8 compiles
 * every function of a file that starts with this comment (an explicit compile hint) when it
 * compiles the file, instead of each one at its first call. Both scripts are closures within
 * closures, which V8 parses again for each inner function it compiles lazily: with the hint a page
 * pays less for them (docs/performance.md, issue 17). Other engines read a comment.
 */
export const COMPILE_HINT = '//# allFunctionsCalledOnLoad\n';

/**
 * Right after the hint, the recorder's first statement: strict mode. Page code runs inside the
 * recorder's own steps (a Proxy's traps while a snapshot is taken): in a sloppy-mode script it
 * could climb Function.prototype.caller to the recorder's functions (in both browsers) and call
 * them as it likes; a strict function is never given out (the hostile suites'
 * `climb-caller` attack). The bundler leaves directives out of the file it builds, so it is added
 * here. (The relay runs in the isolated world, where no page code runs.)
 */
export const STRICT = '"use strict";';
