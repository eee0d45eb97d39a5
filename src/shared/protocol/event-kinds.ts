/**
 * What the recorder records (`EventKind` in wire.ts). One export per kind, re-exported as the
 * namespace `EventKind`: the recorder's bundle then holds the strings it uses and no object of
 * names (it ships in every page).
 */
export const Ap3cAssigned = 'ap3c-assigned';
export const CmdQueued = 'cmd-queued';
export const MethodDefined = 'method-defined';
export const Init = 'init';
export const Track = 'track';
export const SetVerifiedSession = 'set-verified-session';
export const CallThrew = 'call-threw';
export const HookFailed = 'hook-failed';
export const Attached = 'attached';
/**
 * An uncaught error in the page that names ap3c or comes from an Ortto script (`ap3c.track is not
 * a function`, `Identifier 'ap3c' has already been declared`): args `[message, source URL, line]`.
 */
export const PageError = 'page-error';
/** The page set a flag on ap3c the diagnosis reads (`enableTalk`): name, args `[value]`. */
export const FlagSet = 'flag-set';
/**
 * "Try on reload" (issue 18): the override handed to this document, args `[override]`; name
 * (and note) `applied` (the first ap3c.init got it; its own event has the options Ortto got) or
 * `too-late` (it arrived after the first init call, and was not used).
 */
export const FixTried = 'fix-tried';
