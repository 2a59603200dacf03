import "server-only";

import sharp from "sharp";

import type { Box, Size } from "@/lib/scene/placement";

import type { RawImage } from "./types";

/**
 * A picture on an analysis grid, one plane per channel (0..255 floats): what the comparison works on.
 * `a` is the output's alpha, or for a product the alpha it was drawn with.
 */
export type Planes = {
  width: number;
  height: number;
  r: Float32Array;
  g: Float32Array;
  b: Float32Array;
  a: Float32Array;
};

export function emptyPlanes(width: number, height: number): Planes {
  const n = width * height;
  return {
    width,
    height,
    r: new Float32Array(n),
    g: new Float32Array(n),
    b: new Float32Array(n),
    a: new Float32Array(n),
  };
}

/** Half the resolution: each pixel the mean of a 2 × 2 block, so pixel centres stay where they were. */
export function halve(src: Planes): Planes {
  const width = Math.max(1, src.width >> 1);
  const height = Math.max(1, src.height >> 1);
  const out = emptyPlanes(width, height);
  const sw = src.width;
  const planes = ["r", "g", "b", "a"] as const;
  for (const key of planes) {
    const from = src[key];
    const to = out[key];
    for (let y = 0; y < height; y++) {
      const row0 = 2 * y * sw;
      const row1 = Math.min(2 * y + 1, src.height - 1) * sw;
      for (let x = 0; x < width; x++) {
        const x0 = 2 * x;
        const x1 = Math.min(x0 + 1, sw - 1);
        to[y * width + x] =
          ((from[row0 + x0] ?? 0) +
            (from[row0 + x1] ?? 0) +
            (from[row1 + x0] ?? 0) +
            (from[row1 + x1] ?? 0)) /
          4;
      }
    }
  }
  return out;
}

function planesFromRgba(pixels: Uint8Array, width: number, height: number, premultiply: boolean): Planes {
  const out = emptyPlanes(width, height);
  for (let i = 0, o = 0; i < width * height; i++, o += 4) {
    const alpha = (pixels[o + 3] ?? 0) / 255;
    const k = premultiply ? alpha : 1;
    out.r[i] = (pixels[o] ?? 0) * k;
    out.g[i] = (pixels[o + 1] ?? 0) * k;
    out.b[i] = (pixels[o + 2] ?? 0) * k;
    out.a[i] = alpha;
  }
  return out;
}

export type Decodable = Buffer | RawImage;

function open(image: Decodable) {
  if (Buffer.isBuffer(image)) return sharp(image, { failOn: "error", pages: 1 }).autoOrient();
  const raw = { width: image.width, height: image.height, channels: image.channels };
  return sharp(image.pixels, { raw });
}

/**
 * The output reduced to `reduced` by libvips (pixel centres stay aligned: reduced pixel i covers the
 * output around (i + ½)·width/reduced.width), then the `window` of it. Transparent parts come
 * premultiplied, so a hole reads as black with alpha 0 whatever colour it hides.
 */
export async function readRegion(image: Decodable, size: Size, reduced: Size, window: Box): Promise<Planes> {
  let pipeline = open(image);
  if (reduced.width !== size.width || reduced.height !== size.height) {
    pipeline = pipeline.resize(reduced.width, reduced.height, { fit: "fill", kernel: "lanczos3" });
  }
  const data = await pipeline
    .extract({ left: window.x, top: window.y, width: window.width, height: window.height })
    .toColourspace("srgb")
    .ensureAlpha()
    .raw()
    .toBuffer();
  return planesFromRgba(data, window.width, window.height, true);
}

/**
 * A product cutout reduced to `width × height` from its `region`, premultiplied: bilinear sampling of
 * premultiplied colour blends the product into transparency the way a compositor does.
 */
export async function readProductRegion(
  pixels: Uint8Array,
  size: { width: number; height: number },
  region: Box,
  width: number,
  height: number,
) {
  let pipeline = sharp(pixels, { raw: { width: size.width, height: size.height, channels: 4 } }).extract({
    left: region.x,
    top: region.y,
    width: region.width,
    height: region.height,
  });
  if (width !== region.width || height !== region.height) {
    pipeline = pipeline.resize(width, height, { fit: "fill", kernel: "lanczos3" });
  }
  const data = await pipeline.raw().toBuffer();
  return planesFromRgba(data, width, height, true);
}

/** Width and height of an encoded image as everybody sees it (after auto-orientation). */
export async function sizeOf(image: Decodable): Promise<{ width: number; height: number }> {
  if (!Buffer.isBuffer(image)) return { width: image.width, height: image.height };
  const meta = await sharp(image).metadata();
  const width = meta.width ?? 0;
  const height = meta.pageHeight && meta.pages && meta.pages > 1 ? meta.pageHeight : (meta.height ?? 0);
  return (meta.orientation ?? 1) >= 5 ? { width: height, height: width } : { width, height };
}
