/**
 * The scene/create contract, mirroring `SceneCreateAPIIn` in `shared/spec/claid-scene-openapi.json`.
 *
 * Every variant is a strict object, because the published schema sets `additionalProperties: false`
 * everywhere. The form, the route handlers and both engines import these; nothing redeclares a field.
 * Deliberate differences from the JSON schema are listed in `CONTRACT_DIFFERENCES` (see `differences.ts`).
 */
import { z } from "zod";

import { ASPECT_RATIOS } from "./aspect-ratios";
import { parsePadding } from "./padding";
import { sceneRuleProblems } from "./rules";
import { storable, storableString } from "./storable";
import { isUri } from "./uri";
import {
  COMPRESSION_TYPES,
  EFFECT_VIEWS,
  EFFECTS,
  isRecord,
  MODELS,
  OUTPUT_FORMATS,
  placementTypeOf,
  PNG_COMPRESSIONS,
  PREFERENCES,
  SCALE_MIN,
  sceneKindOf,
  TEMPLATE_MODES,
  TEMPLATE_VIEWS,
} from "./vocabulary";

export * from "./vocabulary";

/** JSON Schema counts string length in code points; `String.length` counts UTF-16 units. */
export function codePointLength(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

function text(min: number, max: number) {
  return z.string().check(
    storable,
    z.refine((v) => codePointLength(v) >= min, { message: `Must be at least ${min} characters` }),
    z.refine((v) => codePointLength(v) <= max, { message: `Must be at most ${max} characters` }),
  );
}

export const uriString = text(1, 4096).check(z.refine(isUri, { message: "Must be an absolute URI" }));

// Bounds and choices say what is wanted in words a person reads next to the field, not zod's own
// ("Too big: expected number to be <50"); the server's 422s carry the same messages.
const number = () => z.number({ message: "Must be a number" });
const between = (min: number, max: number) =>
  number()
    .min(min, { message: `Must be between ${min} and ${max}` })
    .max(max, { message: `Must be between ${min} and ${max}` });
const int = (min: number, max: number) =>
  number()
    .int({ message: "Must be a whole number" })
    .min(min, { message: `Must be ${min} or more` })
    .max(max, { message: `Must be ${max} or less` });
const steps = () =>
  number()
    .int({ message: "Must be a whole number" })
    .min(1, { message: "Must be 1 or more" })
    .lt(50, { message: "Must be less than 50" });
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { message: `Must be one of ${values.map((v) => JSON.stringify(v)).join(", ")}` });

/**
 * An `anyOf` whose variants exclude each other by which keys are present: `route` names the only
 * variant that could match, and that variant's own issues are reported with their field paths.
 */
function routedUnion<K extends string, V extends Record<K, z.ZodType>>(
  route: (value: unknown) => K | undefined,
  variants: V,
  unroutable: string,
) {
  return z.unknown().transform((value, ctx): z.output<V[K]> => {
    const kind = route(value);
    if (kind === undefined) {
      ctx.addIssue({
        code: "custom",
        message: isRecord(value) ? unroutable : "Expected an object",
        input: value,
      });
      return z.NEVER;
    }
    const parsed = variants[kind].safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        ctx.addIssue({ code: "custom", message: issue.message, path: issue.path, input: value });
      }
      return z.NEVER;
    }
    return parsed.data as z.output<V[K]>;
  });
}

// ----- output -----------------------------------------------------------------------------------

export const formatEnum = oneOf(OUTPUT_FORMATS);

export const jpegOptions = z.strictObject({
  type: z.literal("jpeg"),
  quality: int(1, 100).optional(),
  progressive: z.boolean().optional(),
});
export const pngOptions = z.strictObject({
  type: z.literal("png"),
  compression: oneOf(PNG_COMPRESSIONS).optional(),
});

const lossy = z.strictObject({ type: z.literal("lossy"), quality: int(1, 100).optional() });
const lossless = z.strictObject({ type: z.literal("lossless") });
const compression = z.union([oneOf(COMPRESSION_TYPES), z.discriminatedUnion("type", [lossy, lossless])]);

export const webpOptions = z.strictObject({ type: z.literal("webp"), compression: compression.optional() });
export const avifOptions = z.strictObject({ type: z.literal("avif"), compression: compression.optional() });

export const formatOptions = z.discriminatedUnion("type", [
  jpegOptions,
  pngOptions,
  webpOptions,
  avifOptions,
]);
export const outputFormat = z.union([formatEnum, formatOptions]);

export const outputOptions = z.strictObject({
  number_of_images: int(1, 4).optional(),
  destination: uriString.optional(),
  format: outputFormat.optional(),
});
export const output = z.union([outputOptions, uriString]);

// ----- object -----------------------------------------------------------------------------------

export const scale = number().check(
  z.refine((v) => v === 0 || (v >= SCALE_MIN && v <= 1), { message: "Must be 0 or between 0.01 and 1" }),
);

export const position = z.strictObject({
  x: between(0, 1).optional(),
  y: between(0, 1).optional(),
});

export const objectAbsolute = z.strictObject({
  image_url: uriString,
  placement_type: z.literal("absolute").optional(),
  rotation_degree: between(0, 360).optional(),
  scale: scale.optional(),
  position: position.optional(),
});

export const objectOriginal = z.strictObject({
  image_url: uriString,
  placement_type: z.literal("original"),
});

export const objectPadding = z.strictObject({
  image_url: uriString,
  placement_type: z.literal("padding"),
  padding: z.string().check(
    storable,
    z.refine((v) => parsePadding(v).ok, {
      message:
        'Padding is "P" or "V H": numbers in percent of the frame (optionally "%"), or pixels with "px"',
    }),
    z.refine((v) => parsePadding(v).withinHalf, {
      message: "Padding can not be bigger than half of the frame",
    }),
  ),
});

export const sceneObject = routedUnion(
  (v) => (isRecord(v) ? placementTypeOf(v) : undefined),
  { absolute: objectAbsolute, original: objectOriginal, padding: objectPadding },
  "Expected an object",
);

// ----- scene ------------------------------------------------------------------------------------

export const aspectRatio = oneOf(ASPECT_RATIOS);

export const promptAdvanced = z
  .strictObject({
    text: text(3, 2048).optional(),
    generate: z.boolean().optional(),
    guidelines: text(3, 1000).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.generate === true && p.text !== undefined) {
      ctx.addIssue({ code: "custom", path: ["text"], message: "text is not allowed when generate is true" });
    }
    if (p.guidelines !== undefined && p.generate !== true) {
      ctx.addIssue({ code: "custom", path: ["guidelines"], message: "guidelines need generate: true" });
    }
  });

export const prompt = z.union([text(3, 2048), promptAdvanced]);

export const sceneEffect = z.strictObject({
  model: oneOf(MODELS).optional(),
  effect: oneOf(EFFECTS),
  color: storableString().optional(),
  view: oneOf(EFFECT_VIEWS).optional(),
  aspect_ratio: aspectRatio.optional(),
});

export const scenePrompt = z.strictObject({
  model: oneOf(MODELS).optional(),
  prompt,
  negative_prompt: text(3, 2048).optional(),
  steps: steps().optional(),
  color: storableString().optional(),
  aspect_ratio: aspectRatio.optional(),
  preference: oneOf(PREFERENCES).optional(),
});

export const sceneTemplate = z.strictObject({
  model: oneOf(MODELS).optional(),
  template_mode: oneOf(TEMPLATE_MODES).optional(),
  template_url: uriString,
  color: storableString().optional(),
  view: oneOf(TEMPLATE_VIEWS),
  prompt: prompt.optional(),
  negative_prompt: text(3, 2048).optional(),
  steps: steps().optional(),
});

export const scene = routedUnion(
  sceneKindOf,
  { effect: sceneEffect, template: sceneTemplate, prompt: scenePrompt },
  "A scene needs one of: effect, template_url (with view), or prompt",
);

// ----- request ----------------------------------------------------------------------------------

export const sceneCreateRequest = z.strictObject({
  output: output.optional(),
  object: sceneObject,
  scene,
});

/**
 * A request an engine can render: the contract, and the rules the schema states only in words (hex
 * colours, transparency only in formats with alpha; see `rules.ts`). The composer and the generations
 * API judge by it; `sceneCreateRequest` alone is what a Claid client may send and what stored records
 * hold, and the local engine refuses what it lets through with the same rules.
 */
export const renderableRequest = sceneCreateRequest.superRefine((request, ctx) => {
  for (const problem of sceneRuleProblems(request)) {
    ctx.addIssue({
      code: "custom",
      path: problem.path,
      message: problem.message,
      params: { code: problem.code },
    });
  }
});

export type SceneCreateRequest = z.output<typeof sceneCreateRequest>;
export type SceneObject = z.output<typeof sceneObject>;
export type ObjectAbsolute = z.output<typeof objectAbsolute>;
export type ObjectPadding = z.output<typeof objectPadding>;
export type ObjectOriginal = z.output<typeof objectOriginal>;
export type SceneEffect = z.output<typeof sceneEffect>;
export type ScenePrompt = z.output<typeof scenePrompt>;
export type SceneTemplate = z.output<typeof sceneTemplate>;
export type Scene = SceneEffect | ScenePrompt | SceneTemplate;
export type OutputOptions = z.output<typeof outputOptions>;
export type OutputFormat = z.output<typeof outputFormat>;
export type FormatName = (typeof OUTPUT_FORMATS)[number];
export type Prompt = z.output<typeof prompt>;

// ----- response ---------------------------------------------------------------------------------

export const imageInfo = z.looseObject({
  ext: z.string(),
  mps: z.number(),
  mime: z.string(),
  format: z.string(),
  width: z.number().int(),
  height: z.number().int(),
});

export const outputImage = imageInfo.extend({
  tmp_url: z.string().optional(),
  object_key: z.string().optional(),
  object_bucket: z.string().optional(),
  object_uri: z.string().optional(),
  claid_storage_uri: z.string().optional(),
});

export const sceneCreateResponse = z.looseObject({
  data: z.looseObject({
    input: imageInfo,
    output: z.array(outputImage),
    profiling: z.record(z.string(), z.unknown()).optional(),
  }),
});

export type ImageInfo = z.output<typeof imageInfo>;
export type OutputImage = z.output<typeof outputImage>;
export type SceneCreateResponse = z.output<typeof sceneCreateResponse>;

export const ERROR_TYPES = [
  "auth",
  "dlvr",
  "general",
  "le",
  "survey",
  "storage",
  "image",
  "user_settings",
  "user",
  "validation",
  "analytics",
  "scene",
  "billing",
  "web",
  "runtime_settings",
  "animation",
  "custom_models",
] as const;

export const httpErrorDetails = z.looseObject({
  error_code: z.string(),
  error_type: z.enum(ERROR_TYPES),
  error_message: z.string(),
  error_details: z.record(z.string(), z.unknown()).optional(),
});

export type ErrorType = (typeof ERROR_TYPES)[number];
export type HttpErrorDetails = z.output<typeof httpErrorDetails>;
