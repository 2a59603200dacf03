import type { Box, ImagePlacement, Point } from "@/lib/scene/placement";
import { placedCorners } from "@/lib/scene/placement";

import type { ProductRaster } from "./product";

/**
 * An analysis grid over part of the output: grid pixel i has its centre at output x =
 * `x0 + (i + ½) / kx` (and likewise in y). Level 0 is the finest; each level halves it.
 */
export type Grid = { x0: number; y0: number; kx: number; ky: number; width: number; height: number };

/** A candidate for where the product is: the expected placement scaled by `s` about `pivot`, moved by `d`. */
export type Pose = { s: number; dx: number; dy: number };

/**
 * The product as it should appear at a pose, on a grid: colour not premultiplied, with its alpha.
 * Pixel (i, j) of the template is grid pixel (x0 + i, y0 + j).
 */
export type Template = {
  x0: number;
  y0: number;
  width: number;
  height: number;
  r: Float32Array;
  g: Float32Array;
  b: Float32Array;
  a: Float32Array;
};

export type Scene = { placement: ImagePlacement; pivot: Point; objectBox: Box };

function toGrid(grid: Grid, scene: Scene, pose: Pose, point: Point): Point {
  const x = scene.pivot.x + pose.dx + pose.s * (point.x - scene.pivot.x);
  const y = scene.pivot.y + pose.dy + pose.s * (point.y - scene.pivot.y);
  return { x: (x - grid.x0) * grid.kx, y: (y - grid.y0) * grid.ky };
}

/**
 * Transparent pixels drawn around the product on every side: the ring the pose cost looks at reaches
 * this far out from the solid part, past a soft edge.
 */
export const TEMPLATE_MARGIN = 3;

/**
 * Draws the product at `pose` by inverse mapping: every grid pixel centre is taken back through the
 * pose and the placement (the same affine map the engine draws with) into the product raster and
 * sampled bilinearly there, premultiplied.
 */

export function renderTemplate(grid: Grid, raster: ProductRaster, scene: Scene, pose: Pose): Template {
  const { placement, pivot } = scene;
  const corners = placedCorners(placement, scene.objectBox).map((c) => toGrid(grid, scene, pose, c));
  const x0 = Math.floor(Math.min(...corners.map((c) => c.x))) - TEMPLATE_MARGIN;
  const y0 = Math.floor(Math.min(...corners.map((c) => c.y))) - TEMPLATE_MARGIN;
  const width = Math.ceil(Math.max(...corners.map((c) => c.x))) + TEMPLATE_MARGIN - x0;
  const height = Math.ceil(Math.max(...corners.map((c) => c.y))) + TEMPLATE_MARGIN - y0;
  const n = width * height;
  const out: Template = {
    x0,
    y0,
    width,
    height,
    r: new Float32Array(n),
    g: new Float32Array(n),
    b: new Float32Array(n),
    a: new Float32Array(n),
  };

  // Template pixel (i, j) → output point → unposed output point → product point → raster index.
  // Every step is affine, so the whole map is m = m0 + i·mi + j·mj (and likewise n).
  const rad = (placement.rotation * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const toRaster = (i: number, j: number) => {
    const qx = grid.x0 + (x0 + i + 0.5) / grid.kx;
    const qy = grid.y0 + (y0 + j + 0.5) / grid.ky;
    const ux = pivot.x + (qx - pivot.x - pose.dx) / pose.s - placement.center.x;
    const uy = pivot.y + (qy - pivot.y - pose.dy) / pose.s - placement.center.y;
    const px = placement.anchor.x + (ux * cos + uy * sin) / placement.scaleX;
    const py = placement.anchor.y + (-ux * sin + uy * cos) / placement.scaleY;
    return { m: (px - raster.x0) * raster.fx - 0.5, n: (py - raster.y0) * raster.fy - 0.5 };
  };
  const origin = toRaster(0, 0);
  const alongI = toRaster(1, 0);
  const alongJ = toRaster(0, 1);
  const mi = alongI.m - origin.m;
  const ni = alongI.n - origin.n;
  const mj = alongJ.m - origin.m;
  const nj = alongJ.n - origin.n;

  const src = raster.rgba;
  const sw = raster.width;
  const sh = raster.height;
  for (let j = 0; j < height; j++) {
    let m = origin.m + j * mj;
    let nn = origin.n + j * nj;
    for (let i = 0; i < width; i++, m += mi, nn += ni) {
      // The raster's outermost pixels are transparent, so a footprint reaching past them is nothing.
      if (m < 0 || nn < 0 || m >= sw - 1 || nn >= sh - 1) continue;
      const mx = m | 0;
      const my = nn | 0;
      const fx = m - mx;
      const fy = nn - my;
      const w00 = (1 - fx) * (1 - fy);
      const w10 = fx * (1 - fy);
      const w01 = (1 - fx) * fy;
      const w11 = fx * fy;
      const o00 = (my * sw + mx) * 4;
      const o01 = o00 + sw * 4;
      const alpha = w00 * src[o00 + 3]! + w10 * src[o00 + 7]! + w01 * src[o01 + 3]! + w11 * src[o01 + 7]!;
      if (alpha < 1e-3) continue;
      const k = j * width + i;
      const inv = 1 / alpha;
      out.a[k] = Math.min(1, alpha);
      out.r[k] = (w00 * src[o00]! + w10 * src[o00 + 4]! + w01 * src[o01]! + w11 * src[o01 + 4]!) * inv;
      out.g[k] =
        (w00 * src[o00 + 1]! + w10 * src[o00 + 5]! + w01 * src[o01 + 1]! + w11 * src[o01 + 5]!) * inv;
      out.b[k] =
        (w00 * src[o00 + 2]! + w10 * src[o00 + 6]! + w01 * src[o01 + 2]! + w11 * src[o01 + 6]!) * inv;
    }
  }
  return out;
}
