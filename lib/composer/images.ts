import type { Engine } from "@/lib/scene/generation";
import { fileHref, STORED_IMAGE_PREFIX, storedImageUrl } from "@/lib/scene/image-ref";
import type { Box, Size } from "@/lib/scene/placement";

/** What the composer knows about an image it shows: the server's measurements when it uploaded it. */
export type ImageMeta = Size & {
  objectBox: Box;
  hasAlpha: boolean;
  format?: string;
  size?: number;
  /** Where the browser can fetch it (same origin for stored images, our copy of a remote one). */
  src: string;
  /** A cutout: the image it was cut from, and which engine cut it. */
  cutOutFrom?: { url: string; src: string; engine: Engine };
};

const FILES = fileHref("");

/**
 * The image as held on this server (`backdrop://files/…`), for requests that need our own copy: the
 * reference itself, or the copy a remote image was imported as. Undefined when there is none yet.
 */
export function heldImageUrl(url: string, meta: ImageMeta | undefined): string | undefined {
  if (url.startsWith(STORED_IMAGE_PREFIX)) return url;
  return meta?.src.startsWith(FILES) ? storedImageUrl(meta.src.slice(FILES.length)) : undefined;
}

/** An object box covering the whole image means no transparent margin to place the product by. */
export function lacksTransparency(meta: ImageMeta): boolean {
  const b = meta.objectBox;
  return !meta.hasAlpha || (b.x <= 0 && b.y <= 0 && b.width >= meta.width && b.height >= meta.height);
}

/** A size as a person reads it: "3 KB", "1.5 MB", "25 MB" (as the server's messages say it). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, "")} MB`;
}
