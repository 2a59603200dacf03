/** The canvas viewport: where the frame sits on screen and at what zoom (screen px per frame px). */
import type { Point, Size } from "@/lib/scene/placement";

export type View = { zoom: number; x: number; y: number };

export const MIN_ZOOM = 0.02;
export const MAX_ZOOM = 8;

/** The whole frame centred in the container with a margin around it. */
export function fitView(container: Size, frame: Size, margin = 32): View {
  const zoom = Math.max(
    MIN_ZOOM,
    Math.min((container.width - 2 * margin) / frame.width, (container.height - 2 * margin) / frame.height),
  );
  return {
    zoom,
    x: (container.width - frame.width * zoom) / 2,
    y: (container.height - frame.height * zoom) / 2,
  };
}

/** Zooms by `factor` keeping the frame point under `pointer` (screen px) where it is. */
export function zoomAt(view: View, pointer: Point, factor: number): View {
  const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, view.zoom * factor));
  const framePoint = { x: (pointer.x - view.x) / view.zoom, y: (pointer.y - view.y) / view.zoom };
  return { zoom, x: pointer.x - framePoint.x * zoom, y: pointer.y - framePoint.y * zoom };
}

/** Wheel notches (or trackpad deltas) as a smooth zoom factor. */
export function wheelZoomFactor(deltaY: number): number {
  return Math.exp(-deltaY * 0.0015);
}
