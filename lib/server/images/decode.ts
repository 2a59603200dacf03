import "server-only";

import sharp, { type Metadata, type Sharp } from "sharp";

import { isApiError } from "../errors";
import type { AcceptedFormat } from "./formats";
import { imageErrors, sniffImageFormat } from "./formats";

export type ImageLimits = { maxBytes: number; maxPixels: number };

export type CheckedImage = {
  format: AcceptedFormat;
  mime: string;
  /** As stored in the file (before auto-orientation). */
  width: number;
  height: number;
  /** After auto-orientation: what everybody sees. */
  orientedWidth: number;
  orientedHeight: number;
  hasAlpha: boolean;
};

/**
 * Everything we know about untrusted bytes before decoding a single pixel: the real type (magic bytes),
 * the byte limit and the pixel limit from the header, so a decompression bomb is refused from its
 * header (a 100-megapixel PNG of a few kilobytes never gets decoded).
 */
export async function checkUntrustedImage(bytes: Uint8Array, limits: ImageLimits): Promise<CheckedImage> {
  if (bytes.byteLength > limits.maxBytes) throw imageErrors.tooManyBytes(limits.maxBytes);
  const sniffed = await sniffImageFormat(bytes);
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    if (sniffed.format === "heif")
      throw imageErrors.unsupported(`${sniffed.mime} (not readable by this server)`);
    throw imageErrors.unreadable(error instanceof Error ? error.message : "bad header");
  }
  // libheif here decodes AV1 only: an HEVC-coded HEIC (what phones write) is a type we cannot take.
  if (sniffed.format === "heif" && metadata.compression !== "av1") {
    throw imageErrors.unsupported(
      `${sniffed.mime} (${metadata.compression ?? "unknown"} coding is not readable by this server)`,
    );
  }
  const width = metadata.width ?? 0;
  const height =
    metadata.pageHeight && metadata.pages && metadata.pages > 1
      ? metadata.pageHeight
      : (metadata.height ?? 0);
  if (width < 1 || height < 1) throw imageErrors.unreadable("it has no pixels");
  if (width * height > limits.maxPixels) throw imageErrors.tooManyPixels(width, height, limits.maxPixels);
  const swapped = (metadata.orientation ?? 1) >= 5;
  return {
    format: sniffed.format,
    mime: sniffed.mime,
    width,
    height,
    orientedWidth: swapped ? height : width,
    orientedHeight: swapped ? width : height,
    hasAlpha: metadata.hasAlpha === true,
  };
}

/**
 * A decoder for checked bytes: first frame only, pixel limit enforced again by libvips itself, read
 * in one top-to-bottom pass so a pipeline that streams (decode, re-encode) holds strips, not the image.
 */
export function decoderFor(bytes: Uint8Array, limits: ImageLimits): Sharp {
  return sharp(bytes, {
    limitInputPixels: limits.maxPixels,
    failOn: "error",
    pages: 1,
    sequentialRead: true,
  }).autoOrient();
}

/** Runs a decode, turning libvips' complaints (truncated, corrupt) into a 422. */
export async function decodeOr422<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isApiError(error)) throw error;
    throw imageErrors.unreadable(
      error instanceof Error ? (error.message.split("\n")[0] ?? "corrupt") : "corrupt",
    );
  }
}

export type DecodedImage = CheckedImage & { pixels: Buffer; channels: 4 };

/** Checked, decoded, oriented RGBA pixels of untrusted bytes. */
export async function decodeUntrustedImage(bytes: Uint8Array, limits: ImageLimits): Promise<DecodedImage> {
  const checked = await checkUntrustedImage(bytes, limits);
  const { data, info } = await decodeOr422(() =>
    decoderFor(bytes, limits).ensureAlpha().raw().toBuffer({ resolveWithObject: true }),
  );
  return { ...checked, orientedWidth: info.width, orientedHeight: info.height, pixels: data, channels: 4 };
}
