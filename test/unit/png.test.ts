import { crc32, deflateSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodePng, encodePalettePng } from '../../scripts/png.ts';

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** An RGB PNG whose row y uses filter y % 5 (none, sub, up, average, Paeth). */
function rgbPng(width: number, height: number, px: (x: number, y: number) => [number, number, number]): { png: Buffer; pixels: Buffer } {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels.set(px(x, y), (y * width + x) * 3);
  const stride = width * 3;
  const raw = Buffer.alloc(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    const f = y % 5;
    raw[y * (stride + 1)] = f;
    for (let i = 0; i < stride; i++) {
      const cur = pixels[y * stride + i] as number;
      const a = i >= 3 ? (pixels[y * stride + i - 3] as number) : 0;
      const b = y > 0 ? (pixels[(y - 1) * stride + i] as number) : 0;
      const c = i >= 3 && y > 0 ? (pixels[(y - 1) * stride + i - 3] as number) : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const pred = [0, a, b, (a + b) >> 1, paeth][f] as number;
      raw[y * (stride + 1) + 1 + i] = (cur - pred) & 255;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const sig = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return { png: Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]), pixels };
}

describe('screenshot PNGs', () => {
  it('decodes every row filter of an RGB PNG exactly', () => {
    const { png, pixels } = rgbPng(17, 11, (x, y) => [(x * 37 + y) & 255, (y * 53) & 255, (x * y * 7) & 255]);
    const img = decodePng(png);
    expect([img.width, img.height]).toEqual([17, 11]);
    expect(img.pixels.equals(pixels)).toBe(true);
  });

  it('writes a palette PNG of at most 256 colours that keeps a rare colour of its own', () => {
    // Half the pixels white, 400 one-pixel shades (more colours than a palette holds), one amber pixel last.
    const { png } = rgbPng(40, 20, (x, y) => {
      if (x === 39 && y === 19) return [245, 180, 40];
      if (x % 2) return [255, 255, 255];
      const g = (x / 2) * 20 + y;
      return [g & 255, g > 255 ? 10 : 0, g & 255];
    });
    const out = encodePalettePng(decodePng(png));
    expect(out.subarray(1, 4).toString('latin1')).toBe('PNG');
    const ihdrAt = 8;
    expect(out.toString('latin1', ihdrAt + 4, ihdrAt + 8)).toBe('IHDR');
    expect(out[ihdrAt + 8 + 9]).toBe(3); // colour type: palette
    const plteAt = ihdrAt + 12 + 13;
    expect(out.toString('latin1', plteAt + 4, plteAt + 8)).toBe('PLTE');
    const plteLen = out.readUInt32BE(plteAt);
    expect(plteLen).toBeLessThanOrEqual(256 * 3);
    const palette = out.subarray(plteAt + 8, plteAt + 8 + plteLen);
    const idatAt = plteAt + 12 + plteLen;
    const raw = inflateSync(out.subarray(idatAt + 8, idatAt + 8 + out.readUInt32BE(idatAt)));
    const amber = raw[19 * 41 + 1 + 39] as number; // row 19 (each row starts with its filter byte), pixel 39
    expect([...palette.subarray(amber * 3, amber * 3 + 3)]).toEqual([245, 180, 40]);
    expect(raw.filter((_, i) => i % 41 !== 0).every((v) => v * 3 < plteLen)).toBe(true);
  });
});
