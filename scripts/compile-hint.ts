/**
 * The first line of the recorder and the relay as built (vite.config.ts). Chrome's V8 compiles
 * every function of a file that starts with this comment (an explicit compile hint) when it
 * compiles the file, instead of each one at its first call. Both scripts are closures within
 * closures, which V8 parses again for each inner function it compiles lazily: with the hint a page
 * pays less for them (docs/performance.md, issue 17). Other engines read a comment.
 */
export const COMPILE_HINT = '//# allFunctionsCalledOnLoad\n';
