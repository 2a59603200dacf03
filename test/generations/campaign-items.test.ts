// Campaign items in the one generation queue: recorded in a batch, behind what people wait for,
// reusing identical successes, cancelled while queued, and carried on after a crash when they never
// reached the upstream.
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import type { SceneCreateRequest } from "@/lib/scene/contract";
import { storedImageUrl } from "@/lib/scene/image-ref";
import { imageReservation, user } from "@/lib/server/db/schema/auth";
import { generationOutputs, generations } from "@/lib/server/db/schema/generations";
import { runScene } from "@/lib/server/engines";
import { errors } from "@/lib/server/errors";
import { recordBatch, reusableFor } from "@/lib/server/generations/batch";
import { REUSED_NOTE } from "@/lib/server/generations/records/batch";
import { cancelQueued, insertGeneration, PRIORITY } from "@/lib/server/generations/records/records";
import { claimNext } from "@/lib/server/generations/runner/claim";
import { executeGeneration } from "@/lib/server/generations/runner/execute";
import { interruptStale } from "@/lib/server/generations/runner/recovery";
import { waitUntilSettled } from "@/lib/server/generations/runner/settle";
import { GenerationWorker } from "@/lib/server/generations/runner/worker";
import type { ClaidStandin } from "@/test/support/claid-standin";
import { productPng } from "@/test/support/product-images";

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

const bea = {
  userId: "user-bea",
  name: "Bea",
  email: "bea@example.com",
  role: "member" as const,
  via: "token" as const,
};

describe.each(DRIVERS)("campaign items in the queue on %s", (driver) => {
  let standin: ClaidStandin;
  let deps: TestDeps;
  let product = "";

  beforeAll(async () => {
    standin = await startStandin();
    deps = await openGenerationDeps(driver, {
      CLAID_API_BASE_URL: standin.url,
      DAILY_CLAID_IMAGE_BUDGET: "40",
    });
    await deps.db.insert(user).values({ id: bea.userId, name: bea.name, email: bea.email, role: bea.role });
  }, 240_000);

  afterAll(async () => {
    await deps?.close();
    await standin?.close();
  });
  beforeEach(async () => {
    standin.reset();
    standin.setOptions({ delayMs: 0 });
    await truncateGenerations(deps);
    await deps.db.delete(imageReservation);
    // Stored again after each truncation: drafts read the product from storage.
    product = storedImageUrl((await deps.store.put(await productPng(), "png")).key);
  });

  /** A request the engine can run: drafts read a stored product, Claid takes a URL as it is. */
  const requestFor = (prompt: string, engine: "local" | "claid") =>
    promptRequest(`scene ${prompt}`, {
      output: { number_of_images: 1 },
      ...(engine === "local" ? { object: { image_url: product, scale: 0.6 } } : {}),
    });
  const batchOf = (prompts: string[], engine: "local" | "claid" = "local") =>
    recordBatch(deps, {
      engine,
      principal: bea,
      items: prompts.map((p) => ({ request: requestFor(p, engine) })),
    });

  it("records a batch in the order given, queued behind people, with its budget reserved at once", async () => {
    const rows = await batchOf(["one", "two", "three"], "claid");
    expect(rows.map((r) => ((r.request as SceneCreateRequest).scene as { prompt: string }).prompt)).toEqual([
      "scene one",
      "scene two",
      "scene three",
    ]);
    expect(rows.every((r) => r.status === "queued" && r.priority === PRIORITY.campaign)).toBe(true);
    const reserved = await deps.db
      .select()
      .from(imageReservation)
      .where(
        inArray(
          imageReservation.generationId,
          rows.map((r) => r.id),
        ),
      );
    expect(reserved.map((r) => [r.images, r.status])).toEqual([
      [1, "reserved"],
      [1, "reserved"],
      [1, "reserved"],
    ]);
  });

  it("a batch that would go over the day's budget is refused whole: 402, nothing recorded or reserved", async () => {
    await expect(
      batchOf(
        Array.from({ length: 41 }, (_, i) => `p${i}`),
        "claid",
      ),
    ).rejects.toMatchObject({
      status: 402,
      code: "daily_budget_exceeded",
    });
    expect(await deps.db.select().from(generations)).toHaveLength(0);
    expect(await deps.db.select().from(imageReservation)).toHaveLength(0);
  });

  it("a person's generation is claimed before campaign items queued earlier; a worker can leave Claid campaign items queued", async () => {
    const drafts = await batchOf(["c1", "c2"]);
    const claid = await batchOf(["c3"], "claid");
    const person = await insertGeneration(deps.db, {
      request: requestFor("person", "claid"),
      engine: "claid",
      principal: bea,
    });
    const onlyDrafts = { campaignEngines: ["local"] as const };
    expect((await claimNext(deps.db, "w", onlyDrafts))?.id).toBe(person.id);
    expect((await claimNext(deps.db, "w", onlyDrafts))?.id).toBe(drafts[0]?.id);
    expect((await claimNext(deps.db, "w", onlyDrafts))?.id).toBe(drafts[1]?.id);
    expect(await claimNext(deps.db, "w", onlyDrafts)).toBeUndefined();
    expect((await claimNext(deps.db, "w"))?.id).toBe(claid[0]?.id);
  });

  it("a worker keeps a slot for people while campaign items fill the others", async () => {
    // Long enough upstream calls that a person's draft finishes inside them on a loaded machine.
    standin.setOptions({ delayMs: 6000 });
    const worker = new GenerationWorker({
      ...deps,
      log: quietLog,
      runScene,
      settings: { GENERATION_CONCURRENCY: 3, GENERATION_LEASE_MS: 60_000, GENERATION_POLL_MS: 50 },
    }).start();
    try {
      await batchOf(["c1", "c2", "c3", "c4"], "claid");
      await eventually(async () => (worker.running.length === 2 ? true : undefined), 60_000).catch(
        async (error: unknown) => {
          // Say what the queue looked like: which items ran, failed or waited, and why.
          const rows = await deps.db
            .select({ status: generations.status, workerId: generations.workerId, error: generations.error })
            .from(generations);
          throw new Error(
            `${String(error)}; the worker runs ${worker.running.length}; items: ${JSON.stringify(rows)}; upstream calls: ${standin.calls.length}`,
          );
        },
      );
      await sleep(200);
      // Two slots of three: the third stays free although campaign items are waiting.
      expect(worker.running).toHaveLength(2);
      const person = await insertGeneration(deps.db, {
        request: requestFor("person", "local"),
        engine: "local",
        principal: bea,
      });
      worker.pump();
      const done = await waitUntilSettled(deps.db, person.id, { pollMs: 50 });
      expect(done.status).toBe("succeeded");
      // The person's draft finished while the first campaign items were still with the upstream.
      const items = await deps.db
        .select({ status: generations.status })
        .from(generations)
        .where(eq(generations.priority, PRIORITY.campaign));
      expect(items.filter((i) => i.status === "running")).toHaveLength(2);
    } finally {
      await worker.stop();
    }
  }, 90_000);

  it("reuses an identical succeeded request on the same engine: a new entry with the same stored images, nothing run", async () => {
    const worker = new GenerationWorker({
      ...deps,
      log: quietLog,
      runScene,
      settings: { GENERATION_CONCURRENCY: 2, GENERATION_LEASE_MS: 60_000, GENERATION_POLL_MS: 50 },
    }).start();
    try {
      const [original] = await batchOf(["reuse me"]);
      await waitUntilSettled(deps.db, original?.id ?? "", { pollMs: 50 });
      const request = requestFor("reuse me", "local");
      // Key order does not matter; the engine does.
      const reordered = JSON.parse(
        JSON.stringify({ scene: request.scene, output: request.output, object: request.object }),
      );
      const [found] = await reusableFor(deps.db, [reordered], "local");
      expect(found?.generation.id).toBe(original?.id);
      expect((await reusableFor(deps.db, [request], "claid"))[0]).toBeUndefined();
      expect((await reusableFor(deps.db, [requestFor("other", "local")], "local"))[0]).toBeUndefined();

      const [reused] = await recordBatch(deps, {
        engine: "local",
        principal: bea,
        items: [{ request, reuse: found }],
      });
      expect(reused).toMatchObject({ status: "succeeded", reusedFrom: original?.id, note: REUSED_NOTE });
      const outputs = (id: string) =>
        deps.db.select().from(generationOutputs).where(eq(generationOutputs.generationId, id));
      const before = await outputs(original?.id ?? "");
      const after = await outputs(reused?.id ?? "");
      expect(after.map((o) => o.fileKey)).toEqual(before.map((o) => o.fileKey));
      expect(after[0]?.id).not.toBe(before[0]?.id);
    } finally {
      await worker.stop();
    }
  });

  it("cancels only what is still queued, and gives its budget back", async () => {
    const rows = await batchOf(["a", "b", "c"], "claid");
    await claimNext(deps.db, "w");
    const cancelled = await cancelQueued(
      deps.db,
      rows.map((r) => r.id),
      errors.cancelled("Cancelled with its campaign before it ran"),
    );
    expect(cancelled.sort()).toEqual([rows[1]?.id, rows[2]?.id].sort());
    const states = await deps.db
      .select({ id: generations.id, status: generations.status, error: generations.error })
      .from(generations);
    expect(states.find((s) => s.id === rows[0]?.id)?.status).toBe("running");
    expect(states.find((s) => s.id === rows[1]?.id)).toMatchObject({
      status: "failed",
      error: { error_code: "cancelled" },
    });
  });

  it("a generation taken from its worker before the upstream call is never sent by that worker", async () => {
    const [item] = await batchOf(["taken over"], "claid");
    const job = await claimNext(deps.db, "slow-worker");
    expect(job?.id).toBe(item?.id);
    // Meanwhile a lease sweep gave it back to the queue (the worker had gone silent).
    await deps.db
      .update(generations)
      .set({ status: "queued", workerId: null })
      .where(eq(generations.id, item?.id ?? ""));
    const settlement = await executeGeneration(
      { ...deps, log: quietLog, runScene, workerId: "slow-worker" },
      job!,
    );
    expect(settlement.status).toBe("unrecorded");
    expect(standin.callsTo("/v1/scene/create")).toHaveLength(0);
    const [row] = await deps.db
      .select()
      .from(generations)
      .where(eq(generations.id, item?.id ?? ""));
    expect(row).toMatchObject({ status: "queued", upstreamSentAt: null });
  });

  it("after a crash, campaign items that never reached the upstream are queued again; sent ones and people's are interrupted", async () => {
    const [unsent, sent] = await batchOf(["unsent", "sent"], "claid");
    const person = await insertGeneration(deps.db, {
      request: promptRequest("person"),
      engine: "claid",
      principal: bea,
    });
    for (let i = 0; i < 3; i++) await claimNext(deps.db, "dead-worker");
    await deps.db
      .update(generations)
      .set({ upstreamSentAt: new Date() })
      .where(eq(generations.id, sent?.id ?? ""));
    const interrupted = await interruptStale(deps.db, deps.store, { leaseMs: 60_000, everyone: true });
    expect(interrupted.sort()).toEqual([sent?.id, person.id].sort());
    const [again] = await deps.db
      .select()
      .from(generations)
      .where(eq(generations.id, unsent?.id ?? ""));
    expect(again).toMatchObject({ status: "queued", workerId: null, startedAt: null, attempts: 1 });
    // Its reservation still pays for the run to come.
    const [reservation] = await deps.db
      .select()
      .from(imageReservation)
      .where(eq(imageReservation.generationId, unsent?.id ?? ""));
    expect(reservation?.status).toBe("reserved");
  });
});
