import "server-only";

import sharp from "sharp";

import type { ImagePlacement, Point, Size } from "@/lib/scene/placement";

import type { PlacedLayer } from "./scale-layer";
import { scaleLayer } from "./scale-layer";

/**
 * Draws the product into the frame exactly where `ImagePlacement` says (sub-pixel). An unrotated
 * placement, the usual one, is a plain scale (`scale-layer.ts`). A turned one uses libvips' affine
 * transform: libvips maps input pixel index x to output index M·(x + idx) + odx − (L, T), where (L, T) is
 * the rounded top-left of the transformed input rectangle; in pixel-edge coordinates (what the geometry
 * module uses) that adds ½ − M·½. We solve that for the offset that puts the anchor on the placement's
 * centre, and split it into a whole-pixel position and a fractional `odx/ody`.
 */
export type RawRgba = { pixels: Buffer; width: number; height: number };

export type { PlacedLayer };

/** Transparent pixels around the product so the fractional shift never pushes an edge out of the output. */
const MARGIN = 2;
/** Below this scale the product is first reduced with a proper filter; bilinear would alias. */
const PRESHRINK_BELOW = 0.75;

/** C's rint: halves go to the even neighbour, as libvips rounds its output area. */
function rint(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

function matrixOf(placement: ImagePlacement, sx: number, sy: number): [number, number, number, number] {
  const rad = (placement.rotation * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  return [cos * sx, -sin * sy, sin * sx, cos * sy];
}

/** The part of the image (image pixels) that can land in the frame, with a margin for interpolation. */
function visibleRegion(placement: ImagePlacement, image: Size, frame: Size) {
  const rad = (placement.rotation * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const toImage = (p: Point) => {
    const dx = p.x - placement.center.x;
    const dy = p.y - placement.center.y;
    return {
      x: placement.anchor.x + (dx * cos + dy * sin) / placement.scaleX,
      y: placement.anchor.y + (-dx * sin + dy * cos) / placement.scaleY,
    };
  };
  const corners = [
    toImage({ x: 0, y: 0 }),
    toImage({ x: frame.width, y: 0 }),
    toImage({ x: 0, y: frame.height }),
    toImage({ x: frame.width, y: frame.height }),
  ];
  const pad = 2 + 2 / Math.min(placement.scaleX, placement.scaleY);
  const x0 = Math.max(0, Math.floor(Math.min(...corners.map((c) => c.x)) - pad));
  const y0 = Math.max(0, Math.floor(Math.min(...corners.map((c) => c.y)) - pad));
  const x1 = Math.min(image.width, Math.ceil(Math.max(...corners.map((c) => c.x)) + pad));
  const y1 = Math.min(image.height, Math.ceil(Math.max(...corners.map((c) => c.y)) + pad));
  return x1 > x0 && y1 > y0 ? { left: x0, top: y0, width: x1 - x0, height: y1 - y0 } : undefined;
}

/** The source the placement draws from: the product, or its visible region reduced first. */
type Source = { raw: RawRgba; scaleX: number; scaleY: number; anchor: Point; region?: Region };
type Region = { left: number; top: number; width: number; height: number };

/** Reduced with a proper filter when the placement shrinks it a lot; bilinear alone would alias. */
async function sourceFor(product: RawRgba, placement: ImagePlacement, region: Region): Promise<Source> {
  const sx = placement.scaleX;
  const sy = placement.scaleY;
  if (sx >= PRESHRINK_BELOW && sy >= PRESHRINK_BELOW) {
    return { raw: product, scaleX: sx, scaleY: sy, anchor: placement.anchor };
  }
  const width = Math.max(1, Math.round(region.width * sx));
  const height = Math.max(1, Math.round(region.height * sy));
  const fx = width / region.width;
  const fy = height / region.height;
  const pixels = await sharp(product.pixels, {
    raw: { width: product.width, height: product.height, channels: 4 },
  })
    .extract(region)
    .resize(width, height, { fit: "fill", kernel: "lanczos3" })
    .raw()
    .toBuffer();
  return {
    raw: { pixels, width, height },
    scaleX: sx / fx,
    scaleY: sy / fy,
    anchor: { x: (placement.anchor.x - region.left) * fx, y: (placement.anchor.y - region.top) * fy },
    region,
  };
}

export async function placeProduct(
  product: RawRgba,
  placement: ImagePlacement,
  frame: Size,
): Promise<PlacedLayer | undefined> {
  if (!(placement.scaleX > 0 && placement.scaleY > 0)) return undefined;
  const region = visibleRegion(placement, product, frame);
  if (!region) return undefined;
  const source = await sourceFor(product, placement, region);
  if (placement.rotation === 0) {
    return scaleLayer(
      source.raw,
      {
        left: placement.center.x - source.scaleX * source.anchor.x,
        top: placement.center.y - source.scaleY * source.anchor.y,
        scaleX: source.scaleX,
        scaleY: source.scaleY,
      },
      frame,
    );
  }
  return rotatedLayer(placement, frame, source, region);
}

/** A turned placement, with libvips' affine transform (see the top of this file). */
async function rotatedLayer(
  placement: ImagePlacement,
  frame: Size,
  source: Source,
  region: Region,
): Promise<PlacedLayer | undefined> {
  const sx = source.scaleX;
  const sy = source.scaleY;
  const { raw } = source;
  const image = sharp(raw.pixels, { raw: { width: raw.width, height: raw.height, channels: 4 } });
  // A reduced source is its visible region already; the product itself is cut to it here.
  const visible = source.region ? image : image.extract(region);
  const inner = source.region ? raw : region;
  const offset = source.region ? { x: 0, y: 0 } : { x: region.left, y: region.top };
  const prepared = await visible
    .extend({
      top: MARGIN,
      bottom: MARGIN,
      left: MARGIN,
      right: MARGIN,
      background: { r: 0, g: 0, b: 0, alpha: 0 },
    })
    .raw()
    .toBuffer();
  const anchor = { x: source.anchor.x - offset.x + MARGIN, y: source.anchor.y - offset.y + MARGIN };
  const size = { width: inner.width + 2 * MARGIN, height: inner.height + 2 * MARGIN };

  const [a, b, c, d] = matrixOf(placement, sx, sy);
  const xs = [0, a * size.width, b * size.height, a * size.width + b * size.height];
  const ys = [0, c * size.width, d * size.height, c * size.width + d * size.height];
  const L = rint(Math.min(...xs));
  const T = rint(Math.min(...ys));
  const kx = placement.center.x - (a * anchor.x + b * anchor.y) - 0.5 + (a + b) * 0.5 + L;
  const ky = placement.center.y - (c * anchor.x + d * anchor.y) - 0.5 + (c + d) * 0.5 + T;
  const left = Math.floor(kx);
  const top = Math.floor(ky);

  const { data, info } = await sharp(prepared, { raw: { ...size, channels: 4 } })
    .affine(
      [
        [a, b],
        [c, d],
      ],
      { odx: kx - left, ody: ky - top, interpolator: "bilinear", background: { r: 0, g: 0, b: 0, alpha: 0 } },
    )
    .raw()
    .toBuffer({ resolveWithObject: true });

  const x0 = Math.max(0, left);
  const y0 = Math.max(0, top);
  const x1 = Math.min(frame.width, left + info.width);
  const y1 = Math.min(frame.height, top + info.height);
  if (x1 <= x0 || y1 <= y0) return undefined;
  if (x0 === left && y0 === top && x1 - x0 === info.width && y1 - y0 === info.height) {
    return { pixels: data, width: info.width, height: info.height, left, top };
  }
  const clipped = await sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } })
    .extract({ left: x0 - left, top: y0 - top, width: x1 - x0, height: y1 - y0 })
    .raw()
    .toBuffer();
  return { pixels: clipped, width: x1 - x0, height: y1 - y0, left: x0, top: y0 };
}
