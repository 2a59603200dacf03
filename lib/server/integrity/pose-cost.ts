import type { Yuv } from "./colour";
import { luma } from "./colour";
import type { ProductRaster } from "./product";
import type { Grid, Pose, Scene } from "./template";
import { renderTemplate, TEMPLATE_MARGIN } from "./template";

/**
 * How well a pose explains the output. Inside the product's mask (its solid part: an edge blended
 * into an unknown background says nothing reliable), the output must be the drawn product after one
 * global relighting fit (gain and offset per channel, both bounded, so a flat background never passes
 * for a product). Just outside the mask it must not go on looking like the product's rim: without
 * this, a drawing smaller than the real product would fit its inside as well as the right one.
 */
export type AlignLevel = { grid: Grid; output: Yuv; raster: ProductRaster };

/** Relighting the fit may explain: luma gain and offset, colour-difference gain and offset. */
const LUMA_GAIN = { min: 0.6, max: 1.6 } as const;
const LUMA_OFFSET = 60;
const CHROMA_GAIN = { min: 0.5, max: 1.6 } as const;
const CHROMA_OFFSET = 30;
/**
 * Solid product: alpha above `SOLID_FROM` counts, fully from `SOLID`. The ramp keeps the cost smooth
 * as the drawing moves by a fraction of a pixel (a hard cut would make it jump).
 */
const SOLID_FROM = 0.8;
const SOLID = 0.97;
/** How far out from the solid part the ring looks (see `draw`): as far as the drawing's clear margin. */
const RING_REACH = TEMPLATE_MARGIN;

function solidWeight(alpha: number): number {
  const t = Math.min(1, (alpha - SOLID_FROM) / (SOLID - SOLID_FROM));
  return t > 0 ? t * t : 0;
}
/** Colour distance (Y, U, V) below which a pixel outside the mask still passes for the rim. */
const RIM_LIKE = 40;
const RING_WEIGHT = 0.5;
type Pixels = {
  count: number;
  col: Int32Array;
  row: Int32Array;
  /** Offset in the output grid relative to the drawing's corner. */
  rel: Int32Array;
  w: Float32Array;
  y: Float32Array;
  u: Float32Array;
  v: Float32Array;
};

/** The product drawn at a pose, reduced to the pixels that count, with its own sums kept. */
export type Drawn = {
  x0: number;
  y0: number;
  width: number;
  height: number;
  /** Solid product pixels, with the product's colour. */
  solid: Pixels;
  /** Pixels just outside the mask, with the colour of the rim next to them. */
  ring: Pixels;
  sums: { w: number; y: number; yy: number; u: number; uu: number; v: number; vv: number };
};

function pixels(count: number): Pixels {
  return {
    count: 0,
    col: new Int32Array(count),
    row: new Int32Array(count),
    rel: new Int32Array(count),
    w: new Float32Array(count),
    y: new Float32Array(count),
    u: new Float32Array(count),
    v: new Float32Array(count),
  };
}

function push(p: Pixels, i: number, j: number, rel: number, w: number, y: number, u: number, v: number) {
  const n = p.count++;
  p.w[n] = w;
  p.col[n] = i;
  p.row[n] = j;
  p.rel[n] = rel;
  p.y[n] = y;
  p.u[n] = u;
  p.v[n] = v;
}

export function draw(level: AlignLevel, scene: Scene, pose: Pose): Drawn {
  const t = renderTemplate(level.grid, level.raster, scene, pose);
  const { width, height } = t;
  let solidCount = 0;
  let ringCount = 0;
  const ringFrom = new Int32Array(t.a.length).fill(-1);
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      const k = j * width + i;
      const a = t.a[k] ?? 0;
      if (a > SOLID_FROM) {
        solidCount++;
        continue;
      }
      if (a > 0.05) continue;
      // Outside: near a solid pixel? Its colour is what the output must not continue. Two pixels out
      // first; where the soft edge is wider than that at this subpixel phase, three, so a flat
      // product's outline always has a ring to hold a too-small drawing to.
      let best = -1;
      for (let reach = 2; reach <= RING_REACH && best < 0; reach++) {
        let bestAlpha = SOLID;
        for (let dj = -1; dj <= 1; dj++) {
          for (let di = -1; di <= 1; di++) {
            const x = i + reach * di;
            const y = j + reach * dj;
            if (x < 0 || y < 0 || x >= width || y >= height) continue;
            const n = y * width + x;
            if ((t.a[n] ?? 0) > bestAlpha) {
              bestAlpha = t.a[n] ?? 0;
              best = n;
            }
          }
        }
      }
      if (best >= 0) {
        ringFrom[k] = best;
        ringCount++;
      }
    }
  }
  const solid = pixels(solidCount);
  const ring = pixels(ringCount);
  const sums = { w: 0, y: 0, yy: 0, u: 0, uu: 0, v: 0, vv: 0 };
  const ow = level.output.width;
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      const k = j * width + i;
      const from = ringFrom[k] ?? -1;
      if (from >= 0) {
        const r = t.r[from] ?? 0;
        const b = t.b[from] ?? 0;
        const y = luma(r, t.g[from] ?? 0, b);
        push(ring, i, j, j * ow + i, 1, y, b - y, r - y);
      } else if ((t.a[k] ?? 0) > SOLID_FROM) {
        const w = solidWeight(t.a[k] ?? 0);
        const r = t.r[k] ?? 0;
        const b = t.b[k] ?? 0;
        const y = luma(r, t.g[k] ?? 0, b);
        const u = b - y;
        const v = r - y;
        push(solid, i, j, j * ow + i, w, y, u, v);
        sums.w += w;
        sums.y += w * y;
        sums.yy += w * y * y;
        sums.u += w * u;
        sums.uu += w * u * u;
        sums.v += w * v;
        sums.vv += w * v * v;
      }
    }
  }
  return { x0: t.x0, y0: t.y0, width, height, solid, ring, sums };
}

export type Fit = { gain: number; offset: number; residual: number };

/**
 * The relighting `output ≈ gain · template + offset` of one channel that leaves the least mean squared
 * residual, with gain and offset each within its bounds, from the weighted sums over the mask (n,
 * Σo, Σo², Σt, Σt², Σo·t). A convex quadratic on a box: its minimum is the unconstrained one when
 * that is inside, else on an edge, where it is the edge's own minimum clamped to the edge.
 *
 * Solving the whole box matters for a channel of one flat colour: its variance is only rounding noise,
 * so the unconstrained gain is noise too; clamped on its own it lands on a bound, the offset that would
 * make up for it is out of bounds, and the product's true pose looks like the worst one.
 */
export function channelFit(
  n: number,
  so: number,
  soo: number,
  st: number,
  stt: number,
  sot: number,
  gain: { min: number; max: number },
  maxOffset: number,
): Fit {
  const mo = so / n;
  const mt = st / n;
  const vo = Math.max(0, soo / n - mo * mo);
  const vt = Math.max(0, stt / n - mt * mt);
  const cov = sot / n - mo * mt;
  const clampGain = (g: number) => Math.min(gain.max, Math.max(gain.min, g));
  const clampOffset = (o: number) => Math.min(maxOffset, Math.max(-maxOffset, o));
  const residual = (g: number, o: number) => {
    const bias = mo - g * mt - o;
    return Math.max(0, vo - 2 * g * cov + g * g * vt) + bias * bias;
  };
  const candidates: Array<[number, number]> = [];
  if (vt > 0) candidates.push([clampGain(cov / vt), clampOffset(mo - (cov / vt) * mt)]);
  for (const g of [gain.min, gain.max]) candidates.push([g, clampOffset(mo - g * mt)]);
  const spread = vt + mt * mt;
  for (const o of [-maxOffset, maxOffset]) {
    candidates.push([spread > 0 ? clampGain((cov + mt * (mo - o)) / spread) : 1, o]);
  }
  let best: Fit = { gain: 1, offset: clampOffset(mo - mt), residual: Infinity };
  for (const [g, o] of candidates) {
    const r = residual(g, o);
    if (r < best.residual) best = { gain: g, offset: o, residual: r };
  }
  return best;
}

/**
 * Mean squared residual inside the mask plus the ring's likeness to the rim, for the drawing shifted
 * by (du, dv) grid pixels. Infinity when less than `minWeight` of solid product falls on the grid.
 */
export function poseCost(drawn: Drawn, output: Yuv, du: number, dv: number, minWeight: number): number {
  const left = drawn.x0 + du;
  const top = drawn.y0 + dv;
  const base = top * output.width + left;
  const oy = output.y;
  const ou = output.u;
  const ov = output.v;
  const { solid, ring } = drawn;
  const inside =
    left >= 0 && top >= 0 && left + drawn.width <= output.width && top + drawn.height <= output.height;
  let n = 0;
  let sty = 0;
  let stty = 0;
  let stu = 0;
  let sttu = 0;
  let stv = 0;
  let sttv = 0;
  let sy = 0;
  let syy = 0;
  let soty = 0;
  let su = 0;
  let suu = 0;
  let sotu = 0;
  let sv = 0;
  let svv = 0;
  let sotv = 0;
  if (inside) {
    ({ w: n, y: sty, yy: stty, u: stu, uu: sttu, v: stv, vv: sttv } = drawn.sums);
    for (let k = 0; k < solid.count; k++) {
      const o = base + solid.rel[k]!;
      const w = solid.w[k]!;
      const a = oy[o]!;
      const c = ou[o]!;
      const e = ov[o]!;
      const wa = w * a;
      const wc = w * c;
      const we = w * e;
      sy += wa;
      syy += wa * a;
      soty += wa * solid.y[k]!;
      su += wc;
      suu += wc * c;
      sotu += wc * solid.u[k]!;
      sv += we;
      svv += we * e;
      sotv += we * solid.v[k]!;
    }
  } else {
    // Part of the drawing falls outside the grid (beyond the output's edge): those pixels do not count.
    for (let k = 0; k < solid.count; k++) {
      const gx = left + solid.col[k]!;
      const gy = top + solid.row[k]!;
      if (gx < 0 || gy < 0 || gx >= output.width || gy >= output.height) continue;
      const o = base + solid.rel[k]!;
      const w = solid.w[k]!;
      const a = oy[o]!;
      const b = solid.y[k]!;
      const c = ou[o]!;
      const d = solid.u[k]!;
      const e = ov[o]!;
      const f = solid.v[k]!;
      n += w;
      sty += w * b;
      stty += w * b * b;
      stu += w * d;
      sttu += w * d * d;
      stv += w * f;
      sttv += w * f * f;
      sy += w * a;
      syy += w * a * a;
      soty += w * a * b;
      su += w * c;
      suu += w * c * c;
      sotu += w * c * d;
      sv += w * e;
      svv += w * e * e;
      sotv += w * e * f;
    }
  }
  if (n < minWeight || n <= 0) return Infinity;
  const fy = channelFit(n, sy, syy, sty, stty, soty, LUMA_GAIN, LUMA_OFFSET);
  const fu = channelFit(n, su, suu, stu, sttu, sotu, CHROMA_GAIN, CHROMA_OFFSET);
  const fv = channelFit(n, sv, svv, stv, sttv, sotv, CHROMA_GAIN, CHROMA_OFFSET);

  let likeness = 0;
  let counted = 0;
  const limit = RIM_LIKE * RIM_LIKE;
  for (let k = 0; k < ring.count; k++) {
    const gx = left + ring.col[k]!;
    const gy = top + ring.row[k]!;
    if (gx < 0 || gy < 0 || gx >= output.width || gy >= output.height) continue;
    const o = base + ring.rel[k]!;
    const dy = oy[o]! - (fy.gain * ring.y[k]! + fy.offset);
    const du2 = ou[o]! - (fu.gain * ring.u[k]! + fu.offset);
    const dv2 = ov[o]! - (fv.gain * ring.v[k]! + fv.offset);
    const d = dy * dy + du2 * du2 + dv2 * dv2;
    if (d < limit) likeness += limit - d;
    counted++;
  }
  const ringTerm = counted > 0 ? (RING_WEIGHT * likeness) / counted : 0;
  return fy.residual + fu.residual + fv.residual + ringTerm;
}
