import "server-only";

import type { SceneCreateRequest } from "@/lib/scene/contract";
import { destinationOf, imagesRequested } from "@/lib/scene/vocabulary";

import type { Config } from "../../config";
import { errors } from "../../errors";
import { imageLimitsFrom } from "../../images/intake";
import type { EngineContext, EngineOutput, EngineResult, SceneEngine } from "../types";
import { checkEditLocally, editImageLocally } from "./edit";
import { encodingOf, FORMAT_INFO, megapixels } from "./encode";
import { inputError, readInput } from "./inputs";
import { checkTemplate, loadProduct } from "./product";
import { checkSceneRules } from "./render";
import { renderSceneOffThread } from "./render-off-thread";
import { canonicalJson, hashHex } from "./seed";
import type { StorageLocation } from "./storages";
import { isStorageUri, resolveStorageUri, writeToStorage } from "./storages";

function destinationFolder(request: SceneCreateRequest, uri: string, config: Config): StorageLocation {
  const field = typeof request.output === "string" ? "output" : "output.destination";
  if (!isStorageUri(uri)) {
    throw errors.unsupportedDestination(field);
  }
  return resolveStorageUri(uri, config, field);
}

function elapsed(since: number): number {
  return Math.round((performance.now() - since) * 10) / 10;
}

/**
 * The embedded draft engine: renders any valid request offline and deterministically with libvips
 * (not generative AI: a studio backdrop, a template or a colour, the product placed by the shared
 * geometry, a soft shadow). Same request and inputs → byte-identical outputs.
 */
export const localEngine: SceneEngine = {
  name: "local",
  checkRequest(request, config) {
    checkSceneRules(request);
    const destinationUri = destinationOf(request);
    if (destinationUri) destinationFolder(request, destinationUri, config);
  },
  async createScene(request: SceneCreateRequest, ctx: EngineContext): Promise<EngineResult> {
    const started = performance.now();
    const timings: Record<string, number> = {};
    const deps = { config: ctx.config, storage: ctx.storage, signal: ctx.signal };
    const limits = imageLimitsFrom(ctx.config);
    const encoding = encodingOf(typeof request.output === "object" ? request.output.format : undefined);
    const count = imagesRequested(request);
    const destinationUri = destinationOf(request);
    const folder = destinationUri ? destinationFolder(request, destinationUri, ctx.config) : undefined;

    const scene = request.scene;
    const [productBytes, templateBytes] = await Promise.all([
      readInput(request.object.image_url, "object.image_url", deps),
      "template_url" in scene ? readInput(scene.template_url, "scene.template_url", deps) : undefined,
    ]);
    timings.read_ms = elapsed(started);

    let t = performance.now();
    const product = await loadProduct(productBytes, limits, ctx.storage).catch((error: unknown) => {
      throw inputError(error, "object.image_url");
    });
    const template = templateBytes
      ? await checkTemplate(templateBytes, limits).catch((error: unknown) => {
          throw inputError(error, "scene.template_url");
        })
      : undefined;
    timings.decode_ms = elapsed(t);

    t = performance.now();
    // The picture depends on the scene and the product, not on how it is encoded or where it goes:
    // the same request as png or webp, or written to a storage, shows the same variants.
    const seed = hashHex(
      canonicalJson({ object: request.object, scene: request.scene }),
      productBytes.sha256,
      templateBytes?.sha256 ?? "",
    );
    const rendered = await renderSceneOffThread(
      { request, product, ...(template ? { template } : {}), encoding, seed, count },
      ctx.config.RENDER_THREADS,
    );
    const images = rendered.images.map((image) =>
      Buffer.from(image.buffer, image.byteOffset, image.byteLength),
    );
    timings.render_ms = elapsed(t);

    t = performance.now();
    const info = FORMAT_INFO[encoding.format];
    const base = {
      ...info,
      width: rendered.frame.width,
      height: rendered.frame.height,
      mps: megapixels(rendered.frame.width, rendered.frame.height),
    };
    const outputs: EngineOutput[] = [];
    for (const [index, bytes] of images.entries()) {
      if (folder) {
        const written = await writeToStorage(folder, `${seed.slice(0, 16)}_${index + 1}.${info.ext}`, bytes);
        outputs.push({
          info: { ...base, object_key: written.key, object_bucket: folder.name, object_uri: written.uri },
          size: bytes.byteLength,
          destination: written.uri,
        });
      } else {
        const stored = await ctx.storage.put(bytes, info.ext);
        outputs.push({ info: base, key: stored.key, size: stored.size });
      }
    }
    timings.store_ms = elapsed(t);
    timings.total_ms = elapsed(started);

    const inputFormat = FORMAT_INFO[product.format as keyof typeof FORMAT_INFO];
    return {
      input: {
        ext: inputFormat?.ext ?? product.format,
        mime: product.mime,
        format: inputFormat?.format ?? product.format.toUpperCase(),
        width: product.width,
        height: product.height,
        mps: megapixels(product.width, product.height),
      },
      outputs,
      timings,
    };
  },
  checkEdit(request, config) {
    checkEditLocally(request, config);
  },
  editImage: editImageLocally,
};

export default localEngine;
