import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import * as checkRoute from "@/app/api/exports/check/route";
import * as exportRoute from "@/app/api/exports/route";
import { campaignPlan } from "@/lib/scene/campaign";
import { sceneCreateRequest } from "@/lib/scene/contract";
import { CHECK_IDS, exportCheckAnswer, type ExportFile } from "@/lib/scene/export";
import { createToken } from "@/lib/server/auth/tokens";
import { campaigns, reviews } from "@/lib/server/campaigns";
import { user } from "@/lib/server/db/schema/auth";
import { generationOutputs } from "@/lib/server/db/schema/generations";
import { isApiError } from "@/lib/server/errors";
import { checkExport } from "@/lib/server/exports/export";
import { generations, type StoredOutput } from "@/lib/server/generations";
import { waitUntilSettled } from "@/lib/server/generations/runner/settle";
import { objectStoreFor } from "@/lib/server/storage";

import { DRIVERS, openGenerationDeps, truncateGenerations, type TestDeps } from "../generations/support";
import { zipEntries } from "../support/zip-entries";
import { storedProduct } from "./drafts";

const ORIGIN = "http://localhost:3000";
const viewer = { id: "user-vera", name: "Vera", email: "vera@example.com", role: "viewer" as const };
const member = {
  userId: "user-max",
  name: "Max",
  email: "max@example.com",
  role: "member" as const,
  via: "token" as const,
};

describe.each(DRIVERS)("POST /api/exports on %s", (driver) => {
  let deps: TestDeps;
  let token: string;
  let outputs: string[];

  beforeAll(async () => {
    deps = await openGenerationDeps(driver, { PUBLIC_BASE_URL: ORIGIN });
    await deps.db
      .insert(user)
      .values([viewer, { id: member.userId, name: member.name, email: member.email, role: member.role }]);
    token = (await createToken(deps.db, { userId: viewer.id, name: "tests" })).token;
  }, 240_000);
  afterAll(async () => {
    await deps?.close();
  });
  beforeEach(async () => {
    await truncateGenerations(deps);
    const product = await storedProduct(deps.config, "bottle");
    const queued = await generations.queue({
      request: sceneCreateRequest.parse({
        object: { image_url: product.url, scale: 0.7 },
        scene: { effect: "shadows", color: "#ffffff" },
        output: { number_of_images: 2, format: "png" },
      }),
      engine: "local",
      principal: member,
    });
    const done = await waitUntilSettled(deps.db, queued.id, { pollMs: 50 });
    outputs = done.outputs.map((o) => o.id);
    expect(outputs).toHaveLength(2);
  });

  function post(handler: typeof exportRoute.POST, path: string, body: unknown) {
    return handler(
      new Request(`${ORIGIN}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
  }

  const body = () => ({ outputs, presets: ["amazon-main", "instagram-portrait"], allow_upscale: true });

  it("answers each file's checks before anything is exported", async () => {
    const response = await post(checkRoute.POST, "/api/exports/check", body());
    expect(response.status).toBe(200);
    const { files } = exportCheckAnswer.parse(await response.json());
    expect(files.map((f) => [f.name, f.width, f.height, f.ok])).toEqual([
      ["amazon-main/product-shadows-ffffff-1x1-1.jpg", 1600, 1600, true],
      ["amazon-main/product-shadows-ffffff-1x1-2.jpg", 1600, 1600, true],
      ["instagram-portrait/product-shadows-ffffff-1x1-1.jpg", 1080, 1350, true],
      ["instagram-portrait/product-shadows-ffffff-1x1-2.jpg", 1080, 1350, true],
    ]);
    expect(files.map((f) => f.output_id)).toEqual([...outputs, ...outputs]);
    const amazon = files[0]!;
    expect(amazon.checks.map((c) => `${c.id}:${c.status}`)).toEqual([
      "size:warn",
      "format:pass",
      "background:pass",
      "fill:pass",
      "main_image:pass",
      "product_inside:pass",
      "integrity:pass",
    ]);
    expect(amazon.integrity).toBe("intact");
    expect(amazon.enlarged).toBeGreaterThan(1);
  });

  it("streams a zip with a folder per preset and report.csv, the same files the checks described", async () => {
    const checked = exportCheckAnswer.parse(
      await (await post(checkRoute.POST, "/api/exports/check", body())).json(),
    );
    const response = await post(exportRoute.POST, "/api/exports", body());
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="backdrop-export-.*\.zip"$/,
    );
    const entries = zipEntries(Buffer.from(await response.arrayBuffer()));
    expect(entries.map((e) => e.name)).toEqual([...checked.files.map((f) => f.name), "report.csv"]);
    for (const [i, file] of checked.files.entries()) {
      const meta = await sharp(entries[i]!.bytes).metadata();
      expect(meta).toMatchObject({ format: "jpeg", width: file.width, height: file.height, space: "srgb" });
    }
    const report = entries.at(-1)!.bytes.toString("utf8").trim().split("\r\n");
    expect(report).toHaveLength(5);
    expect(report[0]?.startsWith("file,preset,output_id,generation_id,width,height,format")).toBe(true);
    const rows = report.slice(1).map((line) => line.split(","));
    expect(rows.map((r) => r[0])).toEqual(checked.files.map((f: ExportFile) => f.name));
    expect(rows.map((r) => r[2])).toEqual([...outputs, ...outputs]);
    // size warn (enlarged), the rest of amazon-main's checks pass.
    expect(rows[0]?.slice(9, 17)).toEqual(["true", "warn", "pass", "pass", "pass", "pass", "pass", "pass"]);
  });

  it("checks outputs stored before checks existed, and records what it found", async () => {
    await deps.db.update(generationOutputs).set({ integrity: null });
    const { files } = exportCheckAnswer.parse(
      await (await post(checkRoute.POST, "/api/exports/check", body())).json(),
    );
    expect(files.every((f) => f.integrity === "intact")).toBe(true);
    const rows = await deps.db.select().from(generationOutputs).where(eq(generationOutputs.id, outputs[0]!));
    expect(rows[0]?.integrity?.verdict).toBe("intact");
  });

  it("answers 404 naming chosen images that are not stored, 422 with field paths for a bad body", async () => {
    const gone = "00000000-0000-0000-0000-000000000000";
    for (const chosen of [[gone], [outputs[0]!, gone]]) {
      const missing = await post(exportRoute.POST, "/api/exports", {
        outputs: chosen,
        presets: ["amazon-main"],
      });
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({
        error_code: "not_found",
        error_message: `The image ${gone} is not stored here (deleted, or never stored): choose another`,
        error_details: { output_ids: [gone], fields: { outputs: ["Not an image stored here"] } },
      });
    }

    const bad = await post(exportRoute.POST, "/api/exports", {
      outputs,
      presets: [
        "pinterest-pin",
        {
          preset: "custom",
          width: 800,
          height: 800,
          format: "jpeg",
          background: "transparent",
          fit: "cover",
        },
        { preset: "custom", width: 8, height: 9000, format: "png", fit: "contain" },
      ],
    });
    expect(bad.status).toBe(422);
    const fields = ((await bad.json()) as { error_details: { fields: Record<string, string[]> } })
      .error_details.fields;
    expect(fields).toEqual({
      "presets.0": [expect.stringMatching(/^Unknown preset: use amazon-main, shopify-square, /)],
      "presets.1.background": ["A transparent background needs png or webp"],
      "presets.2.width": ["At least 16 px"],
      "presets.2.height": ["At most 6000 px"],
    });

    const empty = await post(checkRoute.POST, "/api/exports/check", { outputs: [], presets: [] });
    expect(empty.status).toBe(422);
    const neither = await post(exportRoute.POST, "/api/exports", { presets: ["amazon-main"] });
    expect(neither.status).toBe(422);
    expect(await neither.json()).toMatchObject({
      error_details: {
        fields: { outputs: ["Choose images (outputs: their ids) or a campaign (campaign: its id)"] },
      },
    });
    const both = await post(exportRoute.POST, "/api/exports", {
      outputs,
      campaign: gone,
      presets: ["amazon-main"],
    });
    expect(both.status).toBe(422);
  });

  it("exports a campaign's approved outputs under its product, scene and ratio names", async () => {
    const product = await storedProduct(deps.config, "bottle", 5);
    const campaign = await campaigns.create(
      campaignPlan.parse({
        name: "Spring bottle",
        engine: "local",
        base: {
          object: { image_url: product.url, scale: 0.7 },
          scene: { effect: "shadows", color: "#ffffff" },
          output: { number_of_images: 1, format: "png" },
        },
        axes: {
          products: [{ image_url: product.url, name: "Bottle" }],
          scenes: [
            { name: "White studio", scene: { effect: "shadows", color: "#ffffff" } },
            { name: "Oak shelf", scene: { prompt: "on an oak shelf" } },
          ],
          aspect_ratios: ["1:1", "4:5"],
        },
      }),
      member,
    );
    const exportCampaign = () =>
      post(exportRoute.POST, "/api/exports", {
        campaign: campaign.id,
        presets: ["amazon-main", "instagram-portrait"],
        allow_upscale: true,
      });
    for (const item of campaign.items) await waitUntilSettled(deps.db, item.generation_id!, { pollMs: 50 });

    const none = await exportCampaign();
    expect(none.status).toBe(404);
    expect(await none.json()).toMatchObject({
      error_message:
        "No image of this campaign is approved yet: approve some on the campaign's page, then export",
    });

    const board = await campaigns.get(campaign.id);
    const byName = new Map(board.items.map((i) => [`${i.names.scene}-${i.names.ratio}`, i]));
    const approve = ["white-studio-1x1", "oak-shelf-4x5"].map((n) => byName.get(n)!.outputs[0]!.id);
    for (const id of approve) await reviews.add(id, { verdict: "approved" }, member);
    await reviews.add(byName.get("white-studio-4x5")!.outputs[0]!.id, { verdict: "rejected" }, member);

    const response = await exportCampaign();
    expect(response.status).toBe(200);
    const entries = zipEntries(Buffer.from(await response.arrayBuffer()));
    expect(entries.map((e) => e.name)).toEqual([
      "amazon-main/bottle-white-studio-1x1-1.jpg",
      "amazon-main/bottle-oak-shelf-4x5-1.jpg",
      "instagram-portrait/bottle-white-studio-1x1-1.jpg",
      "instagram-portrait/bottle-oak-shelf-4x5-1.jpg",
      "report.csv",
    ]);
    const rows = entries
      .at(-1)!
      .bytes.toString("utf8")
      .trim()
      .split("\r\n")
      .slice(1)
      .map((line) => line.split(","));
    expect(rows.map((r) => r[2])).toEqual([...approve, ...approve]);
    // amazon-main: the studio shot is a main image, the oak shelf (an AI scene) is not.
    const mainImage = 10 + CHECK_IDS.indexOf("main_image");
    expect(rows.map((r) => r[mainImage])).toEqual(["pass", "fail", "", ""]);
    expect(rows.map((r) => r[9])).toEqual(["true", "false", "true", "true"]);

    const unknown = await post(exportRoute.POST, "/api/exports", {
      campaign: "00000000-0000-0000-0000-000000000000",
      presets: ["amazon-main"],
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error_message: "The campaign was not found" });
  }, 120_000);

  it("refuses an export of more files than one request makes, before making any", async () => {
    const [one] = await deps.db.select().from(generationOutputs).limit(1);
    const many: StoredOutput[] = Array.from({ length: 151 }, (_, i) => ({
      outputId: `o-${i}`,
      generationId: "g",
      index: i,
      fileKey: one!.fileKey!,
      width: 1024,
      height: 1024,
      request: sceneCreateRequest.parse({
        object: { image_url: "https://x.example/p.png" },
        scene: { effect: "shadows" },
      }),
      integrity: null,
    }));
    const error = await checkExport(
      {
        config: deps.config,
        store: objectStoreFor(deps.config.DATA_DIR),
        storedOutputs: async () => many,
        approvedOutputs: async () => new Map(),
      },
      {
        outputs: many.map((m) => m.outputId),
        presets: ["amazon-main", "shopify-square", "instagram-square", "instagram-story"],
        allow_upscale: false,
      },
    ).catch((e: unknown) => e);
    expect(isApiError(error) && error.toBody()).toMatchObject({
      error_code: "export_too_large",
      error_type: "validation",
      error_message: "This export would make 604 files; make at most 600 at once (fewer images or presets)",
    });
  });
});
