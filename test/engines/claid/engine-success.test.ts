import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { sceneCreateRequest } from "@/lib/scene/contract";
import { storedImageUrl } from "@/lib/scene/image-ref";
import { claidEngine } from "@/lib/server/engines/claid";
import { SCENE_PATH, startClaidStandin, UPLOAD_PATH, type ClaidStandin } from "@/test/support/claid-standin";

import { STANDIN_CLAID, TEST_CLAID_KEY, testConfig } from "../../support/config";
import { engineContext, productPng, promptBody } from "./support";

let standin: ClaidStandin;

beforeAll(async () => {
  standin = await startClaidStandin({ apiKey: TEST_CLAID_KEY });
});
afterAll(async () => {
  await standin.close();
});
afterEach(() => {
  standin.reset();
  standin.setOptions({ uploadAnswer: "tmp_url" });
});

function context() {
  return engineContext(testConfig({ ...STANDIN_CLAID, CLAID_API_BASE_URL: standin.url }));
}

describe("claid engine: success", () => {
  it("creates a scene, downloads every output into storage and keeps the upstream reference", async () => {
    const ctx = context();
    const request = sceneCreateRequest.parse({
      ...promptBody,
      output: { number_of_images: 3, format: "webp" },
    });
    const before = Date.now();
    const result = await claidEngine.createScene(request, ctx);

    expect(standin.callsTo(SCENE_PATH)).toHaveLength(1);
    expect(standin.callsTo(SCENE_PATH)[0]?.authorized).toBe(true);
    expect(result.outputs).toHaveLength(3);
    expect(result.upstreamRequestId).toMatch(/^standin-\d+$/);
    const downloads = standin.calls.filter((c) => c.method === "GET" && c.path.startsWith("/files/"));
    expect(downloads).toHaveLength(3);

    for (const output of result.outputs) {
      expect(output.key).toMatch(/^[a-f0-9]{64}\.webp$/);
      const bytes = await ctx.storage.get(output.key!);
      expect(bytes?.byteLength).toBe(output.size);
      const meta = await sharp(bytes!).metadata();
      expect(meta.format).toBe("webp");
      expect([meta.width, meta.height]).toEqual([output.info.width, output.info.height]);
      expect(output.upstreamUrl).toMatch(new RegExp(`^${standin.url}/files/`));
      const expiry = output.upstreamExpiresAt!.getTime() - before;
      expect(expiry).toBeGreaterThanOrEqual(24 * 3600 * 1000);
      expect(expiry).toBeLessThan(24 * 3600 * 1000 + 60_000);
      expect(output.info).not.toHaveProperty("tmp_url");
    }
    // Variants are distinct files.
    expect(new Set(result.outputs.map((o) => o.key)).size).toBe(3);
    expect(result.input).toMatchObject({ width: 773, height: 2351 });
  });

  it("forwards the validated body unchanged, every option included, and nothing added", async () => {
    const ctx = context();
    const body = {
      output: { number_of_images: 1, format: { type: "jpeg", quality: 77, progressive: false } },
      object: { image_url: "https://images.example.com/p.png", placement_type: "padding", padding: "10% 5%" },
      scene: {
        model: "v2",
        template_url: "storage://brand/templates/kitchen.png",
        template_mode: "lock",
        view: "front",
        color: "#aece8c",
        prompt: { generate: true, guidelines: "real life setting" },
        negative_prompt: "watermark, low quality",
        steps: 30,
      },
    };
    await claidEngine.createScene(sceneCreateRequest.parse(body), ctx);
    const sent = standin.callsTo(SCENE_PATH)[0]?.body;
    expect(sent).toEqual(body);
    expect(standin.callsTo(SCENE_PATH)[0]?.headers["content-type"]).toBe("application/json");
  });

  it("uploads images held here first, sends Claid's URL, and reuses the upload for the same content", async () => {
    const ctx = context();
    const product = await ctx.storage.put(await productPng(1), "png");
    const template = await ctx.storage.put(await productPng(2), "png");
    const body = {
      object: { image_url: storedImageUrl(product.key) },
      scene: { template_url: storedImageUrl(template.key), view: "top" },
      output: { number_of_images: 1 },
    };

    const first = await claidEngine.createScene(sceneCreateRequest.parse(body), ctx);
    const uploads = standin.callsTo(UPLOAD_PATH);
    expect(uploads).toHaveLength(2);
    expect(uploads.every((u) => u.authorized)).toBe(true);
    const uploaded = uploads
      .map((u) => (u.body as { file: { sha256: string }; data: unknown }).file.sha256)
      .sort();
    expect(uploaded).toEqual([product.sha256, template.sha256].sort());
    expect((uploads[0]?.body as { data: unknown }).data).toEqual({ operations: {} });

    const sent = standin.callsTo(SCENE_PATH)[0]?.body as {
      object: { image_url: string };
      scene: { template_url: string };
    };
    expect(sent.object.image_url).toMatch(new RegExp(`^${standin.url}/files/.+\\.png$`));
    expect(sent.scene.template_url).toMatch(new RegExp(`^${standin.url}/files/.+\\.png$`));
    expect(sent.object.image_url).not.toBe(sent.scene.template_url);
    expect(first.timings.uploads).toBe(2);
    // The stand-in knows the uploaded product, so the input info is the real image's.
    expect(first.input).toMatchObject({ width: 32, height: 24 });

    // Same product again, with a public template: no new upload for the product.
    const again = await claidEngine.createScene(
      sceneCreateRequest.parse({
        ...body,
        scene: { template_url: "https://images.example.com/t.png", view: "top" },
      }),
      ctx,
    );
    expect(standin.callsTo(UPLOAD_PATH)).toHaveLength(2);
    expect(again.timings.uploads).toBe(0);
    const second = standin.callsTo(SCENE_PATH)[1]?.body as { object: { image_url: string } };
    expect(second.object.image_url).toBe(sent.object.image_url);
  });

  it("uploads one image used as both product and template only once", async () => {
    const ctx = context();
    const image = await ctx.storage.put(await productPng(3), "png");
    const ref = storedImageUrl(image.key);
    await claidEngine.createScene(
      sceneCreateRequest.parse({ object: { image_url: ref }, scene: { template_url: ref, view: "front" } }),
      ctx,
    );
    expect(standin.callsTo(UPLOAD_PATH)).toHaveLength(1);
    const sent = standin.callsTo(SCENE_PATH)[0]?.body as {
      object: { image_url: string };
      scene: { template_url: string };
    };
    expect(sent.object.image_url).toBe(sent.scene.template_url);
  });

  it("prefers the storage URI the upload API returns over its tmp_url", async () => {
    standin.setOptions({ uploadAnswer: "claid_storage_uri" });
    const ctx = context();
    const image = await ctx.storage.put(await productPng(4), "png");
    await claidEngine.createScene(
      sceneCreateRequest.parse({ ...promptBody, object: { image_url: storedImageUrl(image.key) } }),
      ctx,
    );
    const sent = standin.callsTo(SCENE_PATH)[0]?.body as { object: { image_url: string } };
    expect(sent.object.image_url).toMatch(/^storage:\/\/claid-standin\/uploads\//);
  });

  it("answers 422 naming the field when a referenced stored image does not exist, without calling upstream", async () => {
    const ctx = context();
    const missing = `${"ab".repeat(32)}.png`;
    const error = await claidEngine
      .createScene(
        sceneCreateRequest.parse({ ...promptBody, object: { image_url: storedImageUrl(missing) } }),
        ctx,
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 422,
      details: { fields: { "object.image_url": [expect.any(String)] } },
    });
    expect(standin.calls).toHaveLength(0);
  });

  it("downloads nothing when the results go to a destination, and records where they went", async () => {
    const ctx = context();
    for (const output of [
      { number_of_images: 2, destination: "storage://brand/results/" },
      "storage://brand/results/",
    ]) {
      standin.reset();
      const result = await claidEngine.createScene(sceneCreateRequest.parse({ ...promptBody, output }), ctx);
      expect(standin.calls.filter((c) => c.method === "GET")).toHaveLength(0);
      expect(result.outputs.length).toBe(typeof output === "string" ? 4 : 2);
      for (const out of result.outputs) {
        expect(out.key).toBeUndefined();
        expect(out.upstreamUrl).toBeUndefined();
        expect(out.destination).toMatch(/^storage:\/\/brand\/results\/.+\.png$/);
      }
    }
  });
});
