import { classifyPixels, dropSpecks, growBackground } from "./background-region";
import type { BorderVerdict } from "./border-model";
import type { WeightedTable } from "./colour-fields";
import { weightedTable, windowMean } from "./colour-fields";
import { outlineDistance } from "./edge-band";
import { closedEdges, edgeSharpness } from "./gradient";
import { refinedSurface } from "./refined-surface";
import type { Surface } from "./surface";
import { surfaceAt } from "./surface";
import type { RgbRaster } from "./types";

/**
 * The cutout's decisions at working resolution: which pixels are background (grown from the border),
 * the band of uncertain pixels around the outline, and the product and background colours there.
 */

/** Half-width of the uncertain band, in working pixels, on each side of the outline. */
export const BAND = 2;
const NEAR_RADIUS = BAND + 3;
const FAR_RADIUS = 4 * NEAR_RADIUS;

export type Segmentation = {
  width: number;
  height: number;
  /** 1 where the pixel is background. */
  background: Uint8Array;
  /** Chessboard distance to the outline, 255 beyond `BAND + 1`. */
  distance: Uint8Array;
  /** Local product colour (RGB) at pixels within `BAND + 1` of the outline, where `known & 1`. */
  foreground: Float32Array;
  /** Local background colour (RGB) at the same pixels, where `known & 2`. */
  behind: Float32Array;
  known: Uint8Array;
  /** Share of the image that is product. */
  productShare: number;
};

/** Gaps in an outline up to twice this many pixels are closed before shadows are grown. */
const EDGE_GAP = 3;

/**
 * The sharpness that counts as an edge: well above what grain gives on the background itself (measured
 * on pixels of the background's colour), and never below 1.5 levels per pixel.
 */
function edgeThreshold(image: RgbRaster, surface: Surface, sharpness: Float32Array, colour: number): number {
  const { width: w, height: h, data } = image;
  const samples: number[] = [];
  const step = Math.max(1, Math.floor((w * h) / 40_000));
  for (let i = 0; i < w * h; i += step) {
    const x = i % w;
    const y = (i - x) / w;
    const u = ((x + 0.5) / w) * 2 - 1;
    const v = ((y + 0.5) / h) * 2 - 1;
    let d = 0;
    for (let k = 0; k < 3; k++) d += (data[i * 3 + k]! - surfaceAt(surface, u, v, k)) ** 2;
    if (d < colour * colour) samples.push(sharpness[i]!);
  }
  samples.sort((a, b) => a - b);
  const median = samples.length ? samples[samples.length >> 1]! : 0;
  return Math.max(1.5, 4 * median);
}

/** A mean over real samples in the small window, else the large one, else whatever the small one has. */
function localMean(table: WeightedTable, x: number, y: number, out: Float32Array, at: number): boolean {
  const near = windowMean(table, x, y, NEAR_RADIUS, out, at);
  if (near >= 0.5) return true;
  const far = windowMean(table, x, y, FAR_RADIUS, out, at);
  if (far >= 0.5) return true;
  if (near > 0) return windowMean(table, x, y, NEAR_RADIUS, out, at) > 0;
  return far > 0;
}

/** Background (1) or product (0) at working resolution, with the pixel classes and edges behind it. */
export function backgroundMask(image: RgbRaster, border: BorderVerdict) {
  const { width: w, height: h } = image;
  const n = w * h;
  const sharpness = edgeSharpness(image);
  const firstColour = thresholdsFor(border.spread, border.colour).colour;
  const edges = closedEdges(
    sharpness,
    w,
    h,
    edgeThreshold(image, border.surface, sharpness, firstColour),
    EDGE_GAP,
  );

  // First pass with the border's surface, then again with one fitted to all the background found.
  let t = thresholdsFor(border.spread, border.colour);
  let classes = classifyPixels(image, border.surface, edges, t);
  let background = growBackground(classes, w, h, t.tolerance);
  const refined = refinedSurface(image, background, classes, border.surface);
  let surface = border.surface;
  if (refined) {
    surface = refined.surface;
    t = thresholdsFor(Math.min(border.spread, refined.spread), border.colour);
    classes = classifyPixels(image, surface, edges, t);
    background = growBackground(classes, w, h, t.tolerance);
  }
  dropSpecks(background, w, h, Math.max(12, Math.round(n * 0.0002)));
  return { background, classes, edges, sharpness, surface };
}

/** Thresholds from the grain (per-channel σ on the working image) and the background's brightness. */
function thresholdsFor(spread: number, colour: { r: number; g: number; b: number }) {
  const sigma = Math.max(0.5, spread);
  const brightness = Math.max(40, (colour.r + colour.g + colour.b) / 3);
  return {
    colour: Math.max(10, 5 * sigma),
    chroma: Math.max(8, 4 * sigma),
    darkest: 0.5,
    lightest: 1.03,
    tolerance: Math.max(0.01, (3 * sigma) / brightness),
  };
}

export function segment(image: RgbRaster, border: BorderVerdict): Segmentation {
  const { width: w, height: h } = image;
  const n = w * h;
  const { background } = backgroundMask(image, border);

  let product = 0;
  for (let i = 0; i < n; i++) product += background[i] ? 0 : 1;

  const distance = outlineDistance(background, w, h, BAND + 1);
  const fgWeight = new Float32Array(n);
  const bgWeight = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const d = distance[i]!;
    // Pixels right on the outline are mixtures; the next ring counts only when nothing better is near.
    const weight = d >= 2 ? 1 : d === 1 ? 0.01 : 0;
    if (background[i]) bgWeight[i] = weight;
    else fgWeight[i] = weight;
  }
  const fgTable = weightedTable(image, fgWeight);
  const bgTable = weightedTable(image, bgWeight);
  const foreground = new Float32Array(n * 3);
  const behind = new Float32Array(n * 3);
  const known = new Uint8Array(n);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (distance[i]! > BAND + 1) continue;
      known[i] =
        (localMean(fgTable, x, y, foreground, i * 3) ? 1 : 0) |
        (localMean(bgTable, x, y, behind, i * 3) ? 2 : 0);
    }
  }
  return { width: w, height: h, background, distance, foreground, behind, known, productShare: product / n };
}
