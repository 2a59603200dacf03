import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import * as generationRoute from "@/app/api/generations/[id]/route";
import * as generationsRoute from "@/app/api/generations/route";
import * as sceneRoute from "@/app/api/scene/create/route";
import { sceneCreateRequest, type SceneCreateRequest } from "@/lib/scene/contract";
import type { Generation, GenerationPage } from "@/lib/scene/generation";
import { generation as generationSchema } from "@/lib/scene/generation";
import { createToken } from "@/lib/server/auth/tokens";
import { user } from "@/lib/server/db/schema/auth";
import { generationOutputs } from "@/lib/server/db/schema/generations";
import { runScene } from "@/lib/server/engines";
import { backfillIntegrity } from "@/lib/server/generations/integrity-backfill";
import { INTEGRITY_GRACE_MS, toGeneration } from "@/lib/server/generations/records/dto";
import { findGenerationRow } from "@/lib/server/generations/records/records";
import { waitUntilSettled } from "@/lib/server/generations/runner/settle";
import { GenerationWorker } from "@/lib/server/generations/runner/worker";
import { queueGeneration } from "@/lib/server/generations/service";
import { watchGenerations } from "@/lib/server/generations/watch";
import { intakeImage } from "@/lib/server/images/intake";
import { insertUpload } from "@/lib/server/uploads/records";
import { startClaidStandin, type ClaidStandin } from "@/test/support/claid-standin";

import { paintProduct, randomProductSpec } from "../integrity/products";
import { randomFrom } from "../integrity/random";
import { TEST_CLAID_KEY } from "../support/config";
import { DRIVERS, openGenerationDeps, quietLog, truncateGenerations, type TestDeps } from "./support";

const member = {
  userId: "user-ivy",
  name: "Ivy",
  email: "ivy@example.com",
  role: "member" as const,
  via: "token" as const,
};
const settings = { GENERATION_CONCURRENCY: 2, GENERATION_LEASE_MS: 60_000, GENERATION_POLL_MS: 50 };
const ORIGIN = "http://localhost:3000";

/** A painted bottle with a label, on transparent margins, as a designer uploads a cutout. */
async function bottlePng(): Promise<Buffer> {
  const cutout = paintProduct(randomProductSpec(randomFrom(5), "bottle"));
  return sharp(cutout.pixels, { raw: { width: cutout.width, height: cutout.height, channels: 4 } })
    .extend({ top: 30, bottom: 50, left: 40, right: 20, background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .png()
    .toBuffer();
}

/** A scene with this prompt waits at the gate before it renders, so a test can hold the worker busy. */
const HELD = "held at the gate";
let gate: Promise<void> = Promise.resolve();
const gatedRunScene: typeof runScene = async (input) => {
  const { scene } = input.request as { scene?: { prompt?: string } };
  if (scene?.prompt === HELD) await gate;
  return runScene(input);
};

describe.each(DRIVERS)("product integrity of stored outputs on %s", (driver) => {
  let deps: TestDeps;
  let standin: ClaidStandin;
  let worker: GenerationWorker;
  let productUrl: string;
  let token: string;

  beforeAll(async () => {
    standin = await startClaidStandin({ apiKey: TEST_CLAID_KEY, imageSize: 512, composite: "exact" });
    deps = await openGenerationDeps(driver, { CLAID_API_BASE_URL: standin.url, PUBLIC_BASE_URL: ORIGIN });
    await deps.db
      .insert(user)
      .values({ id: member.userId, name: member.name, email: member.email, role: "member" });
    token = (await createToken(deps.db, { userId: member.userId, name: "tests" })).token;
    worker = new GenerationWorker({ ...deps, log: quietLog, runScene: gatedRunScene, settings }).start();
  }, 240_000);
  afterAll(async () => {
    await worker?.stop();
    await deps?.close();
    await standin?.close();
  });
  beforeEach(async () => {
    await truncateGenerations(deps);
    standin.reset();
    standin.setOptions({ composite: "exact" });
    const stored = await intakeImage(await bottlePng(), { store: deps.store });
    await insertUpload(deps.db, stored, undefined);
    productUrl = stored.url;
  });

  function request(extra: { scene?: Record<string, unknown>; object?: Record<string, unknown> } = {}) {
    return sceneCreateRequest.parse({
      object: { image_url: productUrl, scale: 0.6, position: { x: 0.45, y: 0.5 }, ...extra.object },
      scene: extra.scene ?? { effect: "shadows", color: "#ffffff", aspect_ratio: "1:1" },
      output: { number_of_images: 2, format: "png" },
    });
  }

  async function generate(body: SceneCreateRequest, engine: "local" | "claid"): Promise<Generation> {
    const queued = await queueGeneration(deps, { request: body, engine, principal: member });
    await waitUntilSettled(deps.db, queued.id, { pollMs: 50 });
    return getGeneration(queued.id);
  }

  async function getGeneration(id: string): Promise<Generation> {
    const response = await generationRoute.GET(
      new Request(`${ORIGIN}/api/generations/${id}`, { headers: { authorization: `Bearer ${token}` } }),
      { params: Promise.resolve({ id }) },
    );
    expect(response.status).toBe(200);
    return generationSchema.parse(((await response.json()) as { generation: unknown }).generation);
  }

  /** Waits for the verdicts: a draft's are recorded once the worker has nothing else to do. */
  async function checked(id: string): Promise<Generation> {
    for (let i = 0; i < 400; i++) {
      const found = await getGeneration(id);
      if (!found.integrityPending) return found;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error("the outputs were never checked");
  }

  it("records every draft of the local engine as intact, with where the product is", async () => {
    const done = await checked((await generate(request(), "local")).id);
    expect(done.status).toBe("succeeded");
    expect(done.outputs).toHaveLength(2);
    for (const output of done.outputs) {
      expect(output.integrity).toMatchObject({ verdict: "intact", similarity: expect.any(Number) });
      expect(output.integrity?.similarity).toBeGreaterThan(0.5);
      expect(output.integrity?.offset_px).toBeLessThan(3);
      expect(output.integrity?.scale_ratio).toBeCloseTo(1, 1);
      // Scale 0.6 of a 1024 frame, centred at x = 0.45: the box is about 614 px tall around (461, 512).
      const box = output.integrity?.product_box;
      expect(box?.height).toBeGreaterThan(0.6 * 1024 - 8);
      expect(box?.height).toBeLessThan(0.6 * 1024 + 8);
      expect((box?.x ?? 0) + (box?.width ?? 0) / 2).toBeCloseTo(0.45 * 1024, -1);
      expect((box?.y ?? 0) + (box?.height ?? 0) / 2).toBeCloseTo(512, -1);
    }
  });

  it("checks a draft once nothing else runs: the work beside it goes first", async () => {
    let open = () => {};
    gate = new Promise<void>((resolve) => (open = resolve));
    let first: Generation;
    try {
      // One slot is busy with a held draft while the first draft runs in the other and succeeds.
      const held = await queueGeneration(deps, {
        request: request({ scene: { prompt: HELD, aspect_ratio: "1:1" } }),
        engine: "local",
        principal: member,
      });
      first = await generate(request(), "local");
      expect(first.status).toBe("succeeded");
      await new Promise((r) => setTimeout(r, 400));
      expect((await getGeneration(held.id)).status).toBe("running");
      // Its verdicts wait while the worker is busy.
      expect((await getGeneration(first.id)).outputs.map((o) => o.integrity)).toEqual([null, null]);
    } finally {
      open();
    }
    const done = await checked(first.id);
    expect(done.outputs.map((o) => o.integrity?.verdict)).toEqual(["intact", "intact"]);
  });

  it("judges Claid's composited answers: exact is intact, a recoloured label altered, a shifted product moved", async () => {
    const exact = await checked((await generate(request(), "claid")).id);
    expect(exact.outputs.map((o) => o.integrity?.verdict)).toEqual(["intact", "intact"]);

    standin.setOptions({ composite: "recoloured" });
    const altered = await checked((await generate(request({ object: { scale: 0.55 } }), "claid")).id);
    expect(altered.outputs.map((o) => o.integrity?.verdict)).toEqual(["altered", "altered"]);
    expect(altered.outputs[0]?.integrity?.worst_region).toBeDefined();

    standin.setOptions({ composite: "moved" });
    const moved = await checked((await generate(request({ object: { scale: 0.5 } }), "claid")).id);
    expect(moved.outputs.map((o) => o.integrity?.verdict)).toEqual(["moved", "moved"]);
    // Moved 8 % of the 512 px frame to the right.
    expect(moved.outputs[0]?.integrity?.offset_px).toBeGreaterThan(0.08 * 512 - 4);
    expect(moved.outputs[0]?.integrity?.offset_px).toBeLessThan(0.08 * 512 + 4);
  });

  it("answers the verdicts in the Claid-compatible envelope as an extra field per output", async () => {
    standin.setOptions({ composite: "recoloured" });
    const response = await sceneRoute.POST(
      new Request(`${ORIGIN}/api/scene/create?engine=claid`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(request()),
      }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { output: Record<string, unknown>[] } };
    expect(body.data.output).toHaveLength(2);
    for (const output of body.data.output) {
      expect(output.tmp_url).toMatch(/^http/);
      expect(output.integrity).toEqual({
        verdict: "altered",
        similarity: expect.any(Number),
        offset_px: expect.any(Number),
        scale_ratio: expect.any(Number),
      });
    }
  });

  it("says why an output cannot be judged when the product image cannot be read again", async () => {
    const body = request();
    const done = await checked((await generate(body, "local")).id);
    const [first] = done.outputs;
    // The upload goes away; the verdict computed again cannot compare anything.
    await deps.store.delete(productUrl.slice(productUrl.lastIndexOf("/") + 1));
    await deps.db
      .update(generationOutputs)
      .set({ integrity: null })
      .where(eq(generationOutputs.id, first!.id));
    const report = await backfillIntegrity(deps);
    expect(report.checked).toBe(1);
    const again = await getGeneration(done.id);
    expect(again.outputs[0]?.integrity).toMatchObject({
      verdict: "unknown",
      code: "product_unreadable",
      reason: expect.stringMatching(/product image could not be read/),
    });
    expect(again.outputs[1]?.integrity?.verdict).toBe("intact");
  });

  it("lists only generations with an altered or moved output under the flagged filter", async () => {
    const intact = await checked((await generate(request(), "claid")).id);
    standin.setOptions({ composite: "moved" });
    const moved = await checked((await generate(request({ object: { scale: 0.5 } }), "claid")).id);
    const list = async (query: string) => {
      const response = await generationsRoute.GET(
        new Request(`${ORIGIN}/api/generations?${query}`, { headers: { authorization: `Bearer ${token}` } }),
      );
      expect(response.status).toBe(200);
      return ((await response.json()) as GenerationPage).items.map((g) => g.id);
    };
    expect(await list("")).toEqual([moved.id, intact.id]);
    expect(await list("flagged=1")).toEqual([moved.id]);
  });

  it("fills in verdicts for outputs stored before checks existed (npm run check -- --integrity)", async () => {
    const done = await checked((await generate(request(), "local")).id);
    await deps.db
      .update(generationOutputs)
      .set({ integrity: null })
      .where(eq(generationOutputs.generationId, done.id));
    const before = await getGeneration(done.id);
    // Long finished: nothing is pending, the outputs are simply not checked.
    const row = (await findGenerationRow(deps.db, done.id))!;
    const old = { ...row, finishedAt: new Date(Date.now() - INTEGRITY_GRACE_MS - 1000) };
    const rows = await deps.db
      .select()
      .from(generationOutputs)
      .where(eq(generationOutputs.generationId, done.id));
    expect(toGeneration(old, rows).integrityPending).toBe(false);
    expect(before.outputs.map((o) => o.integrity)).toEqual([null, null]);

    const report = await backfillIntegrity(deps);
    expect(report).toMatchObject({ checked: 2, verdicts: { intact: 2, altered: 0, moved: 0, unknown: 0 } });
    expect((await getGeneration(done.id)).outputs.map((o) => o.integrity?.verdict)).toEqual([
      "intact",
      "intact",
    ]);
    expect((await backfillIntegrity(deps)).checked).toBe(0);
    expect((await backfillIntegrity(deps, { again: true })).checked).toBe(2);
  });

  it("keeps the event stream open until the verdicts are in, and sends them", async () => {
    standin.setOptions({ composite: "recoloured" });
    const queued = await queueGeneration(deps, { request: request(), engine: "claid", principal: member });
    const stream = watchGenerations(deps.db, [queued.id], new AbortController().signal);
    const text = await new Response(stream).text();
    const events = text
      .split("\n\n")
      .filter((frame) => frame.startsWith("event: generation"))
      .map((frame) => generationSchema.parse(JSON.parse(frame.slice(frame.indexOf("data: ") + 6))));
    const last = events.at(-1);
    expect(last?.status).toBe("succeeded");
    expect(last?.integrityPending).toBe(false);
    expect(last?.outputs.map((o) => o.integrity?.verdict)).toEqual(["altered", "altered"]);
  });
});
