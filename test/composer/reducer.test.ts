import { describe, expect, test } from "vitest";

import { frameOf } from "@/lib/composer/frame";
import { composerReducer, initialState } from "@/lib/composer/reducer";
import { buildRequest } from "@/lib/composer/request";
import { validateRequest } from "@/lib/composer/validation";
import type { SceneCreateRequest } from "@/lib/scene/contract";

import {
  present,
  PRODUCT_META,
  PRODUCT_URL,
  run,
  TEMPLATE_META,
  TEMPLATE_URL,
  withProduct,
  WRITTEN_PROMPT,
} from "./support";

const steps = (state: ReturnType<typeof withProduct>) => state.history.past.length;

describe("nudging", () => {
  test("an arrow moves the product 1 frame pixel and is one undo step", () => {
    const start = withProduct();
    const before = steps(start);
    const moved = run(start, { type: "nudge", dx: 1, dy: 0 });
    // 1 px of a 1024 px frame, rounded to the API's 4 decimals.
    expect(present(moved).absolute.position).toEqual({ x: 0.501, y: 0.5 });
    expect(steps(moved)).toBe(before + 1);
    expect(present(run(moved, { type: "undo" })).absolute.position).toBeUndefined();
  });

  test("Shift moves 10 pixels; down in the frame is down in y (the API's y points up)", () => {
    const moved = run(withProduct(), { type: "nudge", dx: 0, dy: 10 });
    expect(present(moved).absolute.position).toEqual({ x: 0.5, y: 0.4902 });
  });

  test("every nudge is its own undo step", () => {
    const start = withProduct();
    const moved = run(
      start,
      { type: "nudge", dx: 1, dy: 0 },
      { type: "nudge", dx: 1, dy: 0 },
      { type: "nudge", dx: 10, dy: 0 },
    );
    expect(steps(moved)).toBe(steps(start) + 3);
    expect(present(moved).absolute.position?.x).toBeCloseTo(0.5 + 12 / 1024, 3);
    const once = run(moved, { type: "undo" });
    expect(present(once).absolute.position?.x).toBeCloseTo(0.5 + 2 / 1024, 3);
  });

  test("nudging stops at the frame's edge and a nudge that changes nothing adds no step", () => {
    const atEdge = withProduct({ absolute: { position: { x: 1, y: 0.5 } } });
    const pushed = run(atEdge, { type: "nudge", dx: 10, dy: 0 });
    expect(present(pushed).absolute.position).toEqual({ x: 1, y: 0.5 });
    expect(steps(pushed)).toBe(steps(atEdge));
  });

  test("padding and original placements cannot be nudged", () => {
    for (const placement of ["padding", "original"] as const) {
      const state = run(withProduct(), { type: "setPlacementType", placement });
      expect(run(state, { type: "nudge", dx: 5, dy: 5 })).toBe(state);
    }
  });
});

describe("gestures", () => {
  test("a drag's end writes the position, rounded to 4 decimals, as one step", () => {
    const start = withProduct();
    const dragged = run(start, { type: "dragEnd", center: { x: 300.123, y: 700 } });
    expect(present(dragged).absolute).toEqual({ position: { x: 0.2931, y: 0.3164 } });
    expect(steps(dragged)).toBe(steps(start) + 1);
  });

  test("a drag's end outside the frame is clamped to the frame", () => {
    const dragged = run(withProduct(), { type: "dragEnd", center: { x: -50, y: 2000 } });
    expect(present(dragged).absolute.position).toEqual({ x: 0, y: 0 });
  });

  test("a transform's end writes position, scale (1 = fits the frame) and rotation", () => {
    const frame = frameOf(present(withProduct()), { [PRODUCT_URL]: PRODUCT_META });
    // The 400 px wide object box fits a 1024 px frame at 2.56 image px per frame px.
    const fit = frame.width / PRODUCT_META.objectBox.width;
    const state = run(withProduct(), {
      type: "transformEnd",
      center: { x: 512, y: 256 },
      imageScale: fit * 0.5,
      rotation: -90,
    });
    expect(present(state).absolute).toEqual({
      position: { x: 0.5, y: 0.75 },
      scale: 0.5,
      rotation_degree: 270,
    });
  });

  test("a transform past the schema's scale range is clamped to it", () => {
    const big = run(withProduct(), {
      type: "transformEnd",
      center: { x: 512, y: 512 },
      imageScale: 99,
      rotation: 0,
    });
    expect(present(big).absolute.scale).toBe(1);
    const tiny = run(withProduct(), {
      type: "transformEnd",
      center: { x: 512, y: 512 },
      imageScale: 1e-6,
      rotation: 0,
    });
    expect(present(tiny).absolute.scale).toBe(0.01);
  });

  test("gestures are ignored until the product's measurements are known", () => {
    const state = run(initialState(), { type: "setProduct", url: PRODUCT_URL });
    expect(run(state, { type: "dragEnd", center: { x: 1, y: 1 } })).toBe(state);
  });

  test("reset removes position, scale and rotation (the API's defaults apply) in one step", () => {
    const moved = withProduct({
      absolute: { placement_type: "absolute", position: { x: 0.2, y: 0.3 }, scale: 0.4, rotation_degree: 10 },
    });
    const reset = run(moved, { type: "resetPlacement" });
    expect(present(reset).absolute).toEqual({ placement_type: "absolute" });
    expect(steps(reset)).toBe(steps(moved) + 1);
  });
});

describe("inspector fields", () => {
  test("typed values are rounded like canvas values; out of bounds they stay, and the contract says so", () => {
    const state = run(
      withProduct(),
      { type: "setPlacementValue", field: "x", value: 0.123456 },
      { type: "closeStep" },
      { type: "setPlacementValue", field: "rotation", value: 370.004 },
      { type: "closeStep" },
      { type: "setPlacementValue", field: "scale", value: 5 },
    );
    expect(present(state).absolute).toEqual({ position: { x: 0.1235 }, rotation_degree: 10, scale: 5 });
    const result = validateRequest(buildRequest(present(state)));
    expect(result.ok ? {} : result.errors).toEqual({ "object.scale": "Must be 0 or between 0.01 and 1" });
    const fixed = run(state, { type: "setPlacementValue", field: "scale", value: 0.8 });
    expect(validateRequest(buildRequest(present(fixed))).ok).toBe(true);
  });

  test("typing into one field is one undo step until the field is left", () => {
    const start = withProduct();
    const typed = run(
      start,
      { type: "setPlacementValue", field: "scale", value: 0.5 },
      { type: "setPlacementValue", field: "scale", value: 0.55 },
      { type: "setPlacementValue", field: "scale", value: 0.555 },
    );
    expect(steps(typed)).toBe(steps(start) + 1);
    expect(present(run(typed, { type: "undo" })).absolute.scale).toBeUndefined();
    const again = run(
      typed,
      { type: "closeStep" },
      { type: "setPlacementValue", field: "scale", value: 0.6 },
    );
    expect(steps(again)).toBe(steps(start) + 2);
  });

  test("prompt typing folds into one step; a different field starts another", () => {
    const start = withProduct();
    const typed = run(
      start,
      { type: "setPromptText", text: "on" },
      { type: "setPromptText", text: "on sand" },
      { type: "setSceneField", field: "negative_prompt", value: "people" },
    );
    expect(steps(typed)).toBe(steps(start) + 2);
    expect(present(typed).scene.prompt).toBe("on sand");
  });

  test("non-numbers are ignored", () => {
    const state = withProduct();
    expect(run(state, { type: "setPlacementValue", field: "x", value: Number.NaN })).toBe(state);
  });
});

describe("undo and redo", () => {
  test("redo replays what undo took back; a new edit clears the redo stack", () => {
    const a = run(withProduct(), { type: "nudge", dx: 1, dy: 0 }, { type: "nudge", dx: 0, dy: 1 });
    const undone = run(a, { type: "undo" }, { type: "undo" });
    expect(present(undone).absolute.position).toBeUndefined();
    const redone = run(undone, { type: "redo" }, { type: "redo" });
    expect(present(redone)).toEqual(present(a));
    const branched = run(undone, { type: "redo" }, { type: "nudge", dx: 5, dy: 0 });
    expect(branched.history.future).toEqual([]);
    expect(run(branched, { type: "redo" })).toEqual(branched);
  });

  test("undo with nothing to undo changes nothing", () => {
    const state = initialState();
    expect(composerReducer(state, { type: "undo" }).history).toBe(state.history);
  });

  test("started generations are listed newest first, once each, and can be hidden", () => {
    const state = run(
      initialState(),
      { type: "generationStarted", id: "a" },
      { type: "generationStarted", id: "b" },
      { type: "generationStarted", id: "a" },
      { type: "generationHidden", id: "b" },
    );
    expect(state.generations).toEqual(["a"]);
    expect(state.history.past).toEqual([]);
  });

  test("image measurements and the engine are not undoable", () => {
    const state = run(withProduct(), { type: "setEngine", engine: "claid" });
    const undone = run(state, { type: "undo" });
    expect(undone.engine).toBe("claid");
    expect(undone.images[PRODUCT_URL]).toEqual(PRODUCT_META);
  });
});

describe("scene kinds", () => {
  const body = (state: ReturnType<typeof withProduct>) => buildRequest(present(state));

  test("each kind sends exactly its own fields, and switching back restores the others", () => {
    const prompt = run(
      withProduct(),
      { type: "setSceneField", field: "negative_prompt", value: "text, people" },
      { type: "setSceneField", field: "steps", value: 20 },
      { type: "setSceneField", field: "preference", value: "best" },
      { type: "setSceneField", field: "color", value: "#aece8c" },
      { type: "setSceneField", field: "aspect_ratio", value: "4:5" },
    );
    expect(body(prompt).scene).toEqual({
      prompt: WRITTEN_PROMPT,
      negative_prompt: "text, people",
      steps: 20,
      preference: "best",
      color: "#aece8c",
      aspect_ratio: "4:5",
    });

    const effect = run(prompt, { type: "setKind", kind: "effect" });
    expect(body(effect).scene).toEqual({ effect: "shadows", color: "#aece8c", aspect_ratio: "4:5" });

    const template = run(effect, { type: "setTemplate", url: TEMPLATE_URL, meta: TEMPLATE_META });
    expect(present(template).kind).toBe("template");
    // The prompt scene's prompt is not carried into the template scene, where it would go unseen.
    expect(body(template).scene).toEqual({
      template_url: TEMPLATE_URL,
      view: "front",
      negative_prompt: "text, people",
      steps: 20,
      color: "#aece8c",
    });

    const back = run(template, { type: "setKind", kind: "prompt" });
    expect(body(back).scene).toEqual(body(prompt).scene);
    for (const state of [prompt, effect, template, back]) expect(validateRequest(body(state)).ok).toBe(true);
  });

  test("a transparent background is an effect-scene colour: other kinds shed it", () => {
    const effect = run(
      withProduct(),
      { type: "setKind", kind: "effect" },
      { type: "setSceneField", field: "color", value: "transparent" },
    );
    expect(body(effect).scene).toEqual({ effect: "shadows", color: "transparent", aspect_ratio: "1:1" });
    expect(body(run(effect, { type: "setKind", kind: "prompt" })).scene).not.toHaveProperty("color");
    const hex = run(
      effect,
      { type: "setSceneField", field: "color", value: "#112233" },
      { type: "setKind", kind: "prompt" },
    );
    expect(body(hex).scene).toMatchObject({ color: "#112233" });
  });

  test("a template scene never keeps the effect-only view 'auto'", () => {
    const effect = run(
      withProduct(),
      { type: "setKind", kind: "effect" },
      { type: "setSceneField", field: "view", value: "auto" },
    );
    const template = run(effect, { type: "setKind", kind: "template" });
    expect(present(template).scene.view).toBe("front");
    const top = run(
      effect,
      { type: "setSceneField", field: "view", value: "top" },
      { type: "setKind", kind: "template" },
    );
    expect(present(top).scene.view).toBe("top");
  });

  test("a template scene without a template image is invalid, with the message on template_url", () => {
    const state = run(withProduct(), { type: "setKind", kind: "template" });
    const result = validateRequest(body(state));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors)).toEqual(["scene.template_url"]);
  });

  test("switching to prompt with no prompt fills the last typed text", () => {
    const state = run(
      withProduct(),
      { type: "setPromptText", text: "on wet pebbles" },
      { type: "setKind", kind: "template" },
      { type: "setTemplatePromptEnabled", enabled: false },
      { type: "setKind", kind: "prompt" },
    );
    expect(present(state).scene.prompt).toBe("on wet pebbles");
  });

  test("auto-generate replaces the text; guidelines only ride along with it; turning it off restores the text", () => {
    const generated = run(
      withProduct(),
      { type: "setPromptText", text: "on a marble shelf" },
      { type: "setPromptGenerate", generate: true },
      { type: "setGuidelines", text: "real life setting" },
    );
    expect(body(generated).scene).toMatchObject({
      prompt: { generate: true, guidelines: "real life setting" },
    });
    const cleared = run(generated, { type: "setGuidelines", text: "" });
    expect(body(cleared).scene).toMatchObject({ prompt: { generate: true } });
    const off = run(generated, { type: "setPromptGenerate", generate: false });
    expect(body(off).scene).toMatchObject({ prompt: "on a marble shelf" });
    expect(validateRequest(body(generated)).ok).toBe(true);
  });

  test("an object prompt loaded from a request keeps its shape when its text is edited", () => {
    const loaded = run(withProduct(), {
      type: "loadRequest",
      request: {
        object: { image_url: PRODUCT_URL },
        scene: { prompt: { text: "on a rock", generate: false } },
      },
    });
    const edited = run(loaded, { type: "setPromptText", text: "on a mossy rock" });
    expect(body(edited).scene).toEqual({ prompt: { text: "on a mossy rock", generate: false } });
  });
});

describe("placement types", () => {
  test("each sends only its own fields and keeps the others for later", () => {
    const moved = withProduct({ absolute: { position: { x: 0.3, y: 0.6 }, scale: 0.5 } });
    const padded = run(
      moved,
      { type: "setPlacementType", placement: "padding" },
      { type: "setPadding", padding: "10% 20%" },
    );
    expect(buildRequest(present(padded)).object).toEqual({
      image_url: PRODUCT_URL,
      placement_type: "padding",
      padding: "10% 20%",
    });
    const original = run(padded, { type: "setPlacementType", placement: "original" });
    expect(buildRequest(present(original)).object).toEqual({
      image_url: PRODUCT_URL,
      placement_type: "original",
    });
    const back = run(original, { type: "setPlacementType", placement: "absolute" });
    expect(buildRequest(present(back)).object).toEqual({
      image_url: PRODUCT_URL,
      position: { x: 0.3, y: 0.6 },
      scale: 0.5,
    });
  });

  test("padding over half the frame gets the schema's message on object.padding", () => {
    const state = run(
      withProduct(),
      { type: "setPlacementType", placement: "padding" },
      { type: "setPadding", padding: "60%" },
    );
    const result = validateRequest(buildRequest(present(state)));
    expect(result.ok ? {} : result.errors).toEqual({
      "object.padding": "Padding can not be bigger than half of the frame",
    });
  });
});

describe("output", () => {
  test("the default is one image; clearing it falls back to Claid's default by leaving it out", () => {
    const state = withProduct();
    expect(buildRequest(present(state)).output).toEqual({ number_of_images: 1 });
    const cleared = run(state, { type: "setNumberOfImages", count: undefined });
    expect(buildRequest(present(cleared)).output).toBeUndefined();
  });

  test("format options, destination, and a destination-only output string", () => {
    const state = run(
      withProduct(),
      { type: "setFormat", format: { type: "webp", compression: { type: "lossy", quality: 80 } } },
      { type: "setDestination", destination: "storage://bucket/out/" },
    );
    expect(buildRequest(present(state)).output).toEqual({
      number_of_images: 1,
      format: { type: "webp", compression: { type: "lossy", quality: 80 } },
      destination: "storage://bucket/out/",
    });
    const loaded = run(state, {
      type: "loadRequest",
      request: {
        output: "storage://bucket/x/",
        object: { image_url: PRODUCT_URL },
        scene: { effect: "shadows" },
      },
    });
    const edited = run(loaded, { type: "setNumberOfImages", count: 2 });
    expect(buildRequest(present(edited)).output).toEqual({
      destination: "storage://bucket/x/",
      number_of_images: 2,
    });
  });

  test("out-of-range values are kept and reported by the schema, next to their field", () => {
    const state = run(
      withProduct(),
      { type: "setFormat", format: { type: "jpeg", quality: 0 } },
      { type: "setSceneField", field: "steps", value: 50 },
    );
    const result = validateRequest(buildRequest(present(state)));
    expect(result.ok ? {} : result.errors).toEqual({
      "output.format.quality": "Must be 1 or more",
      "scene.steps": "Must be less than 50",
    });
  });
});

test("loading a request is one undo step and brings the previous document back on undo", () => {
  const start = run(withProduct(), { type: "nudge", dx: 3, dy: 0 });
  const request: SceneCreateRequest = {
    object: { image_url: "https://example.com/a.png", placement_type: "padding", padding: "5%" },
    scene: { template_url: TEMPLATE_URL, view: "top", template_mode: "lock" },
  };
  const loaded = run(start, { type: "loadRequest", request });
  expect(buildRequest(present(loaded))).toEqual(request);
  expect(present(run(loaded, { type: "undo" }))).toEqual(present(start));
});
