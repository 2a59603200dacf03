// A draft rendered on a render thread: the same bytes as in the calling thread, the same refusals.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { threadId } from "node:worker_threads";
import { beforeAll, describe, expect, it } from "vitest";

import { sceneCreateRequest } from "@/lib/scene/contract";
import { encodingOf } from "@/lib/server/engines/local/encode";
import type { Product } from "@/lib/server/engines/local/product";
import { loadProduct } from "@/lib/server/engines/local/product";
import { renderSceneOffThread } from "@/lib/server/engines/local/render-off-thread";
import type { SceneRenderJob } from "@/lib/server/engines/local/render-scene";
import { renderScene } from "@/lib/server/engines/local/render-scene";
import { ApiError } from "@/lib/server/errors";
import { objectStoreFor } from "@/lib/server/storage";

import { productPng } from "./fixtures";

let product: Product;

beforeAll(async () => {
  const bytes = await productPng({
    width: 900,
    height: 600,
    box: { x: 100, y: 80, width: 700, height: 440 },
    colour: { r: 40, g: 120, b: 200 },
  });
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const store = objectStoreFor(fs.mkdtempSync(path.join(os.tmpdir(), "render-thread-")));
  product = await loadProduct({ bytes, sha256 }, { maxBytes: 50_000_000, maxPixels: 50_000_000 }, store);
});

function job(body: unknown, count = 2): SceneRenderJob {
  const request = sceneCreateRequest.parse(body);
  return { request, product, encoding: encodingOf("png"), seed: `seed-${JSON.stringify(body)}`, count };
}

const bodies = [
  {
    object: { image_url: "https://example.test/p.png", scale: 0.6, position: { x: 0.45, y: 0.5 } },
    scene: { prompt: "on an oak table, soft light", aspect_ratio: "4:3" },
  },
  {
    object: { image_url: "https://example.test/p.png", scale: 0.5, rotation_degree: 15 },
    scene: { effect: "shadows", color: "#3a6ea5", aspect_ratio: "1:1" },
  },
];

describe("drafts rendered off the request's thread", () => {
  it("shares the product's pixels with the threads instead of copying them", () => {
    expect(product.pixels.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it("renders on another thread exactly the bytes the calling thread renders", async () => {
    for (const body of bodies) {
      const [here, there] = await Promise.all([renderScene(job(body)), renderSceneOffThread(job(body), 1)]);
      expect(there.threadId).not.toBe(threadId);
      expect(there.frame).toEqual(here.frame);
      expect(there.images).toHaveLength(2);
      there.images.forEach((image, i) => expect(Buffer.compare(image, here.images[i]!)).toBe(0));
      // Two variants of one request differ.
      expect(Buffer.compare(there.images[0]!, there.images[1]!)).not.toBe(0);
    }
  });

  it("spreads drafts that arrive together over its threads", async () => {
    const runs = await Promise.all(
      bodies.flatMap((body) => [body, body]).map((body) => renderSceneOffThread(job(body, 1), 2)),
    );
    expect(new Set(runs.map((run) => run.threadId)).size).toBe(2);
    expect(runs.every((run) => run.threadId !== threadId)).toBe(true);
  });

  it("brings the engine's refusals back as the same ApiErrors", async () => {
    const tooMuchPadding = job({
      object: { image_url: "https://example.test/p.png", placement_type: "padding", padding: "600px" },
      scene: { effect: "shadows", color: "#ffffff" },
    });
    const refused = renderSceneOffThread(tooMuchPadding, 1);
    await expect(refused).rejects.toBeInstanceOf(ApiError);
    await expect(refused).rejects.toMatchObject({ status: 422, code: "padding_too_large" });
  });

  it("renders in the calling thread when told to use none", async () => {
    const run = await renderSceneOffThread(job(bodies[0], 1), 0);
    expect(run.threadId).toBe(threadId);
    expect(run.images).toHaveLength(1);
  });
});
