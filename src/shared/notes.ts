/**
 * Why the recorder could not watch something, as short codes: the recorder ships in every page,
 * so the background puts the words in (background/state/note-words.ts). Pure.
 */
export const NoteCode = {
  ReadThrew: 'threw',
  PageGetter: 'getter',
  NotConfigurable: 'fixed',
  Frozen: 'frozen',
  CmdFrozen: 'cmd-frozen',
  CmdUnreadable: 'cmd-unreadable',
  Late: 'late',
  Ap3cThrew: 'ap3c-threw',
  Ap3cGetter: 'ap3c-getter',
  FixApplied: 'applied',
  FixLate: 'too-late',
} as const;
