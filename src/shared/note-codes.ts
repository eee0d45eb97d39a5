/** The recorder's note codes (`NoteCode` in notes.ts, which says why they are short). Pure. */
export const ReadThrew = 'threw';
export const PageGetter = 'getter';
export const NotConfigurable = 'fixed';
export const Frozen = 'frozen';
export const CmdFrozen = 'cmd-frozen';
export const CmdUnreadable = 'cmd-unreadable';
export const Late = 'late';
export const Ap3cThrew = 'ap3c-threw';
export const Ap3cGetter = 'ap3c-getter';
export const FixApplied = 'applied';
export const FixLate = 'too-late';
