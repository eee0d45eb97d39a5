/** The words for the recorder's short note codes (shared/notes.ts), put in by the background. Pure. */
import { NoteCode } from '../../shared/notes.ts';

const WORDS: Record<string, string> = {
  [NoteCode.ReadThrew]: 'reading the property threw',
  [NoteCode.PageGetter]: 'defined as a getter by the page; not read',
  [NoteCode.NotConfigurable]: 'not configurable; recorded by snapshot only',
  [NoteCode.Frozen]: 'object is frozen or sealed; recorded by snapshot only',
  [NoteCode.CmdFrozen]: 'ap3c.cmd is frozen; queued commands are not recorded',
  [NoteCode.CmdUnreadable]: 'ap3c.cmd could not be read; queued commands are not recorded',
  [NoteCode.Late]: 'attached after the page had started: earlier calls were not seen',
  [NoteCode.Ap3cThrew]: 'reading window.ap3c threw',
  [NoteCode.Ap3cGetter]: 'window.ap3c is a getter defined by the page; it was not called',
  [NoteCode.FixApplied]: 'the options of the first ap3c.init call were changed for this load (Try on reload)',
  [NoteCode.FixLate]: 'it arrived after the first ap3c.init call, so this load ran with the page’s own options',
};

/** The sentence for a code; any other note (e.g. "an object") as it is. */
export function noteText(note: string): string {
  return Object.hasOwn(WORDS, note) ? (WORDS[note] as string) : note;
}
