/**
 * The backdrop preview: the local engine's backdrop for a scene, without the product, small, for the
 * composer to draw behind the product while it is composed (see `preview.ts` for its schema). The link
 * carries everything the picture depends on, so the same scene is the same URL, cached like a file.
 *
 *   GET /api/previews/backdrop?scene=<scene JSON>&width=<frame width>&height=<frame height> → image/webp
 *
 * Zod-free: the canvas builds links without loading the validator.
 */
export const BACKDROP_PREVIEW_PATH = "/api/previews/backdrop";

/** The preview's longest side in pixels: a draft of a draft, enough behind a product being placed. */
export const PREVIEW_LONGEST_SIDE = 512;

/** The largest frame side a preview is asked for (the engine's frames are about 1 megapixel). */
export const PREVIEW_MAX_FRAME_SIDE = 16384;

export function backdropPreviewHref(scene: unknown, frame: { width: number; height: number }): string {
  const query = new URLSearchParams({
    scene: JSON.stringify(scene),
    width: String(Math.round(frame.width)),
    height: String(Math.round(frame.height)),
  });
  return `${BACKDROP_PREVIEW_PATH}?${query.toString()}`;
}

/** The preview's own size: the frame's shape, at most PREVIEW_LONGEST_SIDE on its longest side. */
export function previewSizeFor(frame: { width: number; height: number }): { width: number; height: number } {
  const k = Math.min(1, PREVIEW_LONGEST_SIDE / Math.max(frame.width, frame.height));
  return {
    width: Math.max(1, Math.round(frame.width * k)),
    height: Math.max(1, Math.round(frame.height * k)),
  };
}
