import "server-only";

import type { Box } from "@/lib/scene/placement";

import { objectBoxOfRaw } from "../images/object-box";
import type { Planes } from "./raster";
import { readProductRegion } from "./raster";
import type { ProductCutout } from "./types";

/**
 * The product reduced to an analysis resolution, premultiplied RGBA interleaved (one pixel's four
 * values side by side, as bilinear sampling reads them), with a transparent pixel all around. Raster
 * pixel i has its centre at product x = `x0 + (i + ½) / fx` (and likewise in y).
 */
export type ProductRaster = {
  rgba: Float32Array;
  width: number;
  height: number;
  x0: number;
  y0: number;
  fx: number;
  fy: number;
};

/**
 * A cutout ready to be compared with any number of outputs: its object box measured once, and its
 * reductions kept, since the outputs of one generation all need the same one.
 */
export type PreparedProduct = {
  pixels: Uint8Array;
  width: number;
  height: number;
  objectBox: Box;
  rasters: Map<string, Promise<ProductRaster>>;
};

/** Transparent pixels kept around the object box, so sampling near its edge blends into nothing. */
const MARGIN = 2;
const KEPT_RASTERS = 6;

export function isPreparedProduct(product: ProductCutout | PreparedProduct): product is PreparedProduct {
  return "rasters" in product;
}

/** Undefined when the pixels are not the RGBA image the size says. */
export async function prepareProduct(cutout: ProductCutout): Promise<PreparedProduct | undefined> {
  const { pixels, width, height } = cutout;
  if (!(width >= 1 && height >= 1) || pixels.byteLength !== width * height * 4) return undefined;
  const objectBox =
    cutout.objectBox ??
    (await objectBoxOfRaw(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength), {
      width,
      height,
      channels: 4,
    }));
  return { pixels, width, height, objectBox, rasters: new Map() };
}

/**
 * The product's object box (with a margin) at about `fx × fy` raster pixels per product pixel; never
 * enlarged (sampling interpolates instead), always reduced with a proper filter.
 */
export function productRaster(product: PreparedProduct, fx: number, fy: number): Promise<ProductRaster> {
  const box = product.objectBox;
  const x0 = Math.max(0, box.x - MARGIN);
  const y0 = Math.max(0, box.y - MARGIN);
  const x1 = Math.min(product.width, box.x + box.width + MARGIN);
  const y1 = Math.min(product.height, box.y + box.height + MARGIN);
  const region = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  const width = fx >= 1 ? region.width : Math.max(1, Math.round(region.width * fx));
  const height = fy >= 1 ? region.height : Math.max(1, Math.round(region.height * fy));
  const key = `${width}x${height}`;
  const known = product.rasters.get(key);
  if (known) return known;
  const made = readProductRegion(product.pixels, product, region, width, height).then((planes) => {
    const fx = width / region.width;
    const fy = height / region.height;
    // The added pixel row and column shift the origin by one raster pixel.
    return { ...padded(planes), x0: x0 - 1 / fx, y0: y0 - 1 / fy, fx, fy };
  });
  product.rasters.set(key, made);
  made.catch(() => product.rasters.delete(key));
  while (product.rasters.size > KEPT_RASTERS) {
    const oldest = product.rasters.keys().next().value;
    if (oldest === undefined) break;
    product.rasters.delete(oldest);
  }
  return made;
}

/** Planes to interleaved RGBA with one transparent pixel around. */
function padded(planes: Planes): { rgba: Float32Array; width: number; height: number } {
  const width = planes.width + 2;
  const height = planes.height + 2;
  const rgba = new Float32Array(width * height * 4);
  for (let y = 0; y < planes.height; y++) {
    for (let x = 0; x < planes.width; x++) {
      const k = y * planes.width + x;
      const o = ((y + 1) * width + x + 1) * 4;
      rgba[o] = planes.r[k] ?? 0;
      rgba[o + 1] = planes.g[k] ?? 0;
      rgba[o + 2] = planes.b[k] ?? 0;
      rgba[o + 3] = planes.a[k] ?? 0;
    }
  }
  return { rgba, width, height };
}

/**
 * Half the resolution: each pixel the mean of a 2 × 2 block (pixel centres stay where they were), and
 * again a transparent pixel around, so the origin moves by half a pixel of the finer raster.
 */
export function halveRaster(raster: ProductRaster): ProductRaster {
  const inner = Math.max(1, (raster.width - 2) >> 1);
  const innerHeight = Math.max(1, (raster.height - 2) >> 1);
  const width = inner + 2;
  const height = innerHeight + 2;
  const rgba = new Float32Array(width * height * 4);
  const src = raster.rgba;
  const sw = raster.width;
  for (let y = 0; y < innerHeight; y++) {
    // Fine raster rows 1 + 2y and 2 + 2y (row 0 is the transparent border).
    const r0 = (1 + 2 * y) * sw;
    const r1 = Math.min(raster.height - 1, 2 + 2 * y) * sw;
    for (let x = 0; x < inner; x++) {
      const c0 = 1 + 2 * x;
      const c1 = Math.min(sw - 1, 2 + 2 * x);
      const o = ((y + 1) * width + x + 1) * 4;
      for (let c = 0; c < 4; c++) {
        rgba[o + c] =
          ((src[(r0 + c0) * 4 + c] ?? 0) +
            (src[(r0 + c1) * 4 + c] ?? 0) +
            (src[(r1 + c0) * 4 + c] ?? 0) +
            (src[(r1 + c1) * 4 + c] ?? 0)) /
          4;
      }
    }
  }
  const fx = raster.fx / 2;
  const fy = raster.fy / 2;
  // Fine pixel 1 starts at product x0 + 1/fx; the coarse one does too, after its own border pixel.
  return {
    rgba,
    width,
    height,
    x0: raster.x0 + 1 / raster.fx - 1 / fx,
    y0: raster.y0 + 1 / raster.fy - 1 / fy,
    fx,
    fy,
  };
}
