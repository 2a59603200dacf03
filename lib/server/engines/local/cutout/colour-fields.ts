import type { RgbRaster } from "./types";

/**
 * Local colour estimates near the outline: the product's own colour (from product pixels a little way
 * inside) and the background's (from background pixels a little way outside, shadows included), as
 * weighted means over a window. One summed-area table holds both sides, so any window size costs the
 * same, and a pixel whose small window holds no real samples (along a thin part) looks further.
 *
 * Pixels right on the outline are mixtures and never count; the next ring counts only with a tiny
 * weight, so it decides only where nothing better is near.
 */

export type OutlineColours = {
  /** Product colour (RGB) where `known & 1`. */
  foreground: Float32Array;
  /** Background colour (RGB) where `known & 2`. */
  behind: Float32Array;
  known: Uint8Array;
};

const CHANNELS = 8;

export function outlineColours(
  image: RgbRaster,
  background: Uint8Array,
  distance: Uint8Array,
  within: number,
  near: number,
  far: number,
): OutlineColours {
  const { width: fullWidth, height: fullHeight, data } = image;
  const n = fullWidth * fullHeight;
  // The table covers only the band's bounding box, widened by the large window.
  let left = fullWidth;
  let right = -1;
  let top = fullHeight;
  let bottom = -1;
  for (let y = 0; y < fullHeight; y++) {
    for (let x = 0; x < fullWidth; x++) {
      if (distance[y * fullWidth + x]! > within) continue;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      if (y > bottom) bottom = y;
    }
  }
  const foreground = new Float32Array(n * 3);
  const behind = new Float32Array(n * 3);
  const known = new Uint8Array(n);
  if (right < 0) return { foreground, behind, known };
  const ox = Math.max(0, left - far);
  const oy = Math.max(0, top - far);
  const w = Math.min(fullWidth, right + far + 1) - ox;
  const h = Math.min(fullHeight, bottom + far + 1) - oy;
  const stride = (w + 1) * CHANNELS;
  const sums = new Float64Array((w + 1) * (h + 1) * CHANNELS);
  for (let y = 0; y < h; y++) {
    let fr = 0;
    let fg = 0;
    let fb = 0;
    let fw = 0;
    let br = 0;
    let bg = 0;
    let bb = 0;
    let bw = 0;
    const above = y * stride;
    const row = (y + 1) * stride;
    for (let x = 0; x < w; x++) {
      const i = (y + oy) * fullWidth + x + ox;
      const d = distance[i]!;
      const weight = d >= 2 ? 1 : d === 1 ? 0.01 : 0;
      if (weight > 0) {
        const r = weight * data[i * 3]!;
        const g = weight * data[i * 3 + 1]!;
        const b = weight * data[i * 3 + 2]!;
        if (background[i]) {
          br += r;
          bg += g;
          bb += b;
          bw += weight;
        } else {
          fr += r;
          fg += g;
          fb += b;
          fw += weight;
        }
      }
      const o = row + (x + 1) * CHANNELS;
      const p = above + (x + 1) * CHANNELS;
      sums[o] = sums[p]! + fr;
      sums[o + 1] = sums[p + 1]! + fg;
      sums[o + 2] = sums[p + 2]! + fb;
      sums[o + 3] = sums[p + 3]! + fw;
      sums[o + 4] = sums[p + 4]! + br;
      sums[o + 5] = sums[p + 5]! + bg;
      sums[o + 6] = sums[p + 6]! + bb;
      sums[o + 7] = sums[p + 7]! + bw;
    }
  }

  const mean = new Float64Array(CHANNELS);
  // Window sums of the eight channels around (x, y) into `mean` (not yet divided).
  const windowSums = (fx: number, fy: number, radius: number) => {
    const x = fx - ox;
    const y = fy - oy;
    const x0 = x - radius < 0 ? 0 : x - radius;
    const x1 = x + radius + 1 > w ? w : x + radius + 1;
    const y0 = y - radius < 0 ? 0 : y - radius;
    const y1 = y + radius + 1 > h ? h : y + radius + 1;
    const a = y0 * stride + x0 * CHANNELS;
    const b = y0 * stride + x1 * CHANNELS;
    const c = y1 * stride + x0 * CHANNELS;
    const d = y1 * stride + x1 * CHANNELS;
    for (let k = 0; k < CHANNELS; k++) mean[k] = sums[d + k]! - sums[b + k]! - sums[c + k]! + sums[a + k]!;
  };
  const take = (out: Float32Array, at: number, side: number): boolean => {
    const weight = mean[side + 3]!;
    if (weight <= 1e-4) return false;
    out[at] = mean[side]! / weight;
    out[at + 1] = mean[side + 1]! / weight;
    out[at + 2] = mean[side + 2]! / weight;
    return true;
  };

  for (let y = top; y <= bottom; y++) {
    for (let x = left; x <= right; x++) {
      const i = y * fullWidth + x;
      if (distance[i]! > within) continue;
      windowSums(x, y, near);
      const fgNear = mean[3]!;
      const bgNear = mean[7]!;
      let flags = 0;
      if (fgNear >= 0.5 && take(foreground, i * 3, 0)) flags |= 1;
      if (bgNear >= 0.5 && take(behind, i * 3, 4)) flags |= 2;
      if (flags !== 3) {
        const nearFg = fgNear > 1e-4 && !(flags & 1);
        const nearBg = bgNear > 1e-4 && !(flags & 2);
        // Keep the small window's weak estimates in case the large one has nothing better.
        const weakFg = nearFg ? [mean[0]! / fgNear, mean[1]! / fgNear, mean[2]! / fgNear] : undefined;
        const weakBg = nearBg ? [mean[4]! / bgNear, mean[5]! / bgNear, mean[6]! / bgNear] : undefined;
        windowSums(x, y, far);
        if (!(flags & 1)) {
          if (mean[3]! >= 0.5 || !weakFg) {
            if (take(foreground, i * 3, 0)) flags |= 1;
          } else {
            foreground.set(weakFg, i * 3);
            flags |= 1;
          }
        }
        if (!(flags & 2)) {
          if (mean[7]! >= 0.5 || !weakBg) {
            if (take(behind, i * 3, 4)) flags |= 2;
          } else {
            behind.set(weakBg, i * 3);
            flags |= 2;
          }
        }
      }
      known[i] = flags;
    }
  }
  return { foreground, behind, known };
}
