/**
 * A small deterministic zip writer (and a reader for our own tests) on node:zlib.
 *
 * The same files always give the same bytes: entries sorted by path (UTF-8 byte order), one fixed
 * timestamp (1980-02-01 00:00, the DOS epoch plus a month so no reader's time zone pushes it
 * before 1980), fixed Unix permissions (0644), no extra fields, no comments, no directory
 * entries. `store` entries (no compression) are a pure function of the files; `deflate` output
 * also depends on the zlib that Node ships, so it is only reproducible with the same Node build.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

export interface ZipInput {
  /** Path inside the archive, with forward slashes, no leading slash, no `.` or `..` parts. */
  path: string;
  data: Uint8Array;
}

export interface ZipEntry {
  path: string;
  data: Buffer;
  method: 'store' | 'deflate';
  /** Unix mode bits from the external attributes (e.g. 0o100644). */
  mode: number;
  dosDate: number;
  dosTime: number;
}

/** 1980-02-01 00:00:00 in MS-DOS date/time format. */
export const FIXED_DOS_DATE = (0 << 9) | (2 << 5) | 1;
export const FIXED_DOS_TIME = 0;
const FILE_MODE = 0o100644;
const UTF8_FLAG = 0x0800;

function checkPath(path: string): void {
  const parts = path.split('/');
  if (path === '' || path.startsWith('/') || path.includes('\\') || parts.some((p) => p === '' || p === '.' || p === '..'))
    throw new Error(`Not a clean archive path: ${JSON.stringify(path)}`);
}

/** Builds a zip archive. `store` keeps bytes as they are; `deflate` compresses each entry (level 9) unless that makes it larger. */
export function writeZip(files: readonly ZipInput[], method: 'store' | 'deflate' = 'store'): Buffer {
  const sorted = files.map((f) => ({ ...f, name: Buffer.from(f.path, 'utf8') })).sort((a, b) => Buffer.compare(a.name, b.name));
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (let i = 0; i < sorted.length; i++) {
    const f = sorted[i] as (typeof sorted)[number];
    checkPath(f.path);
    if (i > 0 && Buffer.compare((sorted[i - 1] as (typeof sorted)[number]).name, f.name) === 0) throw new Error(`Duplicate archive path: ${f.path}`);
    const data = Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength);
    let body = data;
    let zipMethod = 0;
    if (method === 'deflate') {
      const packed = deflateRawSync(data, { level: 9 });
      if (packed.length < data.length) {
        body = packed;
        zipMethod = 8;
      }
    }
    const crc = crc32(data) >>> 0;
    const flags = /^[\x20-\x7e]*$/.test(f.path) ? 0 : UTF8_FLAG;
    const needed = zipMethod === 8 ? 20 : 10;
    if (data.length > 0xfffffffe || offset > 0xfffffffe) throw new Error('Archive too large for a zip without Zip64.');

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(needed, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(zipMethod, 8);
    local.writeUInt16LE(FIXED_DOS_TIME, 10);
    local.writeUInt16LE(FIXED_DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(f.name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, f.name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, spec 2.0
    central.writeUInt16LE(needed, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(zipMethod, 10);
    central.writeUInt16LE(FIXED_DOS_TIME, 12);
    central.writeUInt16LE(FIXED_DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(f.name.length, 28);
    // extra length, comment length, disk number, internal attributes: all 0
    central.writeUInt32LE((FILE_MODE << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, f.name);

    offset += local.length + f.name.length + body.length;
  }
  if (sorted.length > 0xfffe) throw new Error('Too many entries for a zip without Zip64.');
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(sorted.length, 8);
  end.writeUInt16LE(sorted.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** Reads a zip written by writeZip (no Zip64, no encryption, store or deflate), checking every CRC. */
export function readZip(zip: Buffer): ZipEntry[] {
  const endAt = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endAt < 0 || endAt + 22 > zip.length) throw new Error('No end of central directory record.');
  const count = zip.readUInt16LE(endAt + 10);
  let at = zip.readUInt32LE(endAt + 16);
  const out: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`Bad central directory entry ${i}.`);
    const zipMethod = zip.readUInt16LE(at + 10);
    const dosTime = zip.readUInt16LE(at + 12);
    const dosDate = zip.readUInt16LE(at + 14);
    const crc = zip.readUInt32LE(at + 16);
    const csize = zip.readUInt32LE(at + 20);
    const usize = zip.readUInt32LE(at + 24);
    const nameLen = zip.readUInt16LE(at + 28);
    const extraLen = zip.readUInt16LE(at + 30);
    const commentLen = zip.readUInt16LE(at + 32);
    const mode = zip.readUInt32LE(at + 38) >>> 16;
    const localAt = zip.readUInt32LE(at + 42);
    const path = zip.subarray(at + 46, at + 46 + nameLen).toString('utf8');
    at += 46 + nameLen + extraLen + commentLen;
    if (zip.readUInt32LE(localAt) !== 0x04034b50) throw new Error(`Bad local header for ${path}.`);
    const start = localAt + 30 + zip.readUInt16LE(localAt + 26) + zip.readUInt16LE(localAt + 28);
    const body = zip.subarray(start, start + csize);
    let data: Buffer;
    if (zipMethod === 0) data = Buffer.from(body);
    else if (zipMethod === 8) data = inflateRawSync(body);
    else throw new Error(`Unsupported compression method ${zipMethod} for ${path}.`);
    if (data.length !== usize || crc32(data) >>> 0 !== crc) throw new Error(`CRC or size mismatch for ${path}.`);
    out.push({ path, data, method: zipMethod === 8 ? 'deflate' : 'store', mode, dosDate, dosTime });
  }
  return out;
}

/** Every regular file under `dir`, as archive inputs with paths relative to `dir`. Symbolic links are refused. */
export function filesUnder(dir: string, prefix = ''): ZipInput[] {
  const out: ZipInput[] = [];
  const walk = (abs: string): void => {
    for (const name of readdirSync(abs).sort()) {
      const full = join(abs, name);
      const st = lstatSync(full);
      if (st.isSymbolicLink()) throw new Error(`Refusing to pack a symbolic link: ${full}`);
      if (st.isDirectory()) walk(full);
      else if (st.isFile()) out.push({ path: prefix + relative(dir, full).split(sep).join('/'), data: readFileSync(full) });
    }
  };
  walk(dir);
  return out;
}
