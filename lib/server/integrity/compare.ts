import type { Box } from "@/lib/scene/placement";

import { luma } from "./colour";
import type { TileMeans } from "./colour-fit";
import { applyFit, fitColour } from "./colour-fit";
import type { Planes } from "./raster";
import type { Grid, Template } from "./template";

/**
 * How alike the output is to the product where it was found, tile by tile, so a local change is not
 * averaged away: the worst tiles decide. A tile compares
 * - luma after the best local gain, offset and slope (a shadow or a highlight is a local gain, a
 *   soft shadow's edge crossing the tile a slope; a changed label, a warp or a hole is a change of
 *   pattern none of them explains), relative to the tile's contrast,
 * - mean colour, after the global relighting fit, by the angle between colour vectors (a shadow
 *   darkens a colour, it does not turn it),
 * - how much of it the output left transparent.
 * The product's mask is eroded first: an edge blended into the background is not the product.
 */
export const TILE = 8;
const STRIDE = TILE / 2;
/** A tile counts when at least this share of it is product. */
const TILE_COVERAGE = 0.5;
/** Local luma gain a shadow or a highlight may apply, relative to the global one. */
const LOCAL_GAIN = { min: 0.55, max: 1.6 } as const;
/** Luma noise (0..255) that compression and resampling leave even on a perfect match. */
const NOISE = 4;
/** Keeps the colour angle of dark pixels from being mostly noise. */
const DARK_LIFT = 24;
/**
 * Grid pixels this close to the grid's edge are not compared: where the grid ends at the output's edge,
 * resampling and softening there saw only one side of what the product shows.
 */
const BORDER = 2;
/** Each error at which a tile is called changed. */
export const LIMITS = { luma: 0.6, angleDegrees: 5.5, hole: 0.25 } as const;
/** The tile that decides: the k-th worst (overlapping tiles share pixels, so one change marks several). */
const DECIDING_RANK = 2;

export type TileError = { box: Box; luma: number; angle: number; hole: number; badness: number };

export type Comparison = {
  /** 1: alike; 0.5: at the limit; 0: far past it. */
  similarity: number;
  tiles: number;
  worst?: TileError;
};

/** Minimum of alpha over a (2r+1)² window (separable), so the mask shrinks by r pixels. */
function erode(alpha: Float32Array, width: number, height: number, r: number): Float32Array {
  if (r <= 0) return alpha;
  const tmp = new Float32Array(alpha.length);
  const out = new Float32Array(alpha.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let m = 1;
      for (let k = Math.max(0, x - r); k <= Math.min(width - 1, x + r); k++)
        m = Math.min(m, alpha[y * width + k] ?? 0);
      if (x - r < 0 || x + r >= width) m = 0;
      tmp[y * width + x] = m;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let m = 1;
      for (let k = Math.max(0, y - r); k <= Math.min(height - 1, y + r); k++)
        m = Math.min(m, tmp[k * width + x] ?? 0);
      if (y - r < 0 || y + r >= height) m = 0;
      out[y * width + x] = m;
    }
  }
  return out;
}

/** Per-cell sums, by position in a cell's block of the sums array. */
const W = 0;
const X = 1;
const Y = 2;
const XX = 3;
const YY = 4;
const XY = 5;
const O = 6;
const T = 7;
const OO = 8;
const TT = 9;
const OT = 10;
const XO = 11;
const YO = 12;
const XT = 13;
const YT = 14;
const RO = 15;
const GO = 16;
const BO = 17;
const RT = 18;
const GT = 19;
const BT = 20;
const HOLE = 21;
const SUMS = 22;

/**
 * The luma residual of a tile after the best fit of `a·product + offset + a plane`: the plane is a
 * soft shadow or light falloff crossing the tile, the bounded gain a local shadow or highlight.
 */
function lumaResidual(sums: Float64Array, gain: { min: number; max: number; fallback: number }) {
  const w = sums[W] ?? 1;
  const m = (i: number) => (sums[i] ?? 0) / w;
  const mx = m(X);
  const my = m(Y);
  const mo = m(O);
  const mt = m(T);
  const cxx = m(XX) - mx * mx + 1e-6;
  const cyy = m(YY) - my * my + 1e-6;
  const cxy = m(XY) - mx * my;
  const coo = Math.max(0, m(OO) - mo * mo);
  const ctt = Math.max(0, m(TT) - mt * mt);
  const cot = m(OT) - mo * mt;
  const cxo = m(XO) - mx * mo;
  const cyo = m(YO) - my * mo;
  const cxt = m(XT) - mx * mt;
  const cyt = m(YT) - my * mt;
  // The plane for a given gain a: solve the 2 × 2 system of the ramp against what a·product leaves.
  const planeFor = (a: number) => {
    const bx = cxo - a * cxt;
    const by = cyo - a * cyt;
    const det = cxx * cyy - cxy * cxy;
    return { cx: (bx * cyy - by * cxy) / det, cy: (by * cxx - bx * cxy) / det };
  };
  let a = gain.fallback;
  if (ctt > 1) {
    // Unbounded optimum of a with the plane eliminated (Schur complement), then bounded.
    const det = cxx * cyy - cxy * cxy;
    const tPlane = (cxt * (cxt * cyy - cyt * cxy) + cyt * (cyt * cxx - cxt * cxy)) / det;
    const oPlane = (cxt * (cxo * cyy - cyo * cxy) + cyt * (cyo * cxx - cxo * cxy)) / det;
    const denominator = ctt - tPlane;
    if (denominator > 1e-6) a = (cot - oPlane) / denominator;
  }
  a = Math.min(gain.max, Math.max(gain.min, a));
  const { cx, cy } = planeFor(a);
  const residual =
    coo -
    2 * (a * cot + cx * cxo + cy * cyo) +
    a * a * ctt +
    cx * cx * cxx +
    cy * cy * cyy +
    2 * (a * cx * cxt + a * cy * cyt + cx * cy * cxy);
  return {
    residual: Math.sqrt(Math.max(0, residual)),
    contrast: Math.max(Math.sqrt(coo), a * Math.sqrt(ctt)),
  };
}

function angleBetween(a: readonly number[], b: readonly number[]): number {
  const x = a.map((v) => Math.max(0, v) + DARK_LIFT);
  const y = b.map((v) => Math.max(0, v) + DARK_LIFT);
  const dot = x[0]! * y[0]! + x[1]! * y[1]! + x[2]! * y[2]!;
  const cos = dot / (Math.hypot(x[0]!, x[1]!, x[2]!) * Math.hypot(y[0]!, y[1]!, y[2]!));
  return (Math.acos(Math.min(1, Math.max(-1, cos))) * 180) / Math.PI;
}

/** Binomial weights of the softening: half a pixel either side. */
const SOFTEN = [0.25, 0.5, 0.25];

/**
 * A small binomial blur both ways (edges repeated): the product and the output went through different
 * resampling, so their sharpness and sub-pixel phase differ a little.
 */
function soften(plane: Float32Array, width: number, height: number): Float32Array {
  const r = (SOFTEN.length - 1) / 2;
  const tmp = new Float32Array(plane.length);
  const out = new Float32Array(plane.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = -r; k <= r; k++)
        sum += SOFTEN[k + r]! * plane[row + Math.min(width - 1, Math.max(0, x + k))]!;
      tmp[row + x] = sum;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = -r; k <= r; k++)
        sum += SOFTEN[k + r]! * tmp[Math.min(height - 1, Math.max(0, y + k)) * width + x]!;
      out[y * width + x] = sum;
    }
  }
  return out;
}

export function compare(output: Planes, template: Template, grid: Grid, erosion: number): Comparison {
  const tw = template.width;
  const th = template.height;
  const weight = erode(template.a, tw, th, erosion);
  const cellsX = Math.ceil(tw / STRIDE);
  const cellsY = Math.ceil(th / STRIDE);
  const cells = new Float64Array(cellsX * cellsY * SUMS);

  // Luma of both over the template's extent, softened alike (the product's premultiplied, so its
  // transparent surroundings do not darken its rim).
  const outputLuma = new Float32Array(tw * th);
  const productLuma = new Float32Array(tw * th);
  for (let j = 0; j < th; j++) {
    const oy = Math.min(output.height - 1, Math.max(0, template.y0 + j));
    for (let i = 0; i < tw; i++) {
      const ox = Math.min(output.width - 1, Math.max(0, template.x0 + i));
      const o = oy * output.width + ox;
      const k = j * tw + i;
      outputLuma[k] = luma(output.r[o] ?? 0, output.g[o] ?? 0, output.b[o] ?? 0);
      productLuma[k] =
        luma(template.r[k] ?? 0, template.g[k] ?? 0, template.b[k] ?? 0) * (template.a[k] ?? 0);
    }
  }
  const softOutput = soften(outputLuma, tw, th);
  const softProduct = soften(productLuma, tw, th);
  const softAlpha = soften(template.a, tw, th);

  for (let j = 0; j < th; j++) {
    const oy = template.y0 + j;
    if (oy < BORDER || oy >= output.height - BORDER) continue;
    const cy = (j / STRIDE) | 0;
    for (let i = 0; i < tw; i++) {
      const ox = template.x0 + i;
      if (ox < BORDER || ox >= output.width - BORDER) continue;
      const k = j * tw + i;
      const w = Math.min(1, Math.max(0, ((weight[k] ?? 0) - 0.5) / 0.5));
      if (w === 0) continue;
      const o = oy * output.width + ox;
      const alpha = output.a[o] ?? 0;
      // Output colour is premultiplied: unpremultiply what is there, a hole is counted apart.
      const inv = alpha > 1e-3 ? 1 / alpha : 0;
      const ro = (output.r[o] ?? 0) * inv;
      const go = (output.g[o] ?? 0) * inv;
      const bo = (output.b[o] ?? 0) * inv;
      const rt = template.r[k] ?? 0;
      const gt = template.g[k] ?? 0;
      const bt = template.b[k] ?? 0;
      const yo = softOutput[k] ?? 0;
      const yt = (softProduct[k] ?? 0) / Math.max(1e-3, softAlpha[k] ?? 0);
      const c = (cy * cellsX + ((i / STRIDE) | 0)) * SUMS;
      cells[c + W]! += w;
      cells[c + X]! += w * i;
      cells[c + Y]! += w * j;
      cells[c + XX]! += w * i * i;
      cells[c + YY]! += w * j * j;
      cells[c + XY]! += w * i * j;
      cells[c + O]! += w * yo;
      cells[c + T]! += w * yt;
      cells[c + OO]! += w * yo * yo;
      cells[c + TT]! += w * yt * yt;
      cells[c + OT]! += w * yo * yt;
      cells[c + XO]! += w * i * yo;
      cells[c + YO]! += w * j * yo;
      cells[c + XT]! += w * i * yt;
      cells[c + YT]! += w * j * yt;
      cells[c + RO]! += w * ro;
      cells[c + GO]! += w * go;
      cells[c + BO]! += w * bo;
      cells[c + RT]! += w * rt;
      cells[c + GT]! += w * gt;
      cells[c + BT]! += w * bt;
      cells[c + HOLE]! += w * (1 - alpha);
    }
  }

  type Tile = { box: Box; sums: Float64Array };
  const tiles: Tile[] = [];
  const minWeight = TILE_COVERAGE * TILE * TILE;
  for (let ty = 0; ty <= Math.max(0, cellsY - 2); ty++) {
    for (let tx = 0; tx <= Math.max(0, cellsX - 2); tx++) {
      const sums = new Float64Array(SUMS);
      for (let dy = 0; dy < 2; dy++) {
        for (let dx = 0; dx < 2; dx++) {
          if (tx + dx >= cellsX || ty + dy >= cellsY) continue;
          const c = ((ty + dy) * cellsX + tx + dx) * SUMS;
          for (let s = 0; s < SUMS; s++) sums[s] = (sums[s] ?? 0) + (cells[c + s] ?? 0);
        }
      }
      if ((sums[W] ?? 0) < minWeight) continue;
      const x = grid.x0 + (template.x0 + tx * STRIDE) / grid.kx;
      const y = grid.y0 + (template.y0 + ty * STRIDE) / grid.ky;
      tiles.push({ box: { x, y, width: TILE / grid.kx, height: TILE / grid.ky }, sums });
    }
  }
  if (tiles.length === 0) return { similarity: 0, tiles: 0 };

  const means: TileMeans[] = tiles.map(({ sums }) => {
    const w = sums[W] ?? 1;
    return {
      weight: w,
      output: [(sums[RO] ?? 0) / w, (sums[GO] ?? 0) / w, (sums[BO] ?? 0) / w],
      product: [(sums[RT] ?? 0) / w, (sums[GT] ?? 0) / w, (sums[BT] ?? 0) / w],
    };
  });
  const fit = fitColour(means);
  const lumaGain = 0.299 * fit.gain[0] + 0.587 * fit.gain[1] + 0.114 * fit.gain[2];

  const gain = { min: LOCAL_GAIN.min * lumaGain, max: LOCAL_GAIN.max * lumaGain, fallback: lumaGain };
  const errors: TileError[] = tiles.map(({ box, sums }, index) => {
    const { residual, contrast } = lumaResidual(sums, gain);
    const lumaError = residual / (NOISE + 0.5 * contrast);
    const m = means[index]!;
    const angle = angleBetween(m.output, applyFit(fit, m.product));
    const hole = (sums[HOLE] ?? 0) / (sums[W] ?? 1);
    const badness = Math.max(lumaError / LIMITS.luma, angle / LIMITS.angleDegrees, hole / LIMITS.hole);
    return { box, luma: lumaError, angle, hole, badness };
  });
  const ranked = [...errors].sort((a, b) => b.badness - a.badness);
  const deciding = ranked[Math.min(DECIDING_RANK, ranked.length) - 1] ?? ranked[0];
  const badness = deciding?.badness ?? 0;
  return {
    similarity: Math.round(Math.max(0, Math.min(1, 1 - badness / 2)) * 1000) / 1000,
    tiles: errors.length,
    worst: ranked[0],
  };
}
