/**
 * The composer's reducer: every interaction is an action on plain data. Gestures (a drag, a transform)
 * arrive once, when they end, so each is one undo step; typing folds into one step per field.
 */
import type {
  OutputFormat,
  OutputOptions,
  PlacementType,
  SceneCreateRequest,
  SceneKind,
} from "@/lib/scene/contract";
import type { Engine } from "@/lib/scene/generation";
import type { Point, Size } from "@/lib/scene/placement";
import {
  absoluteValuesFromCanvas,
  absoluteValuesOf,
  apiYToFrameY,
  frameYToApiY,
  roundAbsoluteValues,
  roundTo,
} from "@/lib/scene/placement";
import { TRANSPARENT } from "@/lib/scene/vocabulary";

import type { Camera } from "./camera";
import { fitCamera, initialCamera, panCamera, resizeViewport, zoomCamera, zoomToBox } from "./camera";
import type { ComposerDoc, SceneFields } from "./doc";
import { emptyDoc } from "./doc";
import type { ImageCache } from "./frame";
import { frameOf, productBoundsOf, subjectOf } from "./frame";
import type { History } from "./history";
import { closeStep, commit, redo, startHistory, undo } from "./history";
import type { ImageMeta } from "./images";
import { docFromRequest } from "./request";

export type ComposerState = {
  history: History<ComposerDoc>;
  images: ImageCache;
  engine: Engine;
  /** Generations started from this composer, newest first (shown as results; not undoable). */
  generations: string[];
  /** How the canvas looks at the frame (not undoable, not saved). */
  camera: Camera;
};

export const MAX_KEPT_GENERATIONS = 30;

export type PlacementField = "x" | "y" | "scale" | "rotation";

/** Scene fields set directly from one form control. */
export type PlainSceneField = Exclude<keyof SceneFields, "prompt" | "template_url">;

export type ComposerAction =
  | { type: "setProduct"; url: string; meta?: ImageMeta }
  | { type: "setTemplate"; url: string; meta?: ImageMeta }
  | { type: "clearProduct" }
  | { type: "clearTemplate" }
  | { type: "imageMeta"; url: string; meta: ImageMeta }
  | { type: "dragEnd"; center: Point }
  | { type: "transformEnd"; center: Point; imageScale: number; rotation: number }
  | { type: "setPlacementValue"; field: PlacementField; value: number }
  | { type: "nudge"; dx: number; dy: number }
  | { type: "resetPlacement" }
  | { type: "setPlacementType"; placement: PlacementType }
  | { type: "setPadding"; padding: string }
  | { type: "setKind"; kind: SceneKind }
  | { type: "setSceneField"; field: PlainSceneField; value: SceneFields[PlainSceneField] }
  | { type: "setPromptGenerate"; generate: boolean }
  | { type: "setPromptText"; text: string }
  | { type: "setGuidelines"; text: string }
  | { type: "setTemplatePromptEnabled"; enabled: boolean }
  | { type: "setNumberOfImages"; count: number | undefined }
  | { type: "setFormat"; format: OutputFormat | undefined }
  | { type: "setDestination"; destination: string }
  | { type: "loadRequest"; request: SceneCreateRequest }
  | { type: "undo" }
  | { type: "redo" }
  | { type: "closeStep" }
  | { type: "setEngine"; engine: Engine }
  | { type: "generationStarted"; id: string }
  | { type: "generationHidden"; id: string }
  /** The canvas measured itself (screen px). */
  | { type: "viewportResized"; size: Size }
  /** Zooms by `factor` around `at` (screen px in the canvas; by default its middle). */
  | { type: "zoomBy"; factor: number; at?: Point }
  /** Moves the view by `delta` screen px (space-drag, middle-drag, the wheel). */
  | { type: "panBy"; delta: Point }
  /** Fits the frame (and the product where it sticks out) to the canvas again, and keeps following it. */
  | { type: "fitView" }
  /** Zooms to the product (Shift+2). */
  | { type: "zoomToProduct" }
  /** Replaces everything but the camera, e.g. with what was saved before a reload. */
  | { type: "restore"; state: ComposerState };

export function initialState(doc: ComposerDoc = emptyDoc()): ComposerState {
  return {
    history: startHistory(doc),
    images: {},
    engine: "local",
    generations: [],
    camera: initialCamera(),
  };
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/** The API position of a frame point, rounded and clamped like every other canvas → API value. */
function positionAt(frame: Size, center: Point) {
  return {
    x: clamp01(roundTo(center.x / frame.width, 4)),
    y: clamp01(roundTo(frameYToApiY(center.y, frame.height), 4)),
  };
}

function change(state: ComposerState, next: ComposerDoc, coalesceKey?: string): ComposerState {
  const history = commit(state.history, next, coalesceKey);
  return history === state.history ? state : { ...state, history };
}

function withScene(doc: ComposerDoc, patch: Partial<SceneFields>): ComposerDoc {
  const scene = { ...doc.scene, ...patch };
  for (const key of Object.keys(patch) as (keyof SceneFields)[]) {
    if (patch[key] === undefined) delete scene[key];
  }
  return { ...doc, scene };
}

type PromptKind = "prompt" | "template";
const hasPrompt = (kind: SceneKind): kind is PromptKind => kind === "prompt" || kind === "template";

/**
 * Prompt and template scenes each keep their own prompt: the one shown is `scene.prompt`, the other
 * waits in `parked`. A template scene starts without one (it would be sent unseen: the prompt is
 * optional there); a prompt scene without one gets the last text typed.
 */
function swapPrompts(doc: ComposerDoc, from: SceneKind, to: SceneKind): ComposerDoc {
  const parked = { ...doc.parked };
  if (hasPrompt(from)) parked[from] = doc.scene.prompt;
  let prompt: ComposerDoc["scene"]["prompt"];
  if (hasPrompt(to)) {
    prompt = parked[to] ?? (to === "prompt" ? doc.promptText : undefined);
    delete parked[to];
  }
  for (const key of Object.keys(parked) as PromptKind[]) if (parked[key] === undefined) delete parked[key];
  const { parked: _old, ...rest } = withScene(doc, { prompt });
  return Object.keys(parked).length ? { ...rest, parked } : rest;
}

/** Template scenes require a view of top or front; other kinds take what is there. */
function forKind(doc: ComposerDoc, kind: SceneKind): ComposerDoc {
  if (kind === doc.kind) return doc;
  let next: ComposerDoc = { ...swapPrompts(doc, doc.kind, kind), kind };
  if (kind === "template" && next.scene.view !== "top" && next.scene.view !== "front") {
    next = withScene(next, { view: "front" });
  }
  // "transparent" is a colour only effect scenes know; the others take hex colours.
  if (kind !== "effect" && next.scene.color === TRANSPARENT) next = withScene(next, { color: undefined });
  return next;
}

function outputOptionsOf(output: SceneCreateRequest["output"]): OutputOptions {
  if (output === undefined) return {};
  if (typeof output === "string") return { destination: output };
  return output;
}

function withOutput(doc: ComposerDoc, patch: Partial<OutputOptions>): ComposerDoc {
  const merged: Record<string, unknown> = { ...outputOptionsOf(doc.output), ...patch };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  return { ...doc, output: Object.keys(merged).length ? (merged as OutputOptions) : undefined };
}

function placementEdit(
  state: ComposerState,
  doc: ComposerDoc,
  absolute: ComposerDoc["absolute"],
  key?: string,
) {
  return change(state, { ...doc, absolute }, key);
}

function editDoc(state: ComposerState, action: ComposerAction): ComposerState {
  const doc = state.history.present;
  switch (action.type) {
    case "setProduct": {
      const images = action.meta ? { ...state.images, [action.url]: action.meta } : state.images;
      return change({ ...state, images }, { ...doc, imageUrl: action.url });
    }
    case "setTemplate": {
      const images = action.meta ? { ...state.images, [action.url]: action.meta } : state.images;
      const next = forKind(withScene(doc, { template_url: action.url }), "template");
      return change({ ...state, images }, next);
    }
    case "clearProduct":
      return change(state, { ...doc, imageUrl: "" });
    case "clearTemplate":
      return change(state, withScene(doc, { template_url: undefined }));
    case "dragEnd":
    case "transformEnd": {
      const meta = state.images[doc.imageUrl];
      if (doc.placement !== "absolute" || !meta) return state;
      const frame = frameOf(doc, state.images);
      if (action.type === "dragEnd") {
        return placementEdit(state, doc, { ...doc.absolute, position: positionAt(frame, action.center) });
      }
      const values = absoluteValuesFromCanvas(frame, meta.objectBox, {
        center: action.center,
        imageScale: action.imageScale,
        rotation: action.rotation,
      });
      const position = { x: values.x, y: values.y };
      return placementEdit(state, doc, {
        ...doc.absolute,
        position,
        scale: values.scale,
        rotation_degree: values.rotation,
      });
    }
    case "nudge": {
      if (doc.placement !== "absolute") return state;
      const frame = frameOf(doc, state.images);
      const current = absoluteValuesOf(doc.absolute);
      const cx = current.x * frame.width + action.dx;
      const cy = apiYToFrameY(current.y, frame.height) + action.dy;
      return placementEdit(state, doc, { ...doc.absolute, position: positionAt(frame, { x: cx, y: cy }) });
    }
    case "setPlacementValue": {
      if (doc.placement !== "absolute" || !Number.isFinite(action.value)) return state;
      // What is typed stays as typed (rounded like any canvas value): out of bounds, the contract says
      // so next to the field and Generate waits, rather than the value changing under the cursor.
      const values = roundAbsoluteValues({
        ...absoluteValuesOf(doc.absolute),
        [action.field]: action.value,
      });
      const key = `placement.${action.field}`;
      if (action.field === "scale")
        return placementEdit(state, doc, { ...doc.absolute, scale: values.scale }, key);
      if (action.field === "rotation") {
        return placementEdit(state, doc, { ...doc.absolute, rotation_degree: values.rotation }, key);
      }
      const position = { ...doc.absolute.position, [action.field]: values[action.field] };
      return placementEdit(state, doc, { ...doc.absolute, position }, key);
    }
    case "resetPlacement": {
      if (doc.placement !== "absolute") return state;
      const { position: _p, scale: _s, rotation_degree: _r, ...rest } = doc.absolute;
      return placementEdit(state, doc, rest);
    }
    case "setPlacementType":
      return change(state, { ...doc, placement: action.placement });
    case "setPadding":
      return change(state, { ...doc, padding: action.padding }, "object.padding");
    case "setKind":
      return change(state, forKind(doc, action.kind));
    case "setSceneField": {
      const value = action.value === "" ? undefined : action.value;
      return change(state, withScene(doc, { [action.field]: value }), `scene.${action.field}`);
    }
    case "setPromptGenerate": {
      const guidelines = typeof doc.scene.prompt === "object" ? doc.scene.prompt.guidelines : undefined;
      const prompt = action.generate
        ? guidelines === undefined
          ? { generate: true }
          : { generate: true, guidelines }
        : doc.promptText;
      return change(state, withScene(doc, { prompt }));
    }
    case "setPromptText": {
      const current = doc.scene.prompt;
      // An object prompt without generate stays an object: loaded requests keep their shape.
      const prompt =
        typeof current === "object" && current.generate !== true
          ? { ...current, text: action.text }
          : action.text;
      return change(state, { ...withScene(doc, { prompt }), promptText: action.text }, "scene.prompt.text");
    }
    case "setGuidelines": {
      const rest = typeof doc.scene.prompt === "object" ? doc.scene.prompt : {};
      const { guidelines: _g, ...others } = rest;
      const prompt =
        action.text === ""
          ? { ...others, generate: true }
          : { ...others, generate: true, guidelines: action.text };
      return change(state, withScene(doc, { prompt }), "scene.prompt.guidelines");
    }
    case "setTemplatePromptEnabled":
      return change(state, withScene(doc, { prompt: action.enabled ? doc.promptText : undefined }));
    case "setNumberOfImages":
      return change(state, withOutput(doc, { number_of_images: action.count }), "output.number_of_images");
    case "setFormat":
      return change(state, withOutput(doc, { format: action.format }), "output.format");
    case "setDestination":
      return change(
        state,
        withOutput(doc, { destination: action.destination === "" ? undefined : action.destination }),
        "output.destination",
      );
    case "loadRequest":
      return change(state, docFromRequest(action.request));
    default:
      return state;
  }
}

export function composerReducer(state: ComposerState, action: ComposerAction): ComposerState {
  switch (action.type) {
    case "undo":
      return { ...state, history: undo(state.history) };
    case "redo":
      return { ...state, history: redo(state.history) };
    case "closeStep":
      return { ...state, history: closeStep(state.history) };
    case "imageMeta":
      return { ...state, images: { ...state.images, [action.url]: action.meta } };
    case "setEngine":
      return { ...state, engine: action.engine };
    case "restore":
      // The canvas has not moved: what it measured still holds.
      return { ...action.state, camera: state.camera };
    case "viewportResized": {
      const camera = resizeViewport(state.camera, action.size);
      return camera === state.camera ? state : { ...state, camera };
    }
    case "zoomBy":
      return {
        ...state,
        camera: zoomCamera(
          state.camera,
          subjectOf(state.history.present, state.images),
          action.factor,
          action.at,
        ),
      };
    case "panBy": {
      const camera = panCamera(state.camera, subjectOf(state.history.present, state.images), action.delta);
      return camera === state.camera ? state : { ...state, camera };
    }
    case "zoomToProduct": {
      const doc = state.history.present;
      const subject = subjectOf(doc, state.images);
      const product = productBoundsOf(doc, state.images, subject.frame);
      const camera = product ? zoomToBox(state.camera, subject, product) : state.camera;
      return camera === state.camera ? state : { ...state, camera };
    }
    case "fitView": {
      const camera = fitCamera(state.camera);
      return camera === state.camera ? state : { ...state, camera };
    }
    case "generationStarted":
      return {
        ...state,
        generations: [action.id, ...state.generations.filter((id) => id !== action.id)].slice(
          0,
          MAX_KEPT_GENERATIONS,
        ),
      };
    case "generationHidden":
      return { ...state, generations: state.generations.filter((id) => id !== action.id) };
    default:
      return editDoc(state, action);
  }
}
