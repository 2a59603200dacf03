import { describe, expect, it } from "vitest";

import { PRESETS, presetSpec, type PresetName } from "@/lib/scene/export";
import type { Box } from "@/lib/scene/placement";
import { fillOf, frameExport, type FramingInput } from "@/lib/server/exports/framing";

/** Each preset's geometry on a 1024² draft (and others), without any pixels. */
const square = { width: 1024, height: 1024 };
const product: Box = { x: 362, y: 205, width: 300, height: 614 };

function frame(preset: PresetName, extra: Partial<FramingInput> = {}) {
  return frameExport({
    source: square,
    product,
    spec: presetSpec(preset),
    backdrop: "plain",
    allowUpscale: false,
    ...extra,
  });
}

const inside = (b: Box, w: number, h: number) =>
  b.x >= -0.5 && b.y >= -0.5 && b.x + b.width <= w + 0.5 && b.y + b.height <= h + 0.5;

describe("amazon-main", () => {
  it("frames the product to fill 90 % of a square, centred on it", () => {
    const f = frame("amazon-main");
    expect(f.window.width).toBeCloseTo(614 / 0.9, 6);
    expect(f.window.height).toBeCloseTo(f.window.width, 6);
    expect(f.window.x + f.window.width / 2).toBeCloseTo(512, 6);
    expect(f.window.y + f.window.height / 2).toBeCloseTo(512, 6);
    expect(fillOf(f.product!, f.output)).toBeCloseTo(0.9, 3);
  });

  it("is never enlarged silently: a draft too small keeps its pixels, and is enlarged to 1600 only when allowed", () => {
    const kept = frame("amazon-main");
    expect(kept.output).toEqual({ width: 682, height: 682 });
    expect(kept.enlarged).toBeNull();
    expect(kept.scale).toBeCloseTo(1, 2);
    const enlarged = frame("amazon-main", { allowUpscale: true });
    expect(enlarged.output).toEqual({ width: 1600, height: 1600 });
    expect(enlarged.enlarged).toBeCloseTo(1600 / (614 / 0.9), 2);
    expect(fillOf(enlarged.product!, enlarged.output)).toBeCloseTo(0.9, 3);
  });

  it("takes the preset's 2000 px from a source with the pixels, and keeps anything between 1600 and 2000", () => {
    const big = { width: 4096, height: 4096 };
    const bigProduct = { x: 1448, y: 820, width: 1200, height: 2456 };
    const f = frameExport({
      source: big,
      product: bigProduct,
      spec: PRESETS["amazon-main"],
      backdrop: "plain",
      allowUpscale: false,
    });
    expect(f.output).toEqual({ width: 2000, height: 2000 });
    expect(f.enlarged).toBeNull();
    const mid = frameExport({
      source: { width: 2048, height: 2048 },
      product: { x: 600, y: 400, width: 700, height: 1500 },
      spec: PRESETS["amazon-main"],
      backdrop: "plain",
      allowUpscale: false,
    });
    expect(mid.output).toEqual({ width: 1667, height: 1667 });
  });

  it("lowers the fill until the frame's edge is clear of the shadow, instead of cutting it", () => {
    // A shadow reaching 20 % beyond the product on every side: only a frame at fill ≤ 1/1.4 is clean.
    const shadow = {
      x: product.x - 0.2 * 614,
      y: product.y - 0.2 * 614,
      width: 300 + 0.4 * 614,
      height: 1.4 * 614,
    };
    const isClean = (window: Box, band: number) =>
      window.x + band <= shadow.x &&
      window.y + band <= shadow.y &&
      window.x + window.width - band >= shadow.x + shadow.width &&
      window.y + window.height - band >= shadow.y + shadow.height;
    const f = frame("amazon-main", { isClean });
    expect(isClean(f.window, 8)).toBe(true);
    const fill = fillOf(f.product!, f.output);
    expect(fill).toBeLessThan(1 / 1.4);
    expect(fill).toBeGreaterThan(1 / 1.4 - 0.03);
  });

  it("on a scene, stays inside the picture rather than padding it", () => {
    const nearEdge = { x: 20, y: 300, width: 300, height: 614 };
    const f = frame("amazon-main", { backdrop: "scene", product: nearEdge });
    expect(f.window.x).toBeGreaterThanOrEqual(0);
    expect(f.window.y).toBeGreaterThanOrEqual(0);
    expect(f.window.x + f.window.width).toBeLessThanOrEqual(1024);
    expect(f.window.y + f.window.height).toBeLessThanOrEqual(1024);
    expect(inside(f.product!, f.output.width, f.output.height)).toBe(true);
  });
});

describe.each([
  ["shopify-square", 2048, 2048],
  ["instagram-square", 1080, 1080],
  ["instagram-portrait", 1080, 1350],
  ["instagram-story", 1080, 1920],
] as const)("%s", (preset, width, height) => {
  it(`covers its ${width} × ${height} frame, cropped around the product`, () => {
    const f = frame(preset, { allowUpscale: true });
    expect(f.output).toEqual({ width, height });
    expect(f.window.width / f.window.height).toBeCloseTo(width / height, 6);
    // The largest window of that shape inside the square.
    expect(Math.max(f.window.width, f.window.height)).toBeCloseTo(1024, 6);
    expect(f.window.x).toBeGreaterThanOrEqual(0);
    expect(f.window.x + f.window.width).toBeLessThanOrEqual(1024 + 1e-9);
    expect(inside(f.product!, width, height)).toBe(true);
    expect(f.enlarged).toBeCloseTo(height / 1024, 2);
  });

  it("keeps a small source's own pixels unless enlarging is allowed", () => {
    const f = frame(preset);
    expect(f.enlarged).toBeNull();
    expect(f.output.width).toBeLessThan(width);
    expect(f.output.width / f.output.height).toBeCloseTo(width / height, 2);
  });
});

describe("cover and contain", () => {
  it("a cover crop of a wide product for a story cuts it, which the product box shows", () => {
    const wide = { x: 112, y: 400, width: 800, height: 224 };
    const f = frame("instagram-story", { product: wide, allowUpscale: true });
    expect(inside(f.product!, 1080, 1920)).toBe(false);
  });

  it("follows the product to a side of the picture, and stays inside it", () => {
    const left = { x: 10, y: 300, width: 200, height: 400 };
    const f = frame("instagram-story", { product: left });
    expect(f.window.x).toBe(0);
    expect(inside(f.product!, f.output.width, f.output.height)).toBe(true);
  });

  it("contain pads the whole picture to the frame's shape", () => {
    const f = frameExport({
      source: square,
      product,
      spec: presetSpec({
        preset: "custom",
        width: 800,
        height: 400,
        format: "png",
        background: "#ffffff",
        fit: "contain",
      }),
      backdrop: "scene",
      allowUpscale: false,
    });
    expect(f.window).toEqual({ x: -512, y: 0, width: 2048, height: 1024 });
    expect(f.output).toEqual({ width: 800, height: 400 });
    expect(f.scale).toBeCloseTo(800 / 2048, 6);
  });

  it("custom product framing aims at its min_fill, and falls back to contain without a product box", () => {
    const spec = presetSpec({
      preset: "custom",
      width: 600,
      height: 600,
      format: "jpeg",
      background: "#ffffff",
      fit: "product",
      min_fill: 0.6,
    });
    const f = frameExport({ source: square, product, spec, backdrop: "plain", allowUpscale: false });
    const fill = fillOf(f.product!, f.output);
    expect(fill).toBeGreaterThanOrEqual(0.6 - 1e-6);
    expect(fill).toBeLessThanOrEqual(0.65 + 1e-6);
    const unknown = frameExport({ source: square, spec, backdrop: "plain", allowUpscale: false });
    expect(unknown.window).toEqual({ x: 0, y: 0, width: 1024, height: 1024 });
    expect(unknown.product).toBeUndefined();
  });
});
