import type { Samples, Surface } from "./surface";
import { constantSurface, median, normalised, residualsOf, robustFit, surfaceAt } from "./surface";
import type { Rgb, RgbRaster } from "./types";

/**
 * The background as seen on the image's border: a colour per channel that varies as a quadratic in x and
 * y (a linear gradient, a vignette, light falling off towards a corner), fitted robustly to a ring of
 * pixels along the edges so that the product, where it touches the edge, does not pull the fit.
 *
 * The same fit judges whether the background is plain at all: a room, a street or a textured surface
 * leaves most of the ring unexplained, several corners off the model, or the fit noisy.
 */

export type BorderVerdict = {
  surface: Surface;
  /** Mean colour of the ring pixels the surface explains. */
  colour: Rgb;
  /** Share of ring pixels within `PLAIN_TOLERANCE` of the surface. */
  explained: number;
  /** Corners where most of the ring is not background. */
  cornersOff: number;
  /** Separate stretches of the photo's outermost pixels that are not background. */
  crossings: number;
  /** Robust standard deviation of the explained ring pixels around the surface (colour distance). */
  spread: number;
  plain: boolean;
  /** Why the border is not plain, in words a person reads. */
  reason?: string;
};

/** Colour distance (0–255 RGB, Euclidean) within which a ring pixel counts as background. */
export const PLAIN_TOLERANCE = 14;
const MIN_EXPLAINED = 0.6;
const MAX_SPREAD = 4;
/** A product crosses the edge of the photo a few times; veins, grain or a pattern cross it many times. */
const MAX_CROSSINGS = 12;
const CORNER_ZONE = 0.12;

type Ring = Samples & {
  /** Which corner zone a sample lies in (0–3), or −1. */
  corner: Int8Array;
};

function ringOf(image: RgbRaster): Ring {
  const { width: w, height: h, data } = image;
  const depth = Math.max(2, Math.round(Math.min(w, h) * 0.012));
  const stride = Math.max(1, Math.floor((2 * (w + h) * depth) / 5_000));
  const xs: number[] = [];
  const ys: number[] = [];
  const visit = (x: number, y: number) => {
    xs.push(x);
    ys.push(y);
  };
  for (let d = 0; d < depth; d++) {
    for (let x = (d * 7) % stride; x < w; x += stride) {
      visit(x, d);
      visit(x, h - 1 - d);
    }
    for (let y = depth + ((d * 7) % stride); y < h - depth; y += stride) {
      visit(d, y);
      visit(w - 1 - d, y);
    }
  }
  const count = xs.length;
  const ring: Ring = {
    count,
    u: new Float64Array(count),
    v: new Float64Array(count),
    rgb: new Float64Array(count * 3),
    corner: new Int8Array(count),
  };
  const zoneX = w * CORNER_ZONE;
  const zoneY = h * CORNER_ZONE;
  for (let i = 0; i < count; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    ring.u[i] = ((x + 0.5) / w) * 2 - 1;
    ring.v[i] = ((y + 0.5) / h) * 2 - 1;
    const o = (y * w + x) * 3;
    ring.rgb[i * 3] = data[o]!;
    ring.rgb[i * 3 + 1] = data[o + 1]!;
    ring.rgb[i * 3 + 2] = data[o + 2]!;
    const left = x < zoneX;
    const right = x >= w - zoneX;
    const top = y < zoneY;
    const bottom = y >= h - zoneY;
    ring.corner[i] = top && left ? 0 : top && right ? 1 : bottom && right ? 2 : bottom && left ? 3 : -1;
  }
  return ring;
}

/** Fits the background surface to the image's border and says whether the border is plain. */
export function judgeBorder(image: RgbRaster): BorderVerdict {
  const ring = ringOf(image);
  const weights = new Float64Array(ring.count);
  const residual = new Float64Array(ring.count);

  // Start from the median colour: whatever the product covers on the edge is far from it.
  const med = [0, 1, 2].map((k) =>
    median(Array.from({ length: ring.count }, (_, i) => ring.rgb[i * 3 + k]!)),
  );
  for (let i = 0; i < ring.count; i++) {
    const d = Math.hypot(
      ring.rgb[i * 3]! - med[0]!,
      ring.rgb[i * 3 + 1]! - med[1]!,
      ring.rgb[i * 3 + 2]! - med[2]!,
    );
    weights[i] = d < 40 ? 1 : 0;
  }
  const surface = robustFit(ring, 2, weights, constantSurface(med), {
    inlierLimit: 3 * PLAIN_TOLERANCE,
    minScale: 6,
  });
  residualsOf(ring, surface, residual);

  let explained = 0;
  const sum = [0, 0, 0];
  const cornerCount = [0, 0, 0, 0];
  const cornerOff = [0, 0, 0, 0];
  const close: number[] = [];
  for (let i = 0; i < ring.count; i++) {
    const inside = residual[i]! < PLAIN_TOLERANCE;
    const corner = ring.corner[i]!;
    if (corner >= 0) {
      cornerCount[corner]!++;
      if (!inside) cornerOff[corner]!++;
    }
    if (!inside) continue;
    explained++;
    close.push(residual[i]!);
    for (let k = 0; k < 3; k++) sum[k]! += ring.rgb[i * 3 + k]!;
  }
  const share = ring.count ? explained / ring.count : 0;
  const cornersOff = cornerCount.filter((count, c) => count > 0 && cornerOff[c]! / count > 0.5).length;
  // The mean residual of a 3-channel Gaussian is ≈ 1.6 σ; report σ per channel, robustly.
  const spread = close.length ? (median(close) * 1.4826) / 1.6 : Infinity;
  const colour = explained
    ? {
        r: Math.round(sum[0]! / explained),
        g: Math.round(sum[1]! / explained),
        b: Math.round(sum[2]! / explained),
      }
    : { r: Math.round(med[0]!), g: Math.round(med[1]!), b: Math.round(med[2]!) };

  let reason: string | undefined;
  const crossings = edgeCrossings(image, surface);
  if (share < MIN_EXPLAINED || cornersOff >= 2 || crossings > MAX_CROSSINGS) {
    reason =
      "The background is not a plain colour: the edges of the photo show a scene, several colours or objects.";
  } else if (spread > MAX_SPREAD) {
    reason = "The background is textured or patterned, not a plain colour.";
  }
  return {
    surface,
    colour,
    explained: share,
    cornersOff,
    crossings,
    spread,
    plain: reason === undefined,
    reason,
  };
}

/**
 * How many separate stretches (of at least 3 pixels) of the outermost pixel line, walked once around
 * the photo, are not background.
 */
function edgeCrossings(image: RgbRaster, surface: Surface): number {
  const { width: w, height: h, data } = image;
  const path: number[] = [];
  for (let x = 0; x < w; x++) path.push(x);
  for (let y = 1; y < h; y++) path.push(y * w + w - 1);
  for (let x = w - 2; x >= 0; x--) path.push((h - 1) * w + x);
  for (let y = h - 2; y > 0; y--) path.push(y * w);
  const off = path.map((i) => {
    const x = i % w;
    const u = normalised(x, w);
    const v = normalised((i - x) / w, h);
    let d = 0;
    for (let k = 0; k < 3; k++) d += (data[i * 3 + k]! - surfaceAt(surface, u, v, k)) ** 2;
    return d >= PLAIN_TOLERANCE * PLAIN_TOLERANCE;
  });
  // Start the walk on a background pixel so a stretch across the starting point counts once.
  const start = off.indexOf(false);
  if (start < 0) return off.length ? 1 : 0;
  let crossings = 0;
  let run = 0;
  for (let k = 1; k <= off.length; k++) {
    if (off[(start + k) % off.length]) {
      run++;
    } else {
      if (run >= 3) crossings++;
      run = 0;
    }
  }
  return crossings;
}
