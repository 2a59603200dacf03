import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";

import { presetSpec, type ExportCheck, type PresetChoice } from "@/lib/scene/export";
import type { Config } from "@/lib/server/config";
import { renderExport } from "@/lib/server/exports/render";

import { testConfig } from "../support/config";
import { draft, pixelsOf, storedProduct } from "./drafts";

/** Each preset on real drafts of the local engine: the file it makes and what its checks say. */
let config: Config;
let bottle: Awaited<ReturnType<typeof storedProduct>>;
let box: Awaited<ReturnType<typeof storedProduct>>;

beforeAll(async () => {
  config = testConfig();
  bottle = await storedProduct(config, "bottle");
  box = await storedProduct(config, "box", 11);
}, 60_000);

const statusOf = (checks: ExportCheck[]) => Object.fromEntries(checks.map((c) => [c.id, c.status]));
const exportOf = (
  bytes: Buffer,
  source: Parameters<typeof renderExport>[1],
  preset: PresetChoice,
  allowUpscale = false,
) => renderExport(bytes, source, presetSpec(preset), { allowUpscale });

describe("amazon-main", () => {
  it("passes a shadow scene on white: a JPEG in sRGB, every border pixel #FFFFFF, the product filling ≥ 85 %", async () => {
    const { bytes, source } = await draft(config, bottle, { scene: { effect: "shadows", color: "#ffffff" } });
    const made = await exportOf(bytes, source, "amazon-main", true);
    expect(statusOf(made.checks)).toEqual({
      size: "warn",
      format: "pass",
      background: "pass",
      fill: "pass",
      main_image: "pass",
      product_inside: "pass",
      integrity: "pass",
    });
    const meta = await sharp(made.bytes).metadata();
    expect(meta).toMatchObject({ format: "jpeg", space: "srgb", width: 1600, height: 1600 });
    expect(meta.icc).toBeDefined();
    // Read back independently: the whole outer ring is pure white.
    const file = await pixelsOf(made.bytes);
    for (let i = 0; i < 1600; i++) {
      for (const [x, y] of [
        [i, 0],
        [i, 1599],
        [0, i],
        [1599, i],
      ] as const)
        expect(file.at(x, y)).toEqual([255, 255, 255, 255]);
    }
    expect(made.framing.enlarged).toBeGreaterThan(1.5);
    // The product spans the middle: a good part of the row through it is not white.
    const row = Array.from({ length: 1600 }, (_, x) => file.at(x, 800)[0]!);
    expect(row.filter((v) => v < 200).length / 1600).toBeGreaterThan(0.3);
  });

  it("flags an AI scene as not a main image, and leaves its background as it is", async () => {
    const { bytes, source } = await draft(config, bottle, {
      scene: { prompt: "marble countertop, beige wall, soft light", aspect_ratio: "1:1" },
    });
    const made = await exportOf(bytes, source, "amazon-main", true);
    const main = made.checks.find((c) => c.id === "main_image");
    expect(main).toEqual({
      id: "main_image",
      status: "fail",
      message: "Not a main image: the background is an AI scene. Use a secondary image slot.",
    });
    expect(made.checks.find((c) => c.id === "background")?.status).toBe("fail");
    const file = await pixelsOf(made.bytes);
    const corner = file.at(2, 2);
    expect(corner).not.toEqual([255, 255, 255, 255]);
    // The corner is the scene's own pixel at that place, not a whitened one.
    const { window } = made.framing;
    const source_ = await pixelsOf(bytes);
    const expected = source_.at(
      Math.round(window.x + 2 / made.framing.scale),
      Math.round(window.y + 2 / made.framing.scale),
    );
    for (let c = 0; c < 3; c++) expect(Math.abs((corner[c] ?? 0) - (expected[c] ?? 0))).toBeLessThan(12);
  });

  it("fails the white border of a coloured backdrop and says what colour it is", async () => {
    const { bytes, source } = await draft(config, bottle, { scene: { effect: "shadows", color: "#3a6ea5" } });
    const made = await exportOf(bytes, source, "amazon-main", true);
    const background = made.checks.find((c) => c.id === "background");
    expect(background?.status).toBe("fail");
    expect(background?.message).toMatch(
      /^6396 of 6396 border pixels are not pure white \(#FFFFFF\): the scene's background is #3a6ea5$/,
    );
    expect(made.checks.find((c) => c.id === "main_image")?.status).toBe("pass");
  });

  it("flattens a transparent draft onto white", async () => {
    const { bytes, source } = await draft(config, bottle, {
      scene: { effect: "shadows", color: "transparent" },
    });
    const made = await exportOf(bytes, source, "amazon-main", true);
    expect(statusOf(made.checks)).toMatchObject({ background: "pass", fill: "pass", format: "pass" });
    expect((await sharp(made.bytes).metadata()).hasAlpha).toBe(false);
  });

  it("does not enlarge a small draft unless asked: the size check fails and says how to fix it", async () => {
    const { bytes, source } = await draft(config, bottle, { scene: { effect: "shadows" } });
    const made = await exportOf(bytes, source, "amazon-main");
    expect(made.framing.enlarged).toBeNull();
    expect(made.framing.output.width).toBeLessThan(1024);
    const size = made.checks.find((c) => c.id === "size");
    expect(size?.status).toBe("fail");
    expect(size?.message).toMatch(
      /is smaller than the 1600 × 1600 this preset needs\. It was not enlarged: allow enlarging/,
    );
    expect((await sharp(made.bytes).metadata()).width).toBe(made.framing.output.width);
  });
});

describe("square, portrait and story presets", () => {
  it.each([
    ["shopify-square", 2048, 2048],
    ["instagram-square", 1080, 1080],
    ["instagram-portrait", 1080, 1350],
    ["instagram-story", 1080, 1920],
  ] as const)("%s makes a %i × %i JPEG cropped around the product", async (preset, width, height) => {
    const { bytes, source } = await draft(config, bottle, {
      object: { scale: 0.6, position: { x: 0.4, y: 0.5 } },
      scene: { prompt: "wooden table by a window", aspect_ratio: "1:1" },
    });
    const made = await exportOf(bytes, source, preset, true);
    expect(await sharp(made.bytes).metadata()).toMatchObject({
      format: "jpeg",
      width,
      height,
      space: "srgb",
    });
    expect(statusOf(made.checks)).toEqual({
      size: "warn",
      format: "pass",
      product_inside: "pass",
      integrity: "pass",
    });
    // The crop follows the product, which is left of centre.
    const centre = (made.framing.product!.x + made.framing.product!.width / 2) / width;
    expect(centre).toBeGreaterThan(0.35);
    expect(centre).toBeLessThan(0.65);
  });

  it("a story crop that would cut a wide product says so", async () => {
    const { bytes, source } = await draft(config, box, {
      object: { scale: 0.95 },
      scene: { effect: "shadows", aspect_ratio: "16:9" },
    });
    const made = await exportOf(bytes, source, "instagram-story", true);
    expect(made.checks.find((c) => c.id === "product_inside")).toEqual({
      id: "product_inside",
      status: "fail",
      message: "The crop cuts off part of the product: use fit contain or product",
    });
  });
});

describe("custom", () => {
  it("contain keeps transparency in a png, padding with nothing", async () => {
    const { bytes, source } = await draft(config, bottle, {
      scene: { effect: "shadows", color: "transparent", aspect_ratio: "1:1" },
    });
    const made = await exportOf(bytes, source, {
      preset: "custom",
      width: 800,
      height: 400,
      format: "png",
      background: "transparent",
      fit: "contain",
    });
    const file = await pixelsOf(made.bytes);
    expect([file.width, file.height]).toEqual([800, 400]);
    expect(file.at(5, 200)[3]).toBe(0);
    expect(file.at(795, 200)[3]).toBe(0);
    expect(file.at(400, 200)[3]).toBe(255);
    expect(statusOf(made.checks)).toEqual({
      size: "pass",
      format: "pass",
      product_inside: "pass",
      integrity: "pass",
    });
  });

  it("product framing meets its min_fill and checks it", async () => {
    const { bytes, source } = await draft(config, box, { scene: { effect: "shadows", color: "#f2efe9" } });
    const made = await exportOf(bytes, source, {
      preset: "custom",
      width: 500,
      height: 500,
      format: "webp",
      background: "#ffffff",
      fit: "product",
      min_fill: 0.7,
    });
    expect((await sharp(made.bytes).metadata()).format).toBe("webp");
    const fill = made.checks.find((c) => c.id === "fill");
    expect(fill?.status).toBe("pass");
    expect(fill?.message).toMatch(/^The product fills 7\d % of the frame$/);
    // Padded with the scene's own colour, so no seam shows.
    const file = await pixelsOf(made.bytes);
    const [r, g, b] = file.at(1, 1);
    expect(Math.abs((r ?? 0) - 0xf2) + Math.abs((g ?? 0) - 0xef) + Math.abs((b ?? 0) - 0xe9)).toBeLessThan(8);
  });
});

describe("every preset", () => {
  it("makes the same bytes from the same output", async () => {
    const { bytes, source } = await draft(config, bottle, { scene: { effect: "shadows" } });
    const first = await exportOf(bytes, source, "amazon-main", true);
    const second = await exportOf(bytes, source, "amazon-main", true);
    expect(second.bytes.equals(first.bytes)).toBe(true);
  });

  it("warns about an altered or moved product, and notes one it could not judge", async () => {
    const { bytes, source } = await draft(config, bottle, { scene: { effect: "shadows" } });
    const integrity = source.integrity!;
    const altered = await exportOf(
      bytes,
      { ...source, integrity: { ...integrity, verdict: "altered", similarity: 0.31 } },
      "instagram-square",
    );
    expect(altered.checks.find((c) => c.id === "integrity")).toEqual({
      id: "integrity",
      status: "warn",
      message: "The product looks altered (similarity 0.31): compare it with the cutout",
    });
    const moved = await exportOf(
      bytes,
      { ...source, integrity: { ...integrity, verdict: "moved", offset_px: 41.2, scale_ratio: 1 } },
      "instagram-square",
    );
    expect(moved.checks.find((c) => c.id === "integrity")?.message).toBe(
      "The product is 41 px from where it was placed, at 1× its size",
    );
    const unknown = await exportOf(bytes, { ...source, integrity: null }, "amazon-main");
    expect(statusOf(unknown.checks)).toMatchObject({
      integrity: "info",
      product_inside: "info",
      fill: "warn",
    });
  });
});
