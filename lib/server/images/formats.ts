import "server-only";

import { fileTypeFromBuffer } from "file-type";

import { errors } from "../errors";

/**
 * Which uploaded files we decode: what Claid accepts and libvips reads safely. SVG (scripts, external
 * references) and every other type are refused by their magic bytes, whatever the file is called.
 */
export type AcceptedFormat = "png" | "jpeg" | "webp" | "avif" | "tiff" | "gif" | "heif";

const BY_MIME: Record<string, AcceptedFormat> = {
  "image/png": "png",
  "image/jpeg": "jpeg",
  "image/webp": "webp",
  "image/avif": "avif",
  "image/tiff": "tiff",
  "image/gif": "gif",
  "image/heic": "heif",
  "image/heif": "heif",
};

export const ACCEPTED_MIME_TYPES = [
  "image/png",
  "image/jpeg",
  "image/webp",
  "image/avif",
  "image/tiff",
  "image/gif",
];

export const imageErrors = {
  unsupported: (found: string) => errors.unsupportedImageType(found, ACCEPTED_MIME_TYPES),
  tooManyBytes: errors.imageTooLarge,
  tooManyPixels: errors.imageTooManyPixels,
  unreadable: errors.imageUnreadable,
};

function looksLikeMarkup(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 512))
    .toString("utf8")
    .replace(/^\uFEFF/, "")
    .trimStart();
  return head.startsWith("<");
}

/** The format the bytes really are (magic bytes), or a 415 naming what they look like instead. */
export async function sniffImageFormat(bytes: Uint8Array): Promise<{ format: AcceptedFormat; mime: string }> {
  const type = await fileTypeFromBuffer(bytes).catch(() => undefined);
  const format = type ? BY_MIME[type.mime] : undefined;
  if (type && format) return { format, mime: type.mime };
  if (type) throw imageErrors.unsupported(type.mime);
  throw imageErrors.unsupported(looksLikeMarkup(bytes) ? "SVG, HTML or XML text" : "not a recognised image");
}
