import type { Box } from "@/lib/scene/placement";
import { ALPHA_THRESHOLD } from "@/lib/scene/placement";

/**
 * The object box of RGBA pixels, measured like the server does: the bounds of pixels whose alpha is at
 * least the shared threshold. Used only for images the server did not measure for us (an imported
 * request pointing at a URL). An image with nothing opaque counts as its whole rectangle.
 */
export function measureObjectBox(rgba: Uint8ClampedArray, width: number, height: number): Box {
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width * 4;
    for (let x = 0; x < width; x++) {
      if ((rgba[row + x * 4 + 3] ?? 0) >= ALPHA_THRESHOLD) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  if (maxX < 0) return { x: 0, y: 0, width, height };
  return { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}
