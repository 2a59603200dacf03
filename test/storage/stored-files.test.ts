import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import * as downloadsRoute from "@/app/api/downloads/route";
import * as fileRoute from "@/app/api/files/[key]/route";
import * as thumbRoute from "@/app/api/files/[key]/thumb/route";
import * as sceneRoute from "@/app/api/scene/create/route";
import * as uploadsRoute from "@/app/api/uploads/route";
import type { SceneCreateResponse } from "@/lib/scene/contract";
import { createMember } from "@/lib/server/auth/members";
import { createToken } from "@/lib/server/auth/tokens";
import { generations } from "@/lib/server/db/schema/generations";
import { checkConsistency } from "@/lib/server/generations/consistency";
import { generationDeps, type GenerationDeps } from "@/lib/server/generations/records/deps";
import { insertGeneration } from "@/lib/server/generations/records/records";
import { stopWorker } from "@/lib/server/generations/runner";
import { claimingStore } from "@/lib/server/generations/runner/claiming-store";
import { LocalObjectStore, type ObjectStore } from "@/lib/server/storage";
import { S3ObjectStore } from "@/lib/server/storage/s3";

import {
  openGenerationDeps,
  promptRequest,
  truncateGenerations,
  type TestDeps,
} from "../generations/support";
import { testConfig } from "../support/config";
import { productPng } from "../support/product-images";
import { BACKENDS, testBucket, type TestBucket } from "../support/s3";

const ORIGIN = "http://127.0.0.1:3000";
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

let bucket: TestBucket;
let base: TestDeps;
let token: string;

beforeAll(async () => {
  bucket = await testBucket();
  // One embedded database for both halves: only where the files live differs.
  base = await openGenerationDeps("pglite", { DEFAULT_ENGINE: "local" });
  const { member } = await createMember(base.db, {
    email: "files@example.com",
    name: "Files",
    role: "member",
  });
  token = (await createToken(base.db, { userId: member.id, name: "files" })).token;
}, 120_000);
afterAll(async () => {
  await base?.close();
  await bucket?.close();
});

async function listed(store: ObjectStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.list()) keys.push(key);
  return keys.sort();
}

describe.each(BACKENDS)("stored files of the generation wing on %s", (backend) => {
  let deps: GenerationDeps;

  beforeAll(async () => {
    const config = testConfig({
      DEFAULT_ENGINE: "local",
      DATA_DIR: base.config.DATA_DIR,
      RATE_LIMIT_LOCAL_PER_MINUTE: "100000",
      RATE_LIMIT_UPLOADS_PER_MINUTE: "100000",
      ...(backend === "s3" ? bucket.env() : {}),
    });
    deps = await generationDeps(config);
    expect(deps.db).toBe(base.db);
    expect(deps.store).toBeInstanceOf(backend === "s3" ? S3ObjectStore : LocalObjectStore);
    await truncateGenerations(deps);
  });
  afterAll(async () => {
    // Route handlers started this process's worker on this half's store.
    await stopWorker();
  });

  function call(
    handler: (r: Request, ctx: { params: Promise<unknown> }) => Promise<Response>,
    url: string,
    init: RequestInit = {},
    params: unknown = {},
  ) {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${token}`);
    return handler(new Request(`${ORIGIN}${url}`, { ...init, headers }), { params: Promise.resolve(params) });
  }

  it("an upload, a draft made from it, its file, thumbnail and zip all live in the store and are served from it", async () => {
    const form = new FormData();
    form.set("file", new Blob([new Uint8Array(await productPng())]), "product.png");
    const uploaded = await call(uploadsRoute.POST, "/api/uploads", { method: "POST", body: form });
    expect(uploaded.status).toBe(201);
    const upload = (await uploaded.json()) as { key: string };
    expect(await deps.store.stat(upload.key)).toBeDefined();

    const request = promptRequest("on linen", {
      object: { image_url: `backdrop://files/${upload.key}`, scale: 0.6, position: { x: 0.5, y: 0.5 } },
      output: { number_of_images: 2, format: "png" },
    });
    const created = await call(sceneRoute.POST, "/v1/scene/create?engine=local", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request),
    });
    expect(created.status).toBe(200);
    const answer = (await created.json()) as SceneCreateResponse & { data: { generation_id: string } };
    const keys = answer.data.output.map((o) => new URL(o.tmp_url ?? "").pathname.split("/").pop() ?? "");
    expect(keys).toHaveLength(2);

    for (const key of keys) {
      const file = await call(fileRoute.GET, `/api/files/${key}`, {}, { key });
      expect(file.status).toBe(200);
      const bytes = Buffer.from(await file.arrayBuffer());
      expect(`${sha256(bytes)}.png`).toBe(key);
      expect(await deps.store.get(key)).toEqual(bytes);
    }
    const first = keys[0] ?? "";
    const thumb = await call(thumbRoute.GET, `/api/files/${first}/thumb`, {}, { key: first });
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get("content-type")).toBe("image/webp");
    const thumbKey = `${sha256(Buffer.from(await thumb.arrayBuffer()))}.webp`;
    expect(await listed(deps.store)).toEqual([upload.key, ...keys, thumbKey].sort());

    const zip = await call(downloadsRoute.GET, `/api/downloads?generation=${answer.data.generation_id}`);
    expect(zip.status).toBe(200);
    const archive = Buffer.from(await zip.arrayBuffer());
    // Images are stored in the zip as they are: each one's bytes appear whole.
    for (const key of keys) expect(archive.includes((await deps.store.get(key))!)).toBe(true);
    expect(archive.includes(Buffer.from("request.json"))).toBe(true);

    expect((await checkConsistency(deps, { leaseMs: 60_000 })).problemCount).toBe(0);
  });

  it("a crash between a claimed write and its record leaves nothing the check cannot find and repair", async () => {
    await truncateGenerations(deps);
    const row = await insertGeneration(deps.db, {
      request: promptRequest(),
      engine: "local",
      principal: undefined,
    });
    // The engine wrote under a claim, then the process died before the output was recorded.
    const written = await claimingStore(deps.db, deps.store, row.id).put(
      await productPng(300, 200, { x: 50, y: 50, width: 100, height: 60 }),
      "png",
    );
    await deps.db
      .update(generations)
      .set({
        status: "running",
        startedAt: new Date(Date.now() - 120_000),
        heartbeatAt: new Date(Date.now() - 120_000),
        workerId: "worker-dead",
      })
      .where(eq(generations.id, row.id));
    // And something wrote a file without any claim at all.
    const stray = await deps.store.put(Buffer.from("left behind"), "png");

    const found = await checkConsistency(deps, { leaseMs: 60_000 });
    expect(found.problems.stuckRunning).toEqual([row.id]);
    expect(found.problems.orphanFiles).toEqual([stray.key]);
    expect(found.problemCount).toBe(2);

    const fixed = await checkConsistency(deps, { leaseMs: 60_000, fix: true });
    expect(fixed.problemCount).toBe(0);
    expect(await deps.store.stat(written.key)).toBeUndefined();
    expect(await deps.store.stat(stray.key)).toBeUndefined();
    expect(await listed(deps.store)).toEqual([]);
  });
});
