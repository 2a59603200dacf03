import { describe, expect, test } from "vitest";

import {
  dragTo,
  guideLine,
  resizeAllowed,
  ROTATION_SNAP_DEGREES,
  rotationSnaps,
  SNAP_SCREEN_PX,
} from "@/lib/composer/gestures";
import { placeAbsolute } from "@/lib/scene/placement";

import { PRODUCT_META } from "./support";

const frame = { width: 1024, height: 1024 };
const box = PRODUCT_META.objectBox; // 400 × 200: fits the 1024² frame at 2.56
/** A quarter of the fitted size: 256 × 128 in the frame, so 128 × 64 either side of its centre. */
const quarter = placeAbsolute(frame, box, { x: 0.5, y: 0.5, scale: 0.25, rotation: 0 });
const drag = (center: { x: number; y: number }, zoom = 1, free = false, placement = quarter) =>
  dragTo(center, { frame, placement, objectBox: box, zoom, free });

describe("dragging the product", () => {
  test("the centre snaps to the frame's centre line, with a guide across the frame", () => {
    expect(drag({ x: 515, y: 300 })).toEqual({
      center: { x: 512, y: 300 },
      guides: [{ orientation: "vertical", points: [512, 0, 512, 1024] }],
    });
  });

  test("the box's edges snap to the frame's edges", () => {
    const moved = drag({ x: 131, y: 1024 - 62 });
    expect(moved.center).toEqual({ x: 128, y: 1024 - 64 });
    expect(moved.guides).toEqual([
      { orientation: "vertical", points: [0, 0, 0, 1024] },
      { orientation: "horizontal", points: [0, 1024, 1024, 1024] },
    ]);
  });

  test(`snapping reaches ${SNAP_SCREEN_PX} screen pixels at any zoom`, () => {
    // Zoomed out to half, 6 screen px are 12 frame px; zoomed in twice, 3.
    expect(drag({ x: 523, y: 300 }, 0.5).center.x).toBe(512);
    expect(drag({ x: 525, y: 300 }, 0.5).center.x).toBe(525);
    expect(drag({ x: 516, y: 300 }, 2).center.x).toBe(516);
    expect(drag({ x: 514, y: 300 }, 2).center.x).toBe(512);
  });

  test("a rotated product snaps by its rotated bounds", () => {
    const turned = placeAbsolute(frame, box, { x: 0.5, y: 0.5, scale: 0.25, rotation: 90 });
    // Turned a quarter, the 256 × 128 box stands 128 wide: its left edge meets the frame's at x = 64.
    expect(drag({ x: 66, y: 300 }, 1, false, turned).center.x).toBeCloseTo(64, 9);
    expect(drag({ x: 131, y: 300 }, 1, false, turned).center.x).toBe(131);
  });

  test("the centre stays inside the frame, snapping or not", () => {
    expect(drag({ x: -40, y: 2000 }, 1, true)).toEqual({ center: { x: 0, y: 1024 }, guides: [] });
    expect(drag({ x: 1500, y: -3 }).center).toEqual({ x: 1024, y: 0 });
  });

  test("Alt drags freely: no snap, no guides", () => {
    expect(drag({ x: 515, y: 300 }, 1, true)).toEqual({ center: { x: 515, y: 300 }, guides: [] });
  });

  test("a horizontal guide runs across the frame", () => {
    expect(guideLine({ orientation: "horizontal", at: 300 }, { width: 800, height: 600 })).toEqual({
      orientation: "horizontal",
      points: [0, 300, 800, 300],
    });
  });
});

describe("resizing with the transformer", () => {
  const fit = 2.56;
  const at = (scale: number, zoom: number) => box.width * fit * scale * zoom;
  const input = (zoom: number) => ({ frame, objectBox: box, shownWidth: box.width, zoom });

  test("scales from the schema's minimum up to fitting the frame are allowed, at any zoom", () => {
    for (const zoom of [0.25, 1, 3]) {
      expect(resizeAllowed(at(1, zoom), input(zoom))).toBe(true);
      expect(resizeAllowed(at(0.5, zoom), input(zoom))).toBe(true);
      expect(resizeAllowed(at(0.01, zoom), input(zoom))).toBe(true);
    }
  });

  test("bigger than the frame or smaller than the minimum is refused", () => {
    expect(resizeAllowed(at(1.01, 1), input(1))).toBe(false);
    expect(resizeAllowed(at(0.0099, 1), input(1))).toBe(false);
    // The same screen width means a different scale at another zoom.
    expect(resizeAllowed(at(1, 1), input(0.9))).toBe(false);
  });

  test("a flipped box (negative width) is judged by its size", () => {
    expect(resizeAllowed(-at(0.5, 1), input(1))).toBe(true);
  });
});

describe("rotating", () => {
  test(`the handle snaps to every 45° within ${ROTATION_SNAP_DEGREES}°, and not at all while free`, () => {
    expect(rotationSnaps(false)).toEqual([0, 45, 90, 135, 180, 225, 270, 315]);
    expect(rotationSnaps(true)).toEqual([]);
    expect(ROTATION_SNAP_DEGREES).toBe(5);
  });
});
