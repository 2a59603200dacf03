/**
 * Channel exports: stored outputs post-processed to a channel's size, format and framing, with that
 * channel's compliance checks. Shared by the route, the export dialog and the report.
 *
 *   POST /api/exports/check  { outputs | campaign, presets, allow_upscale? } → { files: ExportFile[] }
 *   POST /api/exports        { outputs | campaign, presets, allow_upscale? } → application/zip (streamed):
 *                            a folder per preset, `<product>-<scene>-<ratio>-<n>.<ext>`, report.csv
 * `campaign` exports the campaign's approved outputs, named after its products, scenes and ratios.
 */
import { z } from "zod";

import { INTEGRITY_VERDICTS } from "./integrity";

export const PRESET_NAMES = [
  "amazon-main",
  "shopify-square",
  "instagram-square",
  "instagram-portrait",
  "instagram-story",
] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export const EXPORT_FORMATS = ["jpeg", "png", "webp"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * `contain`: the whole image, padded with the background; `cover`: the frame filled, cropped around
 * the product; `product`: the product framed to fill the wanted share of the frame.
 */
export const EXPORT_FITS = ["contain", "cover", "product"] as const;
export type ExportFit = (typeof EXPORT_FITS)[number];

/** What a preset makes. `minimum` is the smallest size the channel accepts (the size itself unless said). */
export type PresetSpec = {
  label: string;
  width: number;
  height: number;
  minimum: { width: number; height: number };
  format: ExportFormat;
  /** `#rrggbb`, or `transparent` (png and webp only). */
  background: string;
  fit: ExportFit;
  /** The product's share of the frame `product` framing aims at. */
  fill: number;
  /** The share below which the fill check fails; no fill check without it. */
  minFill?: number;
  /** Amazon's main image: pure white border, no AI scene. */
  mainImage?: boolean;
};

export const PRESETS: Record<PresetName, PresetSpec> = {
  "amazon-main": {
    label: "Amazon main image",
    width: 2000,
    height: 2000,
    minimum: { width: 1600, height: 1600 },
    format: "jpeg",
    background: "#ffffff",
    fit: "product",
    fill: 0.9,
    minFill: 0.85,
    mainImage: true,
  },
  "shopify-square": {
    label: "Shopify square",
    width: 2048,
    height: 2048,
    minimum: { width: 2048, height: 2048 },
    format: "jpeg",
    background: "#ffffff",
    fit: "cover",
    fill: 0.85,
  },
  "instagram-square": {
    label: "Instagram square",
    width: 1080,
    height: 1080,
    minimum: { width: 1080, height: 1080 },
    format: "jpeg",
    background: "#ffffff",
    fit: "cover",
    fill: 0.85,
  },
  "instagram-portrait": {
    label: "Instagram portrait",
    width: 1080,
    height: 1350,
    minimum: { width: 1080, height: 1350 },
    format: "jpeg",
    background: "#ffffff",
    fit: "cover",
    fill: 0.85,
  },
  "instagram-story": {
    label: "Instagram story",
    width: 1080,
    height: 1920,
    minimum: { width: 1080, height: 1920 },
    format: "jpeg",
    background: "#ffffff",
    fit: "cover",
    fill: 0.85,
  },
};

/** Enough for a campaign's approved set, small enough that one request stays minutes, not hours. */
export const MAX_EXPORT_OUTPUTS = 200;
export const MAX_EXPORT_FILES = 600;
export const MIN_SIDE = 16;
export const MAX_SIDE = 6000;

export const HEX_COLOUR = /^#[0-9a-f]{6}$/i;

export const customPreset = z
  .strictObject({
    preset: z.literal("custom"),
    width: z
      .number()
      .int("Use a whole number of pixels")
      .min(MIN_SIDE, `At least ${MIN_SIDE} px`)
      .max(MAX_SIDE, `At most ${MAX_SIDE} px`),
    height: z
      .number()
      .int("Use a whole number of pixels")
      .min(MIN_SIDE, `At least ${MIN_SIDE} px`)
      .max(MAX_SIDE, `At most ${MAX_SIDE} px`),
    format: z.enum(EXPORT_FORMATS),
    background: z
      .string()
      .regex(/^(#[0-9a-fA-F]{6}|transparent)$/, 'Use a colour like "#ffffff", or "transparent"')
      .default("#ffffff"),
    fit: z.enum(EXPORT_FITS),
    /** The product's share of the frame: aimed at by `fit: "product"`, checked by every fit. */
    min_fill: z
      .number()
      .min(0.05, "At least 0.05 (5 % of the frame)")
      .max(1, "At most 1 (the whole frame)")
      .optional(),
  })
  .refine((p) => p.background !== "transparent" || p.format !== "jpeg", {
    message: "A transparent background needs png or webp",
    path: ["background"],
  });
export type CustomPreset = z.output<typeof customPreset>;

const UNKNOWN_PRESET = `Unknown preset: use ${PRESET_NAMES.join(", ")}, or { "preset": "custom", "width", "height", "format", "fit" }`;

/** A preset's name, or a custom size; a name that is neither says which there are. */
export const presetChoice = z.union([z.enum(PRESET_NAMES), customPreset], { error: () => UNKNOWN_PRESET });
export type PresetChoice = z.output<typeof presetChoice>;

const outputId = z.string().regex(/^[0-9a-f-]{36}$/, "is not an output id");

export const exportBody = z
  .strictObject({
    /** Output ids (gallery images), exported in the order they were made. */
    outputs: z
      .array(outputId)
      .min(1, "Choose at least one image")
      .max(MAX_EXPORT_OUTPUTS, `Export at most ${MAX_EXPORT_OUTPUTS} images at once`)
      .transform((ids) => [...new Set(ids)])
      .optional(),
    /** A campaign's id: its approved outputs. */
    campaign: z
      .string()
      .regex(/^[0-9a-f-]{36}$/, "is not a campaign id")
      .optional(),
    presets: z.array(presetChoice).min(1, "Choose at least one preset").max(8, "Choose at most 8 presets"),
    /** Enlarge an image smaller than a preset's size (flagged in the checks) instead of keeping its size. */
    allow_upscale: z.boolean().default(false),
  })
  .superRefine((body, ctx) => {
    if (body.outputs === undefined && body.campaign === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["outputs"],
        message: "Choose images (outputs: their ids) or a campaign (campaign: its id)",
      });
    } else if (body.outputs !== undefined && body.campaign !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["campaign"],
        message: "Export either images (outputs) or a campaign, not both at once",
      });
    }
  });
export type ExportBody = z.input<typeof exportBody>;
export type ExportRequest = z.output<typeof exportBody>;

/** The folder a preset's files go in: its name, or `custom-<w>x<h>[-<format>][-<fit>]`. */
export function presetFolder(preset: PresetChoice): string {
  if (typeof preset === "string") return preset;
  return `custom-${preset.width}x${preset.height}-${preset.fit}-${preset.format}`;
}

/** A custom preset as a full spec; a named one as it is. */
export function presetSpec(preset: PresetChoice): PresetSpec {
  if (typeof preset === "string") return PRESETS[preset];
  return {
    label: `Custom ${preset.width} × ${preset.height}`,
    width: preset.width,
    height: preset.height,
    minimum: { width: preset.width, height: preset.height },
    format: preset.format,
    background: preset.background,
    fit: preset.fit,
    fill: preset.min_fill ?? 0.85,
    ...(preset.min_fill !== undefined ? { minFill: preset.min_fill } : {}),
  };
}

export const CHECK_IDS = [
  "size",
  "format",
  "background",
  "fill",
  "main_image",
  "product_inside",
  "integrity",
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/** `info` says something worth knowing without judging it (an integrity check that could not judge). */
export const CHECK_STATUSES = ["pass", "warn", "fail", "info"] as const;

export const exportCheck = z.object({
  id: z.enum(CHECK_IDS),
  status: z.enum(CHECK_STATUSES),
  message: z.string(),
});
export type ExportCheck = z.output<typeof exportCheck>;

export const exportFile = z.object({
  output_id: z.string(),
  generation_id: z.string(),
  /** The preset's folder, and the file's path in the zip. */
  preset: z.string(),
  name: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  format: z.enum(EXPORT_FORMATS),
  /** How much the image was enlarged, when it was (only with `allow_upscale`). */
  enlarged: z.number().nullable(),
  integrity: z.enum(INTEGRITY_VERDICTS).nullable(),
  checks: z.array(exportCheck),
  /** No check failed. */
  ok: z.boolean(),
});
export type ExportFile = z.output<typeof exportFile>;

export const exportCheckAnswer = z.object({ files: z.array(exportFile) });
export type ExportCheckAnswer = z.output<typeof exportCheckAnswer>;

export const CHECK_LABELS: Record<CheckId, string> = {
  size: "Size",
  format: "Format",
  background: "White border",
  fill: "Product fill",
  main_image: "Main image",
  product_inside: "Product in frame",
  integrity: "Product integrity",
};
