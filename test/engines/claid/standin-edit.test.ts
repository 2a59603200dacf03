import { createHash } from "node:crypto";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { imageEditResponse } from "@/lib/scene/image-edit";
import { EDIT_PATH, startClaidStandin, UPLOAD_PATH, type ClaidStandin } from "@/test/support/claid-standin";

import { productPng } from "./support";

const KEY = "standin-edit-key";
let standin: ClaidStandin;

beforeAll(async () => {
  standin = await startClaidStandin({ apiKey: KEY });
});
afterAll(async () => {
  await standin.close();
});
afterEach(() => standin.reset());

function edit(body: unknown, key = KEY) {
  return fetch(`${standin.url}${EDIT_PATH}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function upload(file: Buffer, data: unknown) {
  const form = new FormData();
  form.set("file", new Blob([new Uint8Array(file)], { type: "image/png" }), "image.png");
  form.set("data", JSON.stringify(data));
  return fetch(`${standin.url}${UPLOAD_PATH}`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEY}` },
    body: form,
  });
}

async function fetched(url: string) {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

describe("the Claid stand-in's image/edit", () => {
  it("answers one output object in Claid's envelope, its tmp_url serving a real image of the asked format and size", async () => {
    const response = await edit({
      input: "https://images.example.com/shoe.jpg",
      operations: { resizing: { width: 120, height: 80 } },
      output: { format: "webp" },
    });
    expect(response.status).toBe(200);
    const answer = imageEditResponse.parse(await response.json());
    expect(answer.data.output).toMatchObject({ ext: "webp", width: 120, height: 80 });
    const bytes = await fetched(answer.data.output.tmp_url!);
    expect(await sharp(bytes).metadata()).toMatchObject({ format: "webp", width: 120, height: 80 });
  });

  it("records the exact bytes it was sent", async () => {
    const text = '{"operations":{"padding":"10%"},"input":"https://images.example.com/a.png"}';
    await (await edit(text)).arrayBuffer();
    expect(standin.callsTo(EDIT_PATH)[0]?.raw?.toString("utf8")).toBe(text);
  });

  it("makes a transparent cutout when asked to remove the background onto transparency", async () => {
    const response = await edit({
      input: "https://images.example.com/shoe.jpg",
      operations: { background: { remove: true, color: "transparent" } },
      output: { format: "png" },
    });
    const answer = imageEditResponse.parse(await response.json());
    const image = sharp(await fetched(answer.data.output.tmp_url!));
    const { data, info } = await image.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect(data[3]).toBe(0);
    const middle = (Math.floor(info.height / 2) * info.width + Math.floor(info.width / 2)) * 4;
    expect(data[middle + 3]).toBe(255);
  });

  it("refuses what Claid refuses: extra top-level fields, an input that is not a URL, a wrong key", async () => {
    const extra = await edit({ input: "https://x.example/a.png", operations: {}, extra: 1 });
    expect(extra.status).toBe(422);
    expect(await extra.json()).toMatchObject({ error_details: { fields: { extra: [expect.any(String)] } } });
    const notUrl = await edit({ input: "backdrop://files/abc.png", operations: {} });
    expect(notUrl.status).toBe(422);
    expect(await notUrl.json()).toMatchObject({ error_details: { fields: { input: [expect.any(String)] } } });
    expect((await edit({ input: "https://x.example/a.png" }, "wrong")).status).toBe(401);
  });

  it("takes an earlier upload's tmp_url as input, and refuses one of its own URLs it never handed out", async () => {
    const uploaded = imageEditResponse.parse(
      await (await upload(await productPng(3), { operations: {} })).json(),
    );
    const ok = await edit({ input: uploaded.data.output.tmp_url, operations: { padding: "10%" } });
    expect(ok.status).toBe(200);
    expect(imageEditResponse.parse(await ok.json()).data.input).toMatchObject({ width: 32, height: 24 });
    const unknown = await edit({ input: `${standin.url}/files/never.png`, operations: {} });
    expect(unknown.status).toBe(422);
  });

  it("fails on demand like the other endpoints", async () => {
    standin.setMode({ kind: "status", status: 429, wrapped: true, on: "edit", times: 1 });
    const limited = await edit({ input: "https://x.example/a.png", operations: {} });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("ratelimit-reset")).toBe("1");
    expect((await edit({ input: "https://x.example/a.png", operations: {} })).status).toBe(200);
  });
});

describe("the Claid stand-in's upload API", () => {
  it("keeps the file as it is when there are no operations", async () => {
    const file = await productPng(5);
    const answer = imageEditResponse.parse(await (await upload(file, { operations: {} })).json());
    const bytes = await fetched(answer.data.output.tmp_url!);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(
      createHash("sha256").update(file).digest("hex"),
    );
  });

  it("applies operations to the uploaded file, as an image edit of it", async () => {
    const file = await productPng(6);
    const answer = imageEditResponse.parse(
      await (
        await upload(file, {
          operations: { resizing: { width: 64, height: 48 } },
          output: { format: "jpeg" },
        })
      ).json(),
    );
    expect(answer.data.input).toMatchObject({ width: 32, height: 24 });
    expect(answer.data.output).toMatchObject({ width: 64, height: 48, ext: "jpg" });
    expect((await sharp(await fetched(answer.data.output.tmp_url!)).metadata()).format).toBe("jpeg");
  });
});
