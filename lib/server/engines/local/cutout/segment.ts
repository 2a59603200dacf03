import { classifyPixels, dropSpecks, growBackground } from "./background-region";
import type { BorderVerdict } from "./border-model";
import { outlineColours } from "./colour-fields";
import { outlineDistance } from "./edge-band";
import { closedEdges, edgeSharpness } from "./gradient";
import { refinedSurface } from "./refined-surface";
import type { Surface } from "./surface";
import { median, normalised, rowPolynomial } from "./surface";
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

/** Gaps in an outline up to twice this many pixels are closed before any background is grown. */
const EDGE_GAP = 3;

/**
 * The sharpness that counts as an edge: well above what grain gives on the background itself (measured
 * on pixels of the background's colour), and never below 1.5 levels per pixel.
 */
function edgeThreshold(image: RgbRaster, surface: Surface, sharpness: Float32Array, colour: number): number {
  const { width: w, height: h, data } = image;
  const samples: number[] = [];
  const step = Math.max(1, Math.round(Math.sqrt((w * h) / 40_000)));
  const row = new Float64Array(3 * (surface.degree + 1));
  for (let y = step >> 1; y < h; y += step) {
    rowPolynomial(surface, normalised(y, h), row);
    for (let x = step >> 1; x < w; x += step) {
      const u = normalised(x, w);
      const i = y * w + x;
      let d = 0;
      for (let k = 0; k < 3; k++) {
        let value = row[k * (surface.degree + 1) + surface.degree]!;
        for (let p = surface.degree - 1; p >= 0; p--) value = value * u + row[k * (surface.degree + 1) + p]!;
        d += (data[i * 3 + k]! - value) ** 2;
      }
      if (d < colour * colour) samples.push(sharpness[i]!);
    }
  }
  return Math.max(1.5, 4 * median(samples));
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

  // The border's surface, refined over the background a quick first pass finds.
  const refined = refinedSurface(image, edges, border.surface, 1.5 * firstColour);
  const surface = refined?.surface ?? border.surface;
  const t = thresholdsFor(refined ? Math.min(border.spread, refined.spread) : border.spread, border.colour);
  const classes = classifyPixels(image, surface, edges, t);
  const background = growBackground(classes, w, h, t.tolerance);
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
  const { foreground, behind, known } = outlineColours(
    image,
    background,
    distance,
    BAND + 1,
    NEAR_RADIUS,
    FAR_RADIUS,
  );
  return { width: w, height: h, background, distance, foreground, behind, known, productShare: product / n };
}
