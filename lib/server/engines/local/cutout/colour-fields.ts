import type { RgbRaster } from "./types";

/**
 * Local colour estimates near the outline: the product's own colour (from product pixels a little way
 * inside) and the background's (from background pixels a little way outside, shadows included), as
 * weighted means over a window. Summed-area tables make any window size cost the same, so a pixel whose
 * small window holds no samples (along a thin part) looks further.
 */

export type WeightedTable = { sums: Float64Array; width: number; height: number };

/** Summed-area table of (w·r, w·g, w·b, w) over the image. */
export function weightedTable(image: RgbRaster, weight: Float32Array): WeightedTable {
  const { width: w, height: h, data } = image;
  const stride = (w + 1) * 4;
  const sums = new Float64Array((w + 1) * (h + 1) * 4);
  for (let y = 0; y < h; y++) {
    let r = 0;
    let g = 0;
    let b = 0;
    let s = 0;
    const above = y * stride;
    const row = (y + 1) * stride;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const wt = weight[i]!;
      if (wt > 0) {
        r += wt * data[i * 3]!;
        g += wt * data[i * 3 + 1]!;
        b += wt * data[i * 3 + 2]!;
        s += wt;
      }
      const o = row + (x + 1) * 4;
      const p = above + (x + 1) * 4;
      sums[o] = sums[p]! + r;
      sums[o + 1] = sums[p + 1]! + g;
      sums[o + 2] = sums[p + 2]! + b;
      sums[o + 3] = sums[p + 3]! + s;
    }
  }
  return { sums, width: w, height: h };
}

/** Weighted mean colour in the window of `radius` around (x, y) into `out`; returns the total weight. */
export function windowMean(
  table: WeightedTable,
  x: number,
  y: number,
  radius: number,
  out: Float32Array,
  at: number,
): number {
  const { sums, width: w, height: h } = table;
  const stride = (w + 1) * 4;
  const x0 = Math.max(0, x - radius);
  const x1 = Math.min(w, x + radius + 1);
  const y0 = Math.max(0, y - radius);
  const y1 = Math.min(h, y + radius + 1);
  const a = y0 * stride + x0 * 4;
  const b = y0 * stride + x1 * 4;
  const c = y1 * stride + x0 * 4;
  const d = y1 * stride + x1 * 4;
  const weight = sums[d + 3]! - sums[b + 3]! - sums[c + 3]! + sums[a + 3]!;
  if (weight <= 1e-9) return 0;
  for (let k = 0; k < 3; k++)
    out[at + k] = (sums[d + k]! - sums[b + k]! - sums[c + k]! + sums[a + k]!) / weight;
  return weight;
}
