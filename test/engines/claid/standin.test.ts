import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { SCENE_PATH, startClaidStandin, UPLOAD_PATH, type ClaidStandin } from "@/test/support/claid-standin";

import { publishedValidator } from "../../support/published-schema";
import { productPng, promptBody } from "./support";

const KEY = "standin-test-key";
let standin: ClaidStandin;

beforeAll(async () => {
  standin = await startClaidStandin({ apiKey: KEY });
});
afterAll(async () => {
  await standin.close();
});
afterEach(() => standin.reset());

function scene(body: unknown, key = KEY) {
  return fetch(`${standin.url}${SCENE_PATH}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("the Claid stand-in", () => {
  it("judges bodies as the published schema does", async () => {
    const published = publishedValidator();
    const bodies: unknown[] = [
      promptBody,
      { ...promptBody, extra: 1 },
      { ...promptBody, scene: { prompt: "ok prompt", aspect_ratio: "4:7" } },
      { ...promptBody, object: { image_url: "not a uri" } },
      {
        object: { image_url: "https://x.example/p.png", placement_type: "original" },
        scene: { effect: "shadows" },
      },
      {
        object: { image_url: "https://x.example/p.png" },
        scene: { template_url: "https://x.example/t.png" },
      },
      { ...promptBody, output: { number_of_images: 5 } },
    ];
    const statuses: number[] = [];
    for (const body of bodies) {
      const response = await scene(body);
      await response.arrayBuffer();
      expect(response.status, JSON.stringify(body)).toBe(published(body) ? 200 : 422);
      statuses.push(response.status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(2);
  });

  it("refuses a wrong key with 401 and records the call without the key", async () => {
    const response = await scene(promptBody, "wrong");
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error_type: "auth" });
    expect(standin.calls[0]).toMatchObject({ path: SCENE_PATH, authorized: false });
    expect(JSON.stringify(standin.calls)).not.toContain("wrong");
  });

  it("serves number_of_images real images in the requested format at its tmp_urls", async () => {
    const response = await scene({
      ...promptBody,
      output: { number_of_images: 3, format: { type: "jpeg" } },
    });
    const answer = (await response.json()) as { data: { output: { tmp_url: string; mime: string }[] } };
    expect(answer.data.output).toHaveLength(3);
    for (const output of answer.data.output) {
      const file = await fetch(output.tmp_url);
      const bytes = new Uint8Array(await file.arrayBuffer());
      expect(file.headers.get("content-type")).toBe("image/jpeg");
      expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
    }
  });

  it("fails the first N calls as told, then succeeds", async () => {
    standin.setMode({ kind: "status", status: 500, times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const response = await scene(promptBody);
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    expect(statuses).toEqual([500, 500, 200]);
  });

  it("accepts an upload and knows the uploaded image afterwards", async () => {
    const form = new FormData();
    form.set("file", new Blob([new Uint8Array(await productPng(9))], { type: "image/png" }), "p.png");
    form.set("data", JSON.stringify({ operations: {} }));
    const upload = await fetch(`${standin.url}${UPLOAD_PATH}`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}` },
      body: form,
    });
    const answer = (await upload.json()) as { data: { output: { tmp_url: string; width: number } } };
    expect(answer.data.output.width).toBe(32);
    const created = await scene({ ...promptBody, object: { image_url: answer.data.output.tmp_url } });
    expect(((await created.json()) as { data: { input: { width: number } } }).data.input.width).toBe(32);

    const unknown = await scene({ ...promptBody, object: { image_url: `${standin.url}/files/nothing.png` } });
    expect(unknown.status).toBe(422);
    const local = await scene({ ...promptBody, object: { image_url: "backdrop://files/abc.png" } });
    expect(local.status).toBe(422);
  });

  it("drops the connection when told", async () => {
    standin.setMode({ kind: "drop", when: "after-body" });
    await expect(scene(promptBody)).rejects.toThrow();
    expect(standin.callsTo(SCENE_PATH)).toHaveLength(1);
  });
});
