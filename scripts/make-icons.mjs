// Draws the Runbook Lens icon (a rounded square with a magnifying lens over three
// text lines) at 16, 32, 48 and 128 px and writes extension/icons/icon<N>.png.
// Pure node (pngjs writes the PNG files), deterministic output; the PNGs are
// committed, so this only needs to run again when the design changes:
//
//   node scripts/make-icons.mjs [out-dir]
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pngjs from "pngjs";

const { PNG } = pngjs;

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = process.argv[2] || join(ROOT, "extension", "icons");
const SIZES = [16, 32, 48, 128];

const BG_TOP = [0x24, 0x63, 0xd6];
const BG_BOTTOM = [0x13, 0x3f, 0x99];
const WHITE = [0xff, 0xff, 0xff];
const LINE = [0xc9, 0xdb, 0xff];

// Signed distances in the unit square (0..1), negative inside.
const roundedBox = (x, y, cx, cy, hw, hh, r) => {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const circle = (x, y, cx, cy, r) => Math.hypot(x - cx, y - cy) - r;
const segment = (x, y, ax, ay, bx, by, r) => {
  const px = x - ax, py = y - ay, dx = bx - ax, dy = by - ay;
  const h = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - dx * h, py - dy * h) - r;
};

/** Colour (rgba 0..1 alpha) of the icon at unit coordinates (x, y). */
function shade(x, y, size) {
  // Thicker strokes at small sizes so the mark stays legible.
  const k = size <= 16 ? 1.45 : size <= 32 ? 1.2 : 1;
  const layers = [];
  if (roundedBox(x, y, 0.5, 0.5, 0.47, 0.47, 0.2) < 0) {
    const t = y;
    layers.push(BG_TOP.map((c, i) => c + (BG_BOTTOM[i] - c) * t));
  } else {
    return null;
  }
  // Runbook lines (left), partly under the lens.
  if (size > 16) {
    for (const [ly, len] of [[0.3, 0.42], [0.44, 0.3], [0.58, 0.22]]) {
      if (segment(x, y, 0.2, ly, 0.2 + len, ly, 0.028 * k) < 0) layers[0] = LINE;
    }
  }
  // Lens ring and handle.
  const ring = Math.abs(circle(x, y, 0.56, 0.46, 0.2)) - 0.052 * k;
  const handle = segment(x, y, 0.7, 0.61, 0.82, 0.75, 0.065 * k);
  if (Math.min(ring, handle) < 0) layers[0] = WHITE;
  return layers[0];
}

/** RGBA pixels with 4x4 supersampling for anti-aliased edges. */
function render(size) {
  const px = Buffer.alloc(size * size * 4);
  const S = 4;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sj = 0; sj < S; sj++) {
        for (let si = 0; si < S; si++) {
          const c = shade((i + (si + 0.5) / S) / size, (j + (sj + 0.5) / S) / size, size);
          if (c) { r += c[0]; g += c[1]; b += c[2]; a += 1; }
        }
      }
      const o = (j * size + i) * 4;
      if (a) {
        px[o] = Math.round(r / a);
        px[o + 1] = Math.round(g / a);
        px[o + 2] = Math.round(b / a);
        px[o + 3] = Math.round((255 * a) / (S * S));
      }
    }
  }
  return px;
}

/** The PNG file of a `size`×`size` RGBA image: 8 bits per channel, no filtering. */
function png(size, rgba) {
  const image = new PNG({ width: size, height: size, colorType: 6, inputColorType: 6, bitDepth: 8, inputHasAlpha: true });
  rgba.copy(image.data);
  // No row filter and zlib's default strategy (pngjs would pick a filter per row and use
  // run-length encoding, ten times larger here): the files come out byte for byte as the
  // committed icons.
  return PNG.sync.write(image, { colorType: 6, inputColorType: 6, bitDepth: 8, inputHasAlpha: true, filterType: 0, deflateLevel: 9, deflateStrategy: 0 });
}

mkdirSync(OUT, { recursive: true });
for (const size of SIZES) {
  const file = join(OUT, `icon${size}.png`);
  writeFileSync(file, png(size, render(size)));
  console.log(`wrote ${file}`);
}
