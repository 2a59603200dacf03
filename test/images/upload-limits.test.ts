// Uploads and imports through their routes: 503 with Retry-After when the image queue is full (the body
// then never read), 429 past the person's allowance; both in the error shape.
import { beforeAll, describe, expect, it } from "vitest";

import { POST as importImage } from "@/app/api/imports/route";
import { POST as upload } from "@/app/api/uploads/route";
import { imageWorkQueue } from "@/lib/server/images/work-queue";

import { DB_SETUP_TIMEOUT, ORIGIN } from "../auth/support";
import { testConfig } from "../support/config";
import { memberToken } from "../support/member-token";
import { cutoutPng } from "./files";

const config = testConfig({ IMAGE_DECODE_CONCURRENCY: "1", IMAGE_DECODE_QUEUE: "1" });
let png: Buffer;

beforeAll(async () => {
  png = await cutoutPng(64, 48, { x: 4, y: 6, width: 20, height: 30 });
}, DB_SETUP_TIMEOUT);

function uploadRequest(token: string, body?: ReadableStream<Uint8Array>) {
  if (body) {
    return new Request(`${ORIGIN}/api/uploads`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "multipart/form-data; boundary=x" },
      body,
      duplex: "half",
    } as RequestInit);
  }
  const form = new FormData();
  form.set("file", new Blob([new Uint8Array(png)]), "product.png");
  return new Request(`${ORIGIN}/api/uploads`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
}

function importRequest(token: string) {
  return new Request(`${ORIGIN}/api/imports`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ url: "http://127.0.0.1:9/never-fetched.png" }),
  });
}

describe("a full image queue", () => {
  it("answers 503 with Retry-After before reading the body, and takes uploads again once there is room", async () => {
    const token = await memberToken(config);
    const queue = imageWorkQueue(config);
    // Concurrency 1 + queue 1: two uploads in progress fill it.
    const held = [queue.admit(), queue.admit()];
    try {
      let pulled = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled++;
          controller.enqueue(new Uint8Array(64 * 1024));
        },
      });
      const refused = await upload(uploadRequest(token, body));
      expect(refused.status).toBe(503);
      expect(refused.headers.get("retry-after")).toBe("5");
      expect(await refused.json()).toMatchObject({
        error_code: "server_busy",
        error_type: "general",
        error_message: expect.stringContaining("Try again"),
      });
      // A stream pulls one chunk ahead by itself; nothing more was read.
      expect(pulled).toBeLessThanOrEqual(1);

      const importRefused = await importImage(importRequest(token));
      expect(importRefused.status).toBe(503);
    } finally {
      for (const release of held) release();
    }
    expect((await upload(uploadRequest(token))).status).toBe(201);
    expect(queue.admitted).toBe(0);
  });
});

describe("the per-person allowance", () => {
  it("answers 429 past RATE_LIMIT_UPLOADS_PER_MINUTE, counting uploads and imports together, per person", async () => {
    const limited = testConfig({
      IMAGE_DECODE_CONCURRENCY: "1",
      IMAGE_DECODE_QUEUE: "1",
      RATE_LIMIT_UPLOADS_PER_MINUTE: "3",
    });
    try {
      const token = await memberToken(limited);
      expect((await upload(uploadRequest(token))).status).toBe(201);
      expect((await upload(uploadRequest(token))).status).toBe(201);
      // The import counts even though its URL leads nowhere (it is refused after the count).
      expect((await importImage(importRequest(token))).status).toBe(422);
      const refused = await upload(uploadRequest(token));
      expect(refused.status).toBe(429);
      expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(refused.headers.get("ratelimit-limit")).toBe("3");
      expect(await refused.json()).toMatchObject({
        error_code: "rate_limited",
        error_type: "general",
        error_details: { limit_per_minute: 3 },
      });
      expect((await importImage(importRequest(token))).status).toBe(429);
      // Someone else still has their own.
      expect((await upload(uploadRequest(await memberToken(limited)))).status).toBe(201);
    } finally {
      testConfig({ IMAGE_DECODE_CONCURRENCY: "1", IMAGE_DECODE_QUEUE: "1" });
    }
  });
});
