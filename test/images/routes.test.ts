import http from "node:http";
import type { AddressInfo } from "node:net";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { POST as importImage } from "@/app/api/imports/route";
import { POST as upload } from "@/app/api/uploads/route";
import { DRAIN_LIMIT_BYTES } from "@/lib/server/http/body";

import { DB_SETUP_TIMEOUT, ORIGIN } from "../auth/support";
import { testConfig } from "../support/config";
import { memberToken } from "../support/member-token";
import { bombPng, cutoutPng, pngPolyglot, SVG_WITH_SCRIPT } from "./files";

const LIMIT = 2 * 1024 * 1024;
const config = testConfig({ MAX_UPLOAD_BYTES: String(LIMIT), ALLOW_LOOPBACK_FETCH: "1" });
let token = "";
let server: http.Server;
let base = "";
let png: Buffer;

beforeAll(async () => {
  token = await memberToken(config);
  png = await cutoutPng(120, 80, { x: 10, y: 20, width: 30, height: 40 });
  server = http.createServer((req, res) => {
    if (req.url === "/cutout.png") {
      res.writeHead(200, { "content-type": "image/png" });
      res.end(png);
    } else if (req.url === "/page.html") {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<!doctype html><p>hello</p>");
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, DB_SETUP_TIMEOUT);

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function uploadRequest(file: Uint8Array | undefined, headers: Record<string, string> = {}) {
  const form = new FormData();
  if (file) form.set("file", new Blob([new Uint8Array(file)]), "product.png");
  return new Request(`${ORIGIN}/api/uploads`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, ...headers },
    body: form,
  });
}

/** A body produced on demand: never allocated, and counted as it is pulled. */
function lazyBody(total: number) {
  const pulled = { bytes: 0 };
  const chunk = new Uint8Array(256 * 1024);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.bytes >= total) return controller.close();
      pulled.bytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled };
}

async function answer(response: Response) {
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("POST /api/uploads", () => {
  it("stores the file and answers 201 with its metadata and object box", async () => {
    const { status, body } = await answer(await upload(uploadRequest(png)));
    expect(status).toBe(201);
    expect(body).toMatchObject({
      width: 120,
      height: 80,
      format: "png",
      hasAlpha: true,
      objectBox: { x: 10, y: 20, width: 30, height: 40 },
    });
    expect(String(body.url)).toMatch(/^backdrop:\/\/files\/[a-f0-9]{64}\.png$/);
  });

  it("needs a signed-in member", async () => {
    const request = uploadRequest(png);
    request.headers.delete("authorization");
    expect((await upload(request)).status).toBe(401);
  });

  it("needs multipart with a file field", async () => {
    expect(await answer(await upload(uploadRequest(undefined)))).toMatchObject({
      status: 422,
      body: { error_code: "file_missing" },
    });
    const json = new Request(`${ORIGIN}/api/uploads`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: "{}",
    });
    expect((await upload(json)).status).toBe(415);
  });
});

describe("upload bombs: each refused with 4xx, memory bounded", () => {
  let before = 0;
  beforeEach(() => {
    before = process.memoryUsage().rss;
  });
  afterEach(() => {
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  it("a 100-megapixel PNG of a few kilobytes: 413 from its header", async () => {
    const { status, body } = await answer(await upload(uploadRequest(bombPng(10_000))));
    expect(status).toBe(413);
    expect(body).toMatchObject({ error_code: "image_too_many_pixels", error_type: "image" });
  });

  it("a body declared over 1 GB: 413 without reading it", async () => {
    const { stream, pulled } = lazyBody(1_100_000_000);
    const request = new Request(`${ORIGIN}/api/uploads`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "multipart/form-data; boundary=x",
        "content-length": "1100000000",
      },
      body: stream,
      duplex: "half",
    } as RequestInit);
    const { status, body } = await answer(await upload(request));
    expect(status).toBe(413);
    expect(body.error_code).toBe("payload_too_large");
    expect(pulled.bytes).toBeLessThan(LIMIT + 1024 * 1024);
  });

  it("a 1 GB body that does not say so: 413 at the limit, the rest drained only up to a bound", async () => {
    const { stream, pulled } = lazyBody(1024 ** 3);
    const request = new Request(`${ORIGIN}/api/uploads`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "multipart/form-data; boundary=x" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect((await upload(request)).status).toBe(413);
    // What follows the limit is read and dropped (the connection stays usable), never kept, and only
    // up to the drain bound.
    let seen = -1;
    while (seen !== pulled.bytes) {
      seen = pulled.bytes;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(pulled.bytes).toBeLessThan(LIMIT + DRAIN_LIMIT_BYTES + 2 * 1024 * 1024);
  });

  it.each([
    ["an SVG with a script", () => SVG_WITH_SCRIPT, 415, "unsupported_image_type"],
    ["a PNG header followed by HTML", () => pngPolyglot(), 422, "image_unreadable"],
    [
      "a truncated PNG",
      async () => {
        const whole = await sharp({ create: { width: 200, height: 200, channels: 3, background: "#abcdef" } })
          .png({ compressionLevel: 0 })
          .toBuffer();
        return whole.subarray(0, whole.length - 5000);
      },
      422,
      "image_unreadable",
    ],
  ])("%s", async (_name, make, status, code) => {
    const { status: got, body } = await answer(await upload(uploadRequest(await make())));
    expect(got).toBe(status);
    expect(body.error_code).toBe(code);
  });
});

describe("POST /api/imports", () => {
  const post = (body: unknown) =>
    importImage(
      new Request(`${ORIGIN}/api/imports`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    );

  it("fetches through the guarded fetcher and takes the image in", async () => {
    const { status, body } = await answer(await post({ url: `${base}/cutout.png` }));
    expect(status).toBe(201);
    expect(body).toMatchObject({ width: 120, objectBox: { x: 10, y: 20, width: 30, height: 40 } });
  });

  it.each([
    ["a web page", () => `${base}/page.html`, "url_not_image"],
    ["a 404", () => `${base}/missing.png`, "url_unreachable"],
    ["the metadata service", () => "http://169.254.169.254/latest/meta-data/", "url_not_allowed"],
    ["a private address", () => "http://192.168.0.10/a.png", "url_not_allowed"],
  ])("refuses %s with 422", async (_name, url, code) => {
    expect(await answer(await post({ url: url() }))).toMatchObject({
      status: 422,
      body: { error_code: code },
    });
  });

  it("validates its body", async () => {
    expect((await post({ url: "not a uri" })).status).toBe(422);
    expect((await post({ url: `${base}/cutout.png`, extra: 1 })).status).toBe(422);
  });
});
