import "server-only";

import sharp from "sharp";

import { checkUntrustedImage, decodeOr422, decodeUntrustedImage } from "../../../images/decode";
import { judgeBorder } from "./border-model";
import { composeMatte } from "./matte";
import { borderNoise } from "./noise";
import { segment } from "./segment";
import type { CutoutOptions, CutoutResult, Rgb, RgbaImage, RgbRaster } from "./types";

export type { CutoutOptions, CutoutResult, RgbaImage, Rgb } from "./types";

/**
 * Local background removal for product photos on white, light grey or a plain colour (gradients,
 * vignettes, JPEG grain and soft contact shadows included). Deterministic and offline: libvips for
 * decoding and resizing, plain TypeScript over pixel buffers for the rest.
 *
 * 1. The background is modelled from the image's border as a colour with a smooth spatial variation
 *    (`border-model.ts`, `surface.ts`); a border that does not fit such a model — a room, a street, a
 *    texture — is a busy background and is refused.
 * 2. At a working resolution of at most half a megapixel, the model is refitted over the background a
 *    quick first pass finds (`refined-surface.ts`), and background is grown from the border
 *    (`background-region.ts`): over pixels of the model's colour, and into shaded pixels (shadows) only
 *    while they get darker, never across a sharp edge (`gradient.ts`). Parts of the background's
 *    colour that the border does not reach (a white label), or that reach it only as a small region
 *    on one side (a white cap cut by the top of the photo), stay product.
 * 3. In a band around the outline, alpha is estimated at full resolution from the local product and
 *    background colours, and the colours of partly transparent pixels are decontaminated
 *    (`segment.ts`, `colour-fields.ts`, `matte.ts`).
 *
 * Soft contact shadows are background: they are removed, not kept as a semi-transparent shadow (the
 * draft engine draws its own shadow under a placed cutout). Where a shadow is at its darkest right
 * under the product a thin band of it can remain. Holes through the product that show the background
 * (the inside of a handle) are kept, like a white label: from colour alone the two are the same.
 */

export const DEFAULT_MAX_PIXELS = 50_000_000;
/** The mask is computed at no more than this many pixels; the matte then follows the full image. */
export const WORKING_PIXELS = 500_000;
/** Side of the thumbnail `plainBorder` judges. */
const THUMBNAIL_SIDE = 512;
/** Smaller images have no border to learn a background from. */
const MIN_SIDE = 8;
/** Less product than this share of the image is taken as no product at all. */
const MIN_PRODUCT_SHARE = 0.0005;

function hasTransparency(rgba: Uint8Array): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return true;
  return false;
}

function rgbOf(rgba: Uint8Array, pixels: number): Uint8Array {
  const rgb = new Uint8Array(pixels * 3);
  for (let i = 0, o = 0; i < pixels; i++, o += 4) {
    rgb[i * 3] = rgba[o]!;
    rgb[i * 3 + 1] = rgba[o + 1]!;
    rgb[i * 3 + 2] = rgba[o + 2]!;
  }
  return rgb;
}

/** The image at working resolution, slightly smoothed so grain does not decide anything. */
async function workingRaster(rgba: Buffer, width: number, height: number): Promise<RgbRaster> {
  const scale = Math.min(1, Math.sqrt(WORKING_PIXELS / (width * height)));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  let pipeline = sharp(rgba, { raw: { width, height, channels: 4 } }).removeAlpha();
  if (w !== width || h !== height) pipeline = pipeline.resize(w, h, { fit: "fill", kernel: "linear" });
  const data = await pipeline.blur(0.8).raw().toBuffer();
  return { data, width: w, height: h };
}

function confidenceOf(explained: number, contrasts: number[]): number {
  if (!contrasts.length) return 0;
  contrasts.sort((a, b) => a - b);
  const outline = Math.min(1, contrasts[contrasts.length >> 1]! / 64);
  return Math.round(Math.min(1, explained) * outline * 100) / 100;
}

/**
 * Removes a plain background. The result is the product on transparency (raw RGBA at the image's own
 * size, auto-oriented), a refusal in plain words, or the image unchanged when it already has
 * transparency. Unreadable or oversized images throw the intake's `ApiError`s (415, 422, 413).
 */
export async function removeBackground(image: Buffer, options: CutoutOptions = {}): Promise<CutoutResult> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const decoded = await decodeUntrustedImage(image, { maxBytes: Number.POSITIVE_INFINITY, maxPixels });
  const width = decoded.orientedWidth;
  const height = decoded.orientedHeight;
  const rgba = decoded.pixels;
  if (decoded.hasAlpha && hasTransparency(rgba)) {
    return {
      kind: "unchanged",
      image: { data: rgba, width, height },
      reason: "The image already has a transparent background, so it is kept as it is.",
    };
  }

  if (Math.min(width, height) < MIN_SIDE) {
    return { kind: "empty", reason: "The image is too small to find a product in." };
  }
  const work = await workingRaster(rgba, width, height);
  const border = judgeBorder(work);
  if (!border.plain)
    return { kind: "busy", reason: border.reason ?? "The background is not a plain colour." };

  const seg = segment(work, border);
  if (seg.productShare < MIN_PRODUCT_SHARE) {
    return { kind: "empty", reason: "No product stands out from the background." };
  }

  const contrasts: number[] = [];
  for (let i = 0; i < seg.distance.length; i += 3) {
    if (seg.distance[i] !== 0 || seg.known[i] !== 3) continue;
    contrasts.push(
      Math.hypot(
        seg.foreground[i * 3]! - seg.behind[i * 3]!,
        seg.foreground[i * 3 + 1]! - seg.behind[i * 3 + 1]!,
        seg.foreground[i * 3 + 2]! - seg.behind[i * 3 + 2]!,
      ),
    );
  }
  composeMatte(rgba, width, height, seg, borderNoise(rgba, width, height));
  return {
    kind: "cutout",
    image: { data: rgba, width, height },
    background: border.colour,
    confidence: confidenceOf(border.explained, contrasts),
  };
}

/** A cutout (or any RGBA image) as a PNG. */
export function cutoutPng(image: RgbaImage): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
    .png({ compressionLevel: 6 })
    .toBuffer();
}

/**
 * The cheap check behind "Remove background": whether the image has transparency already, and whether
 * its border is one plain colour (or a smooth gradient of one), judged on a small thumbnail. The local
 * cutout can still refuse an image this calls plain (fine texture shows only at full size).
 */
export async function plainBorder(
  image: Buffer,
  options: CutoutOptions = {},
): Promise<{ plain: boolean; color?: Rgb; hasAlpha: boolean }> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const checked = await checkUntrustedImage(image, { maxBytes: Number.POSITIVE_INFINITY, maxPixels });
  const { data, info } = await decodeOr422(() =>
    sharp(image, { limitInputPixels: maxPixels, failOn: "error", pages: 1 })
      .autoOrient()
      .resize(THUMBNAIL_SIDE, THUMBNAIL_SIDE, { fit: "inside", withoutEnlargement: true, kernel: "linear" })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true }),
  );
  const hasAlpha = checked.hasAlpha && hasTransparency(data);
  const pixels = info.width * info.height;
  const raster = { data: rgbOf(data, pixels), width: info.width, height: info.height };
  if (hasAlpha) {
    // What shows where the image is transparent is undefined; judge it as it would look on white.
    for (let i = 0; i < pixels; i++) {
      const a = data[i * 4 + 3]! / 255;
      for (let c = 0; c < 3; c++)
        raster.data[i * 3 + c] = Math.round(raster.data[i * 3 + c]! * a + 255 * (1 - a));
    }
  }
  const verdict = judgeBorder(raster);
  return verdict.plain ? { plain: true, color: verdict.colour, hasAlpha } : { plain: false, hasAlpha };
}
