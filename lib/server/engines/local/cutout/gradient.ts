import type { RgbRaster } from "./types";

/**
 * How sharp an edge each pixel sits on: the brightness gradient at the image's own scale minus the
 * gradient after a further blur of about 2 pixels, in levels per pixel. A step (the outline of a product,
 * even one nearly the background's brightness) keeps most of its fine-scale gradient and little of the
 * blurred one; a soft shadow or a vignette changes brightness as fast at both scales and scores about 0.
 */
export function edgeSharpness(image: RgbRaster): Float32Array {
  const { width: w, height: h, data } = image;
  const n = w * h;
  const luma = new Float32Array(n);
  for (let i = 0, o = 0; i < n; i++, o += 3) luma[i] = (data[o]! + data[o + 1]! + data[o + 2]!) / 3;
  const coarse = new Float32Array(luma);
  const scratch = new Float32Array(n);
  for (let pass = 0; pass < 2; pass++) {
    boxBlur(coarse, scratch, w, h, 2, true);
    boxBlur(scratch, coarse, w, h, 2, false);
  }
  const fine = sobel(luma, w, h);
  const blurred = sobel(coarse, w, h);
  for (let i = 0; i < n; i++) fine[i] = Math.max(0, fine[i]! - blurred[i]!);
  return fine;
}

function sobel(luma: Float32Array, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const up = (y > 0 ? y - 1 : y) * w;
    const row = y * w;
    const down = (y < h - 1 ? y + 1 : y) * w;
    for (let x = 0; x < w; x++) {
      const l = x > 0 ? x - 1 : x;
      const r = x < w - 1 ? x + 1 : x;
      const gx =
        luma[up + r]! +
        2 * luma[row + r]! +
        luma[down + r]! -
        luma[up + l]! -
        2 * luma[row + l]! -
        luma[down + l]!;
      const gy =
        luma[down + l]! +
        2 * luma[down + x]! +
        luma[down + r]! -
        luma[up + l]! -
        2 * luma[up + x]! -
        luma[up + r]!;
      out[row + x] = Math.sqrt(gx * gx + gy * gy) / 8;
    }
  }
  return out;
}

/** A box blur of `radius` along rows (`horizontal`) or columns, edges clamped. */
function boxBlur(
  src: Float32Array,
  dst: Float32Array,
  w: number,
  h: number,
  radius: number,
  horizontal: boolean,
) {
  const length = horizontal ? w : h;
  const lines = horizontal ? h : w;
  const step = horizontal ? 1 : w;
  const size = 2 * radius + 1;
  const last = length - 1;
  for (let line = 0; line < lines; line++) {
    const start = horizontal ? line * w : line;
    const first = src[start]!;
    const end = src[start + last * step]!;
    let sum = 0;
    for (let k = -radius; k <= radius; k++) sum += k < 0 ? first : k > last ? end : src[start + k * step]!;
    for (let k = 0; k < length; k++) {
      dst[start + k * step] = sum / size;
      const enter = k + radius + 1;
      const leave = k - radius;
      sum +=
        (enter > last ? end : src[start + enter * step]!) - (leave < 0 ? first : src[start + leave * step]!);
    }
  }
}

/** Pixels at or above `threshold`, with gaps of up to `2 · radius` pixels between them closed. */
export function closedEdges(
  sharpness: Float32Array,
  w: number,
  h: number,
  threshold: number,
  radius: number,
): Uint8Array {
  const edges = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) edges[i] = sharpness[i]! >= threshold ? 1 : 0;
  const grown = morph(morph(edges, w, h, radius, true, 1), w, h, radius, false, 1);
  return morph(morph(grown, w, h, radius, true, 0), w, h, radius, false, 0);
}

/** Dilation (`keep` = 1) or erosion (`keep` = 0) of a binary mask by a square, one direction at a time. */
function morph(
  src: Uint8Array,
  w: number,
  h: number,
  radius: number,
  horizontal: boolean,
  keep: 0 | 1,
): Uint8Array {
  const dst = new Uint8Array(w * h);
  const length = horizontal ? w : h;
  const lines = horizontal ? h : w;
  const step = horizontal ? 1 : w;
  for (let line = 0; line < lines; line++) {
    const start = horizontal ? line * w : line;
    // Distance since the last pixel equal to `keep`, scanning forwards and then backwards.
    let since = radius + 1;
    for (let k = 0; k < length; k++) {
      since = src[start + k * step] === keep ? 0 : since + 1;
      dst[start + k * step] = since <= radius ? keep : 1 - keep;
    }
    since = radius + 1;
    for (let k = length - 1; k >= 0; k--) {
      since = src[start + k * step] === keep ? 0 : since + 1;
      if (since <= radius) dst[start + k * step] = keep;
    }
  }
  return dst;
}
