import fc from "fast-check";
import { describe, expect, test } from "vitest";

import { emptyDoc } from "@/lib/composer/doc";
import { measureObjectBox } from "@/lib/composer/object-box";
import { buildObject } from "@/lib/composer/request";
import { clampToFrame, snapCenter } from "@/lib/composer/snap";
import { fitView, MAX_ZOOM, zoomAt } from "@/lib/composer/view";
import { placedBounds, productPlacement } from "@/lib/scene/placement";

import { PRODUCT_META } from "./support";

const frame = { width: 1024, height: 1024 };

describe("snapping", () => {
  test("the centre snaps to the frame's centre lines within the threshold and shows guides", () => {
    const r = snapCenter({ x: 515, y: 300 }, { x: 100, y: 50 }, frame, 6);
    expect(r.center).toEqual({ x: 512, y: 300 });
    expect(r.guides).toEqual([{ orientation: "vertical", at: 512 }]);
  });

  test("the box's edges snap to the frame's edges", () => {
    const r = snapCenter({ x: 104, y: 1024 - 52 }, { x: 100, y: 50 }, frame, 6);
    expect(r.center).toEqual({ x: 100, y: 974 });
    expect(r.guides).toEqual([
      { orientation: "vertical", at: 0 },
      { orientation: "horizontal", at: 1024 },
    ]);
  });

  test("nothing snaps beyond the threshold", () => {
    const r = snapCenter({ x: 530, y: 300 }, { x: 100, y: 50 }, frame, 6);
    expect(r).toEqual({ center: { x: 530, y: 300 }, guides: [] });
  });

  test("the centre is clamped inside the frame", () => {
    expect(clampToFrame({ x: -3, y: 2000 }, frame)).toEqual({ x: 0, y: 1024 });
  });
});

describe("viewport", () => {
  test("fit centres the frame with a margin", () => {
    expect(fitView({ width: 800, height: 600 }, frame, 50)).toEqual({ zoom: 0.48828125, x: 150, y: 50 });
  });

  test("zooming keeps the frame point under the pointer in place", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 4, noNaN: true }),
        fc.double({ min: 0.2, max: 5, noNaN: true }),
        fc.record({
          x: fc.double({ min: 0, max: 1000, noNaN: true }),
          y: fc.double({ min: 0, max: 800, noNaN: true }),
        }),
        (zoom, factor, pointer) => {
          const view = { zoom, x: 40, y: -20 };
          const next = zoomAt(view, pointer, factor);
          const before = { x: (pointer.x - view.x) / view.zoom, y: (pointer.y - view.y) / view.zoom };
          const after = { x: (pointer.x - next.x) / next.zoom, y: (pointer.y - next.y) / next.zoom };
          expect(after.x).toBeCloseTo(before.x, 6);
          expect(after.y).toBeCloseTo(before.y, 6);
          expect(next.zoom).toBeLessThanOrEqual(MAX_ZOOM);
        },
      ),
    );
  });
});

describe("product placement on the canvas", () => {
  test("at the defaults the object box just fits the frame, centred", () => {
    const doc = { ...emptyDoc(), imageUrl: "x" };
    const bounds = placedBounds(
      productPlacement(buildObject(doc), PRODUCT_META, frame).placement,
      PRODUCT_META.objectBox,
    );
    expect(bounds).toEqual({ x: 0, y: 256, width: 1024, height: 512 });
  });

  test("padding fits the object box inside the inset", () => {
    const doc = { ...emptyDoc(), imageUrl: "x", placement: "padding" as const, padding: "10%" };
    const bounds = placedBounds(
      productPlacement(buildObject(doc), PRODUCT_META, frame).placement,
      PRODUCT_META.objectBox,
    );
    expect(bounds.x).toBeCloseTo(102.4, 6);
    expect(bounds.width).toBeCloseTo(819.2, 6);
  });
});

describe("object box measuring", () => {
  test("bounds of pixels at or above the alpha threshold", () => {
    const width = 5;
    const height = 4;
    const rgba = new Uint8ClampedArray(width * height * 4);
    const setAlpha = (x: number, y: number, a: number) => (rgba[(y * width + x) * 4 + 3] = a);
    setAlpha(1, 1, 255);
    setAlpha(3, 2, 8);
    setAlpha(4, 3, 7); // below the threshold: not product
    expect(measureObjectBox(rgba, width, height)).toEqual({ x: 1, y: 1, width: 3, height: 2 });
  });

  test("nothing opaque counts as the whole image", () => {
    expect(measureObjectBox(new Uint8ClampedArray(3 * 2 * 4), 3, 2)).toEqual({
      x: 0,
      y: 0,
      width: 3,
      height: 2,
    });
  });
});
