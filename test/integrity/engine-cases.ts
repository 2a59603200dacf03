import sharp from "sharp";

import type { SceneCreateRequest } from "@/lib/scene/contract";
import { sceneCreateRequest } from "@/lib/scene/contract";
import type { Size } from "@/lib/scene/placement";
import { frameSizeForImage } from "@/lib/scene/placement";
import type { Config } from "@/lib/server/config";
import type { ProductCutout } from "@/lib/server/integrity";

import { templatePng } from "../engines/local/fixtures";
import { outputBytes, render, storeImage } from "../engines/local/harness";
import type { Cutout } from "./products";
import { paintProduct, randomProductSpec } from "./products";
import { randomFrom } from "./random";

/**
 * Real drafts: requests rendered by the local engine itself (`createScene`), through storage, with
 * several scenes (plain colour with shadows, transparent, studio prompts front and top, templates in
 * every mode), placements, sizes and formats. Every one of these outputs shows the product intact.
 */
export type EngineCase = {
  name: string;
  request: SceneCreateRequest;
  output: Buffer;
  product: ProductCutout;
  frame?: Size;
};

async function pngOf(cutout: Cutout): Promise<Buffer> {
  return sharp(cutout.pixels, { raw: { width: cutout.width, height: cutout.height, channels: 4 } })
    .extend({ top: 40, bottom: 60, left: 50, right: 30, background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .png()
    .toBuffer();
}

async function cutoutOf(bytes: Buffer, objectBox: ProductCutout["objectBox"]): Promise<ProductCutout> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { pixels: data, width: info.width, height: info.height, objectBox };
}

export async function engineCases(config: Config): Promise<EngineCase[]> {
  const random = randomFrom(77);
  const bottle = await pngOf(paintProduct(randomProductSpec(random, "bottle")));
  const box = await pngOf(paintProduct(randomProductSpec(random, "box")));
  const pouch = await pngOf(paintProduct(randomProductSpec(random, "pouch")));
  const products = {
    bottle: { bytes: bottle, stored: await storeImage(config, bottle) },
    box: { bytes: box, stored: await storeImage(config, box) },
    pouch: { bytes: pouch, stored: await storeImage(config, pouch) },
  };
  const templateBytes = await templatePng(1600, 1000);
  const template = await storeImage(config, templateBytes);
  const templateFrame = frameSizeForImage({ width: 1600, height: 1000 });

  type Spec = { name: string; product: keyof typeof products; body: Record<string, unknown>; frame?: Size };
  const specs: Spec[] = [
    {
      name: "white shadows, rotated, png",
      product: "bottle",
      body: {
        object: { scale: 0.7, rotation_degree: 12, position: { x: 0.45, y: 0.5 } },
        scene: { effect: "shadows", color: "#ffffff" },
        output: { number_of_images: 2, format: "png" },
      },
    },
    {
      name: "coloured shadows top view, padding, jpeg",
      product: "box",
      body: {
        object: { placement_type: "padding", padding: "12% 20%" },
        scene: { effect: "shadows", color: "#3a6ea5", view: "top", aspect_ratio: "4:5" },
        output: { number_of_images: 2, format: { type: "jpeg", quality: 70 } },
      },
    },
    {
      name: "transparent, png",
      product: "pouch",
      body: {
        object: { scale: 0.8 },
        scene: { effect: "shadows", color: "transparent", aspect_ratio: "3:4" },
        output: { number_of_images: 1, format: "png" },
      },
    },
    {
      name: "studio prompt front, webp",
      product: "bottle",
      body: {
        object: { scale: 0.55, position: { x: 0.6, y: 0.45 } },
        scene: { prompt: "marble countertop, beige wall, soft morning light", aspect_ratio: "16:9" },
        output: { number_of_images: 2, format: "webp" },
      },
    },
    {
      name: "studio prompt top view, rotated 90, avif",
      product: "pouch",
      body: {
        object: { scale: 0.6, rotation_degree: 90 },
        scene: { prompt: "flat lay on linen, top view", aspect_ratio: "1:1" },
        output: { number_of_images: 1, format: "avif" },
      },
    },
    ...(["lock", "adjust", "transform"] as const).map((mode) => ({
      name: `template ${mode}, jpeg`,
      product: "box" as const,
      frame: templateFrame,
      body: {
        object: { scale: 0.5, rotation_degree: 352, position: { x: 0.4, y: 0.45 } },
        scene: { template_url: template.url, view: "front", template_mode: mode },
        output: { number_of_images: 1, format: "jpeg" },
      },
    })),
    {
      name: "original placement, prompt, png",
      product: "bottle",
      body: {
        object: { placement_type: "original" },
        scene: { prompt: "wooden table by a window" },
        output: { number_of_images: 2, format: { type: "png", compression: "fast" } },
      },
    },
    {
      name: "small product, tiff",
      product: "box",
      body: {
        object: { scale: 0.12, position: { x: 0.3, y: 0.3 } },
        scene: { effect: "shadows", color: "#f2efe9", aspect_ratio: "9:16" },
        output: { number_of_images: 1, format: "tiff" },
      },
    },
    {
      name: "partly outside the frame, jpeg",
      product: "pouch",
      body: {
        object: { scale: 0.9, position: { x: 0.9, y: 0.35 }, rotation_degree: 20 },
        scene: { prompt: "concrete floor, grey wall", aspect_ratio: "21:9" },
        output: { number_of_images: 1, format: "jpeg" },
      },
    },
  ];

  const cases: EngineCase[] = [];
  for (const spec of specs) {
    const product = products[spec.product];
    const object = { image_url: product.stored.url, ...(spec.body.object as object) };
    const body = { ...spec.body, object };
    const result = await render(config, body);
    const request = sceneCreateRequest.parse(body);
    const cutout = await cutoutOf(product.bytes, product.stored.objectBox);
    for (let i = 0; i < result.outputs.length; i++) {
      cases.push({
        name: `${spec.name} #${i + 1}`,
        request,
        output: await outputBytes(config, result, i),
        product: cutout,
        frame: spec.frame,
      });
    }
  }
  return cases;
}
