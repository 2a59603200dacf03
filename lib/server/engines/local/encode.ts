import "server-only";

import type { Sharp } from "sharp";

import type { FormatName, OutputFormat } from "@/lib/scene/contract";

/**
 * Output formats with every option of the contract and its documented defaults: png compression
 * `optimal`; jpeg quality 85, progressive; webp lossy 75; avif lossy 50; tiff (lossless LZW).
 */
export type Encoding =
  | { format: "png"; compression: "fast" | "optimal" | "best" }
  | { format: "jpeg"; quality: number; progressive: boolean }
  | { format: "webp" | "avif"; lossless: boolean; quality: number }
  | { format: "tiff" };

export const DEFAULT_QUALITY = { jpeg: 85, webp: 75, avif: 50 } as const;

type Compression = "lossy" | "lossless" | { type: "lossy"; quality?: number } | { type: "lossless" };

function lossyOrLossless(format: "webp" | "avif", compression: Compression | undefined): Encoding {
  const quality = DEFAULT_QUALITY[format];
  if (compression === undefined || compression === "lossy") return { format, lossless: false, quality };
  if (compression === "lossless") return { format, lossless: true, quality };
  if (compression.type === "lossless") return { format, lossless: true, quality };
  return { format, lossless: false, quality: compression.quality ?? quality };
}

export function encodingOf(format: OutputFormat | undefined): Encoding {
  const spec = format ?? "png";
  if (typeof spec === "string") {
    switch (spec) {
      case "png":
        return { format: "png", compression: "optimal" };
      case "jpeg":
        return { format: "jpeg", quality: DEFAULT_QUALITY.jpeg, progressive: true };
      case "webp":
      case "avif":
        return lossyOrLossless(spec, undefined);
      case "tiff":
        return { format: "tiff" };
    }
  }
  switch (spec.type) {
    case "png":
      return { format: "png", compression: spec.compression ?? "optimal" };
    case "jpeg":
      return {
        format: "jpeg",
        quality: spec.quality ?? DEFAULT_QUALITY.jpeg,
        progressive: spec.progressive ?? true,
      };
    case "webp":
    case "avif":
      return lossyOrLossless(spec.type, spec.compression);
  }
}

/** zlib levels behind the contract's efforts; `best` also tries every row filter. */
const PNG_EFFORT = {
  fast: { compressionLevel: 1, adaptiveFiltering: false },
  optimal: { compressionLevel: 6, adaptiveFiltering: false },
  best: { compressionLevel: 9, adaptiveFiltering: true },
} as const;

/**
 * AVIF effort stays low: at libaom's default a 1-megapixel draft takes seconds on two cores, and drafts
 * are about composition, not the last byte.
 */
const AVIF_EFFORT = 1;

export function applyEncoding(image: Sharp, encoding: Encoding): Sharp {
  switch (encoding.format) {
    case "png":
      return image.png(PNG_EFFORT[encoding.compression]);
    case "jpeg":
      return image.jpeg({ quality: encoding.quality, progressive: encoding.progressive });
    case "webp":
      return encoding.lossless
        ? image.webp({ lossless: true, effort: 2 })
        : image.webp({ quality: encoding.quality, effort: 2 });
    case "avif":
      return encoding.lossless
        ? image.avif({ lossless: true, effort: AVIF_EFFORT })
        : image.avif({ quality: encoding.quality, effort: AVIF_EFFORT });
    case "tiff":
      return image.tiff({ compression: "lzw", predictor: "horizontal" });
  }
}

export const FORMAT_INFO: Record<FormatName, { ext: string; mime: string; format: string }> = {
  png: { ext: "png", mime: "image/png", format: "PNG" },
  jpeg: { ext: "jpg", mime: "image/jpeg", format: "JPEG" },
  webp: { ext: "webp", mime: "image/webp", format: "WEBP" },
  avif: { ext: "avif", mime: "image/avif", format: "AVIF" },
  tiff: { ext: "tiff", mime: "image/tiff", format: "TIFF" },
};

export { FORMATS_WITH_ALPHA } from "@/lib/scene/rules";

export function megapixels(width: number, height: number): number {
  return Math.round(width * height) / 1e6;
}
