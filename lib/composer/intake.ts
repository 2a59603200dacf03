/**
 * What the browser can tell about a file before uploading it, said plainly: that it is not an image
 * the server reads, or that it is larger than the server takes (its limit comes from the server's
 * configuration, given to the page). The server checks again; this only spares a wait for a refusal.
 */
import { formatBytes } from "./images";

/** The image types the server decodes (by their magic bytes; the browser's guess by name is enough here). */
export const UPLOAD_TYPES = [
  "image/png",
  "image/jpeg",
  "image/webp",
  "image/avif",
  "image/tiff",
  "image/gif",
  "image/heic",
  "image/heif",
] as const;

/** The formats a person is told about; GIF and HEIC are read too, but are not what cutouts come in. */
export const UPLOAD_FORMATS_IN_WORDS = "PNG, JPEG, WebP, AVIF or TIFF";

export type FileFacts = { name: string; size: number; type: string };

const shortName = (name: string) => (name.length > 60 ? `${name.slice(0, 57)}…` : name);

/** Why this file cannot be used, in a sentence, or nothing when it may be uploaded. */
export function uploadProblem(file: FileFacts, maxBytes: number | undefined): string | undefined {
  const name = shortName(file.name || "This file");
  // An empty type is a browser that could not guess (HEIC on some systems): the server decides.
  if (file.type !== "" && !(UPLOAD_TYPES as readonly string[]).includes(file.type)) {
    return file.type.startsWith("image/")
      ? `“${name}” is a kind of image Backdrop cannot use. Use a ${UPLOAD_FORMATS_IN_WORDS} file.`
      : `“${name}” is not an image. Use a ${UPLOAD_FORMATS_IN_WORDS} file.`;
  }
  if (maxBytes !== undefined && file.size > maxBytes) {
    const limit = formatBytes(maxBytes);
    let size = formatBytes(file.size);
    // Just over the limit would read "25 MB; at most 25 MB".
    if (size === limit) size = `${(file.size / 1024 / 1024).toFixed(2)} MB`;
    return `“${name}” is ${size}; images can be at most ${limit}.`;
  }
  return undefined;
}
