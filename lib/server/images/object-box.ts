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
    // libvips reports the offsets negated; `0 -` rather than unary minus, so no box has a -0 in it.
    x: 0 - (info.trimOffsetLeft ?? 0),
    y: 0 - (info.trimOffsetTop ?? 0),
    width: info.width,
    height: info.height,
  };
}

/**
 * The bounding box of the bytes at or above `threshold` in a one-byte-per-pixel mask, or undefined
 * when there are none. Exact: each row is read from both ends up to its outermost hits.
 */
export function boxOfMask(
  mask: Uint8Array,
  width: number,
  height: number,
  threshold: number,
): Box | undefined {
  let top = -1;
  let bottom = -1;
  let left = width;
  let right = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let first = 0;
    while (first < width && (mask[row + first] ?? 0) < threshold) first++;
    if (first === width) continue;
    let last = width - 1;
    while (last > first && (mask[row + last] ?? 0) < threshold) last--;
    if (top === -1) top = y;
    bottom = y;
    if (first < left) left = first;
    if (last > right) right = last;
  }
  if (top === -1) return undefined;
  return { x: left, y: top, width: right - left + 1, height: bottom - top + 1 };
}

/**
 * The object box of an encoded image (first frame, auto-oriented). Only the alpha channel is decoded,
 * one byte per pixel and in one sequential pass, instead of every channel: a quarter of the memory.
 */
export async function objectBoxOfImage(bytes: Uint8Array, limitInputPixels: number): Promise<Box> {
  const options = { limitInputPixels, failOn: "error" as const, pages: 1, sequentialRead: true };
  const metadata = await sharp(bytes, options).metadata();
  const swapped = (metadata.orientation ?? 1) >= 5;
  const width = (swapped ? metadata.height : metadata.width) ?? 0;
  const height = (swapped ? metadata.width : metadata.height) ?? 0;
  const whole = { x: 0, y: 0, width, height };
  if (!metadata.hasAlpha) return whole;
  const { data, info } = await sharp(bytes, options)
    .autoOrient()
    .extractChannel("alpha")
    .raw({ depth: "uchar" })
    .toBuffer({ resolveWithObject: true });
  return (
    boxOfMask(data, info.width, info.height, ALPHA_THRESHOLD) ?? {
      ...whole,
      width: info.width,
      height: info.height,
    }
  );
}
