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

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
