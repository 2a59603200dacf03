import { createHash, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { loadConfig } from "@/lib/server/config";
import { LocalObjectStore, type ObjectStore } from "@/lib/server/storage";
import { S3ObjectStore } from "@/lib/server/storage/s3";
import { fileResponse } from "@/lib/server/storage/serve";

import { BACKENDS, TEST_BUCKET, testBucket, type TestBucket } from "../support/s3";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

async function readAll(body: ReadableStream<Uint8Array>): Promise<{ bytes: Buffer; chunks: number }> {
  const parts: Uint8Array[] = [];
  const reader = body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) parts.push(read.value);
  return { bytes: Buffer.concat(parts), chunks: parts.length };
}

async function listed(store: ObjectStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.list()) keys.push(key);
  return keys.sort();
}

/** A store on its own prefix of the test bucket. */
function bucketStore(bucket: TestBucket, options: { partSize?: number; listPageSize?: number } = {}) {
  return new S3ObjectStore(
    { bucket: TEST_BUCKET, prefix: `t-${randomUUID().slice(0, 8)}` },
    { S3_ENDPOINT: bucket.endpoint, S3_REGION: "us-east-1", S3_FORCE_PATH_STYLE: true },
    options,
  );
}

let bucket: TestBucket;
beforeAll(async () => {
  bucket = await testBucket();
});
afterAll(async () => {
  await bucket?.close();
});

describe.each(BACKENDS)("the object store on %s", (backend) => {
  /** S3 requests the store sent, by command name (bucket stores only). */
  const commands: string[] = [];

  async function freshStore(options: { partSize?: number; listPageSize?: number } = {}) {
    if (backend === "local") return new LocalObjectStore(fs.mkdtempSync(path.join(os.tmpdir(), "store-")));
    const store = bucketStore(bucket, options);
    (await store.client()).middlewareStack.add(
      (next, context) => (args) => {
        commands.push(context.commandName ?? "?");
        return next(args);
      },
      { step: "initialize" },
    );
    return store;
  }

  it("stores bytes under their sha256 and gives them back whole: get, stat, open and stream", async () => {
    const store = await freshStore();
    const bytes = randomBytes(70_000);
    const stored = await store.put(bytes, "PNG");
    expect(stored).toEqual({ key: `${sha256(bytes)}.png`, size: bytes.length, sha256: sha256(bytes) });
    expect(await store.get(stored.key)).toEqual(bytes);
    expect(await store.stat(stored.key)).toEqual({ size: bytes.length });
    const opened = await store.open(stored.key);
    expect(opened?.size).toBe(bytes.length);
    expect((await readAll(opened!.body)).bytes).toEqual(bytes);
    expect((await readAll((await store.stream(stored.key))!)).bytes).toEqual(bytes);
  });

  it("keeps one copy of the same bytes, lists exactly what it holds, and deletes", async () => {
    const store = await freshStore({ listPageSize: 2 });
    const files = [randomBytes(100), randomBytes(200), randomBytes(300), randomBytes(400), randomBytes(500)];
    const keys = [];
    for (const bytes of files) keys.push((await store.put(bytes, "webp")).key);
    expect((await store.put(files[0]!, "webp")).key).toBe(keys[0]);
    // Five files over pages of two: the listing follows continuation tokens to the end.
    expect(await listed(store)).toEqual([...keys].sort());
    await store.delete(keys[1]!);
    await store.delete(keys[1]!);
    expect(await store.stat(keys[1]!)).toBeUndefined();
    expect(await listed(store)).toEqual(keys.filter((_, i) => i !== 1).sort());
  });

  it("answers nothing for a missing or malformed key, without touching anything outside its keys", async () => {
    const store = await freshStore();
    const missing = `${"0".repeat(64)}.png`;
    for (const key of [missing, "../../etc/passwd", `${"a".repeat(64)}.png/../x`, ""]) {
      expect(await store.get(key)).toBeUndefined();
      expect(await store.stat(key)).toBeUndefined();
      expect(await store.open(key)).toBeUndefined();
      expect(await store.stream(key)).toBeUndefined();
      await store.delete(key);
    }
  });

  it("writes a large file in parts and reads it back as a stream of chunks, never whole", async () => {
    const store = await freshStore({ partSize: 5 * 1024 * 1024 });
    const bytes = randomBytes(12 * 1024 * 1024 + 123);
    commands.length = 0;
    const stored = await store.put(bytes, "tiff");
    if (backend === "s3") {
      expect(commands.filter((c) => c === "UploadPartCommand")).toHaveLength(3);
      expect(commands).toContain("CompleteMultipartUploadCommand");
      expect(commands).not.toContain("PutObjectCommand");
    }
    const opened = await store.open(stored.key);
    expect(opened?.size).toBe(bytes.length);
    const read = await readAll(opened!.body);
    expect(sha256(read.bytes)).toBe(stored.sha256);
    expect(read.chunks).toBeGreaterThan(10);
  });

  it("a file stored at or under the part size goes up in one request", async () => {
    if (backend === "local") return expect(await freshStore()).toBeInstanceOf(LocalObjectStore);
    const store = await freshStore({ partSize: 5 * 1024 * 1024 });
    commands.length = 0;
    await store.put(randomBytes(5 * 1024 * 1024), "png");
    expect(commands).toEqual(["PutObjectCommand"]);
  });
});

describe.each(BACKENDS)("files served from %s", (backend) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "serve-"));

  function configFor(extra: Record<string, string> = {}) {
    return loadConfig({
      NODE_ENV: "test",
      DATA_DIR: dataDir,
      ...(backend === "s3" ? bucket.env() : {}),
      ...extra,
    });
  }

  it("streams a stored file with its type, length, nosniff and a sandbox; 404 material for a missing one", async () => {
    const config = configFor();
    const { storeFor } = await import("@/lib/server/storage");
    const store = storeFor(config);
    expect(store).toBeInstanceOf(backend === "s3" ? S3ObjectStore : LocalObjectStore);
    const bytes = randomBytes(4096);
    const { key } = await store.put(bytes, "png");
    const response = await fileResponse(key, { download: true }, config);
    expect(response?.status).toBe(200);
    expect(Object.fromEntries(response!.headers)).toMatchObject({
      "content-type": "image/png",
      "content-length": "4096",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
      "content-disposition": `attachment; filename="backdrop-${key.slice(0, 12)}.png"`,
    });
    expect(Buffer.from(await response!.arrayBuffer())).toEqual(bytes);
    expect(await fileResponse(`${"1".repeat(64)}.png`, {}, config)).toBeUndefined();
    expect(await fileResponse("../secret", {}, config)).toBeUndefined();
  });

  it("with S3_PUBLIC_REDIRECT a link may answer with a presigned bucket URL that serves the file; else the bytes", async () => {
    if (backend === "local") {
      // Local files have nothing to redirect to: the setting is refused, and the bytes are served.
      expect(() => configFor({ S3_PUBLIC_REDIRECT: "1" })).toThrow(/S3_PUBLIC_REDIRECT: needs STORAGE_URL/);
      const config = configFor();
      const { storeFor } = await import("@/lib/server/storage");
      const { key } = await storeFor(config).put(randomBytes(10), "png");
      expect((await fileResponse(key, { redirect: true }, config))?.status).toBe(200);
      return;
    }
    const config = configFor({ S3_PUBLIC_REDIRECT: "1" });
    const { storeFor } = await import("@/lib/server/storage");
    const bytes = randomBytes(2048);
    const { key } = await storeFor(config).put(bytes, "webp");
    const redirect = await fileResponse(key, { redirect: true, download: true }, config);
    expect(redirect?.status).toBe(302);
    expect(redirect?.headers.get("cache-control")).toBe("no-store");
    const location = new URL(redirect!.headers.get("location") ?? "");
    expect(location.origin).toBe(bucket.endpoint);
    expect(location.searchParams.get("X-Amz-Expires")).toBe("300");
    const followed = await fetch(location);
    expect(followed.status).toBe(200);
    expect(followed.headers.get("content-type")).toBe("image/webp");
    expect(followed.headers.get("content-disposition")).toBe(
      `attachment; filename="backdrop-${key.slice(0, 12)}.webp"`,
    );
    expect(Buffer.from(await followed.arrayBuffer())).toEqual(bytes);
    // Without the redirect asked for (an image a page embeds), the bytes come from our origin.
    expect((await fileResponse(key, {}, config))?.status).toBe(200);
    expect(await fileResponse(`${"2".repeat(64)}.webp`, { redirect: true }, config)).toBeUndefined();
  });
});

describe("STORAGE_URL", () => {
  it.each([
    ["s3://my-bucket", { bucket: "my-bucket", prefix: "" }],
    ["s3://my.bucket/backdrop/files/", { bucket: "my.bucket", prefix: "backdrop/files" }],
  ])("reads %s", async (url, location) => {
    const { parseBucketUrl } = await import("@/lib/server/config");
    expect(parseBucketUrl(url)).toEqual(location);
    expect(loadConfig({ STORAGE_URL: url }).STORAGE_URL).toBe(url);
  });

  it.each(["https://bucket", "s3://", "s3://Upper", "s3://bucket/../x", "/data/files"])(
    "refuses %s naming the variable",
    (url) => {
      expect(() => loadConfig({ STORAGE_URL: url })).toThrow(/STORAGE_URL: must be s3:\/\/bucket/);
    },
  );
});
