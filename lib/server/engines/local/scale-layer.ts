import "server-only";

import type { Size } from "@/lib/scene/placement";

/**
 * An unrotated placement drawn with bilinear interpolation in two separable passes (rows, then
 * columns). libvips' affine is general: it computes every output pixel's source point and four taps in
 * floating point, about 20 ns a pixel here, while an axis-aligned scale is the same two-tap filter on
 * every row and every column, a third of that. Pixels outside the source are transparent black, as the
 * affine's transparent margin made them, so edges fade the same way.
 */

/** The product drawn in frame pixels, already clipped to the frame. */
export type PlacedLayer = { pixels: Buffer; width: number; height: number; left: number; top: number };

/** A source image: `width × height` RGBA pixels, row after row. */
export type Rgba = { pixels: Uint8Array; width: number; height: number };

/** Image pixel-edge coordinates `(x, y)` land at frame `(left + x · scaleX, top + y · scaleY)`. */
export type AxisPlacement = { left: number; top: number; scaleX: number; scaleY: number };

/** Weights in 1/256 per pass. */
const ONE = 256;

/** For each output index, the first source tap and the weights of it and the next (0 outside). */
type Taps = { first: Int32Array; near: Uint16Array; far: Uint16Array };

function tapsFor(count: number, start: number, origin: number, scale: number, sourceSize: number): Taps {
  const first = new Int32Array(count);
  const near = new Uint16Array(count);
  const far = new Uint16Array(count);
  for (let i = 0; i < count; i++) {
    // The output pixel's centre, in source pixel-centre coordinates.
    const u = (start + i + 0.5 - origin) / scale - 0.5;
    const i0 = Math.floor(u);
    const wFar = Math.round((u - i0) * ONE);
    first[i] = i0;
    near[i] = i0 >= 0 && i0 < sourceSize ? ONE - wFar : 0;
    far[i] = i0 + 1 >= 0 && i0 + 1 < sourceSize ? wFar : 0;
  }
  return { first, near, far };
}

/** The frame rectangle the scaled source can touch (one pixel of fade around it), clipped to the frame. */
function coveredSpan(origin: number, scale: number, size: number, frameSize: number) {
  const start = Math.max(0, Math.floor(origin - scale));
  const end = Math.min(frameSize, Math.ceil(origin + (size + 1) * scale));
  return { start, count: end - start };
}

export function scaleLayer(source: Rgba, at: AxisPlacement, frame: Size): PlacedLayer | undefined {
  const xs = coveredSpan(at.left, at.scaleX, source.width, frame.width);
  const ys = coveredSpan(at.top, at.scaleY, source.height, frame.height);
  if (xs.count <= 0 || ys.count <= 0) return undefined;
  const columns = tapsFor(xs.count, xs.start, at.left, at.scaleX, source.width);
  const rows = tapsFor(ys.count, ys.start, at.top, at.scaleY, source.height);

  // The source rows the output needs, each scaled across once.
  const firstRow = Math.max(0, rows.first[0] ?? 0);
  const lastRow = Math.min(source.height - 1, (rows.first[ys.count - 1] ?? 0) + 1);
  if (lastRow < firstRow) return undefined;
  // Across each row, colours are weighted by their alpha (premultiplied, as libvips' affine does), so
  // an edge fades in opacity without darkening toward the transparent black beyond it. Float32 holds
  // 256 · 255 · 255 exactly.
  const rowValues = xs.count * 4;
  const across = new Float32Array((lastRow - firstRow + 1) * rowValues);
  const { pixels } = source;
  const stride = source.width * 4;
  for (let r = firstRow; r <= lastRow; r++) {
    const src = r * stride;
    let o = (r - firstRow) * rowValues;
    for (let x = 0; x < xs.count; x++, o += 4) {
      const p = src + columns.first[x]! * 4;
      const wNear = columns.near[x]!;
      const wFar = columns.far[x]!;
      const a = wNear === 0 ? 0 : pixels[p + 3]! * wNear;
      const b = wFar === 0 ? 0 : pixels[p + 7]! * wFar;
      if (a === 0 && b === 0) continue;
      let red = 0;
      let green = 0;
      let blue = 0;
      if (a !== 0) {
        red = pixels[p]! * a;
        green = pixels[p + 1]! * a;
        blue = pixels[p + 2]! * a;
      }
      if (b !== 0) {
        red += pixels[p + 4]! * b;
        green += pixels[p + 5]! * b;
        blue += pixels[p + 6]! * b;
      }
      across[o] = red;
      across[o + 1] = green;
      across[o + 2] = blue;
      across[o + 3] = a + b;
    }
  }

  const out = Buffer.alloc(ys.count * rowValues);
  // A clamped view rounds as it stores.
  const view = new Uint8ClampedArray(out.buffer, out.byteOffset, out.byteLength);
  const toAlpha = 1 / (ONE * ONE);
  for (let y = 0; y < ys.count; y++) {
    const a = rows.near[y]!;
    const b = rows.far[y]!;
    const o = y * rowValues;
    if (a !== 0 && b !== 0) {
      const upper = (rows.first[y]! - firstRow) * rowValues;
      const lower = upper + rowValues;
      for (let k = 0; k < rowValues; k += 4) {
        const weight = across[upper + k + 3]! * a + across[lower + k + 3]! * b;
        if (weight === 0) continue;
        const unit = 1 / weight;
        view[o + k] = (across[upper + k]! * a + across[lower + k]! * b) * unit;
        view[o + k + 1] = (across[upper + k + 1]! * a + across[lower + k + 1]! * b) * unit;
        view[o + k + 2] = (across[upper + k + 2]! * a + across[lower + k + 2]! * b) * unit;
        view[o + k + 3] = weight * toAlpha;
      }
    } else if (a !== 0 || b !== 0) {
      // One source row only: its colours need no weighting, its alpha only this row's weight.
      const only = (rows.first[y]! + (a !== 0 ? 0 : 1) - firstRow) * rowValues;
      const w = (a !== 0 ? a : b) * toAlpha;
      for (let k = 0; k < rowValues; k += 4) {
        const weight = across[only + k + 3]!;
        if (weight === 0) continue;
        const unit = 1 / weight;
        view[o + k] = across[only + k]! * unit;
        view[o + k + 1] = across[only + k + 1]! * unit;
        view[o + k + 2] = across[only + k + 2]! * unit;
        view[o + k + 3] = weight * w;
      }
    }
  }
  return { pixels: out, width: xs.count, height: ys.count, left: xs.start, top: ys.start };
}
