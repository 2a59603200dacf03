import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";

import { sceneCreateRequest } from "@/lib/scene/contract";
import type { Box, ImagePlacement, Size } from "@/lib/scene/placement";
import { absoluteValuesOf, frameSizeFor, placeAbsolute } from "@/lib/scene/placement";
import { placeProduct } from "@/lib/server/engines/local/place";
import type { IntegrityResult, PreparedProduct } from "@/lib/server/integrity";
import { checkIntegrity, prepareProduct } from "@/lib/server/integrity";

import { alphaBox, renderOutput } from "./cases";
import type { Cutout } from "./products";
import { paintProduct, randomProductSpec } from "./products";
import { randomFrom } from "./random";

/**
 * Known shifts and scales: the product drawn by the engine's own code at the expected placement moved
 * or scaled by a chosen amount (no relighting), and what the check measures of it.
 */
const body = {
  object: {
    image_url: "https://products.example/cutout.png",
    scale: 0.6,
    rotation_degree: 10,
    position: { x: 0.5, y: 0.5 },
  },
  scene: { effect: "shadows" },
};
const request = sceneCreateRequest.parse(body);
let image: Cutout;
let box: Box;
let frame: Size;
let expected: ImagePlacement;
let product: PreparedProduct;

beforeAll(async () => {
  const painted = paintProduct(randomProductSpec(randomFrom(5), "bottle"));
  const { data, info } = await sharp(painted.pixels, {
    raw: { width: painted.width, height: painted.height, channels: 4 },
  })
    .extend({ top: 30, bottom: 30, left: 40, right: 40, background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .raw()
    .toBuffer({ resolveWithObject: true });
  image = { pixels: data, width: info.width, height: info.height };
  box = alphaBox(image);
  frame = frameSizeFor(request, { input: image });
  expected = placeAbsolute(frame, box, absoluteValuesOf(request.object as never));
  const prepared = await prepareProduct({ ...image, objectBox: box });
  if (!prepared) throw new Error("the product did not prepare");
  product = prepared;
});

function moved(placement: ImagePlacement, dx: number, dy: number, scale = 1): ImagePlacement {
  return {
    ...placement,
    center: { x: placement.center.x + dx, y: placement.center.y + dy },
    scaleX: placement.scaleX * scale,
    scaleY: placement.scaleY * scale,
  };
}

async function check(placement: ImagePlacement, seed: number, size: Size = frame): Promise<IntegrityResult> {
  const output = await renderOutput(size, image, placement, seed, { format: "jpeg", quality: 85 });
  return checkIntegrity({ request, output, product });
}

function judged(result: IntegrityResult) {
  if (result.verdict === "unknown") throw new Error(`not judged: ${result.reason}`);
  return result;
}

describe("offset and scale", () => {
  it("are about zero where the request put the product", async () => {
    const result = judged(await check(expected, 1));
    expect(result.verdict).toBe("intact");
    expect(result.offset_px).toBeLessThanOrEqual(1);
    expect(Math.abs(result.scale_ratio - 1)).toBeLessThanOrEqual(0.005);
  });

  it.each([
    [4, -3, "intact"],
    [-9, 7, "intact"],
    [20, 0, "moved"],
    [-25, 30, "moved"],
    [0, -45, "moved"],
    [52, 38, "moved"],
  ] as const)("measure a shift of (%d, %d) px, judged %s", async (dx, dy, verdict) => {
    const result = judged(await check(moved(expected, dx, dy), 2));

    expect(result.verdict).toBe(verdict);
    expect(Math.abs(result.offset.x - dx)).toBeLessThanOrEqual(1.5);
    expect(Math.abs(result.offset.y - dy)).toBeLessThanOrEqual(1.5);
    expect(Math.abs(result.scale_ratio - 1)).toBeLessThanOrEqual(0.01);
  });

  it.each([
    [0.85, "moved"],
    [0.92, "moved"],
    [0.98, "intact"],
    [1.03, "intact"],
    [1.08, "moved"],
    [1.2, "moved"],
  ] as const)("measure a scale of %d, judged %s", async (scale, verdict) => {
    const result = judged(await check(moved(expected, 0, 0, scale), 3));

    expect(result.verdict).toBe(verdict);
    expect(Math.abs(result.scale_ratio - scale)).toBeLessThanOrEqual(0.01);
    expect(result.offset_px).toBeLessThanOrEqual(1.5);
  });

  it("measure a shift and a scale together", async () => {
    const result = judged(await check(moved(expected, 18, -12, 1.1), 4));
    expect(result.verdict).toBe("moved");
    expect(Math.abs(result.offset.x - 18)).toBeLessThanOrEqual(1.5);
    expect(Math.abs(result.offset.y + 12)).toBeLessThanOrEqual(1.5);
    expect(Math.abs(result.scale_ratio - 1.1)).toBeLessThanOrEqual(0.01);
  });

  it("are measured in the output's own pixels when it has another resolution of the same shape", async () => {
    const half = { width: frame.width / 2, height: frame.height / 2 };
    const atHalf = placeAbsolute(half, box, absoluteValuesOf(request.object as never));
    const intact = judged(await check(atHalf, 5, half));
    expect(intact.verdict).toBe("intact");
    const shifted = judged(await check(moved(atHalf, 12, 0), 6, half));
    expect(shifted.verdict).toBe("moved");
    expect(Math.abs(shifted.offset.x - 12)).toBeLessThanOrEqual(1);
  });
});

describe("transparent outputs", () => {
  async function transparentOutput(hole?: { x: number; y: number; r: number }) {
    const layer = await placeProduct(image, expected, frame);
    if (!layer) throw new Error("the product is not in the frame");
    const { data } = await sharp({
      create: { ...frame, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .composite([
        {
          input: layer.pixels,
          raw: { width: layer.width, height: layer.height, channels: 4 },
          left: layer.left,
          top: layer.top,
        },
      ])
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (hole) {
      for (let y = 0; y < frame.height; y++) {
        for (let x = 0; x < frame.width; x++) {
          if (Math.hypot(x - hole.x, y - hole.y) < hole.r) data[(y * frame.width + x) * 4 + 3] = 0;
        }
      }
    }
    return sharp(data, { raw: { ...frame, channels: 4 } })
      .png()
      .toBuffer();
  }

  it("are intact when the product is all there", async () => {
    const output = await transparentOutput();
    expect((await checkIntegrity({ request, output, product })).verdict).toBe("intact");
  });

  it("are altered where the product was made transparent, whatever colour the hole hides", async () => {
    const centre = expected.center;
    const output = await transparentOutput({ x: centre.x + 20, y: centre.y - 40, r: 45 });
    const result = await checkIntegrity({ request, output, product });
    expect(result.verdict).toBe("altered");
    if (result.verdict !== "altered") return;
    // The region it reports is where the hole is.
    const region = result.worst_region;
    expect(region).toBeDefined();
    if (!region) return;
    const cx = region.x + region.width / 2;
    const cy = region.y + region.height / 2;
    expect(Math.hypot(cx - (centre.x + 20), cy - (centre.y - 40))).toBeLessThan(45 + region.width);
  });
});
