// The object box measured from the alpha channel alone agrees exactly with the box of the fully decoded
// pixels (what the canvas and both engines place by), over many shapes, formats and orientations.
import sharp, { type Sharp } from "sharp";
import { describe, expect, it } from "vitest";

import { ALPHA_THRESHOLD } from "@/lib/scene/placement";
import { boxOfMask, objectBoxOfImage, objectBoxOfRaw } from "@/lib/server/images/object-box";

/** The box as it was measured before: every channel decoded, then libvips' own trim. */
async function fullyDecodedBox(bytes: Buffer) {
  const { data, info } = await sharp(bytes).autoOrient().raw().toBuffer({ resolveWithObject: true });
  return objectBoxOfRaw(data, { width: info.width, height: info.height, channels: info.channels as 4 });
}

function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Transparent pixels, a few opaque or partly opaque dots and blocks, some just under the threshold. */
function pixels(width: number, height: number, seed: number): Buffer {
  const rand = random(seed);
  const data = Buffer.alloc(width * height * 4);
  const put = (x: number, y: number, alpha: number) => data.set([90, 140, 200, alpha], (y * width + x) * 4);
  const spots = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < spots; i++) {
    const w = 1 + Math.floor(rand() * (width / 3));
    const h = 1 + Math.floor(rand() * (height / 3));
    const x0 = Math.floor(rand() * (width - w));
    const y0 = Math.floor(rand() * (height - h));
    const alpha = rand() < 0.3 ? ALPHA_THRESHOLD : 255;
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) put(x, y, alpha);
  }
  for (let i = 0; i < 30; i++) {
    put(Math.floor(rand() * width), Math.floor(rand() * height), Math.floor(rand() * ALPHA_THRESHOLD));
  }
  return data;
}

const ENCODINGS: [string, (image: Sharp) => Sharp][] = [
  ["png", (i) => i.png()],
  ["png, 16-bit", (i) => i.toColourspace("rgb16").png()],
  ["png, grey and alpha", (i) => i.toColourspace("b-w").png()],
  ["png, palette", (i) => i.png({ palette: true, dither: 0 })],
  ["webp lossless", (i) => i.webp({ lossless: true })],
  ["png, turned (EXIF 6)", (i) => i.png().withMetadata({ orientation: 6 })],
  ["png, mirrored and turned (EXIF 7)", (i) => i.png().withMetadata({ orientation: 7 })],
];

describe("objectBoxOfImage", () => {
  for (const [name, encode] of ENCODINGS) {
    it(`matches the fully decoded box: ${name}`, async () => {
      for (let seed = 1; seed <= 12; seed++) {
        const width = 20 + (seed % 5) * 17;
        const height = 15 + (seed % 3) * 23;
        const raw = sharp(pixels(width, height, seed * 7919), { raw: { width, height, channels: 4 } });
        const bytes = await encode(raw).toBuffer();
        expect(await objectBoxOfImage(bytes, 1e8), `${name} seed ${seed}`).toEqual(
          await fullyDecodedBox(bytes),
        );
      }
    });
  }

  it("is the whole image without alpha, or when no pixel reaches the threshold", async () => {
    const opaque = await sharp({ create: { width: 30, height: 20, channels: 3, background: "#808080" } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    expect(await objectBoxOfImage(opaque, 1e8)).toEqual({ x: 0, y: 0, width: 20, height: 30 });
    const faint = Buffer.alloc(30 * 20 * 4, 1);
    const bytes = await sharp(faint, { raw: { width: 30, height: 20, channels: 4 } })
      .png()
      .toBuffer();
    expect(await objectBoxOfImage(bytes, 1e8)).toEqual({ x: 0, y: 0, width: 30, height: 20 });
  });
});

describe("boxOfMask", () => {
  it("finds single pixels in corners and edges", () => {
    const mask = new Uint8Array(7 * 5);
    expect(boxOfMask(mask, 7, 5, 128)).toBeUndefined();
    mask[0] = 200;
    expect(boxOfMask(mask, 7, 5, 128)).toEqual({ x: 0, y: 0, width: 1, height: 1 });
    mask[7 * 5 - 1] = 128;
    expect(boxOfMask(mask, 7, 5, 128)).toEqual({ x: 0, y: 0, width: 7, height: 5 });
    const middle = new Uint8Array(7 * 5);
    middle[2 * 7 + 3] = 255;
    middle[3 * 7 + 5] = 127;
    expect(boxOfMask(middle, 7, 5, 128)).toEqual({ x: 3, y: 2, width: 1, height: 1 });
  });
});
