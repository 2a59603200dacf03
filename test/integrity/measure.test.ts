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

describe("a product of one flat colour", () => {
  // Nothing inside it to align on: only its outline says where it is and how large.
  let flat: Cutout;
  let flatBox: Box;
  let flatProduct: PreparedProduct;
  let flatExpected: ImagePlacement;

  beforeAll(async () => {
    const width = 500;
    const height = 700;
    const pixels = Buffer.alloc(width * height * 4);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const d = Math.hypot((x + 0.5 - 250) / 200, (y + 0.5 - 350) / 300);
        const cover = Math.min(1, Math.max(0, (1 - d) * 200 + 0.5));
        pixels.set([200, 60, 40, Math.round(cover * 255)], (y * width + x) * 4);
      }
    }
    flat = { pixels, width, height };
    flatBox = alphaBox(flat);
    flatExpected = placeAbsolute(frame, flatBox, absoluteValuesOf(request.object as never));
    const prepared = await prepareProduct({ ...flat, objectBox: flatBox });
    if (!prepared) throw new Error("the product did not prepare");
    flatProduct = prepared;
  });

  it.each([
    [0, 0, 1],
    [0, 0, 0.88],
    [0, 0, 1.12],
    [30, -20, 1],
  ] as const)("is measured from its outline: shift (%d, %d), scale %d", async (dx, dy, scale) => {
    const output = await renderOutput(frame, flat, moved(flatExpected, dx, dy, scale), 8, { format: "jpeg" });
    const result = judged(await checkIntegrity({ request, output, product: flatProduct }));
    expect(Math.abs(result.scale_ratio - scale)).toBeLessThanOrEqual(0.015);
    expect(Math.abs(result.offset.x - dx)).toBeLessThanOrEqual(2);
    expect(Math.abs(result.offset.y - dy)).toBeLessThanOrEqual(2);
    expect(result.verdict).toBe(scale === 1 && dx === 0 ? "intact" : "moved");
  });
});

describe("transparent outputs", () => {
  async function transparentOutput(cutout: Cutout, hole?: { x: number; y: number; r: number }) {
    const layer = await placeProduct(cutout, expected, frame);
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

  /** The same bottle, pure black: a hole in it reads black too, so only its transparency gives it away. */
  async function blackBottle(): Promise<{ cutout: Cutout; prepared: PreparedProduct }> {
    const spec = {
      ...randomProductSpec(randomFrom(5), "bottle"),
      body: [0, 0, 0] as [number, number, number],
    };
    const painted = paintProduct(spec);
    const { data, info } = await sharp(painted.pixels, {
      raw: { width: painted.width, height: painted.height, channels: 4 },
    })
      .extend({ top: 30, bottom: 30, left: 40, right: 40, background: { r: 0, g: 0, b: 0, alpha: 0 } })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const cutout = { pixels: data, width: info.width, height: info.height };
    const prepared = await prepareProduct({ ...cutout, objectBox: box });
    if (!prepared) throw new Error("the product did not prepare");
    return { cutout, prepared };
  }

  it("are intact when the product is all there", async () => {
    const output = await transparentOutput(image);
    expect((await checkIntegrity({ request, output, product })).verdict).toBe("intact");
  });

  it.each(["coloured", "black"] as const)(
    "are altered where a %s product was made transparent, and say where",
    async (kind) => {
      const { cutout, prepared } =
        kind === "black" ? await blackBottle() : { cutout: image, prepared: product };
      // Low on the body, clear of the label: on the black bottle only black surrounds the hole.
      const hole = { x: expected.center.x - 10, y: expected.center.y + 240, r: 28 };
      const intact = await checkIntegrity({
        request,
        output: await transparentOutput(cutout),
        product: prepared,
      });
      expect(intact.verdict).toBe("intact");
      const result = await checkIntegrity({
        request,
        output: await transparentOutput(cutout, hole),
        product: prepared,
      });
      expect(result.verdict).toBe("altered");
      if (result.verdict !== "altered") return;
      const region = result.worst_region;
      expect(region).toBeDefined();
      if (!region) return;
      const cx = region.x + region.width / 2;
      const cy = region.y + region.height / 2;
      expect(Math.hypot(cx - hole.x, cy - hole.y)).toBeLessThan(hole.r + region.width);
    },
  );
});
