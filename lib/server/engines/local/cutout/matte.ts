import type { Segmentation } from "./segment";
import { BAND } from "./segment";

/**
 * The alpha matte and edge colours at full resolution, written over the decoded RGBA pixels.
 *
 * Away from the outline the working-resolution decision is taken as is (fully product or fully
 * background). In the band around it every full-resolution pixel is explained as a mix of the local
 * product colour F and the local background colour B (both interpolated from working resolution):
 * alpha is the position of the pixel's colour along the line from B to F, so the edge follows the real
 * image at full resolution and stays anti-aliased. A dead zone at both ends, as wide as the noise,
 * keeps grain from leaving a faint haze outside or pinholes inside.
 *
 * Colours of partly transparent pixels are decontaminated: what the background contributed is replaced
 * by the product colour, `C + (1 − α)(F − B)`, so no rim of the old background is left. Fully transparent
 * pixels are black.
 *
 * Where F and B are too alike to tell apart (a white part against a white background) the working
 * decision, interpolated, gives alpha instead.
 */

/** Below this colour distance between F and B, the projection is not trusted. */
const MIN_CONTRAST = 24;

export function composeMatte(
  rgba: Buffer,
  fullWidth: number,
  fullHeight: number,
  seg: Segmentation,
  noise: number,
): void {
  const { width: w, height: h, background, distance, foreground, behind, known } = seg;
  const column0 = new Int32Array(fullWidth);
  const columnWeight = new Float32Array(fullWidth);
  const columnNearest = new Int32Array(fullWidth);
  for (let x = 0; x < fullWidth; x++) {
    const xw = Math.min(w - 1, Math.max(0, ((x + 0.5) * w) / fullWidth - 0.5));
    column0[x] = Math.min(w - 2, Math.floor(xw));
    columnWeight[x] = w > 1 ? xw - column0[x]! : 0;
    columnNearest[x] = Math.round(xw);
    if (w === 1) column0[x] = 0;
  }
  const f = new Float32Array(3);
  const b = new Float32Array(3);
  for (let y = 0; y < fullHeight; y++) {
    const yw = Math.min(h - 1, Math.max(0, ((y + 0.5) * h) / fullHeight - 0.5));
    const row0 = h > 1 ? Math.min(h - 2, Math.floor(yw)) : 0;
    const fy = h > 1 ? yw - row0 : 0;
    const nearestRow = Math.round(yw) * w;
    for (let x = 0; x < fullWidth; x++) {
      const o = (y * fullWidth + x) * 4;
      const nearest = nearestRow + columnNearest[x]!;
      if (distance[nearest]! > BAND) {
        if (background[nearest]) {
          rgba[o] = 0;
          rgba[o + 1] = 0;
          rgba[o + 2] = 0;
          rgba[o + 3] = 0;
        } else {
          rgba[o + 3] = 255;
        }
        continue;
      }
      // Bilinear interpolation of F, B and the working decision from the four working pixels around.
      const fx = columnWeight[x]!;
      const x0 = column0[x]!;
      const x1 = w > 1 ? x0 + 1 : x0;
      const y1 = h > 1 ? row0 + 1 : row0;
      let fw = 0;
      let bw = 0;
      let product = 0;
      f[0] = f[1] = f[2] = 0;
      b[0] = b[1] = b[2] = 0;
      for (let corner = 0; corner < 4; corner++) {
        const cx = corner & 1 ? x1 : x0;
        const cy = corner & 2 ? y1 : row0;
        const weight = (corner & 1 ? fx : 1 - fx) * (corner & 2 ? fy : 1 - fy);
        if (weight <= 0) continue;
        const i = cy * w + cx;
        if (!background[i]) product += weight;
        const flags = known[i]!;
        if (flags & 1) {
          fw += weight;
          f[0]! += weight * foreground[i * 3]!;
          f[1]! += weight * foreground[i * 3 + 1]!;
          f[2]! += weight * foreground[i * 3 + 2]!;
        }
        if (flags & 2) {
          bw += weight;
          b[0]! += weight * behind[i * 3]!;
          b[1]! += weight * behind[i * 3 + 1]!;
          b[2]! += weight * behind[i * 3 + 2]!;
        }
      }
      const r = rgba[o]!;
      const g = rgba[o + 1]!;
      const bl = rgba[o + 2]!;
      let alpha = product;
      let mixable = false;
      if (fw > 0 && bw > 0) {
        const fr = f[0]! / fw;
        const fg = f[1]! / fw;
        const fb = f[2]! / fw;
        const br = b[0]! / bw;
        const bg = b[1]! / bw;
        const bb = b[2]! / bw;
        const dr = fr - br;
        const dg = fg - bg;
        const db = fb - bb;
        const contrast2 = dr * dr + dg * dg + db * db;
        if (contrast2 >= MIN_CONTRAST * MIN_CONTRAST) {
          const along = ((r - br) * dr + (g - bg) * dg + (bl - bb) * db) / contrast2;
          const dead = Math.min(0.3, Math.max(0.02, (2.5 * noise) / Math.sqrt(contrast2)));
          alpha = Math.min(1, Math.max(0, (along - dead) / (1 - 2 * dead)));
          mixable = true;
        }
        if (alpha > 0 && alpha < 1 && mixable) {
          const keep = 1 - alpha;
          rgba[o] = clampByte(r + keep * dr);
          rgba[o + 1] = clampByte(g + keep * dg);
          rgba[o + 2] = clampByte(bl + keep * db);
        }
      }
      if (alpha <= 0) {
        rgba[o] = 0;
        rgba[o + 1] = 0;
        rgba[o + 2] = 0;
      }
      rgba[o + 3] = Math.round(alpha * 255);
    }
  }
}

function clampByte(value: number): number {
  return value <= 0 ? 0 : value >= 255 ? 255 : Math.round(value);
}
