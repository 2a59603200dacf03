import "server-only";

import type { SceneCreateRequest } from "@/lib/scene/contract";
import type { Box, Size } from "@/lib/scene/placement";
import { placedBounds, toFrame, visiblePlacedBounds } from "@/lib/scene/placement";

import type { AlignLevel } from "./align";
import { align, SCALE_RANGE } from "./align";
import { yuvOf } from "./colour";
import { compare } from "./compare";
import { expectedPlacement } from "./expected";
import type { PreparedProduct, ProductRaster } from "./product";
import { halveRaster, isPreparedProduct, prepareProduct, productRaster } from "./product";
import type { Decodable, Planes } from "./raster";
import { halve, readRegion, sizeOf } from "./raster";
import type { Grid, Scene, Template } from "./template";
import { renderTemplate } from "./template";
import type { IntegrityResult, ProductCutout, RawImage } from "./types";
import { unknownResult } from "./types";

export { expectedPlacement } from "./expected";
export { locatedProductBox } from "./located";
export { prepareProduct } from "./product";
export type { PreparedProduct } from "./product";
export type * from "./types";
export { unknownResult } from "./types";

/**
 * The product-integrity check. The request says where the product must be in every output and the
 * cutout says what it must look like; this finds the product near there (shift and scale, coarse to
 * fine, on the product's box only, at a reduced resolution) and compares it tile by tile with the
 * cutout drawn at that pose. Pure: it reads pixels and calls no engine.
 */
export type IntegrityInput = {
  request: SceneCreateRequest;
  /** The output as stored (any format libvips reads) or decoded. */
  output: Buffer | RawImage;
  /** The request's product, decoded; prepare it once with `prepareProduct` to check many outputs. */
  product: ProductCutout | PreparedProduct;
  /** The frame the request was rendered at, when known (a template scene's comes from its template). */
  frame?: Size;
};

/** The product's box is analysed at about this many pixels on its longer side. */
const ANALYSIS_SIDE = 112;
/** The search reaches this far from the expected position, as a share of the output's longer side. */
export const SEARCH_REACH = 0.07;
/** The coarsest level is searched exhaustively; it is made coarse enough for the reach to be this many pixels. */
const COARSE_REACH_PX = 5;
const COARSE_MIN_SIDE = 12;
/**
 * Blended edges: this much of the product's rim (output pixels, and at least `MIN_RIM` analysis
 * pixels) is not compared, since an edge blended into the background is not the product.
 */
const RIM_PX = 3;
const MIN_RIM = 2;
/** Verdicts. */
export const SIMILARITY_MIN = 0.5;
export const MOVE_LIMIT = 0.015;
export const SCALE_LIMIT = 0.05;
const MIN_VISIBLE_SHARE = 0.25;
const MIN_PRODUCT_SIDE_PX = 24;
const MIN_TILES = 4;

function rawIsConsistent(image: Decodable): boolean {
  if (Buffer.isBuffer(image)) return true;
  const { width, height, channels, pixels } = image;
  return width >= 1 && height >= 1 && pixels.byteLength === width * height * channels;
}

function levelsOf(
  fine: Planes,
  raster: ProductRaster,
  grid: Grid,
  reach: number,
  side: number,
): AlignLevel[] {
  const levels: AlignLevel[] = [{ grid, output: yuvOf(fine), raster }];
  let planes = fine;
  let level = { grid, raster };
  while (reach * level.grid.kx > COARSE_REACH_PX && side * level.grid.kx >= 2 * COARSE_MIN_SIDE) {
    planes = halve(planes);
    level = {
      grid: {
        x0: grid.x0,
        y0: grid.y0,
        kx: level.grid.kx / 2,
        ky: level.grid.ky / 2,
        width: planes.width,
        height: planes.height,
      },
      raster: halveRaster(level.raster),
    };
    levels.push({ ...level, output: yuvOf(planes) });
  }
  return levels;
}

/**
 * The analysis grid: the output reduced so the product's longer side is about `ANALYSIS_SIDE` pixels
 * (never enlarged), and the window of it around where the product must be, with room for the furthest
 * shift and the largest scale the search tries. Reducing the whole output first lets libvips decode a
 * JPEG or WebP at a fraction of its size.
 */
function analysisGrid(frame: Size, visible: Box, side: number, reach: number) {
  const k = Math.min(1, ANALYSIS_SIDE / side);
  const reduced = {
    width: Math.max(1, Math.round(frame.width * k)),
    height: Math.max(1, Math.round(frame.height * k)),
  };
  const kx = reduced.width / frame.width;
  const ky = reduced.height / frame.height;
  const margin = reach + ((SCALE_RANGE.max - 1) / 2) * side + 2 / k;
  const x0 = Math.max(0, Math.floor((visible.x - margin) * kx));
  const y0 = Math.max(0, Math.floor((visible.y - margin) * ky));
  const x1 = Math.min(reduced.width, Math.ceil((visible.x + visible.width + margin) * kx));
  const y1 = Math.min(reduced.height, Math.ceil((visible.y + visible.height + margin) * ky));
  const window = { x: x0, y: y0, width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) };
  const grid: Grid = { x0: x0 / kx, y0: y0 / ky, kx, ky, width: window.width, height: window.height };
  return { reduced, window, grid };
}

/** The share of the product's drawing (by alpha) that lies on the grid, that is inside the frame. */
function shareOnGrid(drawing: Template, grid: Grid): number {
  let total = 0;
  let inside = 0;
  for (let j = 0; j < drawing.height; j++) {
    const gy = drawing.y0 + j;
    for (let i = 0; i < drawing.width; i++) {
      const a = drawing.a[j * drawing.width + i] ?? 0;
      total += a;
      const gx = drawing.x0 + i;
      if (gx >= 0 && gy >= 0 && gx < grid.width && gy < grid.height) inside += a;
    }
  }
  return total > 0 ? inside / total : 0;
}

const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;

export async function checkIntegrity(input: IntegrityInput): Promise<IntegrityResult> {
  const product = isPreparedProduct(input.product) ? input.product : await prepareProduct(input.product);
  if (!product) {
    return unknownResult("product_unreadable", "The product cutout's pixels do not match its size");
  }
  const unreadable = unknownResult("output_unreadable", "The output could not be read as an image");
  if (!rawIsConsistent(input.output)) return unreadable;
  let size: Size;
  try {
    size = await sizeOf(input.output);
  } catch {
    return unreadable;
  }
  if (!(size.width >= 1 && size.height >= 1)) return unreadable;

  const expected = expectedPlacement(input.request, product, size, input.frame);
  if (!expected.ok) return expected.unknown;
  const { frame, placement } = expected;
  const box = product.objectBox;
  const bounds = placedBounds(placement, box);
  const visible = visiblePlacedBounds(placement, box, frame);
  if (!visible) {
    return unknownResult("product_outside_frame", "The request puts the product outside the frame");
  }
  if (Math.min(bounds.width, bounds.height) < MIN_PRODUCT_SIDE_PX) {
    return unknownResult("product_too_small", "The product is too small in the output to be judged");
  }
  const side = Math.max(bounds.width, bounds.height);
  const reach = SEARCH_REACH * Math.max(frame.width, frame.height);
  const { reduced, window, grid } = analysisGrid(frame, visible, side, reach);

  let fine: Planes;
  try {
    fine = await readRegion(input.output, size, reduced, window);
  } catch {
    return unreadable;
  }
  const raster = await productRaster(product, grid.kx * placement.scaleX, grid.ky * placement.scaleY);
  const scene: Scene = {
    placement,
    pivot: toFrame(placement, { x: box.x + box.width / 2, y: box.y + box.height / 2 }),
    objectBox: box,
  };
  const share = shareOnGrid(renderTemplate(grid, raster, scene, { s: 1, dx: 0, dy: 0 }), grid);
  if (share < MIN_VISIBLE_SHARE) {
    return unknownResult(
      "product_outside_frame",
      `Only ${Math.round(share * 100)} % of the product is inside the frame: too little to judge`,
    );
  }

  const levels = levelsOf(fine, raster, grid, reach, side);
  const { pose } = align(levels, scene, reach, 0.7 * share);
  const drawn = renderTemplate(grid, raster, scene, pose);
  const comparison = compare(fine, drawn, grid, Math.max(MIN_RIM, Math.round(RIM_PX * grid.kx)));
  if (comparison.tiles < MIN_TILES) {
    return unknownResult("product_too_small", "Too little of the product is visible to be judged");
  }

  const moved =
    Math.hypot(pose.dx, pose.dy) > MOVE_LIMIT * Math.max(frame.width, frame.height) ||
    Math.abs(Math.log(pose.s)) > Math.log(1 + SCALE_LIMIT);
  const verdict = comparison.similarity < SIMILARITY_MIN ? "altered" : moved ? "moved" : "intact";
  const worst = comparison.worst?.box;
  return {
    verdict,
    similarity: comparison.similarity,
    offset_px: round(Math.hypot(pose.dx, pose.dy), 1),
    offset: { x: round(pose.dx, 1), y: round(pose.dy, 1) },
    scale_ratio: round(pose.s, 3),
    ...(worst && verdict === "altered"
      ? {
          worst_region: {
            x: Math.round(worst.x),
            y: Math.round(worst.y),
            width: Math.round(worst.width),
            height: Math.round(worst.height),
          },
        }
      : {}),
  };
}
