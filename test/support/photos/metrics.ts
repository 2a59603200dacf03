import type { RenderedPhoto } from "./render-photo";

/**
 * How a cutout compares with a photo's ground truth:
 * - `iou`: intersection over union of the alpha thresholded at 0.5;
 * - `edgeError`: mean absolute alpha error (0–1) over the pixels within 3 px of the true outline;
 * - `softEdgeError`: the same over the pixels whose true alpha is partial (5–95 %), where anti-aliasing
 *   shows: a hard, jagged mask scores about 0.25 there;
 * - `edgeColourError`: mean colour distance (0–255 RGB) between the cutout's colour and the product's
 *   true colour where the true alpha is partial (0.2–0.8) and the cutout kept the pixel;
 *   `edgeColourNaive` is the same for the untouched photo colours, i.e. what a halo would cost.
 */
export type CutoutScore = {
  iou: number;
  edgeError: number;
  softEdgeError: number;
  edgeColourError: number;
  edgeColourNaive: number;
  edgePixels: number;
};

export function scoreCutout(photo: RenderedPhoto, rgba: Uint8Array, original: Uint8Array): CutoutScore {
  const { width: w, height: h, alpha: truth, foreground } = photo;
  const n = w * h;
  let both = 0;
  let either = 0;
  for (let i = 0; i < n; i++) {
    const t = truth[i]! >= 128;
    const o = rgba[i * 4 + 3]! >= 128;
    if (t && o) both++;
    if (t || o) either++;
  }

  const distance = truthOutlineDistance(photo, 3);
  let edgeSum = 0;
  let edgeCount = 0;
  let softSum = 0;
  let softCount = 0;
  let colourSum = 0;
  let naiveSum = 0;
  let colourCount = 0;
  for (let i = 0; i < n; i++) {
    if (distance[i]! > 3) continue;
    edgeSum += Math.abs(rgba[i * 4 + 3]! - truth[i]!) / 255;
    edgeCount++;
    const t = truth[i]!;
    if (t >= 13 && t <= 242) {
      softSum += Math.abs(rgba[i * 4 + 3]! - t) / 255;
      softCount++;
    }
    if (t < 51 || t > 204 || rgba[i * 4 + 3]! < 26) continue;
    let c = 0;
    let naive = 0;
    for (let k = 0; k < 3; k++) {
      c += (rgba[i * 4 + k]! - foreground[i * 3 + k]!) ** 2;
      naive += (original[i * 3 + k]! - foreground[i * 3 + k]!) ** 2;
    }
    colourSum += Math.sqrt(c);
    naiveSum += Math.sqrt(naive);
    colourCount++;
  }
  return {
    iou: either ? both / either : 1,
    edgeError: edgeCount ? edgeSum / edgeCount : 0,
    softEdgeError: softCount ? softSum / softCount : 0,
    edgeColourError: colourCount ? colourSum / colourCount : 0,
    edgeColourNaive: colourCount ? naiveSum / colourCount : 0,
    edgePixels: colourCount,
  };
}

/** Chessboard distance of every pixel from the true outline (alpha crossing 0.5), 255 beyond `limit`. */
export function truthOutlineDistance(photo: RenderedPhoto, limit: number): Uint8Array {
  const { width: w, height: h, alpha: truth } = photo;
  const n = w * h;
  const distance = new Uint8Array(n).fill(255);
  const queue = new Int32Array(n);
  let tail = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const m = truth[i]! >= 128;
      if (
        (x > 0 && truth[i - 1]! >= 128 !== m) ||
        (x < w - 1 && truth[i + 1]! >= 128 !== m) ||
        (y > 0 && truth[i - w]! >= 128 !== m) ||
        (y < h - 1 && truth[i + w]! >= 128 !== m)
      ) {
        distance[i] = 0;
        queue[tail++] = i;
      }
    }
  }
  for (let head = 0; head < tail; head++) {
    const i = queue[head]!;
    const next = distance[i]! + 1;
    if (next > limit) continue;
    const x = i % w;
    const y = (i - x) / w;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        const yy = y + dy;
        if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
        const j = yy * w + xx;
        if (distance[j]! > next) {
          distance[j] = next;
          queue[tail++] = j;
        }
      }
    }
  }
  return distance;
}
