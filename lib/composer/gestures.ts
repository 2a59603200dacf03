/**
 * The rules of the canvas gestures, in frame pixels, without Konva: what a drag does with the
 * product's centre, which guides it shows, where a rotation snaps, and which resizes the transformer
 * may make. The canvas feeds them what Konva reports and applies what they answer.
 */
import type { Box, ImagePlacement, Point, Size } from "@/lib/scene/placement";
import { fitFactor, placedBounds } from "@/lib/scene/placement";
import { SCALE_MIN } from "@/lib/scene/vocabulary";

import { clampToFrame, snapCenter, type Guide } from "./snap";

/** Snapping reaches this far on screen, whatever the zoom. */
export const SNAP_SCREEN_PX = 6;
/** A rotation this close to a multiple of 45° lands on it. */
export const ROTATION_SNAP_DEGREES = 5;
const EVERY_45 = [0, 45, 90, 135, 180, 225, 270, 315];

/** A guide as a line across the frame: `[x1, y1, x2, y2]` in frame pixels. */
export type GuideLine = { orientation: Guide["orientation"]; points: [number, number, number, number] };

export function guideLine(guide: Guide, frame: Size): GuideLine {
  return {
    orientation: guide.orientation,
    points:
      guide.orientation === "vertical"
        ? [guide.at, 0, guide.at, frame.height]
        : [0, guide.at, frame.width, guide.at],
  };
}

export type DragInput = {
  frame: Size;
  /** The product as placed when the drag began (its scale and rotation decide its bounds). */
  placement: ImagePlacement;
  objectBox: Box;
  /** Screen pixels per frame pixel. */
  zoom: number;
  /** Alt held: no snapping. */
  free: boolean;
};

/**
 * Where the product goes when the pointer would put its centre at `center`: kept inside the frame
 * (the schema's 0..1), then snapped to the frame's centre lines and edges unless free.
 */
export function dragTo(center: Point, input: DragInput): { center: Point; guides: GuideLine[] } {
  const inside = clampToFrame(center, input.frame);
  if (input.free) return { center: inside, guides: [] };
  const bounds = placedBounds({ ...input.placement, center: { x: 0, y: 0 } }, input.objectBox);
  const snapped = snapCenter(
    inside,
    { x: bounds.width / 2, y: bounds.height / 2 },
    input.frame,
    SNAP_SCREEN_PX / input.zoom,
  );
  return { center: snapped.center, guides: snapped.guides.map((g) => guideLine(g, input.frame)) };
}

/**
 * The angles a turn of the handle snaps to (within ROTATION_SNAP_DEGREES): every 45°, none while
 * Shift frees the rotation. Konva's transformer does the snapping, mid-gesture, from these.
 */
export function rotationSnaps(free: boolean): number[] {
  return free ? [] : EVERY_45;
}

export type ResizeInput = {
  frame: Size;
  objectBox: Box;
  /** Width in image pixels of what the node shows (its crop). */
  shownWidth: number;
  zoom: number;
};

/**
 * Whether the transformer may resize the product to a box `width` screen pixels wide: only within
 * the schema's scale range (scale 1 fits the frame, the smallest is SCALE_MIN of that).
 */
export function resizeAllowed(width: number, input: ResizeInput): boolean {
  const imageScale = Math.abs(width) / (input.shownWidth * input.zoom);
  const fit = fitFactor(input.frame, input.objectBox);
  return imageScale <= fit * 1.0005 && imageScale >= fit * SCALE_MIN * 0.9995;
}
