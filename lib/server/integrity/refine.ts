import { luma } from "./colour";
import type { AlignLevel } from "./pose-cost";
import type { Pose, Scene, Template } from "./template";

/**
 * Sub-pixel refinement of a pose by Gauss–Newton (Lucas–Kanade): the output is resampled where the
 * drawn product's pixels would land under a small extra shift and scale, linearised by the output's
 * gradient, and the shift, scale, gain and offset that best explain it are solved for together. It
 * converges within a fraction of a pixel from a pose a pixel or so off, which the coarse-to-fine
 * search gives; stopping at whole pixels would leave a sharp label visibly misregistered.
 */
const ITERATIONS = 6;
const CONVERGED_PX = 0.02;
/** The refinement may not wander further than this (grid pixels, and relative scale) from its start. */
const MAX_SHIFT = 3;
const MAX_SCALE = 0.08;
const SOLID = 0.9;

function solve(a: Float64Array, b: Float64Array, n: number): Float64Array | undefined {
  const m = new Float64Array(n * (n + 1));
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) m[r * (n + 1) + c] = a[r * n + c] ?? 0;
    m[r * (n + 1) + n] = b[r] ?? 0;
  }
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++)
      if (Math.abs(m[r * (n + 1) + c]!) > Math.abs(m[pivot * (n + 1) + c]!)) pivot = r;
    if (Math.abs(m[pivot * (n + 1) + c]!) < 1e-9) return undefined;
    if (pivot !== c) {
      for (let k = 0; k <= n; k++) {
        const t = m[c * (n + 1) + k]!;
        m[c * (n + 1) + k] = m[pivot * (n + 1) + k]!;
        m[pivot * (n + 1) + k] = t;
      }
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * (n + 1) + c]! / m[c * (n + 1) + c]!;
      if (f === 0) continue;
      for (let k = c; k <= n; k++) m[r * (n + 1) + k] = m[r * (n + 1) + k]! - f * m[c * (n + 1) + k]!;
    }
  }
  const x = new Float64Array(n);
  for (let r = 0; r < n; r++) x[r] = m[r * (n + 1) + n]! / m[r * (n + 1) + r]!;
  return x;
}

export function refinePose(level: AlignLevel, scene: Scene, drawing: Template, start: Pose): Pose {
  const { grid, output } = level;
  // The pivot of the scale, where the drawing at `start` has it, in grid pixels.
  const px = (scene.pivot.x + start.dx - grid.x0) * grid.kx;
  const py = (scene.pivot.y + start.dy - grid.y0) * grid.ky;
  let count = 0;
  for (let k = 0; k < drawing.a.length; k++) if ((drawing.a[k] ?? 0) >= SOLID) count++;
  if (count < 16) return start;
  const xs = new Float32Array(count);
  const ys = new Float32Array(count);
  const ts = new Float32Array(count);
  let n = 0;
  for (let j = 0; j < drawing.height; j++) {
    for (let i = 0; i < drawing.width; i++) {
      const k = j * drawing.width + i;
      if ((drawing.a[k] ?? 0) < SOLID) continue;
      xs[n] = drawing.x0 + i + 0.5;
      ys[n] = drawing.y0 + j + 0.5;
      ts[n] = luma(drawing.r[k] ?? 0, drawing.g[k] ?? 0, drawing.b[k] ?? 0);
      n++;
    }
  }

  // Parameters: shift (dx, dy) in grid pixels, relative scale e, luma gain and offset.
  let dx = 0;
  let dy = 0;
  let e = 0;
  let gain = 1;
  let offset = 0;
  const a = new Float64Array(25);
  const b = new Float64Array(5);
  const row = new Float64Array(5);
  const y = output.y;
  const w = output.width;
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    a.fill(0);
    b.fill(0);
    let used = 0;
    for (let k = 0; k < count; k++) {
      const rx = xs[k]! - px;
      const ry = ys[k]! - py;
      // Bilinear luma and its gradient where the point lands (grid pixel centres at i + ½).
      const sx = xs[k]! + dx + e * rx - 0.5;
      const sy = ys[k]! + dy + e * ry - 0.5;
      if (sx < 1 || sy < 1 || sx >= w - 2 || sy >= output.height - 2) continue;
      const x0 = sx | 0;
      const y0 = sy | 0;
      const fx = sx - x0;
      const fy = sy - y0;
      const o = y0 * w + x0;
      const v00 = y[o]!;
      const v10 = y[o + 1]!;
      const v01 = y[o + w]!;
      const v11 = y[o + w + 1]!;
      const value = (1 - fy) * ((1 - fx) * v00 + fx * v10) + fy * ((1 - fx) * v01 + fx * v11);
      const gx = (1 - fy) * (v10 - v00) + fy * (v11 - v01);
      const gy = (1 - fx) * (v01 - v00) + fx * (v11 - v10);
      const t = ts[k]!;
      const residual = value - (gain * t + offset);
      row[0] = gx;
      row[1] = gy;
      row[2] = gx * rx + gy * ry;
      row[3] = -t;
      row[4] = -1;
      for (let r = 0; r < 5; r++) {
        const rr = row[r]!;
        b[r] = b[r]! - rr * residual;
        for (let c = r; c < 5; c++) a[r * 5 + c] = a[r * 5 + c]! + rr * row[c]!;
      }
      used++;
    }
    if (used < 16) return start;
    for (let r = 0; r < 5; r++) for (let c = 0; c < r; c++) a[r * 5 + c] = a[c * 5 + r]!;
    const step = solve(a, b, 5);
    if (!step) break;
    dx += step[0]!;
    dy += step[1]!;
    e += step[2]!;
    gain += step[3]!;
    offset += step[4]!;
    if (Math.abs(dx) > MAX_SHIFT || Math.abs(dy) > MAX_SHIFT || Math.abs(e) > MAX_SCALE) return start;
    if (Math.hypot(step[0]!, step[1]!) < CONVERGED_PX && Math.abs(step[2]!) < 1e-4) break;
  }
  // A point q of the drawing moves to q + d + e·(q − pivot): the pose's scale grows by (1 + e) about
  // the pivot, which itself does not move.
  return { s: start.s * (1 + e), dx: start.dx + dx / grid.kx, dy: start.dy + dy / grid.ky };
}
