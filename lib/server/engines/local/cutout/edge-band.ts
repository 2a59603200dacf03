/**
 * Distance (in pixels, chessboard) from the outline between product and background, up to `limit`;
 * pixels further away get 255. Pixels on either side of the outline are at distance 0. The uncertain
 * band of the matte is the set of pixels within a few pixels of the outline.
 */
export function outlineDistance(
  background: Uint8Array,
  width: number,
  height: number,
  limit: number,
): Uint8Array {
  const n = width * height;
  const distance = new Uint8Array(n).fill(255);
  const queue = new Int32Array(n);
  let tail = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const here = background[i];
      if (
        (x > 0 && background[i - 1] !== here) ||
        (x < width - 1 && background[i + 1] !== here) ||
        (y > 0 && background[i - width] !== here) ||
        (y < height - 1 && background[i + width] !== here)
      ) {
        distance[i] = 0;
        queue[tail++] = i;
      }
    }
  }
  let head = 0;
  while (head < tail) {
    const i = queue[head++]!;
    const next = distance[i]! + 1;
    if (next > limit) continue;
    const x = i % width;
    const y = (i - x) / width;
    for (let dy = -1; dy <= 1; dy++) {
      const yy = y + dy;
      if (yy < 0 || yy >= height) continue;
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        if (xx < 0 || xx >= width) continue;
        const j = yy * width + xx;
        if (distance[j]! > next) {
          distance[j] = next;
          queue[tail++] = j;
        }
      }
    }
  }
  return distance;
}
