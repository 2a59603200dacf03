import "server-only";

import type { PlacedLayer } from "./place";

/**
 * Draws the placed product over an opaque RGB frame, in place: `out = bg + (fg − bg) · α`, with the
 * straight (not premultiplied) alpha the placement leaves. Only the layer's rectangle is touched, where
 * libvips' composite would work over the whole frame in floating point, and the frame stays RGB, so no
 * alpha channel is added and taken away again.
 */
export function blendOver(frame: Buffer, frameWidth: number, layer: PlacedLayer): void {
  const { pixels, width, height, left, top } = layer;
  for (let y = 0; y < height; y++) {
    let src = y * width * 4;
    let dst = ((top + y) * frameWidth + left) * 3;
    for (let x = 0; x < width; x++, src += 4, dst += 3) {
      const a = pixels[src + 3] ?? 0;
      if (a === 0) continue;
      if (a === 255) {
        frame[dst] = pixels[src] ?? 0;
        frame[dst + 1] = pixels[src + 1] ?? 0;
        frame[dst + 2] = pixels[src + 2] ?? 0;
        continue;
      }
      for (let c = 0; c < 3; c++) {
        const bg = frame[dst + c] ?? 0;
        frame[dst + c] = bg + (((pixels[src + c] ?? 0) - bg) * a + 127) / 255;
      }
    }
  }
}
