/**
 * Generations made through the API for specs that look at the gallery: drafts of an uploaded product
 * and paid ones the Claid stand-in refuses. Each spec seeds its own, with prompts only it uses.
 */
import { expect, type APIRequestContext } from "@playwright/test";

import { productPng } from "../../test/support/product-images";

const STANDIN = `http://127.0.0.1:${Number(process.env.E2E_STANDIN_PORT ?? 3199)}`;

export type Seeded = { id: string; prompt: string; request: Record<string, unknown> };

export async function standin(action: string, body: unknown) {
  const answer = await fetch(`${STANDIN}/__standin/${action}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(answer.ok).toBe(true);
}

export async function settled(request: APIRequestContext, id: string) {
  await expect
    .poll(
      async () => {
        const answer = await request.get(`/api/generations/${id}`);
        return ((await answer.json()) as { generation: { status: string } }).generation.status;
      },
      { timeout: 30_000 },
    )
    .toMatch(/succeeded|failed|interrupted/);
}

async function create(
  request: APIRequestContext,
  origin: string,
  body: { request: Record<string, unknown>; engine: "local" | "claid" },
): Promise<string> {
  const answer = await request.post("/api/generations", { headers: { origin }, data: body });
  expect(answer.status(), await answer.text()).toBe(202);
  return ((await answer.json()) as { generation: { id: string } }).generation.id;
}

/** Local drafts of one uploaded product: `[prompt, aspect ratio, output]` each, settled. */
export async function seedDrafts(
  request: APIRequestContext,
  origin: string,
  drafts: [prompt: string, aspect: string, output?: Record<string, unknown>][],
): Promise<Seeded[]> {
  const upload = await request.post("/api/uploads", {
    headers: { origin },
    multipart: { file: { name: "product.png", mimeType: "image/png", buffer: await productPng() } },
  });
  expect(upload.ok(), await upload.text()).toBe(true);
  const { key } = (await upload.json()) as { key: string };
  const object = { image_url: `backdrop://files/${key}`, scale: 0.7, position: { x: 0.5, y: 0.45 } };
  const made: Seeded[] = [];
  for (const [prompt, aspect, output] of drafts) {
    const body = { object, scene: { prompt, aspect_ratio: aspect }, output: output ?? { format: "png" } };
    made.push({
      id: await create(request, origin, { request: body, engine: "local" }),
      prompt,
      request: body,
    });
  }
  for (const m of made) await settled(request, m.id);
  return made;
}

/** Paid generations the stand-in refuses with 402: they settle as failed, with Claid's message. */
export async function seedFailures(request: APIRequestContext, origin: string, prompts: string[]) {
  await standin("mode", { kind: "status", status: 402, times: prompts.length });
  const made: Seeded[] = [];
  for (const prompt of prompts) {
    const body = { object: { image_url: "https://images.example.com/product.png" }, scene: { prompt } };
    made.push({
      id: await create(request, origin, { request: body, engine: "claid" }),
      prompt,
      request: body,
    });
  }
  for (const m of made) await settled(request, m.id);
  await standin("mode", "ok");
  return made;
}
