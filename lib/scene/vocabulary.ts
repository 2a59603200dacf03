/**
 * The contract's words without its schemas: enum values, bounds and how a body's variant is told
 * apart. The browser's first paint needs these but not the validator, so they live apart from zod;
 * `contract.ts` builds its schemas from them and exports them again.
 */

/** The engines a generation can run on: the free local draft renderer, and Claid. */
export const ENGINES = ["local", "claid"] as const;
export type EngineName = (typeof ENGINES)[number];

/**
 * What a generation is: a scene (`POST /v1/scene/create`), or an image edit (`POST /v1/image/edit`,
 * background removal among them).
 */
export const GENERATION_KINDS = ["scene", "image_edit"] as const;
export type GenerationKind = (typeof GENERATION_KINDS)[number];

export function isEngineName(value: string): value is EngineName {
  return (ENGINES as readonly string[]).includes(value);
}

/** Claid makes four images when a request does not say how many. */
export const CONTRACT_DEFAULT_NUMBER_OF_IMAGES = 4;

/** A request as far as its output goes: a destination string, or options with a count and a destination. */
type OutputOf = {
  output?:
    | string
    | ({ number_of_images?: number | undefined; destination?: string | undefined } & Record<string, unknown>)
    | undefined;
} & Record<string, unknown>;

/** How many images a request asks for, with the contract's default. */
export function imagesRequested(request: OutputOf): number {
  return (
    (typeof request.output === "object" ? request.output.number_of_images : undefined) ??
    CONTRACT_DEFAULT_NUMBER_OF_IMAGES
  );
}

/** Where the results are written instead of being handed back (`storage://…`), if anywhere. */
export function destinationOf(request: OutputOf): string | undefined {
  return typeof request.output === "string" ? request.output : request.output?.destination;
}

export const OUTPUT_FORMATS = ["jpeg", "png", "webp", "avif", "tiff"] as const;
export const PNG_COMPRESSIONS = ["fast", "optimal", "best"] as const;
export const COMPRESSION_TYPES = ["lossy", "lossless"] as const;

/** Schema: `anyOf [integer 0..1, number 0.01..1]`, so exactly 0 is allowed besides [0.01, 1]. */
export const SCALE_MIN = 0.01;

export const MODELS = ["v1", "v2-beta", "v2"] as const;
export const PREFERENCES = ["fast", "optimal", "best"] as const;
export const TEMPLATE_MODES = ["transform", "lock", "adjust"] as const;
export const TEMPLATE_VIEWS = ["top", "front"] as const;
export const EFFECT_VIEWS = ["auto", "top", "front"] as const;
export const EFFECTS = ["shadows"] as const;
export const TRANSPARENT = "transparent";

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An image/edit body has an `input`, a scene/create body an `object`: the two never overlap. */
export function isEditShaped(request: unknown): boolean {
  return isRecord(request) && "input" in request && !("object" in request);
}

export type PlacementType = "absolute" | "original" | "padding";

/**
 * `anyOf [absolute, original, padding]`: the three are mutually exclusive through `placement_type`
 * (absent, or anything unknown, can only be absolute), so routing on it judges exactly like anyOf and
 * gives field-level errors instead of one "no variant matched".
 */
export function placementTypeOf(object: unknown): PlacementType {
  const type = isRecord(object) ? object.placement_type : undefined;
  return type === "original" || type === "padding" ? type : "absolute";
}

export type SceneKind = "effect" | "template" | "prompt";

/** Which variant a scene object can only be: each has a key the other two forbid. */
export function sceneKindOf(scene: unknown): SceneKind | undefined {
  if (typeof scene !== "object" || scene === null || Array.isArray(scene)) return undefined;
  if ("effect" in scene) return "effect";
  if ("template_url" in scene) return "template";
  if ("prompt" in scene) return "prompt";
  return undefined;
}
