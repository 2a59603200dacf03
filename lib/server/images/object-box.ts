import "server-only";

import sharp from "sharp";

import type { Box } from "@/lib/scene/placement";
import { ALPHA_THRESHOLD } from "@/lib/scene/placement";

/**
 * The object box of an image given as raw pixels: the bounding box of pixels whose alpha is at least
 * `ALPHA_THRESHOLD`. Without alpha, or when no pixel reaches the threshold, it is the whole image (the
 * canvas and both engines then treat the whole picture as the product). All the pixel work is libvips'.
 */
export async function objectBoxOfRaw(
  pixels: Buffer,
  raw: { width: number; height: number; channels: 1 | 2 | 3 | 4 },
): Promise<Box> {
  const whole = { x: 0, y: 0, width: raw.width, height: raw.height };
  if (raw.channels !== 2 && raw.channels !== 4) return whole;
  const mask = await sharp(pixels, { raw })
    .extractChannel(raw.channels === 4 ? 3 : 1)
    .threshold(ALPHA_THRESHOLD, { greyscale: false })
    .raw()
    .toBuffer();
  const maskRaw = { width: raw.width, height: raw.height, channels: 1 as const };
  const { channels } = await sharp(mask, { raw: maskRaw }).stats();
  if ((channels[0]?.max ?? 0) === 0) return whole;
  // Line-art mode: no median filter, so a single product pixel still counts.
  const { info } = await sharp(mask, { raw: maskRaw })
    .trim({ background: "#000000", threshold: 128, lineArt: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    x: -(info.trimOffsetLeft ?? 0),
    y: -(info.trimOffsetTop ?? 0),
    width: info.width,
    height: info.height,
  };
}

/** The object box of an encoded image (decoded once, first frame, auto-oriented). */
export async function objectBoxOfImage(bytes: Uint8Array, limitInputPixels: number): Promise<Box> {
  const { data, info } = await sharp(bytes, { limitInputPixels })
    .autoOrient()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return objectBoxOfRaw(data, {
    width: info.width,
    height: info.height,
    channels: info.channels as 1 | 2 | 3 | 4,
  });
}
