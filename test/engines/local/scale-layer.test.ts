// An unrotated placement drawn by the separable scaler: bilinear, premultiplied, clipped to the frame.
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import type { AxisPlacement, Rgba } from "@/lib/server/engines/local/scale-layer";
import { scaleLayer } from "@/lib/server/engines/local/scale-layer";

function viewOf(width: number, height: number, pixel: (x: number, y: number) => number[]): Rgba {
  const pixels = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) pixels.set(pixel(x, y), (y * width + x) * 4);
  return { pixels, width, height };
}

/** The textbook definition, one output pixel at a time: premultiplied bilinear, clear outside. */
function reference(source: Rgba, at: AxisPlacement, x: number, y: number): number[] {
  const u = (x + 0.5 - at.left) / at.scaleX - 0.5;
  const v = (y + 0.5 - at.top) / at.scaleY - 0.5;
  const x0 = Math.floor(u);
  const y0 = Math.floor(v);
  const sums = [0, 0, 0, 0];
  for (const [dx, dy] of [
    [0, 0],
    [1, 0],
    [0, 1],
    [1, 1],
  ] as const) {
    const sx = x0 + dx;
    const sy = y0 + dy;
    if (sx < 0 || sy < 0 || sx >= source.width || sy >= source.height) continue;
    const w = (dx ? u - x0 : 1 - (u - x0)) * (dy ? v - y0 : 1 - (v - y0));
    const p = (sy * source.width + sx) * 4;
    const alpha = (source.pixels[p + 3] ?? 0) * w;
    for (let c = 0; c < 3; c++) sums[c]! += (source.pixels[p + c] ?? 0) * alpha;
    sums[3]! += alpha;
  }
  const alpha = sums[3]!;
  if (alpha === 0) return [0, 0, 0, 0];
  return [sums[0]! / alpha, sums[1]! / alpha, sums[2]! / alpha, alpha];
}

const frame = { width: 64, height: 48 };

describe("scaleLayer", () => {
  it("matches premultiplied bilinear sampling pixel by pixel, for any scale and sub-pixel position", () => {
    const source = viewOf(9, 7, (x, y) => [
      (x * 37) % 256,
      (y * 53) % 256,
      (x * y * 11) % 256,
      (x + y) % 3 ? 255 : 90,
    ]);
    fc.assert(
      fc.property(
        fc.double({ min: 0.3, max: 4, noNaN: true }),
        fc.double({ min: 0.3, max: 4, noNaN: true }),
        fc.double({ min: -10, max: 50, noNaN: true }),
        fc.double({ min: -10, max: 40, noNaN: true }),
        (scaleX, scaleY, left, top) => {
          const at = { left, top, scaleX, scaleY };
          const layer = scaleLayer(source, at, frame);
          if (!layer) return;
          for (let y = 0; y < layer.height; y++) {
            for (let x = 0; x < layer.width; x++) {
              const want = reference(source, at, layer.left + x, layer.top + y);
              const o = (y * layer.width + x) * 4;
              const alpha = layer.pixels[o + 3] ?? 0;
              // Weights are kept to 1/256 of a pixel: a byte or two away from the exact value.
              expect(Math.abs(alpha - (want[3] ?? 0))).toBeLessThanOrEqual(2);
              if (alpha < 8) continue;
              for (let c = 0; c < 3; c++)
                expect(Math.abs((layer.pixels[o + c] ?? 0) - (want[c] ?? 0))).toBeLessThanOrEqual(2);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("fades an edge in opacity only: a one-colour product keeps its colour to the last pixel", () => {
    const source = viewOf(20, 10, () => [230, 20, 20, 255]);
    const layer = scaleLayer(source, { left: 10.3, top: 5.7, scaleX: 1.7, scaleY: 2.2 }, frame);
    expect(layer).toBeDefined();
    let partial = 0;
    for (let i = 0; i < (layer?.pixels.length ?? 0); i += 4) {
      const alpha = layer?.pixels[i + 3] ?? 0;
      if (alpha === 0) continue;
      if (alpha < 255) partial++;
      expect([...(layer?.pixels.subarray(i, i + 3) ?? [])]).toEqual([230, 20, 20]);
    }
    expect(partial).toBeGreaterThan(50);
  });

  it("covers where the product lands, within the frame, and nothing when it lands outside", () => {
    const source = viewOf(10, 10, () => [1, 2, 3, 255]);
    const layer = scaleLayer(source, { left: 60, top: -5, scaleX: 1, scaleY: 1 }, frame);
    expect(layer).toMatchObject({ left: 59, top: 0, width: 5 });
    expect((layer?.top ?? 0) + (layer?.height ?? 0)).toBeLessThanOrEqual(frame.height);
    // The pixel whose centre is the source's first column and row (clipped by the frame's top).
    expect([...(layer?.pixels.subarray(4, 8) ?? [])]).toEqual([1, 2, 3, 255]);
    expect(scaleLayer(source, { left: 70, top: 0, scaleX: 1, scaleY: 1 }, frame)).toBeUndefined();
    expect(scaleLayer(source, { left: -12, top: 0, scaleX: 1, scaleY: 1 }, frame)).toBeUndefined();
  });
});
