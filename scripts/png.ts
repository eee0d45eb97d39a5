/**
 * Makes screenshots small enough to commit: decodes Chromium's 8-bit RGB/RGBA PNG and writes a
 * 256-colour palette PNG. The palette takes the frequent colours that differ clearly from each
 * other first (every colour of the UI), then the most frequent of the rest; every other colour
 * (text antialiasing shades, a few percent of the pixels) becomes its nearest palette colour. On
 * the panel's flat UI the result looks the same at a third of the size. node:zlib only.
 */
import { crc32, deflateSync, inflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);

export interface Rgb {
  width: number;
  height: number;
  /** width × height × 3 bytes. */
  pixels: Buffer;
}

/** Decodes a non-interlaced 8-bit truecolour PNG (with or without alpha; alpha is dropped). */
export function decodePng(png: Buffer): Rgb {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('Not a PNG.');
  let at = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (at < png.length) {
    const len = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, colorType, , , interlace] = [data[8], data[9], data[10], data[11], data[12]];
      if (depth !== 8 || (colorType !== 2 && colorType !== 6) || interlace !== 0) throw new Error('Only 8-bit, non-interlaced RGB or RGBA PNGs.');
      channels = colorType === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(data);
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(width * height * 3);
  let prev = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = Buffer.alloc(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? (cur[x - channels] as number) : 0;
      const b = prev[x] as number;
      const c = x >= channels ? (prev[x - channels] as number) : 0;
      let pred = 0;
      if (filter === 1) pred = a;
      else if (filter === 2) pred = b;
      else if (filter === 3) pred = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      cur[x] = ((line[x] as number) + pred) & 255;
    }
    for (let x = 0; x < width; x++) cur.copy(pixels, (y * width + x) * 3, x * channels, x * channels + 3);
    prev = cur;
  }
  return { width, height, pixels };
}

/** Squared colour distance, weighted towards green as the eye is. */
function distance(c: number, p: number): number {
  const dr = ((c >> 16) & 255) - ((p >> 16) & 255);
  const dg = ((c >> 8) & 255) - ((p >> 8) & 255);
  const db = (c & 255) - (p & 255);
  return 2 * dr * dr + 4 * dg * dg + 3 * db * db;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** Encodes with a palette of at most 256 colours (the most frequent; the rest mapped to the nearest). */
export function encodePalettePng({ width, height, pixels }: Rgb): Buffer {
  const counts = new Map<number, number>();
  for (let i = 0; i < pixels.length; i += 3) {
    const c = ((pixels[i] as number) << 16) | ((pixels[i + 1] as number) << 8) | (pixels[i + 2] as number);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const byFrequency = [...counts.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0]).map(([c]) => c);
  // First the frequent colours that differ clearly from those already taken (so a small icon in a
  // colour of its own keeps it), then the most frequent of the rest until 256.
  const palette: number[] = [];
  for (const minDistance of [2000, 0])
    for (const c of byFrequency) {
      if (palette.length === 256) break;
      if (!palette.includes(c) && palette.every((p) => distance(c, p) > minDistance)) palette.push(c);
    }
  const index = new Map<number, number>();
  for (const c of counts.keys()) {
    let best = 0;
    let bestD = Number.POSITIVE_INFINITY;
    for (let i = 0; i < palette.length; i++) {
      const d = distance(c, palette[i] as number);
      if (d < bestD) {
        bestD = d;
        best = i;
        if (d === 0) break;
      }
    }
    index.set(c, best);
  }
  const raw = Buffer.alloc(height * (width + 1)); // filter byte 0 (none) per row: best for palette images
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[y * (width + 1) + 1 + x] = index.get(((pixels[i] as number) << 16) | ((pixels[i + 1] as number) << 8) | (pixels[i + 2] as number)) as number;
    }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 3; // palette
  const plte = Buffer.alloc(palette.length * 3);
  palette.forEach((c, i) => {
    plte[i * 3] = (c >> 16) & 255;
    plte[i * 3 + 1] = (c >> 8) & 255;
    plte[i * 3 + 2] = c & 255;
  });
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('PLTE', plte), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}
