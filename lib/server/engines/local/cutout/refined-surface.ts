import type { PixelClasses } from "./background-region";
import { CLOSE } from "./background-region";
import type { Samples, Surface } from "./surface";
import { median, normalised, residualsOf, robustFit } from "./surface";
import type { RgbRaster } from "./types";

const MAX_SAMPLES = 16_000;
export const REFINED_DEGREE = 4;

/**
 * The background surface fitted again, now over all the background found on a first pass (not only the
 * border) and with a degree-4 polynomial: a vignette that falls off faster than a parabola, or a
 * gradient that bends, is then followed right up to the product, where the border fit could only
 * extrapolate. Returns the surface and the grain measured around it (per-channel standard deviation).
 */
export function refinedSurface(
  image: RgbRaster,
  background: Uint8Array,
  classes: PixelClasses,
  start: Surface,
): { surface: Surface; spread: number } | undefined {
  const { width: w, height: h, data } = image;
  let available = 0;
  for (let i = 0; i < w * h; i++) if (background[i] && classes.kind[i] === CLOSE) available++;
  if (available < 200) return undefined;
  const step = Math.max(1, Math.ceil(available / MAX_SAMPLES));
  const count = Math.floor(available / step);
  const samples: Samples = {
    count,
    u: new Float64Array(count),
    v: new Float64Array(count),
    rgb: new Float64Array(count * 3),
  };
  let seen = 0;
  let s = 0;
  for (let i = 0; i < w * h && s < count; i++) {
    if (!background[i] || classes.kind[i] !== CLOSE || seen++ % step !== 0) continue;
    const x = i % w;
    samples.u[s] = normalised(x, w);
    samples.v[s] = normalised((i - x) / w, h);
    samples.rgb[s * 3] = data[i * 3]!;
    samples.rgb[s * 3 + 1] = data[i * 3 + 1]!;
    samples.rgb[s * 3 + 2] = data[i * 3 + 2]!;
    s++;
  }
  const surface = robustFit(samples, REFINED_DEGREE, new Float64Array(count).fill(1), start, {
    inlierLimit: 30,
    minScale: 4,
  });
  const residual = new Float64Array(count);
  residualsOf(samples, surface, residual);
  // The colour distance of 3-channel Gaussian grain has a median of about 1.54 σ.
  return { surface, spread: median(residual) / 1.54 };
}
