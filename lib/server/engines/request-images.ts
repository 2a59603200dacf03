import "server-only";

import type { SceneCreateRequest } from "@/lib/scene/contract";
import { storedImageKey } from "@/lib/scene/image-ref";
import type { Box, Size } from "@/lib/scene/placement";
import { frameSizeForImage } from "@/lib/scene/placement";

import type { Config } from "../config";
import { describeStoredImage } from "../images/describe";
import { imageLimitsFrom } from "../images/intake";
import type { ObjectStore } from "../storage";
import { readInput } from "./local/inputs";
import { loadProduct } from "./local/product";

/** A request's product as both engines place it: RGBA pixels, auto-oriented, with its object box. */
export type RequestProduct = { pixels: Uint8Array; width: number; height: number; objectBox: Box };

type Deps = { config: Config; storage: ObjectStore; signal?: AbortSignal };

/**
 * The product cutout a request names, read and decoded exactly as the local engine reads it (our
 * storage, a configured storage or a guarded fetch) and remembered by content hash, so checking a
 * draft's outputs decodes nothing again.
 */
export async function requestProduct(request: SceneCreateRequest, deps: Deps): Promise<RequestProduct> {
  const input = await readInput(request.object.image_url, "object.image_url", deps);
  const product = await loadProduct(input, imageLimitsFrom(deps.config), deps.storage);
  return {
    pixels: product.pixels,
    width: product.width,
    height: product.height,
    objectBox: product.objectBox,
  };
}

/**
 * The frame a template scene was rendered at, when its template is one of our stored images (its size
 * is on record); otherwise undefined, and an output is judged at its own shape.
 */
export async function storedTemplateFrame(
  request: SceneCreateRequest,
  storage: ObjectStore,
): Promise<Size | undefined> {
  const url = "template_url" in request.scene ? request.scene.template_url : undefined;
  const key = url ? storedImageKey(url) : undefined;
  if (!key) return undefined;
  const described = await describeStoredImage(key, storage).catch(() => undefined);
  return described ? frameSizeForImage(described) : undefined;
}
