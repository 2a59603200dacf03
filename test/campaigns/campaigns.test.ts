// Campaigns through their routes, as a script or the campaign page calls them, on both databases:
// the plan checked item by item before anything exists, the dry run's figures, the budget refused up
// front, reuse, live progress, cancel and retry, reviews with their audit trail, the approved zip,
// presets, and who may do what.
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { POST as cancelRoute } from "@/app/api/campaigns/[id]/cancel/route";
import { GET as downloadRoute } from "@/app/api/campaigns/[id]/download/route";
import { GET as eventsRoute } from "@/app/api/campaigns/[id]/events/route";
import { POST as retryRoute } from "@/app/api/campaigns/[id]/retry/route";
import { GET as campaignRoute } from "@/app/api/campaigns/[id]/route";
import { POST as createRoute, GET as listRoute } from "@/app/api/campaigns/route";
import { GET as generationRoute } from "@/app/api/generations/[id]/route";
import { POST as reviewRoute } from "@/app/api/outputs/[id]/review/route";
import { DELETE as deletePresetRoute } from "@/app/api/presets/[id]/route";
import { GET as presetsRoute, POST as savePresetRoute } from "@/app/api/presets/route";
import type { Campaign, CampaignPreview, Review } from "@/lib/scene/campaign";
import { storedImageUrl } from "@/lib/scene/image-ref";
import { frameSizeForAspect } from "@/lib/scene/placement";
import type { Role } from "@/lib/server/auth/roles";
import { imageUsage } from "@/lib/server/db/schema/auth";
import { campaigns } from "@/lib/server/db/schema/campaigns";
import { generations } from "@/lib/server/db/schema/generations";
import { budgetStatus } from "@/lib/server/limits/budget";
import type { ClaidStandin } from "@/test/support/claid-standin";

import { seedUsers, type TestUser } from "../auth/support";
import { DRIVERS, eventually, openGenerationDeps, startStandin, type TestDeps } from "../generations/support";
import { productPng } from "../support/product-images";
import { zipEntries } from "../support/zip-entries";

const ORIGIN = "http://127.0.0.1:3000";
const BUDGET = 30;

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

describe.each(DRIVERS)("campaigns on %s", (driver) => {
  let standin: ClaidStandin;
  let deps: TestDeps;
  let users: Record<Role, TestUser>;
  let product = "";
  let otherProduct = "";
  let other: TestUser;

  async function call(
    handler: Handler,
    path: string,
    options: { as?: TestUser; body?: unknown; params?: Record<string, string>; method?: string } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${(options.as ?? users.member).token}` };
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const request = new Request(`${ORIGIN}${path}`, {
      method: options.method ?? (options.body !== undefined ? "POST" : "GET"),
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    return handler(request, { params: Promise.resolve(options.params ?? {}) });
  }

  async function jsonOf<T>(response: Response, status: number): Promise<T> {
    const body = (await response.json()) as T;
    expect(response.status, JSON.stringify(body)).toBe(status);
    return body;
  }

  const plan = (overrides: Record<string, unknown> = {}) => ({
    name: "Spring shelf",
    engine: "local",
    base: {
      object: { image_url: product, scale: 0.6, position: { x: 0.5, y: 0.45 } },
      scene: { prompt: "on an oak shelf", aspect_ratio: "1:1" },
      output: { number_of_images: 1, format: "png" },
    },
    axes: {},
    ...overrides,
  });

  const create = async (body: Record<string, unknown>, as?: TestUser) =>
    (
      await jsonOf<{ campaign: Campaign }>(
        await call(createRoute, "/api/campaigns", { body, ...(as ? { as } : {}) }),
        201,
      )
    ).campaign;
  const preview = async (body: Record<string, unknown>) =>
    (
      await jsonOf<{ preview: CampaignPreview }>(
        await call(createRoute, "/api/campaigns", { body: { ...body, dry_run: true } }),
        200,
      )
    ).preview;
  const get = async (id: string, as?: TestUser) =>
    (
      await jsonOf<{ campaign: Campaign }>(
        await call(campaignRoute, `/api/campaigns/${id}`, { params: { id }, ...(as ? { as } : {}) }),
        200,
      )
    ).campaign;
  const finished = (id: string) =>
    eventually(async () => {
      const campaign = await get(id);
      return campaign.status === "running" ? undefined : campaign;
    }, 60_000);
  const recorded = async () => ({
    campaigns: Number((await deps.db.select({ n: count() }).from(campaigns))[0]?.n),
    generations: Number((await deps.db.select({ n: count() }).from(generations))[0]?.n),
  });
  const usedToday = async (who: TestUser) =>
    (await budgetStatus(deps.db, who.id, { DAILY_CLAID_IMAGE_BUDGET: BUDGET })).used;

  beforeAll(async () => {
    standin = await startStandin();
    deps = await openGenerationDeps(driver, {
      CLAID_API_BASE_URL: standin.url,
      DAILY_CLAID_IMAGE_BUDGET: String(BUDGET),
      GENERATION_CONCURRENCY: "3",
      GENERATION_POLL_MS: "50",
    });
    users = await seedUsers(deps.config, deps.db, `campaigns-${driver}`);
    other = (await seedUsers(deps.config, deps.db, `campaigns-other-${driver}`)).member;
    product = storedImageUrl((await deps.store.put(await productPng(), "png")).key);
    otherProduct = storedImageUrl((await deps.store.put(await productPng(500, 500), "png")).key);
  }, 240_000);
  afterAll(async () => {
    await deps?.close();
    await standin?.close();
  });
  beforeEach(async () => {
    standin.reset();
    standin.setOptions({ delayMs: 0 });
    await deps.db.delete(imageUsage);
  });

  describe("planning", () => {
    it("the dry run answers items, images, credits and budget, and creates nothing", async () => {
      const body = plan({
        engine: "claid",
        base: { ...plan().base, output: { number_of_images: 2 } },
        axes: {
          products: [product, otherProduct],
          scenes: [{ prompt: "on marble" }, { prompt: { generate: true } }, { effect: "shadows" }],
          aspect_ratios: ["1:1", "16:9"],
        },
      });
      const before = await recorded();
      expect(await preview(body)).toEqual({
        engine: "claid",
        items: 12,
        images: 24,
        reused: 0,
        new_images: 24,
        // 2 credits an image, and 0.5 for each of the 4 autoprompt requests.
        credits: 50,
        budget_left: BUDGET,
        over_budget: false,
      });
      expect(await preview({ ...body, engine: "local" })).toMatchObject({ credits: 0, over_budget: false });
      expect(await recorded()).toEqual(before);
      expect(await usedToday(users.member)).toBe(0);
    });

    it("one bad item is a 422 naming the item and its field, and nothing is created", async () => {
      const before = await recorded();
      const response = await call(createRoute, "/api/campaigns", {
        body: plan({
          axes: {
            scenes: [
              { prompt: "on marble" },
              { template_url: "https://cdn.example.com/room.jpg", view: "front" },
            ],
            aspect_ratios: ["1:1", "4:5"],
          },
        }),
      });
      const body = await jsonOf<{
        error_code: string;
        error_message: string;
        error_details: Record<string, unknown>;
      }>(response, 422);
      expect(body.error_code).toBe("campaign_item_invalid");
      expect(body.error_message).toMatch(/^Item 3 \(.*-template-2-1x1\) is not a valid request: scene: /);
      expect(body.error_message).toMatch(/2 of the 4 items are not valid/);
      expect(Object.keys(body.error_details.fields as object).sort()).toEqual([
        "items.2.scene",
        "items.3.scene",
      ]);
      expect(await recorded()).toEqual(before);
    });

    it("more items than CAMPAIGN_MAX_ITEMS is refused before they are made", async () => {
      const scenes = Array.from({ length: 251 }, (_, i) => ({ prompt: `scene number ${i}` }));
      const response = await call(createRoute, "/api/campaigns", {
        body: plan({ axes: { products: [product, otherProduct], scenes } }),
      });
      const body = await jsonOf<{ error_code: string; error_details: { items: number; max_items: number } }>(
        response,
        422,
      );
      expect(body).toMatchObject({
        error_code: "campaign_too_large",
        error_details: { items: 502, max_items: 500 },
      });
    });

    it("a campaign over the day's budget is refused up front with 402, not half-run", async () => {
      const body = plan({
        engine: "claid",
        base: { ...plan().base, output: { number_of_images: 4 } },
        axes: { aspect_ratios: ["1:1", "4:5", "16:9", "9:16"], products: [product, otherProduct] },
      });
      expect(await preview(body)).toMatchObject({ new_images: 32, budget_left: BUDGET, over_budget: true });
      const before = await recorded();
      const response = await call(createRoute, "/api/campaigns", { body });
      expect(await jsonOf<{ error_code: string }>(response, 402)).toMatchObject({
        error_code: "daily_budget_exceeded",
      });
      expect(await recorded()).toEqual(before);
      expect(await usedToday(users.member)).toBe(0);
      expect(standin.calls).toHaveLength(0);
    });
  });

  describe("running", () => {
    it("a draft campaign runs to the end: counts, named items with outputs, and an event stream", async () => {
      const campaign = await create(
        plan({
          axes: {
            scenes: [{ prompt: "on marble" }, { name: "Beach", scene: { prompt: "sand" } }],
            aspect_ratios: ["1:1", "16:9"],
          },
        }),
      );
      expect(campaign).toMatchObject({ name: "Spring shelf", engine: "local", item_count: 4 });
      expect(campaign.items.map((i) => i.names)).toEqual([
        { product: "product-1", scene: "on-marble", ratio: "1x1" },
        { product: "product-1", scene: "on-marble", ratio: "16x9" },
        { product: "product-1", scene: "beach", ratio: "1x1" },
        { product: "product-1", scene: "beach", ratio: "16x9" },
      ]);
      const events = await call(eventsRoute, `/api/campaigns/${campaign.id}/events`, {
        params: { id: campaign.id },
      });
      expect(events.headers.get("content-type")).toMatch(/text\/event-stream/);
      const text = await events.text();
      // The whole campaign first; the stream ends once nothing is queued or running.
      expect(text.indexOf("event: campaign")).toBeGreaterThan(-1);
      const last = [...text.matchAll(/event: (campaign|progress)\ndata: (.*)\n/g)].at(-1)?.[2] ?? "{}";
      expect(JSON.parse(last)).toMatchObject({ status: "done", counts: { succeeded: 4 } });

      const done = await finished(campaign.id);
      expect(done.counts).toEqual({
        queued: 0,
        running: 0,
        succeeded: 4,
        failed: 0,
        cancelled: 0,
        reused: 0,
      });
      expect(done.progress.remaining_ms).toBeNull();
      expect(done.progress.finished_at).not.toBeNull();
      for (const item of done.items) {
        expect(item.status).toBe("succeeded");
        expect(item.outputs).toHaveLength(1);
        expect(item.outputs[0]).toMatchObject({ review: null, reviews: [] });
      }
      // The ratio axis decides each frame (the local engine's size table).
      expect(done.items[1]?.outputs[0]).toMatchObject(frameSizeForAspect("16:9"));
      const list = await jsonOf<{ campaigns: { id: string; counts: { succeeded: number } }[] }>(
        await call(listRoute, "/api/campaigns", { as: users.viewer }),
        200,
      );
      expect(list.campaigns.find((c) => c.id === campaign.id)?.counts.succeeded).toBe(4);
    });

    it("an identical campaign reuses every image at no cost; a re-roll pays and generates again", async () => {
      const body = plan({
        engine: "claid",
        name: "Reuse",
        axes: { scenes: [{ prompt: "reuse on marble" }, { prompt: "reuse on sand" }] },
      });
      const first = await finished((await create(body)).id);
      expect(first.counts.succeeded).toBe(2);
      expect(await usedToday(users.member)).toBe(2);
      const calls = standin.callsTo("/v1/scene/create").length;
      expect(calls).toBe(2);

      expect(await preview(body)).toMatchObject({ reused: 2, new_images: 0, credits: 0 });
      const again = await create({ ...body, name: "Reuse again" });
      expect(again.counts).toMatchObject({ reused: 2, queued: 0 });
      expect(again.status).toBe("done");
      expect(standin.callsTo("/v1/scene/create")).toHaveLength(calls);
      expect(await usedToday(users.member)).toBe(2);
      // A gallery entry of its own, marked reused, with the same images.
      const id = again.items[0]?.generation_id ?? "";
      const entry = await jsonOf<{
        generation: { reusedFrom: string; status: string; outputs: { url: string }[] };
      }>(await call(generationRoute, `/api/generations/${id}`, { params: { id } }), 200);
      expect(entry.generation).toMatchObject({
        status: "succeeded",
        reusedFrom: first.items[0]?.generation_id,
      });
      expect(entry.generation.outputs[0]?.url).toBe(first.items[0]?.outputs[0]?.url);

      expect(await preview({ ...body, reroll: true })).toMatchObject({
        reused: 0,
        new_images: 2,
        credits: 4,
      });
      const rerolled = await finished((await create({ ...body, reroll: true, name: "Re-roll" })).id);
      expect(rerolled.counts.succeeded).toBe(2);
      expect(standin.callsTo("/v1/scene/create")).toHaveLength(calls + 2);
      expect(await usedToday(users.member)).toBe(4);
    });

    it("cancel: queued items are cancelled and give their budget back; the running one finishes and is kept", async () => {
      standin.setOptions({ delayMs: 1500 });
      const campaign = await create(
        plan({
          engine: "claid",
          name: "Cancel me",
          axes: { scenes: Array.from({ length: 5 }, (_, i) => ({ prompt: `cancel scene ${i}` })) },
        }),
      );
      expect(await usedToday(users.member)).toBe(5);
      await eventually(async () => ((await get(campaign.id)).counts.running >= 1 ? true : undefined));
      // Only its author or an admin may cancel it.
      expect(
        (
          await call(cancelRoute, `/api/campaigns/${campaign.id}/cancel`, {
            params: { id: campaign.id },
            as: other,
            method: "POST",
          })
        ).status,
      ).toBe(403);
      const cancelled = (
        await jsonOf<{ campaign: Campaign }>(
          await call(cancelRoute, `/api/campaigns/${campaign.id}/cancel`, {
            params: { id: campaign.id },
            method: "POST",
          }),
          200,
        )
      ).campaign;
      const running = cancelled.counts.running;
      expect(running).toBeGreaterThanOrEqual(1);
      expect(cancelled.counts.cancelled).toBe(5 - running);
      const done = await finished(campaign.id);
      expect(done.status).toBe("cancelled");
      expect(done.counts).toMatchObject({ succeeded: running, cancelled: 5 - running, queued: 0 });
      expect(done.items.find((i) => i.status === "cancelled")?.error?.message).toMatch(
        /Cancelled with its campaign/,
      );
      expect(await usedToday(users.member)).toBe(running);
      expect(standin.callsTo("/v1/scene/create")).toHaveLength(running);
    });

    it("retry runs the failed items only, as new generations; the failed ones stay in the gallery", async () => {
      standin.setMode({ kind: "status", status: 500, times: 2 });
      const campaign = await create(
        plan({
          engine: "claid",
          name: "Retry me",
          axes: { scenes: Array.from({ length: 3 }, (_, i) => ({ prompt: `retry scene ${i}` })) },
        }),
      );
      const failed = await finished(campaign.id);
      expect(failed.counts).toMatchObject({ failed: 2, succeeded: 1 });
      const bad = failed.items.filter((i) => i.status === "failed");
      expect(bad[0]?.error?.message).toMatch(/failed upstream/);
      const retried = (
        await jsonOf<{ campaign: Campaign }>(
          await call(retryRoute, `/api/campaigns/${campaign.id}/retry`, {
            params: { id: campaign.id },
            method: "POST",
          }),
          200,
        )
      ).campaign;
      expect(retried.status).toBe("running");
      const done = await finished(campaign.id);
      expect(done.counts).toMatchObject({ failed: 0, succeeded: 3 });
      for (const item of bad) {
        const now = done.items[item.position];
        expect(now?.attempts).toBe(2);
        expect(now?.generation_id).not.toBe(item.generation_id);
        const id = item.generation_id ?? "";
        const old = await jsonOf<{ generation: { status: string } }>(
          await call(generationRoute, `/api/generations/${id}`, { params: { id } }),
          200,
        );
        expect(old.generation.status).toBe("failed");
      }
      // Nothing left to retry: the campaign is answered as it is.
      const idle = await jsonOf<{ campaign: Campaign }>(
        await call(retryRoute, `/api/campaigns/${campaign.id}/retry`, {
          params: { id: campaign.id },
          method: "POST",
        }),
        200,
      );
      expect(idle.campaign.items.map((i) => i.generation_id)).toEqual(done.items.map((i) => i.generation_id));
      expect(standin.callsTo("/v1/scene/create")).toHaveLength(5);
    });
  });

  describe("review and download", () => {
    let campaign: Campaign;
    beforeAll(async () => {
      const made = await create(
        plan({
          name: "Review board",
          axes: {
            products: [product, { image_url: otherProduct, name: "Square tin" }],
            scenes: [{ prompt: "on marble" }],
            aspect_ratios: ["1:1", "4:5"],
          },
        }),
      );
      campaign = await finished(made.id);
    }, 60_000);

    const review = (outputId: string, body: unknown, as?: TestUser) =>
      call(reviewRoute, `/api/outputs/${outputId}/review`, {
        params: { id: outputId },
        body,
        ...(as ? { as } : {}),
      });

    it("verdicts are kept as an audit trail: who, when, why; the newest is the output's verdict", async () => {
      const output = campaign.items[0]?.outputs[0]?.id ?? "";
      const approved = await jsonOf<{ review: Review; reviews: Review[] }>(
        await review(output, { verdict: "approved", note: "Good light" }),
        201,
      );
      expect(approved.review).toMatchObject({
        verdict: "approved",
        note: "Good light",
        reviewer: { id: users.member.id },
        output_id: output,
      });
      const rejected = await jsonOf<{ review: Review; reviews: Review[] }>(
        await review(output, { verdict: "rejected" }, users.admin),
        201,
      );
      expect(rejected.reviews.map((r) => [r.verdict, r.reviewer?.id, r.note])).toEqual([
        ["rejected", users.admin.id, null],
        ["approved", users.member.id, "Good light"],
      ]);
      const seen = await get(campaign.id, users.viewer);
      expect(seen.items[0]?.outputs[0]?.review).toMatchObject({
        verdict: "rejected",
        reviewer: { id: users.admin.id },
      });
      expect(seen.items[0]?.outputs[0]?.reviews).toHaveLength(2);
      // Viewers see reviews but do not review; bad verdicts and unknown outputs are answered plainly.
      expect((await review(output, { verdict: "approved" }, users.viewer)).status).toBe(403);
      expect((await review(output, { verdict: "maybe" })).status).toBe(422);
      expect((await review("00000000-0000-4000-8000-000000000000", { verdict: "approved" })).status).toBe(
        404,
      );
    });

    it("download approved: a zip named <campaign>/<product>-<scene>-<ratio>-<n>.<ext> with the requests; viewers may download", async () => {
      const download = (as?: TestUser) =>
        call(downloadRoute, `/api/campaigns/${campaign.id}/download`, {
          params: { id: campaign.id },
          ...(as ? { as } : {}),
        });
      // Nothing approved yet (the first output was rejected last).
      const none = await download();
      expect(await jsonOf<{ error_code: string }>(none, 404)).toMatchObject({ error_code: "not_found" });
      for (const position of [1, 2]) {
        const output = campaign.items[position]?.outputs[0]?.id ?? "";
        await jsonOf(await review(output, { verdict: "approved" }), 201);
      }
      const response = await download(users.viewer);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/zip");
      expect(response.headers.get("content-disposition")).toBe(
        'attachment; filename="review-board-approved.zip"',
      );
      const entries = zipEntries(Buffer.from(await response.arrayBuffer()));
      expect(entries.map((e) => e.name).sort()).toEqual([
        "review-board/product-1-on-marble-4x5-1.png",
        "review-board/requests/product-1-on-marble-4x5.json",
        "review-board/requests/square-tin-on-marble-1x1.json",
        "review-board/square-tin-on-marble-1x1-1.png",
      ]);
      const request = JSON.parse(
        entries.find((e) => e.name.endsWith("square-tin-on-marble-1x1.json"))?.bytes.toString("utf8") ?? "{}",
      ) as { object: { image_url: string }; scene: { aspect_ratio: string } };
      expect(request).toMatchObject({ object: { image_url: otherProduct }, scene: { aspect_ratio: "1:1" } });
      const png = entries.find((e) => e.name.endsWith("1x1-1.png"))?.bytes;
      expect(png?.subarray(1, 4).toString("latin1")).toBe("PNG");
    });

    it("viewers see campaigns but cannot start, cancel or retry one", async () => {
      expect((await get(campaign.id, users.viewer)).id).toBe(campaign.id);
      expect((await call(createRoute, "/api/campaigns", { body: plan(), as: users.viewer })).status).toBe(
        403,
      );
      expect(
        (await call(cancelRoute, "/x", { params: { id: campaign.id }, as: users.viewer, method: "POST" }))
          .status,
      ).toBe(403);
      expect(
        (await call(retryRoute, "/x", { params: { id: campaign.id }, as: users.viewer, method: "POST" }))
          .status,
      ).toBe(403);
      expect(
        (await call(campaignRoute, "/x", { params: { id: "00000000-0000-4000-8000-000000000000" } })).status,
      ).toBe(404);
    });
  });

  describe("presets", () => {
    it("are saved by name for the team, checked with the contract, and deleted by their author or an admin", async () => {
      const save = (body: unknown, as?: TestUser) =>
        call(savePresetRoute, "/api/presets", { body, ...(as ? { as } : {}) });
      const saved = await jsonOf<{ preset: { id: string; name: string; scene: unknown } }>(
        await save({
          name: "Oak shelf",
          scene: { prompt: "on an oak shelf", aspect_ratio: "4:5", preference: "best" },
        }),
        201,
      );
      expect(saved.preset).toMatchObject({
        name: "Oak shelf",
        scene: { prompt: "on an oak shelf", preference: "best" },
      });
      // The same name in other letters is taken; a scene the contract refuses is a 422 naming the field.
      expect(await jsonOf(await save({ name: "oak SHELF", scene: { prompt: "again" } }), 409)).toMatchObject({
        error_code: "preset_name_taken",
      });
      const invalid = await jsonOf<{ error_details: { fields: Record<string, string[]> } }>(
        await save({ name: "Broken", scene: { prompt: "ok", steps: 90 } }),
        422,
      );
      expect(Object.keys(invalid.error_details.fields)).toEqual(expect.arrayContaining(["scene.steps"]));
      expect((await save({ name: "Viewer's", scene: { prompt: "no way" } }, users.viewer)).status).toBe(403);

      const list = await jsonOf<{ presets: { id: string; name: string }[] }>(
        await call(presetsRoute, "/api/presets", { as: users.viewer }),
        200,
      );
      expect(list.presets.map((p) => p.name)).toContain("Oak shelf");
      const remove = (as: TestUser) =>
        call(deletePresetRoute, `/api/presets/${saved.preset.id}`, {
          params: { id: saved.preset.id },
          as,
          method: "DELETE",
        });
      expect((await remove(other)).status).toBe(403);
      expect((await remove(users.admin)).status).toBe(204);
      expect((await remove(users.admin)).status).toBe(404);
    });

    it("a preset used as a campaign scene names its items", async () => {
      const campaign = await create(
        plan({
          name: "With preset",
          axes: { scenes: [{ name: "Morning kitchen", scene: { prompt: "kitchen at dawn" } }] },
        }),
      );
      expect(campaign.items[0]?.names.scene).toBe("morning-kitchen");
      await finished(campaign.id);
    });
  });

  it("an item whose generation is deleted from the gallery reads as failed with the reason", async () => {
    const campaign = await finished(
      (await create(plan({ name: "Deleted", axes: { aspect_ratios: ["1:1"] } }))).id,
    );
    const id = campaign.items[0]?.generation_id ?? "";
    await deps.db.delete(generations).where(eq(generations.id, id));
    const after = await get(campaign.id);
    expect(after.items[0]).toMatchObject({
      status: "failed",
      generation_id: null,
      error: { code: "deleted" },
    });
  });
});
