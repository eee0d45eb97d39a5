/**
 * The recorder ⇄ relay wire codes (`Wire` in wire.ts, which says what each one means). One export
 * per code, re-exported as the namespace `Wire`: the recorder's bundle then holds the strings it
 * uses and no object of names (it ships in every page).
 */
export const Batch = 'B';
export const Nothing = 'N';
export const Ortto = 'O';
export const Assigned = 'A';
export const AssignedEnd = 'E';
export const News = 'S0';
export const Full = 'S1';
export const Live = 'L';
export const Override = 'V';
