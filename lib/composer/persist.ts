/**
 * The composer survives a reload: its document, the image measurements it needs to draw, the engine
 * and the generations started from it, in local storage. Reading it back, with its checks, is in
 * restore.ts, which loads after the first paint.
 */
import type { ImageCache } from "./frame";
import type { ComposerState } from "./reducer";

export const STORAGE_KEY = "backdrop.composer.v1";

export function serialize(state: ComposerState): string {
  const doc = state.history.present;
  // Keep only the measurements the document still refers to.
  const wanted = new Set([doc.imageUrl, doc.scene.template_url]);
  const images: ImageCache = Object.fromEntries(
    Object.entries(state.images).filter(([url]) => wanted.has(url)),
  );
  return JSON.stringify({ version: 1, doc, images, engine: state.engine, generations: state.generations });
}
