/**
 * The composer as a newcomer meets it, as pure rules: an empty prompt box, a template that does not
 * take the prompt along unasked, the backdrop the canvas draws for each scene kind, files checked
 * before they are uploaded, and errors that name their field in plain words.
 */
import { describe, expect, test } from "vitest";

import { backdropOf } from "@/lib/composer/backdrop";
import { emptyDoc } from "@/lib/composer/doc";
import { fieldOf, FIELDS } from "@/lib/composer/fields";
import { uploadProblem } from "@/lib/composer/intake";
import { buildRequest } from "@/lib/composer/request";
import { validateRequest } from "@/lib/composer/validation";
import { scene as sceneSchema } from "@/lib/scene/contract";
import { backdropPreviewQuery } from "@/lib/scene/preview";
import { backdropPreviewHref, previewSizeFor } from "@/lib/scene/preview-link";

import { present, run, TEMPLATE_META, TEMPLATE_URL, withProduct, WRITTEN_PROMPT } from "./support";

const body = (state: ReturnType<typeof withProduct>) => buildRequest(present(state));

describe("the prompt", () => {
  test("starts empty: Generate waits for words, with the contract's reason on the prompt alone", () => {
    const state = withProduct({ scene: emptyDoc().scene, promptText: "" });
    expect(body(state).scene).toEqual({ prompt: "", aspect_ratio: "1:1" });
    const result = validateRequest(body(state));
    expect(result.ok ? [] : Object.keys(result.errors)).toEqual(["scene.prompt"]);
  });

  test("Prompt → Template leaves the prompt behind; asking for one brings it back; Prompt restores it", () => {
    const written = run(withProduct(), { type: "setPromptText", text: "on wet slate" });
    const template = run(written, { type: "setTemplate", url: TEMPLATE_URL, meta: TEMPLATE_META });
    expect(body(template).scene).not.toHaveProperty("prompt");
    const asked = run(template, { type: "setTemplatePromptEnabled", enabled: true });
    expect(body(asked).scene).toMatchObject({ prompt: "on wet slate" });
    const back = run(template, { type: "setKind", kind: "prompt" });
    expect(body(back).scene).toMatchObject({ prompt: "on wet slate" });
  });

  test("an auto-generated prompt survives a trip through a template scene", () => {
    const generated = run(
      withProduct(),
      { type: "setPromptGenerate", generate: true },
      { type: "setGuidelines", text: "warm tones" },
      { type: "setKind", kind: "template" },
      { type: "setKind", kind: "effect" },
      { type: "setKind", kind: "prompt" },
    );
    expect(body(generated).scene).toEqual({
      prompt: { generate: true, guidelines: "warm tones" },
      aspect_ratio: "1:1",
    });
  });

  test("a template's own prompt (asked for) stays with it across Shadows and back", () => {
    const template = run(
      withProduct(),
      { type: "setTemplate", url: TEMPLATE_URL, meta: TEMPLATE_META },
      { type: "setTemplatePromptEnabled", enabled: true },
      { type: "setPromptText", text: "in a sunlit kitchen" },
      { type: "setKind", kind: "effect" },
      { type: "setKind", kind: "template" },
    );
    expect(body(template).scene).toMatchObject({ prompt: "in a sunlit kitchen" });
  });
});

describe("the backdrop the canvas draws", () => {
  test("a prompt scene asks the engine for its studio backdrop, from only what the backdrop depends on", () => {
    const state = run(
      withProduct(),
      { type: "setSceneField", field: "negative_prompt", value: "people" },
      { type: "setSceneField", field: "steps", value: 20 },
    );
    expect(backdropOf(present(state))).toEqual({
      fill: "#eeece8",
      template: false,
      render: { prompt: WRITTEN_PROMPT },
    });
  });

  test("a prompt too short to send, or a colour word, still gets a backdrop the contract accepts", () => {
    const short = run(
      withProduct(),
      { type: "setPromptText", text: "ab" },
      { type: "setSceneField", field: "color", value: "red" },
    );
    const backdrop = backdropOf(present(short));
    expect(backdrop.render).toEqual({ prompt: {} });
    expect(sceneSchema.safeParse(backdrop.render).success).toBe(true);
    const coloured = run(short, { type: "setSceneField", field: "color", value: "#336699" });
    expect(backdropOf(present(coloured))).toMatchObject({ fill: "#336699", render: { color: "#336699" } });
  });

  test("a shadow scene is its colour, white, or the checkerboard, drawn without asking the server", () => {
    const effect = run(withProduct(), { type: "setKind", kind: "effect" });
    expect(backdropOf(present(effect))).toEqual({ fill: "#ffffff", template: false });
    const blue = run(effect, { type: "setSceneField", field: "color", value: "abc" });
    expect(backdropOf(present(blue))).toEqual({ fill: "#abc", template: false });
    const clear = run(effect, { type: "setSceneField", field: "color", value: "transparent" });
    expect(backdropOf(present(clear))).toEqual({ fill: "transparent", template: false });
  });

  test("a template is drawn as it is when locked, and tinted by the engine otherwise", () => {
    const template = run(withProduct(), { type: "setTemplate", url: TEMPLATE_URL, meta: TEMPLATE_META });
    expect(backdropOf(present(template))).toEqual({
      fill: "#ffffff",
      template: true,
      render: { template_url: TEMPLATE_URL, view: "front", prompt: {} },
    });
    const tinted = run(template, { type: "setSceneField", field: "color", value: "#aece8c" });
    expect(backdropOf(present(tinted)).render).toEqual({
      template_url: TEMPLATE_URL,
      view: "front",
      color: "#aece8c",
    });
    const locked = run(template, { type: "setSceneField", field: "template_mode", value: "lock" });
    expect(backdropOf(present(locked))).toEqual({ fill: "#ffffff", template: true });
    const none = run(withProduct(), { type: "setKind", kind: "template" });
    expect(backdropOf(present(none))).toEqual({ fill: "#ffffff", template: false });
  });

  test("every render it asks for is a preview query the server accepts", () => {
    const states = [
      withProduct(),
      run(withProduct(), { type: "setPromptText", text: "" }),
      run(withProduct(), { type: "setPromptGenerate", generate: true }),
      run(withProduct(), { type: "setTemplate", url: TEMPLATE_URL, meta: TEMPLATE_META }),
    ];
    for (const state of states) {
      const render = backdropOf(present(state)).render;
      expect(render).toBeDefined();
      const href = backdropPreviewHref(render, { width: 1254, height: 836 });
      const query = Object.fromEntries(new URL(href, "http://x").searchParams);
      const parsed = backdropPreviewQuery.safeParse(query);
      expect(parsed.success, href).toBe(true);
      expect(parsed.data?.scene).toEqual(render);
    }
  });

  test("the preview keeps the frame's shape at most 512 px long", () => {
    expect(previewSizeFor({ width: 1254, height: 836 })).toEqual({ width: 512, height: 341 });
    expect(previewSizeFor({ width: 300, height: 200 })).toEqual({ width: 300, height: 200 });
  });

  test("the preview query refuses what the engine could not draw, with field paths", () => {
    const bad = backdropPreviewQuery.safeParse({
      scene: JSON.stringify({ prompt: "on oak", color: "red" }),
      width: "0",
      height: "abc",
    });
    expect(bad.error?.issues.map((i) => i.path.join("."))).toEqual(["scene.color", "width", "height"]);
    expect(backdropPreviewQuery.safeParse({ scene: "{", width: "1", height: "1" }).success).toBe(false);
  });
});

describe("files are checked before they are uploaded", () => {
  const MB = 1024 * 1024;
  test("a file over the server's limit is refused in MB, naming it", () => {
    expect(uploadProblem({ name: "huge.png", size: 31.5 * MB, type: "image/png" }, 25 * MB)).toBe(
      "“huge.png” is 31.5 MB; images can be at most 25 MB.",
    );
    expect(uploadProblem({ name: "edge.png", size: 25 * MB + 2000, type: "image/png" }, 25 * MB)).toBe(
      "“edge.png” is 25.00 MB; images can be at most 25 MB.",
    );
    expect(uploadProblem({ name: "ok.png", size: 25 * MB, type: "image/png" }, 25 * MB)).toBeUndefined();
  });

  test("a file that is not an image, or an image kind the server cannot read, says so", () => {
    expect(uploadProblem({ name: "notes.pdf", size: 10, type: "application/pdf" }, 25 * MB)).toBe(
      "“notes.pdf” is not an image. Use a PNG, JPEG, WebP, AVIF or TIFF file.",
    );
    expect(uploadProblem({ name: "logo.svg", size: 10, type: "image/svg+xml" }, 25 * MB)).toMatch(
      /is a kind of image Backdrop cannot use/,
    );
    // A type the browser could not guess is left to the server.
    expect(uploadProblem({ name: "photo.heic", size: 10, type: "" }, 25 * MB)).toBeUndefined();
  });
});

describe("errors name their field in plain words", () => {
  test("every path the contract reports for a composed body has a plain label", () => {
    expect(fieldOf("scene.prompt.text")?.label).toBe("Describe the scene");
    expect(fieldOf("output.format.compression.quality")?.label).toBe("Compression");
    expect(fieldOf("object.position")).toBeUndefined();
    for (const info of Object.values(FIELDS)) expect(info.label).not.toMatch(/_/);
  });

  test("the contract's messages are sentences, not zod's stock ones", () => {
    const state = run(
      withProduct(),
      { type: "setSceneField", field: "steps", value: 60 },
      { type: "setFormat", format: { type: "jpeg", quality: 0 } },
      { type: "setPlacementValue", field: "x", value: 1.5 },
    );
    const result = validateRequest(body(state));
    expect(result.ok ? {} : result.errors).toEqual({
      "scene.steps": "Must be less than 50",
      "output.format.quality": "Must be 1 or more",
      "object.position.x": "Must be between 0 and 1",
    });
  });

  test("transparent with JPEG is an error on the colour and on the format before anyone generates", () => {
    const state = run(
      withProduct(),
      { type: "setKind", kind: "effect" },
      { type: "setSceneField", field: "color", value: "transparent" },
      { type: "setFormat", format: "jpeg" },
    );
    const result = validateRequest(body(state));
    expect(result.ok ? [] : Object.keys(result.errors)).toEqual(["scene.color", "output.format"]);
  });
});
