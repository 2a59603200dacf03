/** The canvas viewport: where the frame sits on screen and at what zoom (screen px per frame px). */
import type { Box, Point, Size } from "@/lib/scene/placement";

export type View = { zoom: number; x: number; y: number };

export const MIN_ZOOM = 0.02;
export const MAX_ZOOM = 8;
/** Room around what is fitted, in screen px: the rotation handle sits 24 px above the selection. */
export const FIT_MARGIN = 32;

const clampZoom = (zoom: number) => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));

/** A box (frame px) centred in the container with a margin around it. */
export function fitBox(container: Size, box: Box, margin = FIT_MARGIN): View {
  const zoom = clampZoom(
    Math.min((container.width - 2 * margin) / box.width, (container.height - 2 * margin) / box.height),
  );
  return {
    zoom,
    x: (container.width - box.width * zoom) / 2 - box.x * zoom,
    y: (container.height - box.height * zoom) / 2 - box.y * zoom,
  };
}

/** The whole frame centred in the container with a margin around it. */
export function fitView(container: Size, frame: Size, margin = FIT_MARGIN): View {
  return fitBox(container, { x: 0, y: 0, width: frame.width, height: frame.height }, margin);
}

/** Zooms by `factor` keeping the frame point under `pointer` (screen px) where it is. */
export function zoomAt(view: View, pointer: Point, factor: number): View {
  const zoom = clampZoom(view.zoom * factor);
  const framePoint = { x: (pointer.x - view.x) / view.zoom, y: (pointer.y - view.y) / view.zoom };
  return { zoom, x: pointer.x - framePoint.x * zoom, y: pointer.y - framePoint.y * zoom };
}

/** Moves what is seen by `delta` screen px: the frame follows the hand. */
export function panBy(view: View, delta: Point): View {
  return { ...view, x: view.x + delta.x, y: view.y + delta.y };
}
