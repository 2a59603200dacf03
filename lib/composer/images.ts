import type { Box, Size } from "@/lib/scene/placement";

/** What the composer knows about an image it shows: the server's measurements when it uploaded it. */
export type ImageMeta = Size & {
  objectBox: Box;
  hasAlpha: boolean;
  format?: string;
  size?: number;
  /** Where the browser can fetch it (same origin for stored images). */
  src: string;
};

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
