import sharp from "sharp";

import { ASPECT_RATIOS } from "@/lib/scene/aspect-ratios";
import { sceneCreateRequest } from "@/lib/scene/contract";
import type { Config } from "@/lib/server/config";
import type { ProductCutout } from "@/lib/server/integrity";

import { outputBytes, render, storeImage } from "../engines/local/harness";
import { productPng } from "../support/product-images";
import type { EngineCase } from "./engine-cases";
import { paintProduct, randomProductSpec } from "./products";
import { randomFrom } from "./random";

/**
 * The local engine's drafts at every aspect ratio of the contract: absolute placement at several
 * scales, positions and rotations, padding, and original placement, of a product of one flat colour
 * (the red box of the shared fixture, where nothing inside the product helps the alignment) and of a
 * painted one. The engine places the product exactly where the request says, so every one of these
 * is intact, at no offset and scale 1.
 */
type Product = "flat" | "painted";

export type AspectDraftSpec = {
  name: string;
  product: Product;
  object: Record<string, unknown>;
  scene: Record<string, unknown>;
  format: unknown;
};

const ROTATIONS = [0, 15, 90, 333, 180, 7] as const;
const SCALES = [0.45, 0.6, 0.75, 0.5, 0.65] as const;
const POSITIONS = [
  { x: 0.4, y: 0.6 },
  { x: 0.6, y: 0.4 },
  { x: 0.55, y: 0.5 },
  { x: 0.45, y: 0.55 },
] as const;
const PADDINGS = ["10%", "12% 20%", "20% 8%", "15%"] as const;
const SCENES = [
  { effect: "shadows", color: "#ffffff" },
  { effect: "shadows", color: "#3a6ea5" },
  { prompt: "marble countertop, beige wall, soft morning light" },
] as const;
const FORMATS = ["png", { type: "jpeg", quality: 85 }, "webp"] as const;

const at = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;

export function aspectDraftSpecs(): AspectDraftSpec[] {
  const specs: AspectDraftSpec[] = [];
  ASPECT_RATIOS.forEach((ratio, i) => {
    const scene = (k: number) => ({ ...at(SCENES, i + k), aspect_ratio: ratio });
    const format = (k: number) => at(FORMATS, i + k);
    specs.push(
      {
        name: `${ratio} flat, scale 0.7 at (0.5, 0.45)`,
        product: "flat",
        object: { scale: 0.7, position: { x: 0.5, y: 0.45 } },
        scene: { effect: "shadows", color: "#ffffff", aspect_ratio: ratio },
        format: "png",
      },
      {
        name: `${ratio} flat, scale ${at(SCALES, i)} rotated ${at(ROTATIONS, i + 1)}`,
        product: "flat",
        object: {
          scale: at(SCALES, i),
          position: at(POSITIONS, i),
          rotation_degree: at(ROTATIONS, i + 1),
        },
        scene: scene(1),
        format: format(1),
      },
      {
        name: `${ratio} flat, padding ${at(PADDINGS, i)}`,
        product: "flat",
        object: { placement_type: "padding", padding: at(PADDINGS, i) },
        scene: scene(2),
        format: format(2),
      },
      {
        name: `${ratio} painted, scale ${at(SCALES, i + 2)} rotated ${at(ROTATIONS, i)}`,
        product: "painted",
        object: {
          scale: at(SCALES, i + 2),
          position: at(POSITIONS, i + 1),
          rotation_degree: at(ROTATIONS, i),
        },
        scene: scene(0),
        format: format(0),
      },
      {
        name: `${ratio} painted, padding ${at(PADDINGS, i + 1)}`,
        product: "painted",
        object: { placement_type: "padding", padding: at(PADDINGS, i + 1) },
        scene: scene(1),
        format: format(2),
      },
    );
  });
  // The frame of original placement is the input image's own shape, whatever the scene's ratio.
  for (const product of ["flat", "painted"] as const) {
    specs.push({
      name: `original placement, ${product}`,
      product,
      object: { placement_type: "original" },
      scene: { prompt: "wooden table by a window" },
      format: "png",
    });
  }
  return specs;
}

async function cutoutOf(bytes: Buffer, objectBox: ProductCutout["objectBox"]): Promise<ProductCutout> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { pixels: data, width: info.width, height: info.height, objectBox };
}

async function paintedPng(): Promise<Buffer> {
  const cutout = paintProduct(randomProductSpec(randomFrom(41), "can"));
  return sharp(cutout.pixels, { raw: { width: cutout.width, height: cutout.height, channels: 4 } })
    .extend({ top: 30, bottom: 70, left: 20, right: 60, background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .png()
    .toBuffer();
}

export type AspectDrafts = {
  products: Record<Product, { url: string; cutout: ProductCutout }>;
  render: (spec: AspectDraftSpec) => Promise<EngineCase>;
};

/** The products stored once; each spec rendered by the local engine on demand. */
export async function aspectDrafts(config: Config): Promise<AspectDrafts> {
  const stored = async (bytes: Buffer) => {
    const image = await storeImage(config, bytes);
    return { url: image.url, cutout: await cutoutOf(bytes, image.objectBox) };
  };
  const products = { flat: await stored(await productPng()), painted: await stored(await paintedPng()) };
  return {
    products,
    render: async (spec) => {
      const product = products[spec.product];
      const body = {
        object: { image_url: product.url, ...spec.object },
        scene: spec.scene,
        output: { number_of_images: 1, format: spec.format },
      };
      const result = await render(config, body);
      return {
        name: spec.name,
        request: sceneCreateRequest.parse(body),
        output: await outputBytes(config, result, 0),
        product: product.cutout,
      };
    },
  };
}

/** Every spec rendered, in order. */
export async function aspectDraftCases(config: Config): Promise<EngineCase[]> {
  const drafts = await aspectDrafts(config);
  const cases: EngineCase[] = [];
  for (const spec of aspectDraftSpecs()) cases.push(await drafts.render(spec));
  return cases;
}
