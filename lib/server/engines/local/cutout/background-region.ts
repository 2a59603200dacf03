import type { Surface } from "./surface";
import { evaluateRow, normalised, rowPolynomial } from "./surface";
import type { RgbRaster } from "./types";

/**
 * Which pixels are background: grown from the image's edges, so a product part of the background's
 * colour that the edge does not reach (a white label) is kept.
 *
 * Background pixels are of two sorts. *Close* pixels have the colour of the background surface. *Shaded*
 * pixels are the surface made darker (or very slightly lighter) without a change of hue: soft shadows,
 * or a vignette the surface does not quite follow. Neither sort is taken on a sharp edge.
 *
 * Close pixels are crossed freely. Shaded pixels are entered only going darker: the (smoothed) brightness
 * ratio must fall with every step. A soft shadow darkens steadily towards the product that casts it, so
 * every part of it lies on such a path from the clean background and is removed. A product that is the
 * background's hue but darker (grey, silver, a light-grey sole) is flat or brighter inside, so even where
 * its outline meets a shadow of the same darkness the growth stops within a few pixels of the outline.
 *
 * Regions grown from the edge are background when they are large or reach a corner or two sides; a
 * small region that touches one side only is a product part of the background's colour running off the
 * edge (a white cap cut by the top of the photo) and is kept.
 */

export type GrowthThresholds = {
  /** Colour distance to the surface under which a pixel is background whatever its surroundings. */
  colour: number;
  /** Hue change allowed for a shaded pixel (distance to the scaled surface colour). */
  chroma: number;
  /** Brightness ratios a shaded pixel may have. */
  darkest: number;
  lightest: number;
  /** How much brighter than a close pixel a shaded neighbour may be and still be entered from it. */
  tolerance: number;
};

export const CLOSE = 2;
export const SHADED = 1;

export type PixelClasses = {
  /** `CLOSE`, `SHADED` or 0 (not background). */
  kind: Uint8Array;
  /** Brightness ratio to the surface, smoothed over background-like pixels; 0 elsewhere. */
  shade: Float32Array;
};

export function classifyPixels(
  image: RgbRaster,
  surface: Surface,
  /** 1 on sharp edges: no pixel there is background. */
  edges: Uint8Array,
  t: GrowthThresholds,
): PixelClasses {
  const { width: w, height: h, data } = image;
  const { degree } = surface;
  const kind = new Uint8Array(w * h);
  const ratio = new Float32Array(w * h);
  const colour2 = t.colour * t.colour;
  const chroma2 = t.chroma * t.chroma;
  const row = new Float64Array(3 * (degree + 1));
  for (let y = 0; y < h; y++) {
    rowPolynomial(surface, normalised(y, h), row);
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (edges[i]) continue;
      const u = normalised(x, w);
      const br = evaluateRow(row, degree, 0, u);
      const bg = evaluateRow(row, degree, 1, u);
      const bb = evaluateRow(row, degree, 2, u);
      const r = data[i * 3]!;
      const g = data[i * 3 + 1]!;
      const b = data[i * 3 + 2]!;
      const k = (r * br + g * bg + b * bb) / Math.max(1, br * br + bg * bg + bb * bb);
      const dr = r - br;
      const dg = g - bg;
      const db = b - bb;
      if (dr * dr + dg * dg + db * db < colour2) {
        kind[i] = CLOSE;
        ratio[i] = k;
        continue;
      }
      if (k < t.darkest || k > t.lightest) continue;
      const cr = r - k * br;
      const cg = g - k * bg;
      const cb = b - k * bb;
      if (cr * cr + cg * cg + cb * cb < chroma2) {
        kind[i] = SHADED;
        ratio[i] = k;
      }
    }
  }
  return { kind, shade: smoothOver(ratio, kind, w, h) };
}

/** Box-smooths `values` twice (radius 2) counting only pixels where `mask` is set, so grain averages out. */
function smoothOver(values: Float32Array, mask: Uint8Array, w: number, h: number): Float32Array {
  const n = w * h;
  const sum = new Float32Array(n);
  const weight = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (!mask[i]) continue;
    sum[i] = values[i]!;
    weight[i] = 1;
  }
  const scratch = new Float32Array(n);
  for (let pass = 0; pass < 2; pass++) {
    for (const horizontal of [true, false]) {
      boxSum(sum, scratch, w, h, 2, horizontal);
      sum.set(scratch);
      boxSum(weight, scratch, w, h, 2, horizontal);
      weight.set(scratch);
    }
  }
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) if (mask[i]) out[i] = sum[i]! / weight[i]!;
  return out;
}

/** Sum over a window of `radius` along rows or columns (outside the image counts as 0). */
function boxSum(
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
  for (let line = 0; line < lines; line++) {
    const start = horizontal ? line * w : line;
    let sum = 0;
    for (let k = 0; k < Math.min(radius, length); k++) sum += src[start + k * step]!;
    for (let k = 0; k < length; k++) {
      if (k + radius < length) sum += src[start + (k + radius) * step]!;
      if (k - radius - 1 >= 0) sum -= src[start + (k - radius - 1) * step]!;
      dst[start + k * step] = sum;
    }
  }
}

const TOP = 1;
const RIGHT = 2;
const BOTTOM = 4;
const LEFT = 8;

function bitCount(n: number) {
  let c = 0;
  for (let m = n; m; m &= m - 1) c++;
  return c;
}

/**
 * Grows background from the close pixels on the image's edges (4-connected, so a diagonal line of
 * product pixels is a wall) by the rules above. Returns 1 for background, 0 for product.
 */
export function growBackground(
  classes: PixelClasses,
  width: number,
  height: number,
  tolerance: number,
): Uint8Array {
  const { kind, shade } = classes;
  const n = width * height;
  const reached = new Uint8Array(n);
  const queue = new Int32Array(n);
  let tail = 0;
  const seed = (i: number) => {
    if (kind[i] === CLOSE && !reached[i]) {
      reached[i] = 1;
      queue[tail++] = i;
    }
  };
  for (let x = 0; x < width; x++) {
    seed(x);
    seed((height - 1) * width + x);
  }
  for (let y = 1; y < height - 1; y++) {
    seed(y * width);
    seed(y * width + width - 1);
  }
  const visit = (from: number, i: number) => {
    if (reached[i]) return;
    const k = kind[i];
    if (k === CLOSE || (k === SHADED && shade[i]! < shade[from]! + (kind[from] === CLOSE ? tolerance : 0))) {
      reached[i] = 1;
      queue[tail++] = i;
    }
  };
  for (let head = 0; head < tail; head++) {
    const i = queue[head]!;
    const x = i % width;
    if (x > 0) visit(i, i - 1);
    if (x < width - 1) visit(i, i + 1);
    if (i >= width) visit(i, i - width);
    if (i < n - width) visit(i, i + width);
  }
  return keepBackgroundRegions(reached, width, height);
}

type Region = { area: number; sides: number; corner: boolean };

/** Of the connected regions grown from the edges, keeps those that are background (see above). */
function keepBackgroundRegions(reached: Uint8Array, width: number, height: number): Uint8Array {
  const n = width * height;
  const label = new Int32Array(n);
  const queue = new Int32Array(n);
  const regions: Region[] = [{ area: 0, sides: 0, corner: false }];
  const cornerX = Math.max(2, Math.round(width * 0.05));
  const cornerY = Math.max(2, Math.round(height * 0.05));
  for (let start = 0; start < n; start++) {
    if (!reached[start] || label[start]) continue;
    const id = regions.length;
    const region: Region = { area: 0, sides: 0, corner: false };
    regions.push(region);
    let tail = 0;
    queue[tail++] = start;
    label[start] = id;
    for (let head = 0; head < tail; head++) {
      const i = queue[head]!;
      const x = i % width;
      const y = (i - x) / width;
      region.area++;
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1) {
        region.sides |=
          (y === 0 ? TOP : 0) |
          (x === width - 1 ? RIGHT : 0) |
          (y === height - 1 ? BOTTOM : 0) |
          (x === 0 ? LEFT : 0);
        if ((x < cornerX || x >= width - cornerX) && (y < cornerY || y >= height - cornerY))
          region.corner = true;
      }
      const push = (j: number) => {
        if (reached[j] && !label[j]) {
          label[j] = id;
          queue[tail++] = j;
        }
      };
      if (x > 0) push(i - 1);
      if (x < width - 1) push(i + 1);
      if (y > 0) push(i - width);
      if (y < height - 1) push(i + width);
    }
  }
  let largest = 0;
  for (const r of regions) largest = Math.max(largest, r.area);
  const keep = regions.map(
    (r, id) =>
      id > 0 && (r.area === largest || r.corner || bitCount(r.sides) >= 2 || r.area >= 0.25 * largest),
  );
  const background = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (keep[label[i]!]) background[i] = 1;
  return background;
}

/**
 * Drops specks: product regions too small to be a product (a cluster of noisy background pixels)
 * become background. Product pixels are 8-connected, so a thin diagonal part stays one piece.
 */
export function dropSpecks(background: Uint8Array, width: number, height: number, minArea: number): void {
  const n = width * height;
  const seen = new Uint8Array(n);
  const queue = new Int32Array(n);
  for (let start = 0; start < n; start++) {
    if (background[start] || seen[start]) continue;
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    seen[start] = 1;
    while (head < tail) {
      const i = queue[head++]!;
      const x = i % width;
      const y = (i - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const j = yy * width + xx;
          if (!background[j] && !seen[j]) {
            seen[j] = 1;
            queue[tail++] = j;
          }
        }
      }
    }
    if (tail < minArea) for (let k = 0; k < tail; k++) background[queue[k]!] = 1;
  }
}
