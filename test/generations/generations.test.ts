import { randomUUID } from "node:crypto";
import { count, eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import * as downloadsRoute from "@/app/api/downloads/route";
import * as fileRoute from "@/app/api/files/[key]/route";
import * as thumbRoute from "@/app/api/files/[key]/thumb/route";
import * as generationRoute from "@/app/api/generations/[id]/route";
import * as generationsRoute from "@/app/api/generations/route";
import type { Generation, GenerationFilters, GenerationPage } from "@/lib/scene/generation";
import type { Principal } from "@/lib/server/auth/authorize";
import { createToken } from "@/lib/server/auth/tokens";
import { user } from "@/lib/server/db/schema/auth";
import { fileClaims, generationOutputs, generations, thumbnails } from "@/lib/server/db/schema/generations";
import { uploads } from "@/lib/server/db/schema/uploads";
import { checkConsistency, formatReport } from "@/lib/server/generations/consistency";
import { encodeCursor } from "@/lib/server/generations/records/cursor";
import { listGenerations } from "@/lib/server/generations/records/list";
import { deleteGeneration, insertGeneration, setFavorite } from "@/lib/server/generations/records/records";
import { claimingStore } from "@/lib/server/generations/runner/claiming-store";
import { insertUpload } from "@/lib/server/uploads/records";

import { DRIVERS, openGenerationDeps, promptRequest, truncateGenerations, type TestDeps } from "./support";

const admin: Principal = {
  userId: "user-admin",
  name: "Ada Admin",
  email: "ada@example.com",
  role: "admin" as const,
  via: "token" as const,
};
const member: Principal = {
  userId: "user-mo",
  name: "Mo Member",
  email: "mo@example.com",
  role: "member" as const,
  via: "token" as const,
};
const viewer: Principal = {
  userId: "user-vi",
  name: "Vi Viewer",
  email: "vi@example.com",
  role: "viewer" as const,
  via: "token" as const,
};
const filters = { limit: 30 };

async function png(seed: number, width = 800, height = 600): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: seed % 256, g: 40, b: 200 } } })
    .png()
    .toBuffer();
}

describe.each(DRIVERS)("history records on %s", (driver) => {
  let deps: TestDeps;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    deps = await openGenerationDeps(driver, { DEFAULT_ENGINE: "local" });
  }, 240_000);
  afterAll(async () => {
    await deps?.close();
  });
  beforeEach(async () => {
    await truncateGenerations(deps);
  });

  /** A generation that finished with `n` stored outputs, as the worker would leave it. */
  async function finished(
    prompt: string,
    n = 1,
    options: { createdAt?: Date; by?: Principal; seed?: number } = {},
  ) {
    const row = await insertGeneration(deps.db, {
      request: promptRequest(prompt),
      engine: "local",
      principal: options.by ?? member,
      ...(options.createdAt ? { createdAt: options.createdAt } : {}),
    });
    const keys: string[] = [];
    for (let i = 0; i < n; i++) {
      const stored = await deps.store.put(await png((options.seed ?? 0) * 10 + i), "png");
      keys.push(stored.key);
      await deps.db.insert(generationOutputs).values({
        id: randomUUID(),
        generationId: row.id,
        index: i,
        fileKey: stored.key,
        format: "png",
        mime: "image/png",
        size: stored.size,
        width: 800,
        height: 600,
        info: { ext: "png", mps: 0.48, mime: "image/png", format: "png", width: 800, height: 600 },
      });
    }
    await deps.db
      .update(generations)
      .set({ status: "succeeded", finishedAt: new Date() })
      .where(eq(generations.id, row.id));
    return { id: row.id, keys };
  }

  async function bearer(who: Principal): Promise<string> {
    if (!tokens[who.userId]) {
      await deps.db
        .insert(user)
        .values({ id: who.userId, name: who.name, email: who.email, role: who.role })
        .onConflictDoNothing();
      tokens[who.userId] = (await createToken(deps.db, { userId: who.userId, name: "tests" })).token;
    }
    return `Bearer ${tokens[who.userId]}`;
  }

  async function call<P>(
    handler: (r: Request, ctx?: { params: Promise<P> }) => Promise<Response>,
    url: string,
    init: RequestInit & { as?: Principal; params?: P } = {},
  ): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("authorization", await bearer(init.as ?? member));
    const request = new Request(`http://127.0.0.1:3000${url}`, { ...init, headers });
    // Routes without dynamic segments ignore their params.
    return handler(request, { params: Promise.resolve((init.params ?? {}) as P) });
  }

  async function generationCount() {
    return (await deps.db.select({ n: count() }).from(generations))[0]?.n;
  }

  it("lists newest first with a keyset cursor that neither skips nor repeats", async () => {
    const base = Date.now() - 3_600_000;
    // Pairs share a timestamp: the id breaks the tie.
    for (let i = 0; i < 25; i++) {
      await insertGeneration(deps.db, {
        request: promptRequest(`scene ${i}`),
        engine: "local",
        principal: member,
        createdAt: new Date(base + Math.floor(i / 2) * 1000),
      });
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listGenerations(deps.db, { limit: 7, ...(cursor ? { cursor } : {}) }, member);
      seen.push(...page.items.map((g) => g.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    const all = await deps.db.select().from(generations);
    const expected = all
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
      .map((g) => g.id);
    expect(seen).toEqual(expected);
  });

  it("filters by engine, status, aspect ratio, prompt text, favourites, date range and author", async () => {
    const old = await finished("red velvet sofa", 1, {
      createdAt: new Date("2026-01-10T12:00:00Z"),
      seed: 1,
    });
    const mine = await finished("Marble kitchen 100%_off", 1, { by: admin, seed: 2 });
    const wide = await insertGeneration(deps.db, {
      request: promptRequest("beach at dawn", { scene: { prompt: "beach at dawn", aspect_ratio: "16:9" } }),
      engine: "claid",
      principal: member,
    });
    await deps.db.update(generations).set({ favorite: true }).where(eq(generations.id, wide.id));
    const ids = async (f: Partial<GenerationFilters>, who = member) =>
      (await listGenerations(deps.db, { ...filters, ...f }, who)).items.map((g) => g.id).sort();

    expect(await ids({ engine: "claid" })).toEqual([wide.id]);
    expect(await ids({ status: "succeeded" })).toEqual([old.id, mine.id].sort());
    expect(await ids({ status: "queued" })).toEqual([wide.id]);
    expect(await ids({ aspect: "16:9" })).toEqual([wide.id]);
    expect(await ids({ aspect: "1:1" })).toEqual([old.id, mine.id].sort());
    expect(await ids({ q: "MARBLE" })).toEqual([mine.id]);
    expect(await ids({ q: "100%_" })).toEqual([mine.id]);
    expect(await ids({ q: "%" })).toEqual([mine.id]);
    expect(await ids({ favorite: true })).toEqual([wide.id]);
    expect(await ids({ from: "2026-01-10", to: "2026-01-10" })).toEqual([old.id]);
    expect(await ids({ to: "2026-01-09" })).toEqual([]);
    expect(await ids({ from: "2026-01-11" })).toEqual([mine.id, wide.id].sort());
    expect(await ids({ mine: true }, admin)).toEqual([mine.id]);
    expect(await ids({ engine: "local", q: "sofa" })).toEqual([old.id]);
  });

  it("favourites and deletes, keeping files another generation or upload still uses", async () => {
    const a = await finished("first", 2, { seed: 3 });
    const b = await finished("second", 1, { seed: 3 });
    // `b` shares its only file with `a`'s first output (same bytes, same key).
    expect(b.keys[0]).toBe(a.keys[0]);
    await insertUpload(
      deps.db,
      {
        key: a.keys[1] ?? "",
        url: "",
        width: 800,
        height: 600,
        format: "png",
        size: 1,
        hasAlpha: false,
        objectBox: { x: 0, y: 0, width: 800, height: 600 },
      },
      member,
    );
    expect((await setFavorite(deps.db, a.id, true, member)).favorite).toBe(true);

    await expect(deleteGeneration(deps.db, deps.store, a.id, viewer)).rejects.toMatchObject({ status: 403 });
    await deleteGeneration(deps.db, deps.store, a.id, member);
    expect(await deps.store.stat(a.keys[0] ?? "")).toBeDefined();
    expect(await deps.store.stat(a.keys[1] ?? "")).toBeDefined();
    await deleteGeneration(deps.db, deps.store, b.id, admin);
    expect(await deps.store.stat(a.keys[0] ?? "")).toBeUndefined();
    expect(await deps.store.stat(a.keys[1] ?? "")).toBeDefined();
    await expect(deleteGeneration(deps.db, deps.store, b.id, admin)).rejects.toMatchObject({ status: 404 });
    expect((await checkConsistency(deps, { leaseMs: 60_000 })).problemCount).toBe(0);
  });

  it("refuses to delete a generation that is still running", async () => {
    const row = await insertGeneration(deps.db, {
      request: promptRequest(),
      engine: "local",
      principal: member,
    });
    await expect(deleteGeneration(deps.db, deps.store, row.id, member)).rejects.toMatchObject({
      status: 422,
    });
    expect(await generationCount()).toBe(1);
  });

  it("makes one small webp thumbnail per stored image, only for referenced images, removed with them", async () => {
    const g = await finished("thumbs", 1, { seed: 4 });
    const key = g.keys[0] ?? "";
    const first = await call(thumbRoute.GET, `/api/files/${key}/thumb`, { as: viewer, params: { key } });
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("image/webp");
    expect(first.headers.get("x-content-type-options")).toBe("nosniff");
    expect(first.headers.get("cache-control")).toContain("immutable");
    const meta = await sharp(Buffer.from(await first.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", 384, 288]);
    const again = await call(thumbRoute.GET, `/api/files/${key}/thumb`, { as: viewer, params: { key } });
    expect(again.status).toBe(200);
    expect(await deps.db.select({ n: count() }).from(thumbnails)).toEqual([{ n: 1 }]);

    const stray = await deps.store.put(await png(99), "png");
    const refused = await call(thumbRoute.GET, `/api/files/${stray.key}/thumb`, {
      as: viewer,
      params: { key: stray.key },
    });
    expect(refused.status).toBe(404);
    await deps.store.delete(stray.key);

    const [thumb] = await deps.db.select().from(thumbnails);
    await deleteGeneration(deps.db, deps.store, g.id, member);
    expect(await deps.store.stat(thumb?.thumbKey ?? "")).toBeUndefined();
    expect(await deps.db.select().from(thumbnails)).toEqual([]);
  });

  it("serves files with their type, nosniff, immutable caching and an attachment name on download", async () => {
    const g = await finished("files", 1, { seed: 5 });
    const key = g.keys[0] ?? "";
    const shown = await call(fileRoute.GET, `/api/files/${key}`, { as: viewer, params: { key } });
    expect(shown.headers.get("content-type")).toBe("image/png");
    expect(shown.headers.get("x-content-type-options")).toBe("nosniff");
    expect(shown.headers.get("cache-control")).toBe("private, max-age=31536000, immutable");
    expect(shown.headers.get("content-disposition")).toBeNull();
    const saved = await call(fileRoute.GET, `/api/files/${key}?download=1`, { as: viewer, params: { key } });
    expect(saved.headers.get("content-disposition")).toMatch(
      /^attachment; filename="backdrop-[a-f0-9]{12}\.png"$/,
    );
    // The gallery's link names the file after the prompt, the ratio and the image's number.
    const shownGeneration = await call(generationRoute.GET, `/api/generations/${g.id}`, {
      as: viewer,
      params: { id: g.id },
    });
    const [output] = ((await shownGeneration.json()) as { generation: Generation }).generation.outputs;
    expect(output?.downloadUrl).toBe(`/api/files/${key}?download=1&name=files-1x1-1`);
    const named = await call(fileRoute.GET, output?.downloadUrl ?? "", { as: viewer, params: { key } });
    expect(named.headers.get("content-disposition")).toBe('attachment; filename="files-1x1-1.png"');
    // A name from the query string is reduced to words: no quotes, slashes or line breaks get through.
    const hostile = await call(
      fileRoute.GET,
      `/api/files/${key}?download=1&name=${encodeURIComponent('a"b/../c\r\nSet-Cookie: x=1;Café 茶')}`,
      { as: viewer, params: { key } },
    );
    expect(hostile.headers.get("content-disposition")).toBe(
      `attachment; filename="a-b-c-set-cookie-x-1-cafe.png"; filename*=UTF-8''${encodeURIComponent("a-b-c-set-cookie-x-1-cafe-茶.png")}`,
    );
    const bad = await call(fileRoute.GET, "/api/files/..%2F..%2Fetc%2Fpasswd", {
      as: viewer,
      params: { key: "../../etc/passwd" },
    });
    expect(bad.status).toBe(404);
    expect(await bad.json()).toMatchObject({ error_code: "not_found", error_type: "general" });
  });

  it("streams a zip of a generation and of single outputs", async () => {
    const a = await finished("zip a", 2, { seed: 6 });
    const b = await finished("zip b", 1, { seed: 7 });
    const [bOutput] = await deps.db
      .select()
      .from(generationOutputs)
      .where(eq(generationOutputs.generationId, b.id));
    const response = await call(
      downloadsRoute.GET,
      `/api/downloads?generation=${a.id}&output=${bOutput?.id}`,
      { as: viewer },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="backdrop-.*\.zip"$/);
    const zip = Buffer.from(await response.arrayBuffer());
    expect(zip.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    // Folders and files named after the prompt's words and the ratio, the folder kept apart by the id.
    const names = [
      ...zip.toString("latin1").matchAll(/zip-[ab]-1x1-[0-9a-f]{8}\/(?:zip-[ab]-1x1-\d\.png|request\.json)/g),
    ].map((m) => m[0]);
    const folder = (g: { id: string }, words: string) => `${words}-1x1-${g.id.slice(0, 8)}`;
    expect(new Set(names)).toEqual(
      new Set([
        `${folder(a, "zip-a")}/zip-a-1x1-1.png`,
        `${folder(a, "zip-a")}/zip-a-1x1-2.png`,
        `${folder(a, "zip-a")}/request.json`,
        `${folder(b, "zip-b")}/zip-b-1x1-1.png`,
      ]),
    );
    // Stored, not deflated: each PNG's bytes appear as they are.
    for (const key of [...a.keys, ...b.keys]) {
      const bytes = await deps.store.get(key);
      expect(zip.includes(bytes ?? Buffer.alloc(1))).toBe(true);
    }
    const empty = await call(downloadsRoute.GET, "/api/downloads", { as: viewer });
    expect(empty.status).toBe(422);
    const unknown = await call(downloadsRoute.GET, `/api/downloads?generation=${randomUUID()}`, {
      as: viewer,
    });
    expect(unknown.status).toBe(404);
  });

  it("answers the generations API with 202 and the record, and refuses bad input without changing anything", async () => {
    const post = (body: string, as = member, contentType = "application/json") =>
      call(generationsRoute.POST, "/api/generations", {
        method: "POST",
        body,
        headers: { "content-type": contentType },
        as,
      });

    const accepted = await post(JSON.stringify({ request: promptRequest("a lake"), engine: "local" }));
    expect(accepted.status).toBe(202);
    const { generation } = (await accepted.json()) as { generation: Generation };
    expect(generation).toMatchObject({
      engine: "local",
      favorite: false,
      createdBy: { id: member.userId, name: member.name },
    });
    expect(accepted.headers.get("location")).toBe(`/api/generations/${generation.id}`);
    expect(await generationCount()).toBe(1);

    const cases: [string, number, string][] = [
      ["{", 400, "bad_json"],
      [JSON.stringify({ request: { scene: {} } }), 422, "validation_error"],
      [JSON.stringify({ request: promptRequest(), engine: "dall-e" }), 422, "validation_error"],
      [JSON.stringify({ request: promptRequest(), extra: 1 }), 422, "validation_error"],
    ];
    for (const [body, status, code] of cases) {
      const response = await post(body);
      expect(response.status).toBe(status);
      const error = (await response.json()) as Record<string, unknown>;
      expect(error).toMatchObject({
        error_code: code,
        error_type: expect.any(String),
        error_message: expect.any(String),
      });
    }
    const wrongType = await post("{}", member, "text/plain");
    expect(wrongType.status).toBe(415);
    const byViewer = await post(JSON.stringify({ request: promptRequest() }), viewer);
    expect(byViewer.status).toBe(403);
    expect(await generationCount()).toBe(1);

    const one = await call(generationRoute.GET, `/api/generations/${generation.id}`, {
      as: viewer,
      params: { id: generation.id },
    });
    expect(((await one.json()) as { generation: Generation }).generation.request).toEqual(
      promptRequest("a lake"),
    );
    const missing = await call(generationRoute.GET, `/api/generations/${randomUUID()}`, {
      as: viewer,
      params: { id: randomUUID() },
    });
    expect(missing.status).toBe(404);
    const junk = await call(generationRoute.GET, "/api/generations/not-an-id", {
      as: viewer,
      params: { id: "not-an-id" },
    });
    expect(junk.status).toBe(404);
  });

  it("lists, favourites and deletes through the API, with filter errors as 422", async () => {
    const g = await finished("api list", 1, { seed: 8 });
    const page = (await (
      await call(generationsRoute.GET, "/api/generations?limit=5&engine=local", { as: viewer })
    ).json()) as GenerationPage;
    expect(page.items.map((i) => i.id)).toEqual([g.id]);
    expect(page.nextCursor).toBeNull();

    for (const query of [
      "limit=0",
      "limit=abc",
      "engine=dalle",
      "status=lost",
      "from=yesterday",
      `cursor=${"x".repeat(20)}`,
    ]) {
      const response = await call(generationsRoute.GET, `/api/generations?${query}`, { as: viewer });
      expect(response.status, query).toBe(422);
    }
    const forged = encodeCursor({ createdAt: new Date(), id: "x" });
    expect(
      (await call(generationsRoute.GET, `/api/generations?cursor=${forged}`, { as: viewer })).status,
    ).toBe(200);

    const patch = (body: string, as = member) =>
      call(generationRoute.PATCH, `/api/generations/${g.id}`, {
        method: "PATCH",
        body,
        headers: { "content-type": "application/json" },
        as,
        params: { id: g.id },
      });
    expect(
      ((await (await patch('{"favorite":true}')).json()) as { generation: Generation }).generation.favorite,
    ).toBe(true);
    expect((await patch('{"favorite":"yes"}')).status).toBe(422);
    expect((await patch('{"favorite":false}', viewer)).status).toBe(403);

    const del = (as = member) =>
      call(generationRoute.DELETE, `/api/generations/${g.id}`, {
        method: "DELETE",
        as,
        params: { id: g.id },
      });
    expect((await del(viewer)).status).toBe(403);
    expect((await del()).status).toBe(204);
    expect((await del()).status).toBe(404);
    expect(await deps.store.stat(g.keys[0] ?? "")).toBeUndefined();
  });

  it("records uploads once per file", async () => {
    const stored = await deps.store.put(await png(11), "png");
    const record = {
      key: stored.key,
      url: `/api/files/${stored.key}`,
      width: 800,
      height: 600,
      format: "png",
      size: stored.size,
      hasAlpha: false,
      objectBox: { x: 0, y: 0, width: 800, height: 600 },
    };
    await insertUpload(deps.db, record, member);
    await insertUpload(deps.db, record, admin);
    const rows = await deps.db.select().from(uploads);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      key: stored.key,
      sha256: stored.sha256,
      createdBy: member.userId,
      objectBox: record.objectBox,
    });
    expect((await checkConsistency(deps, { leaseMs: 60_000 })).problemCount).toBe(0);
  });

  it("consistency check: 0 problems when sound; finds orphans, missing files, stuck runs and stray claims; fixes what it can", async () => {
    const g = await finished("sound", 2, { seed: 12 });
    const clean = await checkConsistency(deps, { leaseMs: 60_000 });
    expect(clean.problemCount).toBe(0);
    expect(clean.counts).toMatchObject({ generations: 1, outputs: 2, files: 2 });
    expect(formatReport(clean)).toMatch(/\n0 problems$/);

    const orphan = await deps.store.put(Buffer.from("nobody's file"), "png");
    await deps.store.delete(g.keys[1] ?? "");
    const stuck = await insertGeneration(deps.db, {
      request: promptRequest(),
      engine: "local",
      principal: member,
    });
    const long = new Date(Date.now() - 3_600_000);
    await deps.db
      .update(generations)
      .set({ status: "running", heartbeatAt: long, startedAt: long, workerId: "w-dead" })
      .where(eq(generations.id, stuck.id));
    const failed = await insertGeneration(deps.db, {
      request: promptRequest(),
      engine: "local",
      principal: member,
    });
    await deps.db.update(generations).set({ status: "failed" }).where(eq(generations.id, failed.id));
    const stray = await claimingStore(deps.db, deps.store, failed.id).put(
      Buffer.from("written, never recorded"),
      "png",
    );

    const found = await checkConsistency(deps, { leaseMs: 60_000 });
    expect([...found.problems.orphanFiles].sort()).toEqual([orphan.key, stray.key].sort());
    expect(found.problems.missingFiles).toEqual([{ key: g.keys[1], referencedBy: "output" }]);
    expect(found.problems.stuckRunning).toEqual([stuck.id]);
    expect(found.problems.strayClaims).toBe(1);
    expect(found.problemCount).toBe(5);
    expect(formatReport(found)).toMatch(/\n5 problems$/);

    const fixed = await checkConsistency(deps, { leaseMs: 60_000, fix: true });
    expect(fixed.problems.orphanFiles).toEqual([]);
    expect(fixed.problems.stuckRunning).toEqual([]);
    expect(fixed.problems.strayClaims).toBe(0);
    expect(fixed.problems.missingFiles).toHaveLength(1);
    expect(fixed.problemCount).toBe(1);
    expect(await deps.store.stat(orphan.key)).toBeUndefined();
    expect(await deps.store.stat(stray.key)).toBeUndefined();
    expect(await deps.db.select().from(fileClaims)).toEqual([]);
    const [after] = await deps.db.select().from(generations).where(eq(generations.id, stuck.id));
    expect(after?.status).toBe("interrupted");
  });
});
