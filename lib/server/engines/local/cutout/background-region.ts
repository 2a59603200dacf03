import type { Surface } from "./surface";
import { normalised, rowPolynomial } from "./surface";
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
  /** Colour distance to the surface under which a pixel (off a sharp edge) is close. */
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
  const stride = degree + 1;
  const row = new Float64Array(3 * stride);
  for (let y = 0; y < h; y++) {
    rowPolynomial(surface, normalised(y, h), row);
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (edges[i]) continue;
      // The surface by Horner's rule, written out: this loop runs for every working pixel.
      const u = ((x + 0.5) / w) * 2 - 1;
      let br = row[degree]!;
      let bg = row[2 * stride - 1]!;
      let bb = row[3 * stride - 1]!;
      for (let p = degree - 1; p >= 0; p--) {
        br = br * u + row[p]!;
        bg = bg * u + row[stride + p]!;
        bb = bb * u + row[2 * stride + p]!;
      }
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

/** Box-smooths `values` (7 × 7) counting only pixels where `mask` is set, so grain averages out. */
function smoothOver(values: Float32Array, mask: Uint8Array, w: number, h: number): Float32Array {
  const n = w * h;
  // Interleaved (value, weight) pairs, so each pass moves both at once.
  let pairs = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    if (!mask[i]) continue;
    pairs[2 * i] = values[i]!;
    pairs[2 * i + 1] = 1;
  }
  let scratch = new Float32Array(2 * n);
  for (let pass = 0; pass < 2; pass++) {
    pairSum(pairs, scratch, w, h, 3, pass === 0);
    const t = pairs;
    pairs = scratch;
    scratch = t;
  }
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) if (mask[i]) out[i] = pairs[2 * i]! / pairs[2 * i + 1]!;
  return out;
}

/** Window sums of `radius` of (value, weight) pairs along rows or columns (outside the image counts 0). */
function pairSum(
  src: Float32Array,
  dst: Float32Array,
  w: number,
  h: number,
  radius: number,
  horizontal: boolean,
) {
  const length = horizontal ? w : h;
  const lines = horizontal ? h : w;
  const step = horizontal ? 2 : 2 * w;
  for (let line = 0; line < lines; line++) {
    const start = horizontal ? 2 * line * w : 2 * line;
    let value = 0;
    let weight = 0;
    for (let k = 0; k < Math.min(radius, length); k++) {
      value += src[start + k * step]!;
      weight += src[start + k * step + 1]!;
    }
    for (let k = 0; k < length; k++) {
      if (k + radius < length) {
        const o = start + (k + radius) * step;
        value += src[o]!;
        weight += src[o + 1]!;
      }
      if (k - radius - 1 >= 0) {
        const o = start + (k - radius - 1) * step;
        value -= src[o]!;
        weight -= src[o + 1]!;
      }
      dst[start + k * step] = value;
      dst[start + k * step + 1] = weight;
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

function find(parent: number[], i: number): number {
  let root = i;
  while (parent[root] !== root) root = parent[root]!;
  while (parent[i] !== root) {
    const next = parent[i]!;
    parent[i] = root;
    i = next;
  }
  return root;
}

type Region = { sides: number; corner: boolean };

/**
 * Grows background from the close pixels on the image's edges (4-connected, so a diagonal line of
 * product pixels is a wall) by the rules above, one region per seed; regions that meet are one.
 * Returns 1 for background, 0 for product.
 */
export function growBackground(
  classes: PixelClasses,
  width: number,
  height: number,
  tolerance: number,
): Uint8Array {
  const { kind, shade } = classes;
  const n = width * height;
  const region = new Int32Array(n);
  const queue = new Int32Array(n);
  const parent: number[] = [0];
  const regions: Region[] = [{ sides: 0, corner: false }];
  const cornerX = Math.max(2, Math.round(width * 0.05));
  const cornerY = Math.max(2, Math.round(height * 0.05));

  const grow = (seed: number) => {
    const id = regions.length;
    regions.push({ sides: 0, corner: false });
    parent.push(id);
    let tail = 0;
    region[seed] = id;
    queue[tail++] = seed;
    for (let head = 0; head < tail; head++) {
      const i = queue[head]!;
      const x = i % width;
      const fromClose = kind[i] === CLOSE;
      const ceiling = shade[i]! + (fromClose ? tolerance : 0);
      for (let d = 0; d < 4; d++) {
        let j: number;
        if (d === 0) {
          if (x === 0) continue;
          j = i - 1;
        } else if (d === 1) {
          if (x === width - 1) continue;
          j = i + 1;
        } else if (d === 2) {
          if (i < width) continue;
          j = i - width;
        } else {
          if (i >= n - width) continue;
          j = i + width;
        }
        const k = kind[j];
        if (k !== CLOSE && (k !== SHADED || shade[j]! >= ceiling)) continue;
        const other = region[j]!;
        if (other === 0) {
          region[j] = id;
          queue[tail++] = j;
        } else if (other !== id) {
          const a = find(parent, other);
          const b = find(parent, id);
          if (a !== b) parent[a] = b;
        }
      }
    }
  };
  const seed = (i: number) => {
    if (kind[i] === CLOSE && !region[i]) grow(i);
  };
  for (let x = 0; x < width; x++) {
    seed(x);
    seed((height - 1) * width + x);
  }
  for (let y = 1; y < height - 1; y++) {
    seed(y * width);
    seed(y * width + width - 1);
  }

  const roots = Int32Array.from(parent, (_, id) => find(parent, id));
  const areas = new Int32Array(parent.length);
  for (let i = 0; i < n; i++) areas[roots[region[i]!]!]!++;
  const border = (x: number, y: number) => {
    const id = region[y * width + x]!;
    if (!id) return;
    const r = regions[roots[id]!]!;
    r.sides |=
      (y === 0 ? TOP : 0) |
      (x === width - 1 ? RIGHT : 0) |
      (y === height - 1 ? BOTTOM : 0) |
      (x === 0 ? LEFT : 0);
    if ((x < cornerX || x >= width - cornerX) && (y < cornerY || y >= height - cornerY)) r.corner = true;
  };
  for (let x = 0; x < width; x++) {
    border(x, 0);
    border(x, height - 1);
  }
  for (let y = 1; y < height - 1; y++) {
    border(0, y);
    border(width - 1, y);
  }
  let largest = 0;
  for (let id = 1; id < areas.length; id++) largest = Math.max(largest, areas[id]!);
  const keep = new Uint8Array(parent.length);
  for (let id = 1; id < parent.length; id++) {
    const root = roots[id]!;
    const r = regions[root]!;
    const area = areas[root]!;
    if (area === largest || r.corner || bitCount(r.sides) >= 2 || area >= 0.25 * largest) keep[id] = 1;
  }
  const background = new Uint8Array(n);
  for (let i = 0; i < n; i++) background[i] = keep[region[i]!]!;
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
