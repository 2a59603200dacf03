/**
 * The canvas camera: where the frame sits on screen and at what zoom, as plain data in the composer's
 * state beside the document (like tldraw's camera record), so the toolbar, the keys and the canvas
 * all read and change one value. Not undoable and not saved: it is how you look, not what you make.
 */
import type { Point, Size } from "@/lib/scene/placement";

import { fitView, zoomAt, type View } from "./view";

/** One click of the zoom buttons, one press of + or −. */
export const ZOOM_STEP = 1.25;

export type Camera = {
  /** The canvas's size in screen pixels, as it last measured itself; 0 × 0 before it has. */
  viewport: Size;
  /**
   * A view someone zoomed to, for the frame it was made for. Without one (or for another frame) the
   * view follows the viewport and the frame: the frame fitted, centred.
   */
  manual: { frame: Size; view: View } | null;
};

export function initialCamera(): Camera {
  return { viewport: { width: 0, height: 0 }, manual: null };
}

const sameSize = (a: Size, b: Size) => a.width === b.width && a.height === b.height;

/** What the canvas shows. Before the canvas has measured itself nothing is drawn, at 100 %. */
export function viewOf(camera: Camera, frame: Size): View {
  if (camera.manual && sameSize(camera.manual.frame, frame)) return camera.manual.view;
  if (camera.viewport.width <= 0 || camera.viewport.height <= 0) return { zoom: 1, x: 0, y: 0 };
  return fitView(camera.viewport, frame);
}

/** Zooms by `factor` around `at` (screen px in the canvas), by default the canvas's middle. */
export function zoomCamera(camera: Camera, frame: Size, factor: number, at?: Point): Camera {
  const pointer = at ?? { x: camera.viewport.width / 2, y: camera.viewport.height / 2 };
  return { ...camera, manual: { frame, view: zoomAt(viewOf(camera, frame), pointer, factor) } };
}

export function fitCamera(camera: Camera): Camera {
  return camera.manual === null ? camera : { ...camera, manual: null };
}

export function resizeViewport(camera: Camera, viewport: Size): Camera {
  return sameSize(camera.viewport, viewport) ? camera : { ...camera, viewport };
}
