/**
 * Snapping while dragging, in frame pixels: the product's centre to the frame's centre lines, and its
 * bounding box's edges to the frame's edges. Returns the snapped centre and the guides to draw.
 */
import type { Point, Size } from "@/lib/scene/placement";

export type Guide = { orientation: "vertical" | "horizontal"; at: number };

export type SnapResult = { center: Point; guides: Guide[] };

/** `extent`: half the width and height of the product's bounding box around its centre. */
export function snapCenter(
  center: Point,
  extent: { x: number; y: number },
  frame: Size,
  threshold: number,
): SnapResult {
  const guides: Guide[] = [];
  const axis = (value: number, half: number, side: number, orientation: Guide["orientation"]) => {
    const candidates = [
      { target: side / 2, center: side / 2, line: side / 2 },
      { target: 0, center: half, line: 0 },
      { target: side, center: side - half, line: side },
    ];
    let best: { center: number; line: number; distance: number } | undefined;
    for (const c of candidates) {
      const distance = Math.abs(value - c.center);
      if (distance <= threshold && (!best || distance < best.distance))
        best = { center: c.center, line: c.line, distance };
    }
    if (!best) return value;
    guides.push({ orientation, at: best.line });
    return best.center;
  };
  const x = axis(center.x, extent.x, frame.width, "vertical");
  const y = axis(center.y, extent.y, frame.height, "horizontal");
  return { center: { x, y }, guides };
}

/** The centre must stay inside the frame (the schema's 0..1 on both axes). */
export function clampToFrame(center: Point, frame: Size): Point {
  return {
    x: Math.min(frame.width, Math.max(0, center.x)),
    y: Math.min(frame.height, Math.max(0, center.y)),
  };
}
