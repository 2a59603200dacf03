/**
 * Scene images the way Claid's look to the integrity check: the uploaded product placed where the
 * request puts it (the shared placement geometry) over a backdrop, exactly or altered. Pure pixel work
 * in JavaScript plus one sharp encode, so the stand-in runs under plain Node as well as in tests.
 */
import sharp from "sharp";

import type { SceneCreateRequest } from "@/lib/scene/contract";
import type { Box, ImagePlacement, Size } from "@/lib/scene/placement";
import { ALPHA_THRESHOLD, placedBounds, productPlacement } from "@/lib/scene/placement";

import type { ImageFormat } from "./images";

/**
 * `exact`: the product as uploaded; `recoloured`: its middle third with red and blue swapped (a
 * changed label); `moved`: placed 8 % of the frame to the right of where the request puts it.
 */
export type CompositeMode = "exact" | "recoloured" | "moved";

export type Cutout = { pixels: Buffer; width: number; height: number; objectBox: Box };

/** The uploaded bytes as RGBA with their object box (alpha at or above the shared threshold). */
export async function cutoutOf(bytes: Buffer): Promise<Cutout> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  let x0 = info.width;
  let y0 = info.height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      if ((data[(y * info.width + x) * 4 + 3] ?? 0) < ALPHA_THRESHOLD) continue;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
  }
  const objectBox =
    x1 < 0
      ? { x: 0, y: 0, width: info.width, height: info.height }
      : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
  return { pixels: data, width: info.width, height: info.height, objectBox };
}

function recolour(cutout: Cutout): Cutout {
  const pixels = Buffer.from(cutout.pixels);
  const { objectBox: box, width } = cutout;
  const top = Math.round(box.y + box.height / 3);
  const bottom = Math.round(box.y + (2 * box.height) / 3);
  for (let y = top; y < bottom; y++) {
    for (let x = box.x; x < box.x + box.width; x++) {
      const o = (y * width + x) * 4;
      const r = pixels[o] ?? 0;
      pixels[o] = pixels[o + 2] ?? 0;
      pixels[o + 2] = r;
      // A flat grey band would survive a swap unchanged: darken it as well.
      pixels[o + 1] = Math.round((pixels[o + 1] ?? 0) * 0.4);
    }
  }
  return { ...cutout, pixels };
}

function backdropColour(request: SceneCreateRequest, variant: number): [number, number, number] {
  const colour = "effect" in request.scene ? request.scene.color : undefined;
  const hex = typeof colour === "string" ? /^#?([0-9a-f]{6})$/i.exec(colour)?.[1] : undefined;
  if (hex) return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
  const hue = (variant * 53) % 120;
  return [Math.round(225 - hue / 4), 215, Math.round(200 + hue / 3)];
}

/**
 * Draws `cutout` at `placement` over a backdrop by inverse mapping with bilinear sampling
 * (premultiplied), the way the local engine's geometry says the product lands.
 */
function draw(
  frame: Size,
  cutout: Cutout,
  placement: ImagePlacement,
  background: [number, number, number],
): Buffer {
  const out = Buffer.alloc(frame.width * frame.height * 3);
  const rad = (placement.rotation * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const { pixels, width, height } = cutout;
  const at = (x: number, y: number, c: number) =>
    x < 0 || y < 0 || x >= width || y >= height ? 0 : (pixels[(y * width + x) * 4 + c] ?? 0);
  for (let o = 0; o < out.length; o += 3) out.set(background, o);
  // Only pixels within the placed image's bounds can show any of it.
  const bounds = placedBounds(placement, { x: 0, y: 0, width, height });
  const i0 = Math.max(0, Math.floor(bounds.x) - 1);
  const j0 = Math.max(0, Math.floor(bounds.y) - 1);
  const i1 = Math.min(frame.width, Math.ceil(bounds.x + bounds.width) + 1);
  const j1 = Math.min(frame.height, Math.ceil(bounds.y + bounds.height) + 1);
  for (let j = j0; j < j1; j++) {
    for (let i = i0; i < i1; i++) {
      const ux = i + 0.5 - placement.center.x;
      const uy = j + 0.5 - placement.center.y;
      const px = placement.anchor.x + (ux * cos + uy * sin) / placement.scaleX - 0.5;
      const py = placement.anchor.y + (-ux * sin + uy * cos) / placement.scaleY - 0.5;
      const mx = Math.floor(px);
      const my = Math.floor(py);
      const fx = px - mx;
      const fy = py - my;
      const w = [(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy];
      const corners = [
        [mx, my],
        [mx + 1, my],
        [mx, my + 1],
        [mx + 1, my + 1],
      ] as const;
      let alpha = 0;
      const colour = [0, 0, 0];
      corners.forEach(([x, y], k) => {
        const a = (at(x, y, 3) / 255) * (w[k] ?? 0);
        alpha += a;
        for (let c = 0; c < 3; c++) colour[c] = (colour[c] ?? 0) + at(x, y, c) * a;
      });
      const o = (j * frame.width + i) * 3;
      for (let c = 0; c < 3; c++) {
        out[o + c] = Math.round((colour[c] ?? 0) + (background[c] ?? 0) * (1 - alpha));
      }
    }
  }
  return out;
}

/** One scene image of `frame` size with the product composited as `mode` says, encoded as `format`. */
export async function compositeImage(
  request: SceneCreateRequest,
  cutout: Cutout,
  frame: Size,
  format: ImageFormat,
  mode: CompositeMode,
  variant: number,
): Promise<Buffer> {
  const product = mode === "recoloured" ? recolour(cutout) : cutout;
  const { placement } = productPlacement(request.object, product, frame);
  const placed =
    mode === "moved"
      ? { ...placement, center: { x: placement.center.x + 0.08 * frame.width, y: placement.center.y } }
      : placement;
  const raw = draw(frame, product, placed, backdropColour(request, variant));
  return sharp(raw, { raw: { width: frame.width, height: frame.height, channels: 3 } })
    .toFormat(format)
    .toBuffer();
}
