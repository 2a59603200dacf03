import type { Yuv } from "./colour";
import { yuvOf } from "./colour";
import type { ProductRaster } from "./product";
import type { Grid, Pose, Scene } from "./template";
import { renderTemplate } from "./template";

/**
 * Where the product really is: the pose (scale about the product's centre, then a shift) whose
 * drawing of the product best explains the output, searched coarse to fine. A pose is judged by how
 * well the output inside the product's mask fits the drawn product after a global relighting fit
 * (gain and offset per channel, both bounded, so a flat background never passes for a product).
 */
export type AlignLevel = { grid: Grid; output: Yuv; raster: ProductRaster };

export const SCALE_RANGE = { min: 0.8, max: 1.25 } as const;
const TOP_SCALES = 5;
const TOP_STEP = Math.log(SCALE_RANGE.max / SCALE_RANGE.min) / (TOP_SCALES - 1);
/** Candidates carried from the coarsest level down, besides the expected pose itself. */
const CANDIDATES = 3;
const CLIMB_STEPS = 6;

/** Relighting the fit may explain: luma gain and offset, colour-difference gain and offset. */
const LUMA_GAIN = { min: 0.6, max: 1.6 } as const;
const LUMA_OFFSET = 60;
const CHROMA_GAIN = { min: 0.5, max: 1.6 } as const;
const CHROMA_OFFSET = 30;

/**
 * The product drawn at a pose, reduced to the pixels that count: their weights, colours and offsets in
 * the output grid, with the product's own sums kept for poses that leave every pixel inside the grid.
 */
type Drawn = {
  x0: number;
  y0: number;
  width: number;
  height: number;
  count: number;
  col: Int32Array;
  row: Int32Array;
  /** Offset of each pixel in the output grid relative to the template's corner. */
  rel: Int32Array;
  w: Float32Array;
  y: Float32Array;
  u: Float32Array;
  v: Float32Array;
  sums: { w: number; y: number; yy: number; u: number; uu: number; v: number; vv: number };
};

function channelResidual(
  sw: number,
  so: number,
  soo: number,
  st: number,
  stt: number,
  sot: number,
  gain: { min: number; max: number },
  maxOffset: number,
): number {
  const mo = so / sw;
  const mt = st / sw;
  const vo = Math.max(0, soo / sw - mo * mo);
  const vt = Math.max(0, stt / sw - mt * mt);
  const cov = sot / sw - mo * mt;
  const g = Math.min(gain.max, Math.max(gain.min, vt > 1e-6 ? cov / vt : 1));
  const o = Math.min(maxOffset, Math.max(-maxOffset, mo - g * mt));
  const bias = mo - g * mt - o;
  return Math.max(0, vo - 2 * g * cov + g * g * vt) + bias * bias;
}

/** Mean squared residual of the output under the drawn product shifted by (du, dv) grid pixels. */
export function poseCost(drawn: Drawn, output: Yuv, du: number, dv: number, minWeight: number): number {
  const left = drawn.x0 + du;
  const top = drawn.y0 + dv;
  const { w, y, u, v, rel } = drawn;
  const oy = output.y;
  const ou = output.u;
  const ov = output.v;
  let sw = 0;
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
  const base = top * output.width + left;
  const inside =
    left >= 0 && top >= 0 && left + drawn.width <= output.width && top + drawn.height <= output.height;
  if (inside) {
    ({ w: sw, y: sty, yy: stty, u: stu, uu: sttu, v: stv, vv: sttv } = drawn.sums);
    for (let k = 0; k < drawn.count; k++) {
      const o = base + rel[k]!;
      const wk = w[k]!;
      const a = oy[o]!;
      const c = ou[o]!;
      const e = ov[o]!;
      const wa = wk * a;
      const wc = wk * c;
      const we = wk * e;
      sy += wa;
      syy += wa * a;
      soty += wa * y[k]!;
      su += wc;
      suu += wc * c;
      sotu += wc * u[k]!;
      sv += we;
      svv += we * e;
      sotv += we * v[k]!;
    }
  } else {
    // Part of the drawing falls outside the grid (beyond the output's edge): those pixels do not count.
    for (let k = 0; k < drawn.count; k++) {
      const gx = left + drawn.col[k]!;
      const gy = top + drawn.row[k]!;
      if (gx < 0 || gy < 0 || gx >= output.width || gy >= output.height) continue;
      const o = base + rel[k]!;
      const wk = w[k]!;
      const a = oy[o]!;
      const b = y[k]!;
      const c = ou[o]!;
      const d = u[k]!;
      const e = ov[o]!;
      const f = v[k]!;
      sw += wk;
      sty += wk * b;
      stty += wk * b * b;
      stu += wk * d;
      sttu += wk * d * d;
      stv += wk * f;
      sttv += wk * f * f;
      sy += wk * a;
      syy += wk * a * a;
      soty += wk * a * b;
      su += wk * c;
      suu += wk * c * c;
      sotu += wk * c * d;
      sv += wk * e;
      svv += wk * e * e;
      sotv += wk * e * f;
    }
  }
  if (sw < minWeight || sw === 0) return Infinity;
  return (
    channelResidual(sw, sy, syy, sty, stty, soty, LUMA_GAIN, LUMA_OFFSET) +
    channelResidual(sw, su, suu, stu, sttu, sotu, CHROMA_GAIN, CHROMA_OFFSET) +
    channelResidual(sw, sv, svv, stv, sttv, sotv, CHROMA_GAIN, CHROMA_OFFSET)
  );
}

function draw(level: AlignLevel, scene: Scene, pose: Pose): Drawn {
  const t = renderTemplate(level.grid, level.raster, scene, pose);
  const yuv = yuvOf(t);
  let count = 0;
  for (let k = 0; k < t.a.length; k++) if ((t.a[k] ?? 0) > 0) count++;
  const drawn: Drawn = {
    x0: t.x0,
    y0: t.y0,
    width: t.width,
    height: t.height,
    count,
    col: new Int32Array(count),
    row: new Int32Array(count),
    rel: new Int32Array(count),
    w: new Float32Array(count),
    y: new Float32Array(count),
    u: new Float32Array(count),
    v: new Float32Array(count),
    sums: { w: 0, y: 0, yy: 0, u: 0, uu: 0, v: 0, vv: 0 },
  };
  const sums = drawn.sums;
  let n = 0;
  for (let j = 0; j < t.height; j++) {
    for (let i = 0; i < t.width; i++) {
      const k = j * t.width + i;
      const a = t.a[k] ?? 0;
      if (a <= 0) continue;
      // Edge pixels mix product and unknown background: they count, but little.
      const wk = a > 0.95 ? 1 : 0;
      if (wk === 0) continue;
      const y = yuv.y[k] ?? 0;
      const u = yuv.u[k] ?? 0;
      const v = yuv.v[k] ?? 0;
      drawn.col[n] = i;
      drawn.row[n] = j;
      drawn.rel[n] = j * level.output.width + i;
      drawn.w[n] = wk;
      drawn.y[n] = y;
      drawn.u[n] = u;
      drawn.v[n] = v;
      sums.w += wk;
      sums.y += wk * y;
      sums.yy += wk * y * y;
      sums.u += wk * u;
      sums.uu += wk * u * u;
      sums.v += wk * v;
      sums.vv += wk * v * v;
      n++;
    }
  }
  return drawn;
}

type Candidate = { si: number; du: number; dv: number; cost: number };

/** One level's search state: templates per scale index, costs per pose already measured. */
class LevelSearch {
  private readonly drawn = new Map<number, Drawn>();
  private readonly costs = new Map<string, number>();

  constructor(
    readonly level: AlignLevel,
    private readonly scene: Scene,
    /** Scale of index i is exp(i · step). */
    readonly step: number,
    private readonly minFraction: number,
  ) {}

  scaleOf(si: number): number {
    return Math.exp(si * this.step);
  }

  cost(si: number, du: number, dv: number): number {
    const key = `${si}|${du}|${dv}`;
    const known = this.costs.get(key);
    if (known !== undefined) return known;
    const s = this.scaleOf(si);
    if (s < SCALE_RANGE.min * 0.97 || s > SCALE_RANGE.max * 1.03) return Infinity;
    let drawn = this.drawn.get(si);
    if (!drawn) {
      drawn = draw(this.level, this.scene, { s, dx: 0, dy: 0 });
      this.drawn.set(si, drawn);
    }
    const value = poseCost(drawn, this.level.output, du, dv, drawn.sums.w * this.minFraction);
    this.costs.set(key, value);
    return value;
  }

  /**
   * Moves to the best neighbour until none is better, shift (3 × 3) and scale (±1 step) in turn: the
   * two hardly interact near the optimum, and this costs a third of searching them together.
   */
  climb(start: Candidate): Candidate {
    let best = { ...start, cost: this.cost(start.si, start.du, start.dv) };
    for (let round = 0; round < CLIMB_STEPS; round++) {
      let next = best;
      for (let dv = -1; dv <= 1; dv++) {
        for (let du = -1; du <= 1; du++) {
          const c = this.cost(best.si, best.du + du, best.dv + dv);
          if (c < next.cost) next = { si: best.si, du: best.du + du, dv: best.dv + dv, cost: c };
        }
      }
      for (const ds of [-1, 1]) {
        const c = this.cost(next.si + ds, next.du, next.dv);
        if (c < next.cost) next = { si: next.si + ds, du: next.du, dv: next.dv, cost: c };
      }
      if (next === best) break;
      best = next;
    }
    return best;
  }

  poseOf(c: Candidate): Pose {
    return { s: this.scaleOf(c.si), dx: c.du / this.level.grid.kx, dy: c.dv / this.level.grid.ky };
  }
}

/** Shift steps below a pixel and scale steps below `FINE_SCALE_STEP` are tried on the finest level. */
const FINE_SHIFT_STEPS = [0.5, 0.25] as const;
const FINE_SCALE_STEP = 0.005;

/**
 * The finest level's best pose refined continuously (the product drawn at sub-pixel shifts and fine
 * scales), by coordinate descent with halving steps. Stopping at whole pixels and the pyramid's scale
 * step would leave the product up to half a pixel and a few per cent off, which a sharp label shows.
 */
function refine(level: AlignLevel, scene: Scene, start: Candidate, search: LevelSearch, minFraction: number) {
  const costOf = (pose: Pose) => {
    const drawn = draw(level, scene, pose);
    return poseCost(drawn, level.output, 0, 0, drawn.sums.w * minFraction);
  };
  let pose = search.poseOf(start);
  let cost = start.cost;
  let scaleStep = search.step / 2;
  for (let round = 0; ; round++) {
    const shift = FINE_SHIFT_STEPS[round];
    if (shift === undefined && scaleStep < FINE_SCALE_STEP) break;
    const tries: Pose[] = [];
    if (scaleStep >= FINE_SCALE_STEP) {
      tries.push({ ...pose, s: pose.s * Math.exp(scaleStep) }, { ...pose, s: pose.s * Math.exp(-scaleStep) });
    }
    for (const t of tries) {
      const c = costOf(t);
      if (c < cost) ({ pose, cost } = { pose: t, cost: c });
    }
    if (shift !== undefined) {
      for (const axis of ["dx", "dy"] as const) {
        const h = shift / (axis === "dx" ? level.grid.kx : level.grid.ky);
        const from = pose;
        for (const sign of [-1, 1]) {
          const t = { ...from, [axis]: from[axis] + sign * h };
          const c = costOf(t);
          if (c < cost) ({ pose, cost } = { pose: t, cost: c });
        }
      }
    }
    scaleStep /= 2;
  }
  return { pose, cost };
}

/**
 * `levels[0]` is the finest. The coarsest is searched exhaustively within `radius` (output pixels) and
 * the scale range; the best few poses, and the expected one, are then refined level by level.
 */
export function align(
  levels: readonly AlignLevel[],
  scene: Scene,
  radius: number,
  minFraction: number,
): { pose: Pose; cost: number } {
  const topIndex = levels.length - 1;
  const top = levels[topIndex];
  if (!top) throw new Error("align needs at least one level");
  let step = TOP_STEP;
  let search = new LevelSearch(top, scene, step, minFraction);
  const ru = Math.max(1, Math.ceil(radius * top.grid.kx));
  const rv = Math.max(1, Math.ceil(radius * top.grid.ky));
  const lowest = Math.round(Math.log(SCALE_RANGE.min) / step);
  const highest = Math.round(Math.log(SCALE_RANGE.max) / step);
  const found: Candidate[] = [];
  for (let si = lowest; si <= highest; si++) {
    for (let dv = -rv; dv <= rv; dv++) {
      for (let du = -ru; du <= ru; du++) found.push({ si, du, dv, cost: search.cost(si, du, dv) });
    }
  }
  found.sort((a, b) => a.cost - b.cost);
  let candidates: Candidate[] = [];
  for (const c of found) {
    if (!Number.isFinite(c.cost) || candidates.length >= CANDIDATES) break;
    const near = candidates.some(
      (k) => Math.abs(k.du - c.du) <= 1 && Math.abs(k.dv - c.dv) <= 1 && Math.abs(k.si - c.si) <= 1,
    );
    if (!near) candidates.push(c);
  }
  candidates.push({ si: 0, du: 0, dv: 0, cost: search.cost(0, 0, 0) });
  candidates = candidates.map((c) => search.climb(c)).sort((a, b) => a.cost - b.cost);

  for (let index = topIndex - 1; index >= 0; index--) {
    const level = levels[index];
    if (!level) continue;
    step /= 2;
    search = new LevelSearch(level, scene, step, minFraction);
    const climbed = candidates
      .map((c) => search.climb({ si: 2 * c.si, du: 2 * c.du, dv: 2 * c.dv, cost: Infinity }))
      .sort((a, b) => a.cost - b.cost);
    candidates = [];
    for (const c of climbed) {
      if (!candidates.some((o) => o.si === c.si && o.du === c.du && o.dv === c.dv)) candidates.push(c);
    }
    // Two candidates survive each level but the finest: enough to recover from one coarse mistake.
    candidates = candidates.slice(0, index === 0 ? 1 : 2);
  }
  const best = candidates[0];
  const finest = levels[0];
  if (!best || !finest || !Number.isFinite(best.cost))
    return { pose: { s: 1, dx: 0, dy: 0 }, cost: Infinity };
  return refine(finest, scene, best, search, minFraction);
}
