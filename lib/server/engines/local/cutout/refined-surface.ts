import type { Samples, Surface } from "./surface";
import { median, normalised, residualsOf, robustFit, rowPolynomial } from "./surface";
import type { RgbRaster } from "./types";

const MAX_SAMPLES = 3_000;
export const REFINED_DEGREE = 4;

/**
 * The background surface fitted again over the background found by a quick first pass (not only the
 * border) with a degree-4 polynomial: a vignette that falls off faster than a parabola, or a gradient
 * that bends, is then followed right up to the product, where the border fit could only extrapolate.
 *
 * The first pass grows from the image's edges over pixels off sharp edges and within `reach` of the
 * border's surface; the fit is robust, so the odd product pixel it takes in does not pull it. Returns
 * the surface and the grain measured around it (per-channel standard deviation), or nothing when too
 * little background was found to fit.
 */
export function refinedSurface(
  image: RgbRaster,
  edges: Uint8Array,
  start: Surface,
  reach: number,
): { surface: Surface; spread: number } | undefined {
  const { width: w, height: h, data } = image;
  // The first pass runs on every other pixel of every other row: it only has to find samples.
  const gw = (w + 1) >> 1;
  const gh = (h + 1) >> 1;
  const cells = gw * gh;
  const near = new Uint8Array(cells);
  const { degree } = start;
  const stride = degree + 1;
  const row = new Float64Array(3 * stride);
  const reach2 = reach * reach;
  for (let gy = 0; gy < gh; gy++) {
    const y = 2 * gy;
    rowPolynomial(start, normalised(y, h), row);
    for (let gx = 0; gx < gw; gx++) {
      const i = y * w + 2 * gx;
      if (edges[i]) continue;
      const u = ((2 * gx + 0.5) / w) * 2 - 1;
      let br = row[degree]!;
      let bg = row[2 * stride - 1]!;
      let bb = row[3 * stride - 1]!;
      for (let p = degree - 1; p >= 0; p--) {
        br = br * u + row[p]!;
        bg = bg * u + row[stride + p]!;
        bb = bb * u + row[2 * stride + p]!;
      }
      const dr = data[i * 3]! - br;
      const dg = data[i * 3 + 1]! - bg;
      const db = data[i * 3 + 2]! - bb;
      if (dr * dr + dg * dg + db * db < reach2) near[gy * gw + gx] = 1;
    }
  }

  // 2: reached from the border. A step between cells must not jump over an edge pixel between them.
  const queue = new Int32Array(cells);
  let tail = 0;
  for (let c = 0; c < cells; c++) {
    const gx = c % gw;
    if (near[c] && (c < gw || c >= cells - gw || gx === 0 || gx === gw - 1)) {
      near[c] = 2;
      queue[tail++] = c;
    }
  }
  const take = (next: number, between: number) => {
    if (near[next] === 1 && !edges[between]) {
      near[next] = 2;
      queue[tail++] = next;
    }
  };
  for (let head = 0; head < tail; head++) {
    const c = queue[head]!;
    const gx = c % gw;
    const gy = (c - gx) / gw;
    const i = 2 * gy * w + 2 * gx;
    if (gx > 0) take(c - 1, i - 1);
    if (gx < gw - 1) take(c + 1, i + 1);
    if (gy > 0) take(c - gw, i - w);
    if (gy < gh - 1) take(c + gw, i + w);
  }
  if (tail < 100) return undefined;

  const step = Math.max(1, Math.ceil(tail / MAX_SAMPLES));
  const count = Math.floor(tail / step);
  const samples: Samples = {
    count,
    u: new Float64Array(count),
    v: new Float64Array(count),
    rgb: new Float64Array(count * 3),
  };
  // The queue holds the reached pixels in growth order; every `step`-th spreads the samples evenly.
  for (let s = 0; s < count; s++) {
    const c = queue[s * step]!;
    const gx = c % gw;
    const x = 2 * gx;
    const y = 2 * ((c - gx) / gw);
    const i = y * w + x;
    samples.u[s] = normalised(x, w);
    samples.v[s] = normalised(y, h);
    samples.rgb[s * 3] = data[i * 3]!;
    samples.rgb[s * 3 + 1] = data[i * 3 + 1]!;
    samples.rgb[s * 3 + 2] = data[i * 3 + 2]!;
  }
  const surface = robustFit(samples, REFINED_DEGREE, new Float64Array(count).fill(1), start, {
    inlierLimit: 2 * reach,
    minScale: 4,
  });
  const residual = new Float64Array(count);
  residualsOf(samples, surface, residual);
  // The colour distance of 3-channel Gaussian grain has a median of about 1.54 σ.
  return { surface, spread: median(residual) / 1.54 };
}
