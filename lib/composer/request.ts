/**
 * Document ↔ request body. `buildRequest` writes only the fields valid for the chosen placement type
 * and scene kind; `docFromRequest` loads any valid request so that building it again gives the same
 * body (the JSON view, "send to composer" and import rely on that round trip being exact).
 */
import type {
  ObjectAbsolute,
  SceneCreateRequest,
  SceneEffect,
  ScenePrompt,
  SceneTemplate,
} from "@/lib/scene/contract";
import { placementTypeOf, sceneKindOf } from "@/lib/scene/vocabulary";

import type { ComposerDoc, SceneFields } from "./doc";
import { DEFAULT_PADDING, emptyDoc } from "./doc";

/** Drops keys whose value is undefined, so the body holds only what was set. */
function defined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function buildObject(doc: ComposerDoc): SceneCreateRequest["object"] {
  if (doc.placement === "original") return { image_url: doc.imageUrl, placement_type: "original" };
  if (doc.placement === "padding") {
    return { image_url: doc.imageUrl, placement_type: "padding", padding: doc.padding };
  }
  return defined<ObjectAbsolute>({ image_url: doc.imageUrl, ...doc.absolute });
}

export function buildScene(doc: ComposerDoc): SceneCreateRequest["scene"] {
  const s = doc.scene;
  switch (doc.kind) {
    case "effect":
      return defined<SceneEffect>({
        model: s.model,
        effect: "shadows",
        color: s.color,
        view: s.view,
        aspect_ratio: s.aspect_ratio,
      });
    case "template":
      return defined<SceneTemplate>({
        model: s.model,
        template_mode: s.template_mode,
        template_url: s.template_url ?? "",
        color: s.color,
        // Template scenes have no "auto" view; the reducer never leaves one here for this kind.
        view: s.view === "top" ? "top" : "front",
        prompt: s.prompt,
        negative_prompt: s.negative_prompt,
        steps: s.steps,
      });
    case "prompt":
      return defined<ScenePrompt>({
        model: s.model,
        prompt: s.prompt ?? "",
        negative_prompt: s.negative_prompt,
        steps: s.steps,
        color: s.color,
        aspect_ratio: s.aspect_ratio,
        preference: s.preference,
      });
  }
}

/** The body as the form stands; it may still be invalid (see `validation.ts`). */
export function buildRequest(doc: ComposerDoc): SceneCreateRequest {
  return defined<SceneCreateRequest>({
    output: doc.output,
    object: buildObject(doc),
    scene: buildScene(doc),
  });
}

function sceneFieldsOf(scene: SceneCreateRequest["scene"]): SceneFields {
  // Each variant's keys are a subset of SceneFields; copying them keeps exactly what was sent.
  const { effect: _effect, ...fields } = scene as Partial<SceneEffect> &
    Partial<ScenePrompt> &
    Partial<SceneTemplate>;
  return defined<SceneFields>(fields);
}

/**
 * The document for a request. Fields the request does not mention are absent, except the
 * placement-type and prompt extras (`padding`, `promptText`), which are never sent unless chosen.
 */
export function docFromRequest(request: SceneCreateRequest): ComposerDoc {
  const object = request.object;
  const placement = placementTypeOf(object);
  const kind = sceneKindOf(request.scene) ?? "prompt";
  const scene = sceneFieldsOf(request.scene);
  const { image_url: imageUrl, ...absolute } = object as ObjectAbsolute;
  const promptText =
    typeof scene.prompt === "string" ? scene.prompt : (scene.prompt?.text ?? emptyDoc().promptText);
  return {
    imageUrl,
    placement,
    absolute: placement === "absolute" ? defined(absolute) : {},
    padding: placement === "padding" && "padding" in object ? object.padding : DEFAULT_PADDING,
    kind,
    scene,
    output: request.output,
    promptText,
  };
}
