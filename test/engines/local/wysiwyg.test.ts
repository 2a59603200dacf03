import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ASPECT_RATIOS } from "@/lib/scene/aspect-ratios";
import type { Box } from "@/lib/scene/placement";
import { frameSizeFor, placedCorners, productPlacement, visiblePlacedBounds } from "@/lib/scene/placement";

import { testConfig } from "../../support/config";
import { areaAndCentroid, clipToFrame, idealBounds, measuredAreaAndCentroid } from "./coverage";
import { boundsByColour, productPng } from "./fixtures";
import { decoded, outputBytes, render, storeImage } from "./harness";

/**
 * What you see is what is rendered: the product's pixels in the output cover exactly the box the
 * geometry module predicts (the canvas draws with the same module), within 1 px.
 */
const PRODUCT = { r: 230, g: 20, b: 20 };
// Black: the shadow cannot change it, so the colour halfway to the product is exactly 50 % coverage.
const BACKGROUND = { r: 0, g: 0, b: 0 };
const BACKGROUND_HEX = "#000000";
/** Larger than the frames, so placing it reduces it (the usual case for product photos). */
const IMAGE = { width: 1500, height: 1000 };
const OBJECT_BOX: Box = { x: 150, y: 100, width: 1200, height: 800 };
/** A small image is enlarged, and bilinear enlargement softens edges: checked separately. */
const SMALL_IMAGE = { width: 300, height: 200 };
const SMALL_OBJECT_BOX: Box = { x: 60, y: 40, width: 150, height: 100 };
const HALFWAY = Math.hypot(PRODUCT.r - BACKGROUND.r, PRODUCT.g - BACKGROUND.g, PRODUCT.b - BACKGROUND.b) / 2;

const config = testConfig();
const urls = { large: "", small: "" };
let worst = 0;
let worstCentre = 0;
afterAll(() =>
  console.info(
    `WYSIWYG: worst edge error ${worst.toFixed(2)} px, worst centre error ${worstCentre.toFixed(3)} px`,
  ),
);

beforeAll(async () => {
  const large = await storeImage(config, await productPng({ ...IMAGE, box: OBJECT_BOX, colour: PRODUCT }));
  const small = await storeImage(
    config,
    await productPng({ ...SMALL_IMAGE, box: SMALL_OBJECT_BOX, colour: PRODUCT }),
  );
  expect(large.objectBox).toEqual(OBJECT_BOX);
  expect(small.objectBox).toEqual(SMALL_OBJECT_BOX);
  urls.large = large.url;
  urls.small = small.url;
});

type Case = { name: string; object: Record<string, unknown>; aspect?: string; small?: boolean };

async function check({ object, aspect, small }: Case) {
  const image0 = small ? SMALL_IMAGE : IMAGE;
  const box = small ? SMALL_OBJECT_BOX : OBJECT_BOX;
  const body = {
    object: { image_url: small ? urls.small : urls.large, ...object },
    scene: { effect: "shadows", color: BACKGROUND_HEX, ...(aspect ? { aspect_ratio: aspect } : {}) },
    output: { number_of_images: 1, format: { type: "png", compression: "fast" } },
  };
  const result = await render(config, body);
  const image = await decoded(await outputBytes(config, result));
  const request = { object: body.object as never, scene: body.scene as never };
  const frame = frameSizeFor(request, { input: image0 });
  expect({ width: image.width, height: image.height }).toEqual(frame);

  // The same dispatch the canvas draws with: this test is the WYSIWYG promise.
  const { placement } = productPlacement(body.object as never, { ...image0, objectBox: box }, frame);
  const visible = visiblePlacedBounds(placement, box, frame);
  const expected = visible && idealBounds(placedCorners(placement, box), frame);
  const measured = boundsByColour(image.pixels, image, PRODUCT, HALFWAY);
  if (!expected) {
    expect(measured === undefined || measured.width * measured.height <= 2).toBe(true);
    return;
  }
  expect(measured, "product pixels in the output").toBeDefined();
  if (!measured) return;
  const error = Math.max(
    Math.abs(measured.x - expected.x),
    Math.abs(measured.y - expected.y),
    Math.abs(measured.x + measured.width - (expected.x + expected.width)),
    Math.abs(measured.y + measured.height - (expected.y + expected.height)),
  );
  worst = Math.max(worst, error);
  // Sub-pixel: the coverage-weighted centre and the area of the product are where the geometry puts them.
  const ideal = areaAndCentroid(clipToFrame(placedCorners(placement, box), frame));
  const seen = measuredAreaAndCentroid(image.pixels, image, PRODUCT.r);
  const shift = Math.hypot(seen.centroid.x - ideal.centroid.x, seen.centroid.y - ideal.centroid.y);
  worstCentre = Math.max(worstCentre, shift);
  expect(
    shift,
    `centre ${JSON.stringify(seen.centroid)} expected ${JSON.stringify(ideal.centroid)}`,
  ).toBeLessThanOrEqual(0.25);
  expect(Math.abs(seen.area - ideal.area)).toBeLessThanOrEqual(Math.max(2, ideal.area * 0.01));
  expect(
    error,
    `measured ${JSON.stringify(measured)} expected ${JSON.stringify(expected)}`,
  ).toBeLessThanOrEqual(1);
}

const cases: Case[] = [
  ...ASPECT_RATIOS.map((aspect, i) => ({
    name: `aspect ${aspect}`,
    aspect,
    object: {
      scale: 0.35 + (i % 5) * 0.13,
      rotation_degree: (i * 37) % 360,
      position: { x: 0.3 + (i % 4) * 0.1, y: 0.65 - (i % 3) * 0.1 },
    },
  })),
  ...[0, 45, 90, 359, 180, 271.5].map((rotation_degree) => ({
    name: `rotation ${rotation_degree}`,
    object: { rotation_degree, scale: 0.6 },
  })),
  ...[0.01, 0.05, 0.2, 0.5, 1, 0].map((scale) => ({ name: `scale ${scale}`, object: { scale } })),
  { name: "left edge", object: { position: { x: 0, y: 0.5 }, scale: 0.5 } },
  { name: "top-right corner", object: { position: { x: 1, y: 1 }, scale: 0.4, rotation_degree: 30 } },
  { name: "bottom edge", object: { position: { x: 0.5, y: 0 }, scale: 0.8 } },
  { name: "bottom-left corner, tiny", object: { position: { x: 0.002, y: 0.003 }, scale: 0.02 } },
  { name: "padding 10%", object: { placement_type: "padding", padding: "10%" } },
  { name: "padding 5% 30%", object: { placement_type: "padding", padding: "5% 30%" } },
  { name: "padding 100px", object: { placement_type: "padding", padding: "100px" } },
  {
    name: "padding 40px 300px",
    object: { placement_type: "padding", padding: "40px 300px" },
    aspect: "16:9",
  },
  { name: "original", object: { placement_type: "original" } },
  { name: "enlarged ×6.8", small: true, object: { scale: 1 } },
  {
    name: "enlarged ×3.4, at 90°",
    small: true,
    object: { scale: 0.5, rotation_degree: 90, position: { x: 0.3, y: 0.8 } },
  },
  { name: "enlarged ×2, at 30°", small: true, object: { scale: 0.3, rotation_degree: 30 } },
  { name: "enlarged, original", small: true, object: { placement_type: "original" } },
];

describe("rendered product matches the geometry (≤ 1 px)", () => {
  it.each(cases)("$name", async (c) => {
    await check(c);
  });

  it("random placements", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ASPECT_RATIOS),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 100, max: 10_000 }),
        fc.integer({ min: 0, max: 35_999 }),
        async (aspect, x, y, scale, rotation) => {
          await check({
            name: "random",
            aspect,
            object: {
              position: { x: x / 10_000, y: y / 10_000 },
              scale: scale / 10_000,
              rotation_degree: rotation / 100,
            },
          });
        },
      ),
      { numRuns: 12, seed: 20261124 },
    );
  });
});
