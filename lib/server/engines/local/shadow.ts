import "server-only";

import sharp from "sharp";

import type { Size } from "@/lib/scene/placement";

import type { GridSize, View } from "./backdrop";
import { GRID_STEP, gridSizeFor } from "./backdrop";
import type { PlacedLayer } from "./place";

/**
 * A soft shadow cast by the placed product, made from its alpha mask. Shadows are blurry, so they are
 * built on the backdrop's grid, four times coarser than the frame (small buffers, cheap blurs): studio
 * and plain backdrops are darkened cell by cell before they are enlarged, templates get a full-size
 * layer enlarged by libvips.
 * `front`: a dark contact shadow where the product meets the floor plus a faint drop shadow below and
 * behind it; `top`: a soft halo all around, slightly offset, as under an overhead light.
 */
const SHADOW_GRID = GRID_STEP;

/** Where the shadow is: a black layer whose alpha is `alpha`, to be put at `left`/`top` in the frame. */
export type ShadowMask = { alpha: Buffer; width: number; height: number; left: number; top: number };

type Grid = { data: Float32Array; width: number; height: number };

/**
 * The product's alpha on the shadow grid: the mean of each cell's pixels, read straight from the
 * placed layer (a few hundred thousand bytes), which costs less than handing it to libvips and back.
 */
function smallAlpha(layer: PlacedLayer, frame: Size): Grid {
  const { width, height } = gridSizeFor(frame);
  const data = new Float32Array(width * height);
  // Each layer column's grid column, once, rather than a division per pixel.
  const cellX = new Int32Array(layer.width);
  for (let x = 0; x < layer.width; x++) cellX[x] = Math.floor((layer.left + x) / SHADOW_GRID);
  const pixels = layer.pixels;
  for (let y = 0; y < layer.height; y++) {
    const gy = Math.floor((layer.top + y) / SHADOW_GRID);
    if (gy < 0 || gy >= height) continue;
    const row = gy * width;
    let src = y * layer.width * 4 + 3;
    for (let x = 0; x < layer.width; x++, src += 4) {
      const alpha = pixels[src]!;
      if (alpha === 0) continue;
      const gx = cellX[x]!;
      if (gx >= 0 && gx < width) data[row + gx] = (data[row + gx] ?? 0) + alpha;
    }
  }
  // A cell is as dark as the share of it the product covers (pixels outside the layer are clear).
  const perPixel = 1 / (SHADOW_GRID * SHADOW_GRID * 255);
  for (let i = 0; i < data.length; i++) data[i] = (data[i] ?? 0) * perPixel;
  return { data, width, height };
}

type CellBox = { x0: number; y0: number; x1: number; y1: number };

/** The cells darker than `above`, as a box (x1, y1 exclusive). */
function boundsOf(grid: Grid, above: number): CellBox | undefined {
  let x0 = grid.width;
  let y0 = grid.height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < grid.height; y++) {
    for (let x = 0; x < grid.width; x++) {
      if ((grid.data[y * grid.width + x] ?? 0) > above) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? undefined : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/** The box grown by `before` cells up and left and `after` down and right, inside the grid. */
function grown(box: CellBox, grid: GridSize, before: number, after: number): CellBox {
  return {
    x0: Math.max(0, box.x0 - before),
    y0: Math.max(0, box.y0 - before),
    x1: Math.min(grid.width, box.x1 + after),
    y1: Math.min(grid.height, box.y1 + after),
  };
}

/** The grid's cells inside `box` as bytes (0..1 → 0..255), row by row. */
function bytesIn(grid: Grid, box: CellBox): Buffer {
  const w = box.x1 - box.x0;
  const bytes = Buffer.alloc(w * (box.y1 - box.y0));
  for (let y = box.y0; y < box.y1; y++) {
    const row = y * grid.width;
    const at = (y - box.y0) * w - box.x0;
    for (let x = box.x0; x < box.x1; x++) bytes[at + x] = Math.round((grid.data[row + x] ?? 0) * 255);
  }
  return bytes;
}

/**
 * The grid blurred, over the part that is not clear plus the kernel's reach only: a shadow covers a
 * fraction of the frame, and libvips' cost is per pixel. The clear rest stays clear, as it would.
 */
async function blurred(grid: Grid, sigma: number): Promise<Float32Array> {
  if (sigma < 0.4) return grid.data;
  const bounds = boundsOf(grid, 0);
  if (!bounds) return grid.data;
  const reach = Math.ceil(3 * sigma) + 2;
  const box = grown(bounds, grid, reach, reach);
  const w = box.x1 - box.x0;
  const h = box.y1 - box.y0;
  const out = await sharp(bytesIn(grid, box), { raw: { width: w, height: h, channels: 1 } })
    .blur(sigma)
    .toColourspace("b-w")
    .raw()
    .toBuffer();
  const result = new Float32Array(grid.data.length);
  for (let y = 0; y < h; y++) {
    const row = (y + box.y0) * grid.width + box.x0;
    for (let x = 0; x < w; x++) result[row + x] = (out[y * w + x] ?? 0) / 255;
  }
  return result;
}

function shifted(grid: Grid, dx: number, dy: number): Grid {
  const data = new Float32Array(grid.data.length);
  for (let y = 0; y < grid.height; y++) {
    const sy = y - dy;
    if (sy < 0 || sy >= grid.height) continue;
    for (let x = 0; x < grid.width; x++) {
      const sx = x - dx;
      if (sx >= 0 && sx < grid.width) data[y * grid.width + x] = grid.data[sy * grid.width + sx] ?? 0;
    }
  }
  return { ...grid, data };
}

function ellipse(grid: Grid, cx: number, cy: number, rx: number, ry: number): Grid {
  const data = new Float32Array(grid.data.length);
  for (let y = Math.max(0, Math.floor(cy - ry)); y < Math.min(grid.height, Math.ceil(cy + ry + 1)); y++) {
    for (let x = Math.max(0, Math.floor(cx - rx)); x < Math.min(grid.width, Math.ceil(cx + rx + 1)); x++) {
      const u = (x + 0.5 - cx) / rx;
      const v = (y + 0.5 - cy) / ry;
      const d = u * u + v * v;
      if (d < 1) data[y * grid.width + x] = 1 - d;
    }
  }
  return { ...grid, data };
}

/** The shadow's darkness (0..1) per grid cell, or nothing when the product is not in the frame. */
export async function shadowCells(
  layer: PlacedLayer,
  frame: Size,
  view: View,
): Promise<Float32Array | undefined> {
  const grid = smallAlpha(layer, frame);
  const bounds = boundsOf(grid, 0.5);
  if (!bounds) return undefined;
  const objectWidth = bounds.x1 - bounds.x0;
  const objectHeight = bounds.y1 - bounds.y0;
  const size = Math.max(objectWidth, objectHeight);
  const combined = new Float32Array(grid.data.length);

  if (view === "front") {
    const drop = await blurred(
      shifted(grid, Math.round(objectWidth * 0.02), Math.max(1, Math.round(objectHeight * 0.025))),
      1 + size * 0.035,
    );
    const ry = Math.max(1, objectHeight * 0.05);
    const contactGrid = ellipse(
      grid,
      (bounds.x0 + bounds.x1) / 2,
      bounds.y1 - ry * 0.3,
      objectWidth * 0.46,
      ry,
    );
    const contact = await blurred(contactGrid, Math.max(0.6, ry * 0.6));
    for (let i = 0; i < combined.length; i++) {
      combined[i] = Math.min(1, 0.3 * (drop[i] ?? 0) + 0.6 * (contact[i] ?? 0));
    }
  } else {
    const halo = await blurred(shifted(grid, 0, Math.max(1, Math.round(size * 0.012))), 1 + size * 0.05);
    for (let i = 0; i < combined.length; i++) combined[i] = 0.42 * (halo[i] ?? 0);
  }
  return combined;
}

/** The shadow as a full-size alpha mask (for backdrops that are not made on the grid). */
export async function shadowMask(
  combined: Float32Array,
  grid: GridSize,
  frame: Size,
): Promise<ShadowMask | undefined> {
  // Only the part of the frame the shadow touches is enlarged and composited.
  const cells = { data: combined, width: grid.width, height: grid.height };
  const bounds = boundsOf(cells, 1 / 255);
  if (!bounds) return undefined;
  const { x0, y0, x1, y1 } = grown(bounds, grid, 1, 1);
  const sw = x1 - x0;
  const sh = y1 - y0;
  const small = bytesIn(cells, { x0, y0, x1, y1 });
  const left = x0 * SHADOW_GRID;
  const top = y0 * SHADOW_GRID;
  const width = Math.min(frame.width - left, sw * SHADOW_GRID);
  const height = Math.min(frame.height - top, sh * SHADOW_GRID);
  const alpha = await sharp(small, { raw: { width: sw, height: sh, channels: 1 } })
    .resize(sw * SHADOW_GRID, sh * SHADOW_GRID, { fit: "fill", kernel: "linear" })
    .extract({ left: 0, top: 0, width, height })
    .toColourspace("b-w")
    .raw()
    .toBuffer();
  return { alpha, width, height, left, top };
}

/** The shadow as a black RGBA layer at `opacity` (0..1) of its mask. */
export async function shadowLayer(mask: ShadowMask, opacity: number): Promise<Buffer> {
  const alpha =
    opacity === 1
      ? mask.alpha
      : await sharp(mask.alpha, { raw: { width: mask.width, height: mask.height, channels: 1 } })
          .linear(opacity, 0)
          .toColourspace("b-w")
          .raw()
          .toBuffer();
  return sharp({ create: { width: mask.width, height: mask.height, channels: 3, background: "#000000" } })
    .joinChannel(alpha, { raw: { width: mask.width, height: mask.height, channels: 1 } })
    .raw()
    .toBuffer();
}
