import { median } from "./surface";

/**
 * Grain of the full-resolution image (per-channel standard deviation, 0–255), measured on a ring along
 * its edges as each pixel's difference from the mean of its four neighbours, robustly (median), so the
 * product where it touches the edge and smooth gradients do not count.
 */
export function borderNoise(rgba: Uint8Array, width: number, height: number): number {
  if (width < 5 || height < 5) return 1;
  const depth = Math.max(3, Math.round(Math.min(width, height) * 0.01));
  const step = Math.max(1, Math.floor((2 * (width + height) * depth) / 4_000));
  const deviations: number[] = [];
  let n = 0;
  const sample = (x: number, y: number) => {
    if (n++ % step !== 0) return;
    const i = (y * width + x) * 4;
    for (let c = 0; c < 3; c++) {
      const here = rgba[i + c]!;
      const around =
        (rgba[i - 4 + c]! + rgba[i + 4 + c]! + rgba[i - width * 4 + c]! + rgba[i + width * 4 + c]!) / 4;
      deviations.push(Math.abs(here - around));
    }
  };
  for (let d = 1; d < depth; d++) {
    for (let x = 1; x < width - 1; x++) {
      sample(x, d);
      sample(x, height - 1 - d);
    }
    for (let y = depth; y < height - depth; y++) {
      sample(d, y);
      sample(width - 1 - d, y);
    }
  }
  if (!deviations.length) return 1;
  // The difference from a 4-neighbour mean has 1.25 times the variance of the grain itself.
  return (1.4826 * median(deviations)) / Math.sqrt(1.25);
}
