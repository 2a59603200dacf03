/**
 * The canvas camera: where the frame sits on screen and at what zoom, as plain data in the composer's
 * state beside the document (like tldraw's camera record), so the toolbar, the keys and the canvas
 * all read and change one value. Not undoable and not saved: it is how you look, not what you make.
 */
import type { Box, Point, Size } from "@/lib/scene/placement";

import { fitBox, panBy, zoomAt, type View } from "./view";

/** One click of the zoom buttons, one press of + or −. */
export const ZOOM_STEP = 1.25;
/** Zooming to the product leaves this much room around it (screen px). */
export const PRODUCT_MARGIN = 64;

export type Camera = {
  /** The canvas's size in screen pixels, as it last measured itself; 0 × 0 before it has. */
  viewport: Size;
  /**
   * A view someone zoomed or panned to, for the frame it was made for. Without one (or for another
   * frame) the view follows the viewport and the content: fitted, centred.
   */
  manual: { frame: Size; view: View } | null;
};

/**
 * What the canvas shows: the frame, and what there is to fit when nobody has zoomed (the frame, and the
 * product where it sticks out of the frame, so its selection box stays in view). Frame pixels.
 */
export type Subject = { frame: Size; bounds?: Box };

export function initialCamera(): Camera {
  return { viewport: { width: 0, height: 0 }, manual: null };
}

const sameSize = (a: Size, b: Size) => a.width === b.width && a.height === b.height;
const frameBox = (frame: Size): Box => ({ x: 0, y: 0, width: frame.width, height: frame.height });

/** What the canvas shows. Before the canvas has measured itself nothing is drawn, at 100 %. */
export function viewOf(camera: Camera, frame: Size, bounds?: Box): View {
  if (camera.manual && sameSize(camera.manual.frame, frame)) return camera.manual.view;
  if (camera.viewport.width <= 0 || camera.viewport.height <= 0) return { zoom: 1, x: 0, y: 0 };
  return fitBox(camera.viewport, bounds ?? frameBox(frame));
}

const viewOfSubject = (camera: Camera, subject: Subject) => viewOf(camera, subject.frame, subject.bounds);

function withView(camera: Camera, subject: Subject, view: View): Camera {
  return { ...camera, manual: { frame: subject.frame, view } };
}

/** Zooms by `factor` around `at` (screen px in the canvas), by default the canvas's middle. */
export function zoomCamera(camera: Camera, subject: Subject, factor: number, at?: Point): Camera {
  const pointer = at ?? { x: camera.viewport.width / 2, y: camera.viewport.height / 2 };
  return withView(camera, subject, zoomAt(viewOfSubject(camera, subject), pointer, factor));
}

/** Moves the view by `delta` screen px (a space-drag, a middle-drag, a two-finger scroll). */
export function panCamera(camera: Camera, subject: Subject, delta: Point): Camera {
  if (delta.x === 0 && delta.y === 0) return camera;
  return withView(camera, subject, panBy(viewOfSubject(camera, subject), delta));
}

/** Fits `box` (frame px), e.g. the product, into the canvas, centred on it. */
export function zoomToBox(camera: Camera, subject: Subject, box: Box): Camera {
  if (camera.viewport.width <= 0 || camera.viewport.height <= 0 || box.width <= 0 || box.height <= 0)
    return camera;
  return withView(camera, subject, fitBox(camera.viewport, box, PRODUCT_MARGIN));
}

/** Back to following the content: fitted, centred (Fit, 0, Shift+1). */
export function fitCamera(camera: Camera): Camera {
  return camera.manual === null ? camera : { ...camera, manual: null };
}

export function resizeViewport(camera: Camera, viewport: Size): Camera {
  return sameSize(camera.viewport, viewport) ? camera : { ...camera, viewport };
}
