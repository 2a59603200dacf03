/**
 * The composer's document: exactly what decides the request body, as plain data. Everything in it is
 * undoable; image metadata and the engine choice live beside it (see `state.ts`).
 *
 * Each variant keeps its own fields, so switching placement type or scene kind and back restores what
 * was there; only the fields valid for the current choice reach the request.
 */
import type { AspectRatio } from "@/lib/scene/aspect-ratios";
import type {
  EFFECT_VIEWS,
  MODELS,
  ObjectAbsolute,
  PlacementType,
  PREFERENCES,
  Prompt,
  SceneCreateRequest,
  SceneKind,
  TEMPLATE_MODES,
} from "@/lib/scene/contract";

export type Model = (typeof MODELS)[number];
export type Preference = (typeof PREFERENCES)[number];
export type TemplateMode = (typeof TEMPLATE_MODES)[number];
/** Effect scenes also allow "auto"; template scenes need top or front. */
export type View = (typeof EFFECT_VIEWS)[number];

export type AbsoluteFields = Omit<ObjectAbsolute, "image_url">;

/** Every scene field of every kind; `kind` decides which of them are sent. */
export type SceneFields = {
  model?: Model;
  color?: string;
  view?: View;
  aspect_ratio?: AspectRatio;
  prompt?: Prompt;
  negative_prompt?: string;
  steps?: number;
  preference?: Preference;
  template_mode?: TemplateMode;
  template_url?: string;
};

export type ComposerDoc = {
  imageUrl: string;
  placement: PlacementType;
  absolute: AbsoluteFields;
  padding: string;
  kind: SceneKind;
  scene: SceneFields;
  output: SceneCreateRequest["output"];
  /** The last prompt text typed, so turning auto-generate off gives it back (never sent). */
  promptText: string;
  /**
   * The prompts of the kinds not shown (never sent). Prompt and template scenes each keep their own: a
   * template's prompt is optional, so the prompt scene's is not carried into it unasked, and coming
   * back to either restores what it had.
   */
  parked?: { prompt?: Prompt; template?: Prompt };
};

/** An example, shown in the empty prompt box: the box itself starts empty, the words are yours. */
export const PROMPT_PLACEHOLDER = "e.g. on a light oak table by a window, soft morning light";
export const DEFAULT_PADDING = "10%";

/**
 * One image per run by default: Claid's default is 4, which costs four times as much, and composition
 * is settled with drafts anyway.
 */
export const DEFAULT_NUMBER_OF_IMAGES = 1;

export function emptyDoc(): ComposerDoc {
  return {
    imageUrl: "",
    placement: "absolute",
    absolute: {},
    padding: DEFAULT_PADDING,
    kind: "prompt",
    scene: { prompt: "", aspect_ratio: "1:1" },
    output: { number_of_images: DEFAULT_NUMBER_OF_IMAGES },
    promptText: "",
  };
}
