import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";

import { sceneCreateRequest } from "@/lib/scene/contract";
import type { Box, Size } from "@/lib/scene/placement";
import { absoluteValuesOf, frameSizeFor, placeAbsolute } from "@/lib/scene/placement";
import type { IntegrityResult, ProductCutout } from "@/lib/server/integrity";
import { checkIntegrity } from "@/lib/server/integrity";

import { alphaBox, renderOutput } from "./cases";
import type { Cutout } from "./products";
import { paintProduct, randomProductSpec } from "./products";
import { randomFrom } from "./random";

/** When the check cannot judge, it says so, with the reason, instead of guessing. */
const imageUrl = "https://products.example/cutout.png";
const absolute = (object: Record<string, unknown>, scene: Record<string, unknown> = { effect: "shadows" }) =>
  sceneCreateRequest.parse({ object: { image_url: imageUrl, ...object }, scene });

let image: Cutout;
let box: Box;
let product: ProductCutout;

async function outputFor(request: ReturnType<typeof absolute>, size?: Size): Promise<Buffer> {
  const frame = size ?? frameSizeFor(request, { input: image });
  const placement = placeAbsolute(frame, box, absoluteValuesOf(request.object as never));
  return renderOutput(frame, image, placement, 9);
}

function expectUnknown(result: IntegrityResult, code: string) {
  expect(result.verdict).toBe("unknown");
  if (result.verdict !== "unknown") return;
  expect(result.code).toBe(code);
  expect(result.reason.length).toBeGreaterThan(10);
  expect(result.similarity).toBeNull();
  expect(result.offset_px).toBeNull();
  expect(result.scale_ratio).toBeNull();
}

beforeAll(async () => {
  image = paintProduct(randomProductSpec(randomFrom(21), "box"));
  box = alphaBox(image);
  product = { ...image, objectBox: box };
});

describe("outputs it cannot judge", () => {
  it("an output of another shape than the requested frame", async () => {
    const request = absolute({ scale: 0.6 }, { effect: "shadows", aspect_ratio: "1:1" });
    const output = await outputFor(request, { width: 1024, height: 768 });
    expectUnknown(await checkIntegrity({ request, output, product }), "output_size_mismatch");
  });

  it("a template scene's output that is not the shape of the frame it was given", async () => {
    const request = absolute(
      { scale: 0.6 },
      { template_url: "https://products.example/room.jpg", view: "front" },
    );
    const output = await outputFor(request, { width: 1024, height: 1024 });
    const frame = { width: 1280, height: 800 };
    expectUnknown(await checkIntegrity({ request, output, product, frame }), "output_size_mismatch");
  });

  it("a product almost entirely outside the frame", async () => {
    // Most of this product is on its right; placed at the right edge, only a sliver is inside.
    const width = 600;
    const height = 400;
    const pixels = Buffer.alloc(width * height * 4);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const solid = x >= 320 || (y >= 190 && y < 210);
        if (!solid) continue;
        const o = (y * width + x) * 4;
        pixels.set([200, 40 + (x % 50), 60 + (y % 40), 255], o);
      }
    }
    const lopsided = { pixels, width, height };
    const request = absolute({ scale: 0.5, position: { x: 1, y: 0.5 } });
    const frame = frameSizeFor(request, { input: lopsided });
    const objectBox = alphaBox(lopsided);
    const output = await renderOutput(
      frame,
      lopsided,
      placeAbsolute(frame, objectBox, absoluteValuesOf(request.object as never)),
      3,
    );
    const result = await checkIntegrity({ request, output, product: { ...lopsided, objectBox } });
    expectUnknown(result, "product_outside_frame");
  });

  it("a product too small in the output", async () => {
    const request = absolute({ scale: 0.01 });
    expectUnknown(
      await checkIntegrity({ request, output: await outputFor(request), product }),
      "product_too_small",
    );
  });

  it("a pixel padding larger than half the output", async () => {
    const request = sceneCreateRequest.parse({
      object: { image_url: imageUrl, placement_type: "padding", padding: "600px" },
      scene: { effect: "shadows" },
    });
    const output = await sharp({ create: { width: 1024, height: 1024, channels: 3, background: "#ffffff" } })
      .png()
      .toBuffer();
    expectUnknown(await checkIntegrity({ request, output, product }), "request_not_placeable");
  });

  it("bytes that are not an image", async () => {
    const request = absolute({ scale: 0.6 });
    const output = Buffer.from("these bytes are no picture at all");
    expectUnknown(await checkIntegrity({ request, output, product }), "output_unreadable");
  });

  it("decoded pixels that do not match their size", async () => {
    const request = absolute({ scale: 0.6 });
    const output = { pixels: new Uint8Array(100), width: 1024, height: 1024, channels: 3 as const };
    expectUnknown(await checkIntegrity({ request, output, product }), "output_unreadable");
  });

  it("a cutout whose pixels do not match its size", async () => {
    const request = absolute({ scale: 0.6 });
    const output = await outputFor(request);
    const broken = { pixels: new Uint8Array(12), width: image.width, height: image.height };
    expectUnknown(await checkIntegrity({ request, output, product: broken }), "product_unreadable");
  });
});

describe("outputs it can judge", () => {
  it("a decoded output as well as an encoded one", async () => {
    const request = absolute({ scale: 0.6, rotation_degree: 30 });
    const encoded = await outputFor(request);
    const { data, info } = await sharp(encoded).raw().toBuffer({ resolveWithObject: true });
    const raw = { pixels: data, width: info.width, height: info.height, channels: info.channels as 3 };
    expect((await checkIntegrity({ request, output: encoded, product })).verdict).toBe("intact");
    expect((await checkIntegrity({ request, output: raw, product })).verdict).toBe("intact");
  });

  it("a cutout without its object box, measured from its alpha", async () => {
    const request = absolute({ scale: 0.6 });
    const output = await outputFor(request);
    const bare = { pixels: image.pixels, width: image.width, height: image.height };
    expect((await checkIntegrity({ request, output, product: bare })).verdict).toBe("intact");
  });

  it("a template scene without its frame, at the output's own shape", async () => {
    const request = absolute(
      { scale: 0.5 },
      { template_url: "https://products.example/room.jpg", view: "front" },
    );
    const output = await outputFor(request, { width: 1280, height: 800 });
    expect((await checkIntegrity({ request, output, product })).verdict).toBe("intact");
  });
});
