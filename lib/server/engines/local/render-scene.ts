import "server-only";

import type { SceneCreateRequest } from "@/lib/scene/contract";
import type { Size } from "@/lib/scene/placement";

import type { Encoding } from "./encode";
import { inputError } from "./inputs";
import type { Product, Template } from "./product";
import { templateFrame } from "./product";
import { prepareScene, renderVariants } from "./render";

/** Everything a draft's pixels depend on, decoded already: what a render thread is handed. */
export type SceneRenderJob = {
  request: SceneCreateRequest;
  product: Product;
  template?: Template;
  encoding: Encoding;
  /** The picture's seed (see `index.ts`): same seed, same variants. */
  seed: string;
  count: number;
};

export type RenderedScene = { frame: Size; images: Uint8Array[] };

/**
 * Buffers that crossed a thread arrive as plain byte views; libvips and the engine read Buffers. A
 * view of the same memory, not a copy (a product's pixels are shared between threads).
 */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The draft's variants, encoded: the same bytes in whichever thread it runs. */
export async function renderScene(job: SceneRenderJob): Promise<RenderedScene> {
  const product = { ...job.product, pixels: asBuffer(job.product.pixels) };
  const template = job.template && { ...job.template, bytes: asBuffer(job.template.bytes) };
  const prepared = await prepareScene(
    job.request,
    {
      product,
      template: template && {
        size: template.size,
        frame: (frame) =>
          templateFrame(template, frame).catch((error: unknown) => {
            throw inputError(error, "scene.template_url");
          }),
      },
    },
    { encoding: job.encoding, seed: job.seed },
  );
  const images = await renderVariants(prepared, job.count, job.encoding);
  return { frame: prepared.frame, images };
}
