import "server-only";

const MIME_BY_EXT = new Map<string, string>([
  ["png", "image/png"],
  ["jpg", "image/jpeg"],
  ["jpeg", "image/jpeg"],
  ["webp", "image/webp"],
  ["avif", "image/avif"],
  ["tif", "image/tiff"],
  ["tiff", "image/tiff"],
  ["gif", "image/gif"],
  ["bmp", "image/bmp"],
  ["heic", "image/heic"],
  ["heif", "image/heif"],
]);

/** The media type of a stored file's extension (set from its sniffed bytes when it was stored). */
export function mimeOfExt(ext: string): string {
  return MIME_BY_EXT.get(ext.toLowerCase()) ?? "application/octet-stream";
}
