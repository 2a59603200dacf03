import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import type { Generation } from "@/lib/scene/generation";
import { imagesRequested } from "@/lib/scene/vocabulary";
import { imageReservation, user } from "@/lib/server/db/schema/auth";
import { fileClaims, generationOutputs, generations } from "@/lib/server/db/schema/generations";
import { runScene } from "@/lib/server/engines";
import { isApiError } from "@/lib/server/errors";
import { generationEvents } from "@/lib/server/generations/events";
import { findGenerationRow, insertGeneration } from "@/lib/server/generations/records/records";
import { claimingStore } from "@/lib/server/generations/runner/claiming-store";
import { fetchPendingOutputs, interruptStale } from "@/lib/server/generations/runner/recovery";
import { waitUntilSettled } from "@/lib/server/generations/runner/settle";
import { GenerationWorker } from "@/lib/server/generations/runner/worker";
import { queueGeneration } from "@/lib/server/generations/service";
import { generateAndWait, recordedResult } from "@/lib/server/generations/synchronous";
import type { ClaidStandin } from "@/test/support/claid-standin";

import { NO_LIMITS, STANDIN_CLAID, testConfig } from "../support/config";
import {
  DRIVERS,
  eventually,
  openGenerationDeps,
  promptRequest,
  quietLog,
  sleep,
  startStandin,
  truncateGenerations,
  type TestDeps,
} from "./support";

const alice = {
  userId: "user-alice",
  name: "Alice",
  email: "alice@example.com",
  role: "member" as const,
  via: "session" as const,
};
const settings = { GENERATION_CONCURRENCY: 2, GENERATION_LEASE_MS: 60_000, GENERATION_POLL_MS: 50 };

describe.each(DRIVERS)("generation jobs on %s", (driver) => {
  let standin: ClaidStandin;
  let deps: TestDeps;
  let worker: GenerationWorker;

  beforeAll(async () => {
    standin = await startStandin();
    deps = await openGenerationDeps(driver, { CLAID_API_BASE_URL: standin.url });
    await deps.db
      .insert(user)
      .values({ id: alice.userId, name: alice.name, email: alice.email, role: alice.role });
    worker = new GenerationWorker({ ...deps, log: quietLog, runScene, settings }).start();
  }, 240_000);
  afterAll(async () => {
    await worker?.stop();
    await deps?.close();
    await standin?.close();
  });
  beforeEach(async () => {
    configFor(standin.url);
    standin.reset();
    standin.setOptions({ delayMs: 0, tmpUrlOrigin: undefined });
    await truncateGenerations(deps);
  });

  /** This suite's configuration (and the one route handlers read), with Claid at `claidBase`. */
  function configFor(claidBase: string) {
    return testConfig({
      ...STANDIN_CLAID,
      ...NO_LIMITS,
      DATA_DIR: deps.config.DATA_DIR,
      DATABASE_URL: deps.config.DATABASE_URL ?? "",
      CLAID_API_BASE_URL: claidBase,
    });
  }

  async function outputRows(id: string) {
    return deps.db.select().from(generationOutputs).where(eq(generationOutputs.generationId, id));
  }

  it("records the generation as queued before any engine work, then runs it to success", async () => {
    standin.setOptions({ delayMs: 300 });
    const queued = await queueGeneration(deps, {
      request: promptRequest(),
      engine: "claid",
      principal: alice,
    });
    expect(queued.status).toBe("queued");
    expect(queued.outputs).toEqual([]);
    expect(standin.callsTo("/v1/scene/create")).toHaveLength(0);

    const done = await waitUntilSettled(deps.db, queued.id, { pollMs: 50 });
    expect(done.status).toBe("succeeded");
    expect(done.createdBy).toEqual({ id: "user-alice", name: "Alice" });
    expect(done.outputs).toHaveLength(2);
    for (const output of done.outputs) {
      expect(output.url).toMatch(/^\/api\/files\/[a-f0-9]{64}\.png$/);
      expect(output.thumbUrl).toBe(`${output.url}/thumb`);
      expect(output.width).toBeGreaterThan(0);
    }
    const rows = await outputRows(queued.id);
    for (const row of rows) {
      expect(row.fileKey).not.toBeNull();
      expect(await deps.store.stat(row.fileKey ?? "")).toEqual({ size: row.size });
      expect(row.upstreamUrl).toMatch(/^http:\/\/127\.0\.0\.1:/);
      expect(row.upstreamExpiresAt?.getTime()).toBeGreaterThan(Date.now());
    }
    expect(done.timings.queue).toBeGreaterThanOrEqual(0);
    expect(done.timings.upstream).toBeGreaterThanOrEqual(300);
    expect(Date.parse(done.startedAt ?? "")).toBeGreaterThanOrEqual(Date.parse(done.createdAt));
    expect(Date.parse(done.finishedAt ?? "")).toBeGreaterThanOrEqual(Date.parse(done.startedAt ?? ""));
    expect(await deps.db.select().from(fileClaims)).toEqual([]);
    expect(standin.callsTo("/v1/scene/create")).toHaveLength(1);
  });

  it("stores an upstream failure as HttpErrorDetails with its status, and keeps no files", async () => {
    standin.setMode({ kind: "status", status: 402 });
    const queued = await queueGeneration(deps, {
      request: promptRequest(),
      engine: "claid",
      principal: alice,
    });
    const done = await waitUntilSettled(deps.db, queued.id, { pollMs: 50 });
    expect(done.status).toBe("failed");
    expect(done.error).toMatchObject({
      error_type: "billing",
      error_code: expect.any(String),
      error_message: expect.any(String),
    });
    expect((await findGenerationRow(deps.db, queued.id))?.errorStatus).toBe(402);
    expect(done.outputs).toEqual([]);
    const files: string[] = [];
    for await (const key of deps.store.list()) files.push(key);
    expect(files).toEqual([]);
  });

  it("spends the claid budget it reserved on success and gives it back on failure", async () => {
    const ok = await queueGeneration(deps, { request: promptRequest(), engine: "claid", principal: alice });
    expect((await waitUntilSettled(deps.db, ok.id, { pollMs: 50 })).status).toBe("succeeded");
    standin.setMode({ kind: "status", status: 500 });
    const bad = await queueGeneration(deps, { request: promptRequest(), engine: "claid", principal: alice });
    expect((await waitUntilSettled(deps.db, bad.id, { pollMs: 50 })).status).toBe("failed");
    const reservations = await deps.db
      .select({
        generationId: imageReservation.generationId,
        status: imageReservation.status,
        images: imageReservation.images,
      })
      .from(imageReservation)
      .where(inArray(imageReservation.generationId, [ok.id, bad.id]));
    expect(
      reservations.sort((a, b) => (a.generationId === ok.id ? -1 : b.generationId === ok.id ? 1 : 0)),
    ).toEqual([
      { generationId: ok.id, status: "committed", images: 2 },
      { generationId: bad.id, status: "released", images: 2 },
    ]);
  });

  it("reserves the contract's default of four images when the request does not say", () => {
    expect(imagesRequested(promptRequest())).toBe(2);
    const { output: _omitted, ...bare } = promptRequest();
    expect(imagesRequested(bare)).toBe(4);
    expect(imagesRequested({ ...bare, output: "storage://bucket/out/" })).toBe(4);
    expect(imagesRequested({ ...bare, output: { format: "jpeg" } })).toBe(4);
  });

  it("runs at most GENERATION_CONCURRENCY generations at once, and all of them", async () => {
    standin.setOptions({ delayMs: 250 });
    const ids = [];
    for (let i = 0; i < 5; i++) {
      ids.push(
        (
          await queueGeneration(deps, {
            request: promptRequest(`scene number ${i}`),
            engine: "claid",
            principal: alice,
          })
        ).id,
      );
    }
    let most = 0;
    await eventually(async () => {
      const rows = await deps.db.select({ status: generations.status }).from(generations);
      most = Math.max(most, rows.filter((r) => r.status === "running").length);
      return rows.every((r) => r.status === "succeeded") ? true : undefined;
    });
    expect(most).toBe(2);
    expect(standin.callsTo("/v1/scene/create")).toHaveLength(5);
  });

  it("lets two workers share the database without running any generation twice", async () => {
    const second = new GenerationWorker({ ...deps, log: quietLog, runScene, settings }).start();
    try {
      standin.setOptions({ delayMs: 50 });
      for (let i = 0; i < 8; i++) {
        await insertGeneration(deps.db, {
          request: promptRequest(`shared ${i}`),
          engine: "claid",
          principal: alice,
        });
      }
      const rows = await eventually(async () => {
        const all = await deps.db.select().from(generations);
        return all.every((r) => r.status === "succeeded") ? all : undefined;
      });
      expect(rows.map((r) => r.attempts)).toEqual(Array(8).fill(1));
      expect(standin.callsTo("/v1/scene/create")).toHaveLength(8);
    } finally {
      await second.stop();
    }
  });

  it("marks generations whose worker went silent as interrupted, and removes files they never recorded", async () => {
    // Recorded as claimed by workers other than the live one, so it never claims them.
    const stale = await insertGeneration(deps.db, {
      request: promptRequest("stale"),
      engine: "claid",
      principal: alice,
      claim: { workerId: "worker-gone" },
    });
    const fresh = await insertGeneration(deps.db, {
      request: promptRequest("fresh"),
      engine: "claid",
      principal: alice,
      claim: { workerId: "worker-alive" },
    });
    const startedAt = new Date(Date.now() - 600_000);
    await deps.db
      .update(generations)
      .set({ startedAt, heartbeatAt: startedAt })
      .where(eq(generations.id, stale.id));
    const written = await claimingStore(deps.db, deps.store, stale.id).put(
      Buffer.from("half-done result"),
      "png",
    );
    expect(await deps.store.stat(written.key)).toBeDefined();

    const interrupted = await interruptStale(deps.db, deps.store, { leaseMs: 60_000 });

    expect(interrupted).toEqual([stale.id]);
    const row = await findGenerationRow(deps.db, stale.id);
    expect(row?.status).toBe("interrupted");
    expect(row?.finishedAt).toBeInstanceOf(Date);
    expect(row?.error).toMatchObject({
      error_code: "generation_interrupted",
      error_type: "general",
      error_details: { worker_id: "worker-gone", attempts: 1 },
    });
    expect(await deps.store.stat(written.key)).toBeUndefined();
    expect(await deps.db.select().from(fileClaims)).toEqual([]);
    expect((await findGenerationRow(deps.db, fresh.id))?.status).toBe("running");
    await deps.db.update(generations).set({ status: "failed" }).where(eq(generations.id, fresh.id));
  });

  it("fetches results kept only at their upstream URL while the URL is valid", async () => {
    // A host name the download guard does not know: the engine keeps the tmp_url instead of the file.
    standin.setOptions({ tmpUrlOrigin: `http://localhost:${standin.port}` });
    const queued = await queueGeneration(deps, {
      request: promptRequest(),
      engine: "claid",
      principal: alice,
    });
    const done = await waitUntilSettled(deps.db, queued.id, { pollMs: 50 });
    expect(done.status).toBe("succeeded");
    expect(done.outputs.map((o) => o.url)).toEqual([null, null]);

    const trusting = configFor(`http://localhost:${standin.port}`);
    const result = await fetchPendingOutputs({ ...deps, config: trusting, log: quietLog });
    expect(result).toEqual({ fetched: 2, failed: 0 });
    for (const row of await outputRows(queued.id)) {
      expect(row.fileKey).toMatch(/^[a-f0-9]{64}\.png$/);
      expect(await deps.store.stat(row.fileKey ?? "")).toBeDefined();
    }
    expect(await deps.db.select().from(fileClaims)).toEqual([]);
    expect(await fetchPendingOutputs({ ...deps, config: trusting, log: quietLog })).toEqual({
      fetched: 0,
      failed: 0,
    });
  });

  it("an interrupted generation whose kept images are all fetched again has succeeded, with a note; one still missing some says which", async () => {
    standin.setOptions({ tmpUrlOrigin: `http://localhost:${standin.port}` });
    const queued = await queueGeneration(deps, {
      request: promptRequest(),
      engine: "claid",
      principal: alice,
    });
    expect((await waitUntilSettled(deps.db, queued.id, { pollMs: 50 })).status).toBe("succeeded");
    // As a restart finds it: the upstream had answered, the server stopped during the download.
    await deps.db
      .update(generations)
      .set({ status: "running", workerId: "worker-gone" })
      .where(eq(generations.id, queued.id));
    await interruptStale(deps.db, deps.store, { leaseMs: 60_000, everyone: true });
    const interrupted = await findGenerationRow(deps.db, queued.id);
    expect(interrupted?.status).toBe("interrupted");
    expect(interrupted?.error?.error_message).toMatch(/being fetched again from Claid's links/);
    expect(interrupted?.error?.error_message).not.toMatch(/generate again/);
    const [second] = (await outputRows(queued.id)).filter((o) => o.index === 1);
    await deps.db
      .update(generationOutputs)
      .set({ upstreamExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(generationOutputs.id, second?.id ?? ""));

    const trusting = configFor(`http://localhost:${standin.port}`);
    expect(await fetchPendingOutputs({ ...deps, config: trusting, log: quietLog })).toEqual({
      fetched: 1,
      failed: 0,
    });
    const partial = await findGenerationRow(deps.db, queued.id);
    expect(partial?.status).toBe("interrupted");
    expect(partial?.error?.error_message).toContain("1 of 2 images were recovered");
    expect(partial?.error?.error_message).toContain("image 2: its link at Claid has expired");
    expect(partial?.error?.error_details).toMatchObject({ missing_images: 1 });

    await deps.db
      .update(generationOutputs)
      .set({ upstreamExpiresAt: new Date(Date.now() + 60_000) })
      .where(eq(generationOutputs.id, second?.id ?? ""));
    await fetchPendingOutputs({ ...deps, config: trusting, log: quietLog });
    const recovered = await findGenerationRow(deps.db, queued.id);
    expect(recovered).toMatchObject({ status: "succeeded", error: null, errorStatus: null });
    expect(recovered?.note).toMatch(/all 2 images were fetched from Claid's links/);
    // The synchronous endpoint's answer can be rebuilt from it: nothing is missing.
    expect((await recordedResult(deps, queued.id))?.outputs.every((o) => o.key)).toBe(true);
  });

  it("a scene/create that times out after it was sent keeps its images counted, marked unknown, and says so", async () => {
    standin.setOptions({ delayMs: 2_000 });
    const impatient = { ...deps, config: { ...deps.config, CLAID_TIMEOUT_MS: 200 } };
    const timedOutWorker = new GenerationWorker({ ...impatient, log: quietLog, runScene, settings }).start();
    try {
      const failure = await generateAndWait(
        impatient,
        { request: promptRequest(), engine: "claid", principal: alice },
        timedOutWorker,
      ).catch((e: unknown) => e);
      expect(isApiError(failure) && failure.status).toBe(504);
      if (!isApiError(failure)) return;
      expect(failure.message).toMatch(/may have made and charged the images anyway/);
      expect(failure.details).toMatchObject({ charged: "unknown", reason: "timeout", sent: true });
      const [reservation] = await deps.db
        .select({ status: imageReservation.status })
        .from(imageReservation)
        .where(eq(imageReservation.generationId, String(failure.details.generation_id)));
      expect(reservation?.status).toBe("unknown");
    } finally {
      await timedOutWorker.stop();
    }
    // Refused before anything was sent: nothing was made, the images go back.
    standin.setOptions({ delayMs: 0 });
    standin.setMode({ kind: "status", status: 422 });
    const refused = await generateAndWait(deps, {
      request: promptRequest(),
      engine: "claid",
      principal: alice,
    }).catch((e: unknown) => e);
    if (!isApiError(refused)) throw new Error("expected a refusal");
    const [released] = await deps.db
      .select({ status: imageReservation.status })
      .from(imageReservation)
      .where(eq(imageReservation.generationId, String(refused.details.generation_id)));
    expect(released?.status).toBe("released");
  });

  it("answers the synchronous path from the generation's records, errors included", async () => {
    const { generationId, result } = await generateAndWait(deps, {
      request: promptRequest(),
      engine: "claid",
      principal: alice,
    });
    expect((await findGenerationRow(deps.db, generationId))?.status).toBe("succeeded");
    expect(result.outputs).toHaveLength(2);
    expect(result.outputs.every((o) => o.key && o.upstreamUrl)).toBe(true);
    expect(result.input.width).toBeGreaterThan(0);

    standin.setMode({ kind: "status", status: 422 });
    const failure = await generateAndWait(deps, {
      request: promptRequest(),
      engine: "claid",
      principal: alice,
    }).catch((e: unknown) => e);
    expect(isApiError(failure)).toBe(true);
    if (!isApiError(failure)) return;
    expect(failure.status).toBe(422);
    expect(failure.details.generation_id).toEqual(expect.any(String));
    expect((await findGenerationRow(deps.db, String(failure.details.generation_id)))?.status).toBe("failed");
  });

  it("runs a waiting caller's generation at once when a slot is free: claimed from the start, never queued", async () => {
    const { generationId, result } = await generateAndWait(
      deps,
      { request: promptRequest(), engine: "claid", principal: alice },
      worker,
    );
    const row = await findGenerationRow(deps.db, generationId);
    expect(row).toMatchObject({ status: "succeeded", workerId: worker.id, attempts: 1 });
    // Recorded and started by the same statement: no time in a queue.
    expect(row?.startedAt?.getTime()).toBe(row?.createdAt.getTime());
    expect(row?.timings.queue).toBe(0);
    // The answer is exactly what was recorded.
    expect(result).toEqual(await recordedResult(deps, generationId));
    const [reservation] = await deps.db
      .select({ status: imageReservation.status })
      .from(imageReservation)
      .where(eq(imageReservation.generationId, generationId));
    expect(reservation?.status).toBe("committed");
    expect(await deps.db.select().from(fileClaims)).toEqual([]);
  });

  it("queues a waiting caller's generation when every slot is taken, and starts it as soon as one frees", async () => {
    // A poll far longer than the test: only the worker's own signals can start the queued one.
    await worker.stop();
    const patient = new GenerationWorker({
      ...deps,
      log: quietLog,
      runScene,
      settings: { ...settings, GENERATION_POLL_MS: 600_000 },
    }).start();
    try {
      standin.setOptions({ delayMs: 300 });
      const started = Date.now();
      const answers = await Promise.all(
        ["first", "second", "third"].map((prompt) =>
          generateAndWait(
            deps,
            { request: promptRequest(prompt), engine: "claid", principal: alice },
            patient,
          ),
        ),
      );
      expect(Date.now() - started).toBeLessThan(10_000);
      const rows = await Promise.all(answers.map((a) => findGenerationRow(deps.db, a.generationId)));
      expect(rows.map((r) => r?.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
      // Two slots: at least one caller ran at once and at least one waited in the queue for a slot
      // (the worker's own start-up claim may hold a slot for a moment, so it can be two).
      const waited = rows.filter((r) => (r?.startedAt?.getTime() ?? 0) > (r?.createdAt.getTime() ?? 0));
      expect(waited.length).toBeGreaterThanOrEqual(1);
      expect(waited.length).toBeLessThanOrEqual(2);
      // The last one waited for a running generation to finish, and started when it did.
      expect(Math.max(...waited.map((r) => r?.timings.queue ?? 0))).toBeGreaterThanOrEqual(200);
      for (const answer of answers) expect(answer.result.outputs).toHaveLength(2);
    } finally {
      await patient.stop();
      worker.start();
    }
  });

  it("a generation deleted while it runs: nothing is recorded, its files go, its images stay paid, the caller hears 404", async () => {
    standin.setOptions({ delayMs: 400 });
    const answer = generateAndWait(
      deps,
      { request: promptRequest(), engine: "claid", principal: alice },
      worker,
    ).catch((e: unknown) => e);
    const running = await eventually(async () => {
      const [row] = await deps.db.select().from(generations).where(eq(generations.status, "running"));
      return row;
    });
    await deps.db.delete(generations).where(eq(generations.id, running.id));

    const failure = await answer;
    expect(isApiError(failure) && failure.status).toBe(404);
    expect(await outputRows(running.id)).toEqual([]);
    expect(await deps.db.select().from(fileClaims)).toEqual([]);
    const files: string[] = [];
    for await (const key of deps.store.list()) files.push(key);
    expect(files).toEqual([]);
    const [reservation] = await deps.db
      .select({ status: imageReservation.status })
      .from(imageReservation)
      .where(eq(imageReservation.generationId, running.id));
    expect(reservation?.status).toBe("committed");
  });

  it("streams the generation's states as server-sent events until it settles", async () => {
    // Longer than the stream's polling interval, so `running` is seen even if the claim came first.
    standin.setOptions({ delayMs: 1500 });
    const queued = await queueGeneration(deps, {
      request: promptRequest(),
      engine: "claid",
      principal: alice,
    });
    const stream = generationEvents(deps.db, queued, new AbortController().signal);
    const text = await new Response(stream).text();
    const states = [...text.matchAll(/^event: generation\ndata: (.*)$/gm)].map(
      (m) => (JSON.parse(m[1] ?? "{}") as Generation).status,
    );
    expect(states[0]).toBe("queued");
    expect(states.at(-1)).toBe("succeeded");
    expect(states).toContain("running");
  });

  it("keeps running a generation whose watcher went away", async () => {
    standin.setOptions({ delayMs: 300 });
    const queued = await queueGeneration(deps, {
      request: promptRequest(),
      engine: "claid",
      principal: alice,
    });
    const watching = new AbortController();
    const reader = generationEvents(deps.db, queued, watching.signal).getReader();
    await reader.read();
    watching.abort();
    await reader.cancel();
    await sleep(10);
    expect((await waitUntilSettled(deps.db, queued.id, { pollMs: 50 })).status).toBe("succeeded");
  });
});
