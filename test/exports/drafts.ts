import sharp from "sharp";

import { sceneCreateRequest } from "@/lib/scene/contract";
import type { OutputIntegrity } from "@/lib/scene/integrity";
import type { Config } from "@/lib/server/config";
import type { ExportSource } from "@/lib/server/exports/render";
import {
  checkIntegrity,
  locatedProductBox,
  prepareProduct,
  type PreparedProduct,
} from "@/lib/server/integrity";

import { outputBytes, render, storeImage } from "../engines/local/harness";
import { paintProduct, randomProductSpec, type Shape } from "../integrity/products";
import { randomFrom } from "../integrity/random";

/** A painted product on transparent margins, stored as an upload, with its cutout ready to compare. */
export async function storedProduct(config: Config, shape: Shape, seed = 3) {
  const cutout = paintProduct(randomProductSpec(randomFrom(seed), shape));
  const png = await sharp(cutout.pixels, { raw: { width: cutout.width, height: cutout.height, channels: 4 } })
    .extend({ top: 30, bottom: 50, left: 40, right: 20, background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .png()
    .toBuffer();
  const stored = await storeImage(config, png);
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const prepared = await prepareProduct({
    pixels: data,
    width: info.width,
    height: info.height,
    objectBox: stored.objectBox,
  });
  if (!prepared) throw new Error("the product did not prepare");
  return { url: stored.url, prepared };
}

/**
 * A draft of the local engine with what the generation wing records of it: the integrity verdict
 * and where its product is, as exports read them.
 */
export async function draft(
  config: Config,
  product: { url: string; prepared: PreparedProduct },
  body: { object?: Record<string, unknown>; scene: Record<string, unknown>; format?: string },
): Promise<{ bytes: Buffer; source: ExportSource }> {
  const full = {
    object: { image_url: product.url, scale: 0.7, ...body.object },
    scene: body.scene,
    output: { number_of_images: 1, format: body.format ?? "png" },
  };
  const request = sceneCreateRequest.parse(full);
  const bytes = await outputBytes(config, await render(config, full), 0);
  const meta = await sharp(bytes).metadata();
  const output = { width: meta.width ?? 0, height: meta.height ?? 0 };
  const result = await checkIntegrity({ request, output: bytes, product: product.prepared });
  const box = locatedProductBox({ request, product: product.prepared, output }, result);
  const integrity: OutputIntegrity = {
    verdict: result.verdict,
    similarity: result.similarity,
    offset_px: result.offset_px,
    scale_ratio: result.scale_ratio,
    ...(box ? { product_box: box } : {}),
    checked_at: new Date().toISOString(),
  };
  return {
    bytes,
    source: { outputId: "output-1", generationId: "generation-1", index: 0, request, ...output, integrity },
  };
}

/** Decoded RGBA pixels of an exported file. */
export async function pixelsOf(bytes: Buffer) {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number) => {
    const o = (y * info.width + x) * 4;
    return [data[o], data[o + 1], data[o + 2], data[o + 3]];
  };
  return { data, width: info.width, height: info.height, at };
}
