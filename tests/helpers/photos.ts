/** Real little pictures for the photo tests: a valid PNG of one colour (its CRCs right), and the magic numbers of the others. */
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(8 + data.length + 4);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

/** A `size`×`size` PNG filled with one colour picked by `seed` (different seeds, different bytes). */
export function tinyPng(seed = 0, size = 8): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour RGB
  const [r, g, b] = [(seed * 67 + 200) & 0xff, (seed * 131 + 22) & 0xff, (seed * 29 + 22) & 0xff];
  const row = Buffer.from([0, ...Array.from({ length: size }, () => [r, g, b]).flat()]);
  const pixels = Buffer.concat(Array.from({ length: size }, () => row));
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', new Uint8Array()),
  ]);
  return new Uint8Array(png);
}

/** Bytes that open like a JPEG (SOI + APP0 "JFIF"): the server decides the type by these, not by the header. */
export function jpegLike(length = 64): Uint8Array {
  const bytes = new Uint8Array(length);
  bytes.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
  bytes.set([0xff, 0xd9], length - 2);
  return bytes;
}

/** A WebP's RIFF header. */
export function webpLike(length = 64): Uint8Array {
  const bytes = new Uint8Array(length);
  bytes.set([...Buffer.from('RIFF', 'ascii')]);
  new DataView(bytes.buffer).setUint32(4, length - 8, true);
  bytes.set([...Buffer.from('WEBPVP8 ', 'ascii')], 8);
  return bytes;
}
