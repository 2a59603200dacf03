// The product drawn over an opaque frame: straight alpha, only inside the layer's rectangle.
import { describe, expect, it } from "vitest";

import { blendOver } from "@/lib/server/engines/local/blend";

function frameOf(width: number, height: number, rgb: [number, number, number]) {
  const frame = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) frame.set(rgb, i * 3);
  return frame;
}

const at = (frame: Buffer, width: number, x: number, y: number) => [
  ...frame.subarray((y * width + x) * 3, (y * width + x) * 3 + 3),
];

describe("blendOver", () => {
  it("keeps clear pixels, replaces opaque ones and mixes the rest by their alpha", () => {
    const frame = frameOf(4, 3, [200, 100, 0]);
    // A 3 × 1 layer at (1, 1): clear, opaque blue, half-transparent white.
    const pixels = Buffer.from([9, 9, 9, 0, 0, 0, 255, 255, 255, 255, 255, 128]);
    blendOver(frame, 4, { pixels, width: 3, height: 1, left: 1, top: 1 });
    expect(at(frame, 4, 1, 1)).toEqual([200, 100, 0]);
    expect(at(frame, 4, 2, 1)).toEqual([0, 0, 255]);
    expect(at(frame, 4, 3, 1)).toEqual([228, 178, 128]);
    // Outside the layer nothing changes.
    for (const [x, y] of [
      [0, 0],
      [0, 1],
      [3, 0],
      [1, 2],
      [3, 2],
    ] as const) {
      expect(at(frame, 4, x, y)).toEqual([200, 100, 0]);
    }
  });

  it("matches an exact blend to within rounding for every alpha", () => {
    const width = 256;
    const frame = frameOf(width, 1, [37, 180, 250]);
    const pixels = Buffer.alloc(width * 4);
    for (let a = 0; a < 256; a++) pixels.set([250, 20, 90, a], a * 4);
    blendOver(frame, width, { pixels, width, height: 1, left: 0, top: 0 });
    for (let a = 0; a < 256; a++) {
      const expected = [
        37 + (250 - 37) * (a / 255),
        180 + (20 - 180) * (a / 255),
        250 + (90 - 250) * (a / 255),
      ];
      at(frame, width, a, 0).forEach((v, c) =>
        expect(Math.abs(v - (expected[c] ?? 0))).toBeLessThanOrEqual(1),
      );
    }
  });
});
