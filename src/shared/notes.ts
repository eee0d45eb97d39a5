/**
 * Why the recorder could not watch something, as short codes: the recorder ships in every page,
 * so the background puts the words in (background/state/note-words.ts). Pure.
 */
import * as NoteCodes from './note-codes.ts';

/** The codes, as a namespace (one export each: the recorder's bundle holds no object of names). */
export { NoteCodes as NoteCode };
