import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { ASPECT_RATIOS, parseAspectRatio } from "@/lib/scene/aspect-ratios";
import { parsePadding } from "@/lib/scene/padding";
import type { Box, Point } from "@/lib/scene/placement";
import {
  absoluteValuesFromCanvas,
  apiYToFrameY,
  fitFactor,
  frameSizeFor,
  frameSizeForAspect,
  frameSizeForImage,
  normalizeRotation,
  paddingFitsFrame,
  placeAbsolute,
  placedBounds,
  placedCorners,
  placeOriginal,
  placePadding,
  toFrame,
  visiblePlacedBounds,
} from "@/lib/scene/placement";

const close = (a: number, b: number, digits = 6) => expect(a).toBeCloseTo(b, digits);

function padding(text: string) {
  const parsed = parsePadding(text);
  if (!parsed.ok) throw new Error(`test padding ${text} does not parse`);
  return parsed.padding;
}

describe("frame sizes", () => {
  // Hand-computed: reduce the ratio to rw:rh, k = round(√(1024² / (rw·rh))), frame = rw·k × rh·k.
  const table: Record<string, [number, number]> = {
    "21:9": [1561, 669],
    "1:1": [1024, 1024],
    "4:3": [1184, 888],
    "3:2": [1254, 836],
    "2:3": [836, 1254],
    "5:4": [1145, 916],
    "4:5": [916, 1145],
    "3:4": [888, 1184],
    "16:9": [1360, 765],
    "9:16": [765, 1360],
    "4:7": [776, 1358],
    "7:9": [903, 1161],
    "9:7": [1161, 903],
    "19:13": [1235, 845],
    "7:4": [1358, 776],
    "12:5": [1584, 660],
  };

  it.each(ASPECT_RATIOS)("%s", (ratio) => {
    const frame = frameSizeForAspect(ratio);
    expect([frame.width, frame.height]).toEqual(table[ratio]);
    const { w, h } = parseAspectRatio(ratio);
    expect(frame.width * h).toBe(frame.height * w);
    expect(Math.abs(frame.width * frame.height - 1024 * 1024) / (1024 * 1024)).toBeLessThan(0.01);
  });

  it("a template or an original input keeps its own aspect near one megapixel", () => {
    expect(frameSizeForImage({ width: 773, height: 2351 })).toEqual({ width: 587, height: 1786 });
    expect(frameSizeForImage({ width: 4000, height: 3000 })).toEqual({ width: 1182, height: 887 });
  });

  it("picks the frame's source by placement and scene", () => {
    const object = { image_url: "https://x.test/a.png" };
    const input = { width: 773, height: 2351 };
    const template = { width: 4000, height: 3000 };
    expect(frameSizeFor({ object, scene: { prompt: "a table" } }, { input })).toEqual({
      width: 1024,
      height: 1024,
    });
    expect(frameSizeFor({ object, scene: { effect: "shadows", aspect_ratio: "16:9" } }, { input })).toEqual({
      width: 1360,
      height: 765,
    });
    expect(
      frameSizeFor(
        { object, scene: { template_url: "https://x.test/t.png", view: "front" } },
        { input, template },
      ),
    ).toEqual({ width: 1182, height: 887 });
    expect(
      frameSizeFor(
        { object: { ...object, placement_type: "original" }, scene: { prompt: "a table" } },
        { input },
      ),
    ).toEqual({ width: 587, height: 1786 });
  });
});

describe("absolute placement", () => {
  const frame = { width: 1000, height: 500 };
  const box: Box = { x: 100, y: 50, width: 200, height: 100 };

  it("fits the object box to the frame at scale 1", () => {
    expect(fitFactor(frame, box)).toBe(2.5 * 2); // min(1000 / 200, 500 / 100) = 5
    expect(fitFactor({ width: 1024, height: 1024 }, { x: 0, y: 0, width: 200, height: 400 })).toBe(2.56);
  });

  it("puts the object box centre at (x·W, (1 − y)·H): y = 1 is the top, y = 0 the bottom", () => {
    const at = (x: number, y: number) => placeAbsolute(frame, box, { x, y, scale: 1, rotation: 0 }).center;
    close(at(0.25, 0.8).x, 250, 9);
    close(at(0.25, 0.8).y, 100, 9);
    expect(at(0.5, 1)).toEqual({ x: 500, y: 0 });
    expect(at(0.5, 0)).toEqual({ x: 500, y: 500 });
    expect(apiYToFrameY(0.75, 400)).toBe(100);
  });

  it("scales the fitted box and anchors the box centre", () => {
    const p = placeAbsolute(frame, box, { x: 0.5, y: 0.5, scale: 0.5, rotation: 0 });
    expect(p.anchor).toEqual({ x: 200, y: 100 });
    expect(p.scaleX).toBe(2.5);
    expect(placedBounds(p, box)).toEqual({ x: 250, y: 125, width: 500, height: 250 });
  });

  it("scale 0 renders as the smallest scale", () => {
    expect(placeAbsolute(frame, box, { x: 0.5, y: 0.5, scale: 0, rotation: 0 }).scaleX).toBeCloseTo(0.05, 12);
  });

  it("rotates clockwise on screen", () => {
    const p = placeAbsolute(frame, box, { x: 0.5, y: 0.5, scale: 0.5, rotation: 90 });
    // The middle of the box's right edge ends up straight below the centre.
    const right = toFrame(p, { x: 300, y: 100 });
    close(right.x, 500);
    close(right.y, 250 + 250);
  });

  it("bounds a rotated box (30°) by hand", () => {
    const p = placeAbsolute(frame, box, { x: 0.25, y: 0.8, scale: 0.5, rotation: 30 });
    const bounds = placedBounds(p, box);
    const w = 500 * Math.cos(Math.PI / 6) + 250 * Math.sin(Math.PI / 6);
    const h = 500 * Math.sin(Math.PI / 6) + 250 * Math.cos(Math.PI / 6);
    close(bounds.width, w);
    close(bounds.height, h);
    close(bounds.x + bounds.width / 2, 250);
    close(bounds.y + bounds.height / 2, 100);
  });

  it("clips what lies outside the frame; nothing when all of it does", () => {
    const p = placeAbsolute(frame, box, { x: 0, y: 1, scale: 0.5, rotation: 0 });
    expect(visiblePlacedBounds(p, box, frame)).toEqual({ x: 0, y: 0, width: 250, height: 125 });
    // 300 × 150 at 45° about the bottom centre: the upper half shows. Its corners sit at ±225/√2 and
    // ±75/√2 from the centre; the bottom edge of the frame cuts the lower-right side at x = +150/√2.
    const rotated = placeAbsolute(frame, box, { x: 0.5, y: 0, scale: 0.3, rotation: 45 });
    const visible = visiblePlacedBounds(rotated, box, frame);
    close(visible?.y ?? NaN, 500 - (450 * Math.SQRT1_2) / 2, 9);
    close(visible?.x ?? NaN, 500 - 225 * Math.SQRT1_2, 9);
    close(visible?.width ?? NaN, 375 * Math.SQRT1_2, 9);
    expect(visible && visible.y + visible.height).toBeCloseTo(500, 9);
    const far = { ...p, center: { x: -2000, y: -2000 } };
    expect(visiblePlacedBounds(far, box, frame)).toBeUndefined();
  });
});

describe("padding placement", () => {
  const frame = { width: 1024, height: 1024 };
  const wide: Box = { x: 0, y: 0, width: 400, height: 200 };

  it.each([
    ["10%", 2.048, { width: 400, height: 200 }],
    ["10% 25%", 1.28, { width: 400, height: 200 }],
    ["100px", 2.06, { width: 400, height: 200 }],
    ["50px 212px", 1.5, { width: 400, height: 200 }],
    ["0", 2.56, { width: 400, height: 200 }],
  ])("%s fits the object inside the frame less the padding", (text, scale, size) => {
    const p = placePadding(frame, { ...wide, ...size }, padding(text));
    close(p.scaleX, scale, 9);
    expect(p.center).toEqual({ x: 512, y: 512 });
    expect(p.rotation).toBe(0);
  });

  it("uses height for vertical and width for horizontal percentages", () => {
    const p = placePadding(
      { width: 2000, height: 1000 },
      { x: 0, y: 0, width: 100, height: 100 },
      padding("10% 40%"),
    );
    // inner = (2000 − 2·800) × (1000 − 2·100) = 400 × 800 → scale 4
    close(p.scaleX, 4, 12);
  });

  it("px padding at most half the frame", () => {
    expect(paddingFitsFrame(padding("512px"), frame)).toBe(true);
    expect(paddingFitsFrame(padding("513px"), frame)).toBe(false);
    expect(paddingFitsFrame(padding("10px 600px"), frame)).toBe(false);
    expect(paddingFitsFrame(padding("50%"), frame)).toBe(true);
  });
});

describe("original placement", () => {
  it("stretches the input onto its own frame: corners map to corners", () => {
    const image = { width: 773, height: 2351 };
    const frame = frameSizeForImage(image);
    const p = placeOriginal(frame, image);
    const [tl, , br] = placedCorners(p, { x: 0, y: 0, ...image });
    close(tl.x, 0, 9);
    close(tl.y, 0, 9);
    close(br.x, 587, 9);
    close(br.y, 1786, 9);
  });
});

describe("canvas → API", () => {
  const frame = { width: 1024, height: 1024 };
  const box: Box = { x: 0, y: 0, width: 200, height: 400 };

  it("rounds, clamps and normalises", () => {
    const values = absoluteValuesFromCanvas(frame, box, {
      center: { x: 1200, y: -5 },
      imageScale: 100,
      rotation: -30.004,
    });
    expect(values).toEqual({ x: 1, y: 1, scale: 1, rotation: 330 });
    expect(
      absoluteValuesFromCanvas(frame, box, { center: { x: 512, y: 768 }, imageScale: 0.0001, rotation: 0 }),
    ).toEqual({
      x: 0.5,
      y: 0.25,
      scale: 0.01,
      rotation: 0,
    });
    expect(normalizeRotation(359.999)).toBe(0);
    expect(normalizeRotation(720.5)).toBe(0.5);
    expect(Object.is(normalizeRotation(-0), 0)).toBe(true);
  });
});

// ----- properties -------------------------------------------------------------------------------

const aspect = fc.constantFrom(...ASPECT_RATIOS);
const objectBox = fc.record({
  x: fc.integer({ min: 0, max: 500 }),
  y: fc.integer({ min: 0, max: 500 }),
  width: fc.integer({ min: 1, max: 3000 }),
  height: fc.integer({ min: 1, max: 3000 }),
});
const apiValues = fc.record({
  x: fc.integer({ min: 0, max: 10_000 }).map((v) => v / 10_000),
  y: fc.integer({ min: 0, max: 10_000 }).map((v) => v / 10_000),
  scale: fc.integer({ min: 100, max: 10_000 }).map((v) => v / 10_000),
  rotation: fc.integer({ min: 0, max: 35_999 }).map((v) => v / 100),
});

const distance = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

describe("properties", () => {
  it("API → canvas → API is exact after rounding", () => {
    fc.assert(
      fc.property(aspect, objectBox, apiValues, (ratio, box, values) => {
        const frame = frameSizeForAspect(ratio);
        const placement = placeAbsolute(frame, box, values);
        const back = absoluteValuesFromCanvas(frame, box, {
          center: placement.center,
          imageScale: placement.scaleX,
          rotation: placement.rotation,
        });
        expect(back).toEqual(values);
      }),
      { numRuns: 2000 },
    );
  });

  it("corners of the placed box stay consistent under rotation", () => {
    fc.assert(
      fc.property(aspect, objectBox, apiValues, (ratio, box, values) => {
        const frame = frameSizeForAspect(ratio);
        const placement = placeAbsolute(frame, box, values);
        const [a, b, c, d] = placedCorners(placement, box);
        const s = placement.scaleX;
        const tolerance = 1e-6 * Math.max(1, s * (box.width + box.height));
        // Side lengths and diagonals are the scaled box's, whatever the angle.
        expect(Math.abs(distance(a, b) - box.width * s)).toBeLessThan(tolerance);
        expect(Math.abs(distance(b, c) - box.height * s)).toBeLessThan(tolerance);
        expect(Math.abs(distance(c, d) - box.width * s)).toBeLessThan(tolerance);
        expect(Math.abs(distance(d, a) - box.height * s)).toBeLessThan(tolerance);
        expect(Math.abs(distance(a, c) - distance(b, d))).toBeLessThan(tolerance);
        // The centre stays where the API put it.
        expect(Math.abs((a.x + c.x) / 2 - placement.center.x)).toBeLessThan(tolerance);
        expect(Math.abs((a.y + c.y) / 2 - placement.center.y)).toBeLessThan(tolerance);
        // The top edge points along the rotation, clockwise on screen (y down).
        const angle = (Math.atan2(b.y - a.y, b.x - a.x) * 180) / Math.PI;
        const turned = ((((angle - values.rotation) % 360) + 540) % 360) - 180;
        expect(Math.abs(turned)).toBeLessThan(1e-6);
        // A full turn changes nothing.
        const again = placedCorners({ ...placement, rotation: placement.rotation + 360 }, box);
        again.forEach((p, i) => {
          const q = [a, b, c, d][i] as Point;
          expect(distance(p, q)).toBeLessThan(tolerance);
        });
      }),
      { numRuns: 1000 },
    );
  });

  it("padding keeps the object inside the padded area, touching it on at least one axis", () => {
    fc.assert(
      fc.property(
        aspect,
        objectBox,
        fc.integer({ min: 0, max: 49 }),
        fc.integer({ min: 0, max: 49 }),
        (ratio, box, pv, ph) => {
          const frame = frameSizeForAspect(ratio);
          const p = placePadding(frame, box, padding(`${pv}% ${ph}%`));
          const bounds = placedBounds(p, box);
          const insetV = (pv / 100) * frame.height;
          const insetH = (ph / 100) * frame.width;
          const e = 1e-6;
          expect(bounds.x).toBeGreaterThanOrEqual(insetH - e);
          expect(bounds.y).toBeGreaterThanOrEqual(insetV - e);
          expect(bounds.x + bounds.width).toBeLessThanOrEqual(frame.width - insetH + e);
          expect(bounds.y + bounds.height).toBeLessThanOrEqual(frame.height - insetV + e);
          const touches =
            Math.abs(bounds.width - (frame.width - 2 * insetH)) < e ||
            Math.abs(bounds.height - (frame.height - 2 * insetV)) < e;
          expect(touches).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
