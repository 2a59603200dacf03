import type { AlignLevel, Drawn } from "./pose-cost";
import { draw, poseCost } from "./pose-cost";
import { refinePose } from "./refine";
import type { Pose, Scene } from "./template";
import { renderTemplate } from "./template";

export type { AlignLevel } from "./pose-cost";

/**
 * Where the product really is: the pose (scale about the product's centre, then a shift) whose
 * drawing of the product best explains the output (`poseCost`), searched coarse to fine.
 */
export const SCALE_RANGE = { min: 0.8, max: 1.25 } as const;
const TOP_SCALES = 5;
const TOP_STEP = Math.log(SCALE_RANGE.max / SCALE_RANGE.min) / (TOP_SCALES - 1);
/** Candidates carried from the coarsest level down, besides the expected pose itself. */
const CANDIDATES = 3;
const CLIMB_STEPS = 6;
const TOP_STRIDE = 2;

type Candidate = { si: number; du: number; dv: number; cost: number };

/** One level's search state: templates per scale index, costs per pose already measured. */
class LevelSearch {
  private readonly drawn = new Map<number, Drawn>();
  private readonly costs = new Map<number, number>();

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
    // One number per pose (scale index and shifts stay far inside ±2048).
    const key = ((si + 2048) * 4096 + du + 2048) * 4096 + dv + 2048;
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
   * Moves to the best neighbour until none is better, shift (3 × 3) and scale (±1 step) in turn: a
   * third of the work of searching them together. Where shift and scale trade off (detail to one side
   * of the product's centre), the Gauss–Newton refinement after the search moves them together.
   */
  climb(start: Candidate): Candidate {
    let best = { ...start, cost: this.cost(start.si, start.du, start.dv) };
    for (let round = 0; round < CLIMB_STEPS; round++) {
      let next = best;
      for (let dv = -1; dv <= 1; dv++) {
        for (let du = -1; du <= 1; du++) {
          const c = this.cost(next.si, best.du + du, best.dv + dv);
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

/** The pose's cost on a level, drawn exactly where it says (sub-pixel). */
function costAt(level: AlignLevel, scene: Scene, pose: Pose, minFraction: number): number {
  const drawn = draw(level, scene, pose);
  return poseCost(drawn, level.output, 0, 0, drawn.sums.w * minFraction);
}

/**
 * The search's best pose refined below a pixel (`refinePose`), on the next coarser level first (its
 * wider basin forgives a search that stopped a pixel off) and then on the finest; each refinement is
 * kept only when it explains the output better.
 */
function refine(levels: readonly AlignLevel[], scene: Scene, start: Pose, minFraction: number) {
  let pose = start;
  let cost = Infinity;
  for (const level of [levels[1], levels[0]]) {
    if (!level) continue;
    const before = costAt(level, scene, pose, minFraction);
    const refined = refinePose(level, scene, renderTemplate(level.grid, level.raster, scene, pose), pose);
    const after = costAt(level, scene, refined, minFraction);
    if (after < before) pose = refined;
    cost = Math.min(before, after);
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
  const finest = levels[0];
  if (!top || !finest) throw new Error("align needs at least one level");
  let step = TOP_STEP;
  let search = new LevelSearch(top, scene, step, minFraction);
  const ru = Math.max(1, Math.ceil(radius * top.grid.kx));
  const rv = Math.max(1, Math.ceil(radius * top.grid.ky));
  const lowest = Math.round(Math.log(SCALE_RANGE.min) / step);
  const highest = Math.round(Math.log(SCALE_RANGE.max) / step);
  // Every other shift: the coarsest level is blurred enough that no optimum is narrower than two
  // pixels, and the climbs that follow move one pixel at a time.
  const found: Candidate[] = [];
  for (let si = lowest; si <= highest; si++) {
    for (let dv = -rv; dv <= rv; dv += TOP_STRIDE) {
      for (let du = -ru; du <= ru; du += TOP_STRIDE)
        found.push({ si, du, dv, cost: search.cost(si, du, dv) });
    }
  }
  found.sort((a, b) => a.cost - b.cost);
  let candidates: Candidate[] = [];
  for (const c of found) {
    if (!Number.isFinite(c.cost) || candidates.length >= CANDIDATES) break;
    const near = candidates.some(
      (k) =>
        Math.abs(k.du - c.du) <= TOP_STRIDE &&
        Math.abs(k.dv - c.dv) <= TOP_STRIDE &&
        Math.abs(k.si - c.si) <= 1,
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
  if (!best || !Number.isFinite(best.cost)) return { pose: { s: 1, dx: 0, dy: 0 }, cost: Infinity };
  return refine(levels, scene, search.poseOf(best), minFraction);
}
