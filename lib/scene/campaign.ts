/**
 * Campaigns: one base request and axes whose cartesian product is a set of ordinary generations.
 * Shared by the campaign page, the route handlers and the campaign wing.
 *
 *   POST /api/campaigns                   { name, engine, base, axes, reroll?, dry_run? }
 *                                         → 201 { campaign } | 200 { preview } (dry_run)
 *   GET  /api/campaigns                   → { campaigns: CampaignSummary[] }
 *   GET  /api/campaigns/:id               → { campaign }
 *   GET  /api/campaigns/:id/events        → text/event-stream of `campaign` and `item` events
 *   POST /api/campaigns/:id/cancel        → { campaign }
 *   POST /api/campaigns/:id/retry         → { campaign }
 *   GET  /api/campaigns/:id/download?verdict=approved → application/zip
 *   POST /api/outputs/:id/review          { verdict, note? } → 201 { review, reviews }
 *   GET/POST /api/presets, DELETE /api/presets/:id
 */
import { z } from "zod";

import { ASPECT_RATIOS, type AspectRatio } from "./aspect-ratios";
import {
  aspectRatio,
  codePointLength,
  isRecord,
  scene,
  sceneCreateRequest,
  sceneKindOf,
  uriString,
  type SceneCreateRequest,
} from "./contract";
import { engineName, generationOutput, type Engine } from "./generation";
import { storableString } from "./storable";
import { imagesRequested } from "./vocabulary";

/** No single axis is longer than this, whatever the item limit. */
const MAX_AXIS_VALUES = 500;

const label = storableString()
  .trim()
  .min(1, "Give it a name")
  .check(z.refine((v) => codePointLength(v) <= 80, { message: "At most 80 characters" }));

/** A product: an image reference, optionally with the name its files get. */
export const productValue = z.union([
  uriString,
  z.strictObject({ image_url: uriString, name: label.optional() }),
]);
export type ProductValue = z.output<typeof productValue>;

/**
 * A scene object, or `{ name, scene }` (a preset). Checked as a whole request item by item, so a
 * mistake is reported with the item and field it breaks.
 */
const sceneLike = z.record(z.string(), z.unknown());
export const sceneValue = z.union([z.strictObject({ name: label, scene: sceneLike }), sceneLike]);
export type SceneValue = z.output<typeof sceneValue>;

/** An object placement without its image: the products axis (or the base) says which image. */
export const placementValue = z.record(z.string(), z.unknown()).check(
  z.refine((v) => !("image_url" in v), {
    message: "A placement does not name an image: put images in the products axis",
  }),
);
export type PlacementValue = z.output<typeof placementValue>;

const axis = <T extends z.ZodType>(value: T) =>
  z.array(value).min(1, "Give at least one value, or leave the axis out").max(MAX_AXIS_VALUES).optional();

export const campaignAxes = z.strictObject({
  products: axis(productValue),
  scenes: axis(sceneValue),
  aspect_ratios: axis(aspectRatio),
  placements: axis(placementValue),
});
export type CampaignAxes = z.output<typeof campaignAxes>;

export const campaignPlan = z.strictObject({
  name: label,
  engine: engineName,
  base: sceneCreateRequest,
  axes: campaignAxes.default({}),
  /** Generate again even where an identical request already succeeded (Claid has no seed: new images). */
  reroll: z.boolean().default(false),
});
export type CampaignPlan = z.output<typeof campaignPlan>;
export type CampaignPlanInput = z.input<typeof campaignPlan>;

export const createCampaignBody = campaignPlan.extend({ dry_run: z.boolean().optional() });
export type CreateCampaignBody = z.input<typeof createCampaignBody>;

/** Which value of each axis an item takes (indices into the plan's axes; the ratio itself). */
export type CampaignItemAxes = {
  product?: number;
  scene?: number;
  aspect_ratio?: AspectRatio;
  placement?: number;
};

export type PlannedItem = { position: number; axes: CampaignItemAxes; request: unknown };

/** How many items a plan makes, without making them. */
export function campaignSize(axes: CampaignAxes): number {
  return (
    (axes.products?.length ?? 1) *
    (axes.scenes?.length ?? 1) *
    (axes.aspect_ratios?.length ?? 1) *
    (axes.placements?.length ?? 1)
  );
}

function productUrl(value: ProductValue): string {
  return typeof value === "string" ? value : value.image_url;
}

function sceneOf(value: SceneValue): Record<string, unknown> {
  return "scene" in value && isRecord(value.scene) && typeof value.name === "string" ? value.scene : value;
}

/** Values of an axis, or one "keep the base" step when the axis is absent. */
function steps<T>(values: readonly T[] | undefined): (number | undefined)[] {
  return values ? values.map((_, i) => i) : [undefined];
}

/**
 * One item's request: the base with each axis value replacing its part. A scene replaces the scene
 * (keeping the base's ratio unless it names its own or cannot have one), a ratio sets the scene's
 * `aspect_ratio`, a placement replaces the object but keeps its image, a
 * product replaces the image only: its placement is relative to the frame, so it holds in every ratio.
 * Not validated here: see `validateItems`.
 */
export function itemRequest(plan: Pick<CampaignPlan, "base" | "axes">, axes: CampaignItemAxes): unknown {
  const request = structuredClone(plan.base) as Record<string, unknown>;
  const sceneValue = axes.scene === undefined ? undefined : plan.axes.scenes?.[axes.scene];
  if (sceneValue) {
    const next = structuredClone(sceneOf(sceneValue));
    // The base's ratio holds for a new scene that can have one and names none itself.
    const baseRatio = (plan.base.scene as { aspect_ratio?: string }).aspect_ratio;
    const kind = sceneKindOf(next);
    if (baseRatio && !("aspect_ratio" in next) && (kind === "prompt" || kind === "effect")) {
      next.aspect_ratio = baseRatio;
    }
    request.scene = next;
  }
  if (axes.aspect_ratio) request.scene = { ...(request.scene as object), aspect_ratio: axes.aspect_ratio };
  const placement = axes.placement === undefined ? undefined : plan.axes.placements?.[axes.placement];
  if (placement) request.object = { ...structuredClone(placement), image_url: plan.base.object.image_url };
  const product = axes.product === undefined ? undefined : plan.axes.products?.[axes.product];
  if (product) request.object = { ...(request.object as object), image_url: productUrl(product) };
  return request;
}

/** Every item of the plan in order: products, then scenes, then ratios, then placements. */
export function expandPlan(plan: Pick<CampaignPlan, "base" | "axes">): PlannedItem[] {
  const items: PlannedItem[] = [];
  const ratios = plan.axes.aspect_ratios;
  for (const product of steps(plan.axes.products))
    for (const sceneIndex of steps(plan.axes.scenes))
      for (const ratio of steps(ratios))
        for (const placement of steps(plan.axes.placements)) {
          const axes: CampaignItemAxes = {
            ...(product !== undefined ? { product } : {}),
            ...(sceneIndex !== undefined ? { scene: sceneIndex } : {}),
            ...(ratio !== undefined && ratios?.[ratio] ? { aspect_ratio: ratios[ratio] } : {}),
            ...(placement !== undefined ? { placement } : {}),
          };
          items.push({ position: items.length, axes, request: itemRequest(plan, axes) });
        }
  return items;
}

export type InvalidItem = { position: number; axes: CampaignItemAxes; fields: Record<string, string[]> };

/**
 * Each item through the contract. Answers the valid requests in order, or the items that fail with
 * their fields (at most `report` of them: one bad scene breaks a whole row).
 */
export function validateItems(
  items: readonly PlannedItem[],
  report = 10,
): { ok: true; requests: SceneCreateRequest[] } | { ok: false; invalid: InvalidItem[]; count: number } {
  const requests: SceneCreateRequest[] = [];
  const invalid: InvalidItem[] = [];
  let count = 0;
  for (const item of items) {
    const parsed = sceneCreateRequest.safeParse(item.request);
    if (parsed.success) {
      requests.push(parsed.data);
      continue;
    }
    count++;
    if (invalid.length >= report) continue;
    const fields: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join(".") || "body";
      (fields[path] ??= []).push(issue.message);
    }
    invalid.push({ position: item.position, axes: item.axes, fields });
  }
  return invalid.length ? { ok: false, invalid, count } : { ok: true, requests };
}

// ----- names ------------------------------------------------------------------------------------

/** Lowercase words joined by dashes, for file names: `"Oak shelf, morning"` → `oak-shelf-morning`. */
export function slug(text: string, max = 40): string {
  const words = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return words.slice(0, max).replace(/-+$/, "");
}

function promptText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (isRecord(value) && typeof value.text === "string") return value.text;
  if (isRecord(value) && value.generate === true) return "autoprompt";
  return undefined;
}

function productName(value: ProductValue, index: number): string {
  if (typeof value !== "string" && value.name) return slug(value.name) || `product-${index + 1}`;
  const path = productUrl(value).split(/[?#]/)[0] ?? "";
  const last = path.split("/").filter(Boolean).at(-1) ?? "";
  let decoded = last;
  try {
    decoded = decodeURIComponent(last);
  } catch {
    // Not percent-encoded text: the name as it is.
  }
  const stem = decoded.replace(/\.[a-z0-9]+$/i, "");
  // Stored images are named by their content hash: a meaningless name for a person.
  if (!stem || /^[0-9a-f]{32,}$/i.test(stem)) return `product-${index + 1}`;
  return slug(stem) || `product-${index + 1}`;
}

function sceneName(value: Record<string, unknown>, index: number, named?: string): string {
  if (named) return slug(named) || `scene-${index + 1}`;
  const kind = sceneKindOf(value);
  const text = kind === "prompt" || kind === "template" ? promptText(value.prompt) : undefined;
  if (text) return slug(text.split(/\s+/).slice(0, 6).join(" ")) || `scene-${index + 1}`;
  if (kind === "effect") return slug(`shadows ${typeof value.color === "string" ? value.color : ""}`);
  if (kind === "template") return `template-${index + 1}`;
  return `scene-${index + 1}`;
}

/** `name`, `name-2`, `name-3`…: every value of an axis gets a name of its own. */
function distinct(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}-${n}`;
  });
}

export type AxisNames = { products: string[]; scenes: string[]; placements: string[] };

/** The file-name word for every value of every axis (and for the base where an axis is absent). */
export function axisNames(plan: Pick<CampaignPlan, "base" | "axes">): AxisNames {
  const products = plan.axes.products ?? [plan.base.object.image_url];
  const scenes = plan.axes.scenes ?? [plan.base.scene as Record<string, unknown>];
  return {
    products: distinct(products.map(productName)),
    scenes: distinct(
      scenes.map((value, i) => {
        const named = "scene" in value && typeof value.name === "string" ? value.name : undefined;
        return sceneName(sceneOf(value), i, named);
      }),
    ),
    placements: distinct((plan.axes.placements ?? []).map((_, i) => `placement-${i + 1}`)),
  };
}

export type ItemNames = { product: string; scene: string; ratio: string; placement?: string };

/** What an item is called: its product, scene, ratio (and placement) names. */
export function itemNames(names: AxisNames, axes: CampaignItemAxes, request: unknown): ItemNames {
  const scene = isRecord(request) && isRecord(request.scene) ? request.scene : undefined;
  const kind = sceneKindOf(scene);
  const ratio =
    axes.aspect_ratio ??
    (typeof scene?.aspect_ratio === "string"
      ? scene.aspect_ratio
      : // Prompt and effect scenes are 1:1 unless they say; a template's frame is its image.
        kind === "prompt" || kind === "effect"
        ? "1:1"
        : undefined);
  return {
    product: names.products[axes.product ?? 0] ?? "product",
    scene: names.scenes[axes.scene ?? 0] ?? "scene",
    ratio: ratio ? ratio.replace(":", "x") : "frame",
    ...(axes.placement !== undefined ? { placement: names.placements[axes.placement] ?? "placement" } : {}),
  };
}

/** `<product>-<scene>-<ratio>[-<placement>]`: an item's files are this plus `-<n>.<ext>`. */
export function itemStem(names: ItemNames): string {
  return [names.product, names.scene, names.ratio, names.placement].filter(Boolean).join("-");
}

// ----- cost -------------------------------------------------------------------------------------

export type Pricing = { creditsPerImage: number; autopromptCredits: number };

/** Whether Claid writes the prompt itself (`prompt: { generate: true }`), which it bills per request. */
export function usesAutoprompt(request: SceneCreateRequest): boolean {
  const prompt = (request.scene as { prompt?: unknown }).prompt;
  return isRecord(prompt) && prompt.generate === true;
}

/** Claid credits one request costs: per image, plus autoprompt per request. Drafts cost nothing. */
export function creditsFor(request: SceneCreateRequest, engine: Engine, pricing: Pricing): number {
  if (engine !== "claid") return 0;
  return (
    imagesRequested(request) * pricing.creditsPerImage +
    (usesAutoprompt(request) ? pricing.autopromptCredits : 0)
  );
}

/** The dry run's answer: what the campaign would make and cost, with nothing created. */
export const campaignPreview = z.object({
  engine: engineName,
  items: z.number().int(),
  /** Every image the items will have, reused ones included. */
  images: z.number().int(),
  /** Items whose identical request already succeeded: their images are reused at no cost. */
  reused: z.number().int(),
  /** Images that will be generated (and, on claid, counted against today's budget). */
  new_images: z.number().int(),
  credits: z.number(),
  /** Claid images left in the person's budget today, before this campaign. */
  budget_left: z.number().int(),
  over_budget: z.boolean(),
});
export type CampaignPreview = z.output<typeof campaignPreview>;

// ----- progress and review ----------------------------------------------------------------------

export const VERDICTS = ["approved", "rejected"] as const;
export const verdict = z.enum(VERDICTS);
export type Verdict = z.output<typeof verdict>;

export const reviewBody = z.strictObject({
  verdict,
  note: storableString()
    .trim()
    .check(z.refine((v) => codePointLength(v) <= 1000, { message: "At most 1000 characters" }))
    .optional(),
});
export type ReviewBody = z.input<typeof reviewBody>;

const who = z.object({ id: z.string(), name: z.string() }).nullable();

export const review = z.object({
  id: z.string(),
  output_id: z.string(),
  generation_id: z.string(),
  verdict,
  note: z.string().nullable(),
  reviewer: who,
  created_at: z.string(),
});
export type Review = z.output<typeof review>;

export const reviewAnswer = z.object({ review, reviews: z.array(review) });

export const CAMPAIGN_ITEM_STATUSES = [
  "queued",
  "running",
  "succeeded",
  "reused",
  "failed",
  "cancelled",
] as const;
export type CampaignItemStatus = (typeof CAMPAIGN_ITEM_STATUSES)[number];

export const reviewedOutput = generationOutput.extend({
  /** The latest verdict; `reviews` is every verdict, newest first (the audit trail). */
  review: review.nullable(),
  reviews: z.array(review),
});
export type ReviewedOutput = z.output<typeof reviewedOutput>;

export const campaignItem = z.object({
  position: z.number().int(),
  generation_id: z.string().nullable(),
  axes: z.object({
    product: z.number().int().optional(),
    scene: z.number().int().optional(),
    aspect_ratio: z.enum(ASPECT_RATIOS).optional(),
    placement: z.number().int().optional(),
  }),
  names: z.object({
    product: z.string(),
    scene: z.string(),
    ratio: z.string(),
    placement: z.string().optional(),
  }),
  status: z.enum(CAMPAIGN_ITEM_STATUSES),
  attempts: z.number().int(),
  /** Why it failed, in words a person reads. */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  outputs: z.array(reviewedOutput),
});
export type CampaignItem = z.output<typeof campaignItem>;

export const campaignCounts = z.object({
  queued: z.number().int(),
  running: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  reused: z.number().int(),
});
export type CampaignCounts = z.output<typeof campaignCounts>;

export const CAMPAIGN_STATUSES = ["running", "done", "cancelled"] as const;

export const campaignSummary = z.object({
  id: z.string(),
  name: z.string(),
  engine: engineName,
  status: z.enum(CAMPAIGN_STATUSES),
  item_count: z.number().int(),
  counts: campaignCounts,
  created_at: z.string(),
  created_by: who,
  cancelled_at: z.string().nullable(),
});
export type CampaignSummary = z.output<typeof campaignSummary>;

export const campaignProgress = z.object({
  /** From the campaign's creation to its last item's end (or now). */
  elapsed_ms: z.number().int(),
  /** How long the rest should take at the pace so far; null before anything finished or once done. */
  remaining_ms: z.number().int().nullable(),
  finished_at: z.string().nullable(),
});

export const campaign = campaignSummary.extend({
  plan: campaignPlan,
  names: z.object({
    products: z.array(z.string()),
    scenes: z.array(z.string()),
    placements: z.array(z.string()),
  }),
  progress: campaignProgress,
  items: z.array(campaignItem),
});
export type Campaign = z.output<typeof campaign>;

export const campaignAnswer = z.object({ campaign });
export const campaignList = z.object({ campaigns: z.array(campaignSummary) });
export const previewAnswer = z.object({ preview: campaignPreview });

/** `GET /api/campaigns/:id/download?verdict=…`: approved unless told. */
export const campaignDownloadQuery = z.object({ verdict: verdict.default("approved") });

// ----- presets ----------------------------------------------------------------------------------

export const presetBody = z.strictObject({ name: label, scene });
export type PresetBody = z.input<typeof presetBody>;

export const preset = z.object({
  id: z.string(),
  name: z.string(),
  scene,
  created_by: who,
  created_at: z.string(),
});
export type Preset = z.output<typeof preset>;
export const presetAnswer = z.object({ preset });
export const presetList = z.object({ presets: z.array(preset) });
