// Draws the four tab-bar icons as PNGs (WeChat's native tab bar takes PNG/JPG
// only, no SVG, at most 40 KB each). Run once after changing a shape:
//   node miniapp/scripts/make-tab-icons.mjs
// Filled shapes, 4x supersampled for smooth edges; no image library needed.
import { writeFileSync, mkdirSync } from 'node:fs'
import { deflateSync } from 'node:zlib'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const SIZE = 81
const SS = 4
const outDir = join(dirname(fileURLToPath(import.meta.url)), '../src/assets/tab')

const inRect = (x, y, x0, y0, x1, y1) => x >= x0 && x <= x1 && y >= y0 && y <= y1
const inCircle = (x, y, cx, cy, r) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r
const inRoundRect = (x, y, x0, y0, x1, y1, r) => {
  if (!inRect(x, y, x0, y0, x1, y1)) return false
  const cx = Math.min(Math.max(x, x0 + r), x1 - r)
  const cy = Math.min(Math.max(y, y0 + r), y1 - r)
  return inCircle(x, y, cx, cy, r)
}
// Triangle by barycentric sign test.
const inTriangle = (x, y, [ax, ay], [bx, by], [cx, cy]) => {
  const s = (px, py, qx, qy, rx, ry) => (px - rx) * (qy - ry) - (qx - rx) * (py - ry)
  const d1 = s(x, y, ax, ay, bx, by)
  const d2 = s(x, y, bx, by, cx, cy)
  const d3 = s(x, y, cx, cy, ax, ay)
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0))
}

/** Shapes in a 0..100 coordinate space: true where the icon is painted. */
const shapes = {
  home: (x, y) =>
    (inTriangle(x, y, [50, 10], [8, 48], [92, 48]) || inRect(x, y, 20, 44, 80, 90)) && !inRoundRect(x, y, 41, 62, 59, 90, 3),
  study: (x, y) =>
    (inRoundRect(x, y, 8, 18, 47, 86, 5) || inRoundRect(x, y, 53, 18, 92, 86, 5)) &&
    !inRect(x, y, 16, 34, 39, 38) && !inRect(x, y, 16, 48, 39, 52) && !inRect(x, y, 61, 34, 84, 38) && !inRect(x, y, 61, 48, 84, 52),
  me: (x, y) => inCircle(x, y, 50, 30, 19) || (y >= 58 && y <= 92 && ((x - 50) / 40) ** 2 + ((y - 92) / 36) ** 2 <= 1),
  admin: (x, y) =>
    inRoundRect(x, y, 10, 10, 44, 44, 7) || inRoundRect(x, y, 56, 10, 90, 44, 7) ||
    inRoundRect(x, y, 10, 56, 44, 90, 7) || inRoundRect(x, y, 56, 56, 90, 90, 7),
}

function crc32(buf) {
  let c
  let crc = 0xffffffff
  for (const b of buf) {
    c = (crc ^ b) & 0xff
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    crc = (crc >>> 8) ^ c
  }
  return (crc ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(td))
  return Buffer.concat([len, td, crc])
}
function png(shape, [r, g, b]) {
  const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE)
  for (let py = 0; py < SIZE; py++) {
    raw[py * (SIZE * 4 + 1)] = 0 // filter: none
    for (let px = 0; px < SIZE; px++) {
      let hits = 0
      for (let sy = 0; sy < SS; sy++)
        for (let sx = 0; sx < SS; sx++) {
          const x = ((px + (sx + 0.5) / SS) / SIZE) * 100
          const y = ((py + (sy + 0.5) / SS) / SIZE) * 100
          if (shape(x, y)) hits++
        }
      const o = py * (SIZE * 4 + 1) + 1 + px * 4
      raw[o] = r
      raw[o + 1] = g
      raw[o + 2] = b
      raw[o + 3] = Math.round((hits / (SS * SS)) * 255)
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(SIZE, 0)
  ihdr.writeUInt32BE(SIZE, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 6 // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

mkdirSync(outDir, { recursive: true })
for (const [name, shape] of Object.entries(shapes)) {
  writeFileSync(join(outDir, `${name}.png`), png(shape, [0x7a, 0x7a, 0x7a]))
  writeFileSync(join(outDir, `${name}-active.png`), png(shape, [0xc8, 0x16, 0x1d]))
}
console.log(`tab icons written to ${outDir}`)
