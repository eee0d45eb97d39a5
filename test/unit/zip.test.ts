import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXED_DOS_DATE, FIXED_DOS_TIME, filesUnder, readZip, writeZip } from '../../scripts/zip.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const FILES = [
  { path: 'src/b.js', data: enc('console.log("b");\n'.repeat(50)) },
  { path: 'manifest.json', data: enc('{"manifest_version":3}') },
  { path: 'assets/a.css', data: enc('') },
  { path: 'src/é.txt', data: enc('accent') },
];

describe('deterministic zip', () => {
  it('gives the same bytes whatever the order of the input', () => {
    const a = writeZip(FILES);
    const b = writeZip([...FILES].reverse());
    expect(a.equals(b)).toBe(true);
    expect(writeZip(FILES, 'deflate').equals(writeZip([...FILES].reverse(), 'deflate'))).toBe(true);
  });

  it('sorts entries by path bytes, with one fixed date, mode 0644, and reads back every byte', () => {
    for (const method of ['store', 'deflate'] as const) {
      const entries = readZip(writeZip(FILES, method));
      expect(entries.map((e) => e.path)).toEqual(['assets/a.css', 'manifest.json', 'src/b.js', 'src/é.txt']);
      for (const e of entries) {
        expect(e.mode).toBe(0o100644);
        expect([e.dosDate, e.dosTime]).toEqual([FIXED_DOS_DATE, FIXED_DOS_TIME]);
        expect(e.data.equals(Buffer.from((FILES.find((f) => f.path === e.path) as { data: Uint8Array }).data))).toBe(true);
      }
      expect(entries.find((e) => e.path === 'src/b.js')?.method).toBe(method);
      expect(entries.find((e) => e.path === 'assets/a.css')?.method).toBe('store'); // deflate never makes a file larger
    }
  });

  it('marks non-ASCII names as UTF-8 (general purpose flag bit 11) and only those', () => {
    const zip = writeZip(FILES);
    const flags: Record<string, number> = {};
    let at = zip.readUInt32LE(zip.length - 22 + 16);
    while (zip.readUInt32LE(at) === 0x02014b50) {
      const nameLen = zip.readUInt16LE(at + 28);
      flags[zip.subarray(at + 46, at + 46 + nameLen).toString('utf8')] = zip.readUInt16LE(at + 8);
      at += 46 + nameLen;
    }
    expect(flags).toEqual({ 'assets/a.css': 0, 'manifest.json': 0, 'src/b.js': 0, 'src/é.txt': 0x0800 });
  });

  it('refuses unclean or duplicate paths', () => {
    for (const path of ['', '/abs', 'a/../b', './a', 'a//b', 'a\\b', 'dir/'])
      expect(() => writeZip([{ path, data: enc('x') }]), path).toThrow(/Not a clean archive path/);
    expect(() => writeZip([FILES[0] as (typeof FILES)[number], FILES[0] as (typeof FILES)[number]])).toThrow(/Duplicate/);
  });

  it('collects the files of a folder with forward-slash paths and refuses symbolic links', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ti-zip-'));
    try {
      mkdirSync(join(dir, 'x/y'), { recursive: true });
      writeFileSync(join(dir, 'x/y/z.js'), 'z');
      writeFileSync(join(dir, 'top.json'), '{}');
      expect(filesUnder(dir).map((f) => f.path)).toEqual(['top.json', 'x/y/z.js']);
      expect(filesUnder(dir, 'p/').map((f) => f.path)).toEqual(['p/top.json', 'p/x/y/z.js']);
      symlinkSync(join(dir, 'top.json'), join(dir, 'link.json'));
      expect(() => filesUnder(dir)).toThrow(/symbolic link/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
