import sharp from "sharp";

import { imageEditRequest } from "@/lib/scene/image-edit";
import { storedImageUrl } from "@/lib/scene/image-ref";
import type { Config } from "@/lib/server/config";
import { localEngine } from "@/lib/server/engines/local";
import type { EngineResult } from "@/lib/server/engines/types";
import { ApiError } from "@/lib/server/errors";
import { createLogger } from "@/lib/server/log";

import { outputBytes, storageOf } from "../harness";

/** Stores bytes as they are (no intake), as an image named by a request would be. */
export async function held(config: Config, bytes: Buffer, ext = "png"): Promise<string> {
  return storedImageUrl((await storageOf(config).put(bytes, ext)).key);
}

/** Runs an image edit on the local engine, the body checked by the schema first as the route does. */
export async function edit(config: Config, body: unknown): Promise<EngineResult> {
  const request = imageEditRequest.parse(body);
  return localEngine.editImage(
    { kind: "image_edit", request, requestText: JSON.stringify(request) },
    { config, storage: storageOf(config), log: createLogger({ test: "edit" }), requestId: "test" },
  );
}

/** The edit's one output, decoded to RGBA, with its encoded bytes and what sharp says of them. */
export async function editedImage(config: Config, body: unknown) {
  const result = await edit(config, body);
  const bytes = await outputBytes(config, result);
  const metadata = await sharp(bytes).metadata();
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { result, bytes, metadata, rgba: data, width: info.width, height: info.height };
}

/** The error an edit fails with (the test fails when it does not). */
export async function editError(config: Config, body: unknown): Promise<ApiError> {
  try {
    await edit(config, body);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("the edit succeeded");
}

export function pixelAt(rgba: Uint8Array, width: number, x: number, y: number) {
  const o = (y * width + x) * 4;
  return { r: rgba[o]!, g: rgba[o + 1]!, b: rgba[o + 2]!, a: rgba[o + 3]! };
}

/** The bounding box of pixels whose alpha is at least `threshold`, or of pixels unlike `background`. */
export function boxWhere(
  rgba: Uint8Array,
  width: number,
  height: number,
  inside: (p: { r: number; g: number; b: number; a: number }) => boolean,
) {
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!inside(pixelAt(rgba, width, x, y))) continue;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
  }
  return maxX < 0 ? undefined : { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}

/** A navy box on a white studio background, as a JPEG: the simplest photo the cutout takes. */
export const BOX_PHOTO = { width: 400, height: 300, box: { x: 100, y: 100, width: 200, height: 100 } };

export function boxOnWhiteJpeg(): Promise<Buffer> {
  const { width, height, box } = BOX_PHOTO;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="${width}" height="${height}" fill="#ffffff"/>
    <rect x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" fill="#1d2a4a"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 92 }).toBuffer();
}

/** A transparent PNG with one opaque red box: geometry is read back by colour. */
export function redBoxPng(): Promise<Buffer> {
  const { width, height, box } = BOX_PHOTO;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" fill="#ff0000"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** An opaque picture in four coloured quadrants, so crops and squeezes are visible. */
export function quadrantsPng(width = 400, height = 300): Promise<Buffer> {
  const w = width / 2;
  const h = height / 2;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="${w}" height="${h}" fill="#ff0000"/><rect x="${w}" width="${w}" height="${h}" fill="#00ff00"/>
    <rect y="${h}" width="${w}" height="${h}" fill="#0000ff"/><rect x="${w}" y="${h}" width="${w}" height="${h}" fill="#ffff00"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
