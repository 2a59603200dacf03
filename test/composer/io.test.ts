import { execFileSync } from "node:child_process";
import { describe, expect, test } from "vitest";

import { lacksTransparency } from "@/lib/composer/images";
import { serialize } from "@/lib/composer/persist";
import { buildRequest } from "@/lib/composer/request";
import { deserialize } from "@/lib/composer/restore";
import { shortcutAction, zoomShortcut } from "@/lib/composer/shortcuts";
import { errorFor, validateRequest } from "@/lib/composer/validation";
import type { SceneCreateRequest } from "@/lib/scene/contract";
import { curlCommand } from "@/lib/scene/curl";

import { present, PRODUCT_META, PRODUCT_URL, run, withProduct } from "./support";

const key = (
  k: string,
  mods: Partial<{ shiftKey: boolean; metaKey: boolean; ctrlKey: boolean; altKey: boolean }> = {},
) => shortcutAction({ key: k, shiftKey: false, metaKey: false, ctrlKey: false, altKey: false, ...mods });

describe("shortcuts", () => {
  test("arrows nudge 1 px, with Shift 10 px", () => {
    expect(key("ArrowLeft")).toEqual({ type: "nudge", dx: -1, dy: 0 });
    expect(key("ArrowDown", { shiftKey: true })).toEqual({ type: "nudge", dx: 0, dy: 10 });
  });

  test("Cmd/Ctrl-Z undoes, with Shift redoes; Delete resets", () => {
    expect(key("z", { metaKey: true })).toEqual({ type: "undo" });
    expect(key("Z", { ctrlKey: true, shiftKey: true })).toEqual({ type: "redo" });
    expect(key("Delete")).toEqual({ type: "resetPlacement" });
    expect(key("Backspace")).toEqual({ type: "resetPlacement" });
  });

  test("+ and - zoom the canvas, 0 fits it, alone or with Cmd/Ctrl (the canvas, not the page)", () => {
    const zoomKey = (k: string, metaKey = false) =>
      zoomShortcut({ key: k, shiftKey: false, metaKey, ctrlKey: false, altKey: false });
    expect(zoomKey("+")).toBe(1.25);
    expect(zoomKey("=")).toBe(1.25);
    expect(zoomKey("-")).toBe(0.8);
    expect(zoomKey("0")).toBe("fit");
    expect(zoomKey("=", true)).toBe(1.25);
    expect(zoomKey("-", true)).toBe(0.8);
    expect(zoomKey("0", true)).toBe("fit");
    expect(zoomKey("a")).toBeUndefined();
  });

  test("other keys and modified arrows are left alone", () => {
    expect(key("a")).toBeUndefined();
    expect(key("ArrowLeft", { metaKey: true })).toBeUndefined();
    expect(key("ArrowLeft", { altKey: true })).toBeUndefined();
  });
});

describe("copy as cURL", () => {
  test("the command, run through a shell, sends exactly the body with the placeholder token", () => {
    const request: SceneCreateRequest = {
      object: { image_url: PRODUCT_URL },
      scene: { prompt: "it's a 'quoted' prompt with $HOME and \\ backslash" },
    };
    const command = curlCommand("https://backdrop.example", request);
    expect(command).toContain("https://backdrop.example/v1/scene/create");
    // Replace curl with a printer of its arguments to see what the shell hands over.
    const printed = execFileSync("sh", ["-c", `curl() { printf '%s\\n' "$@"; }; ${command}`], {
      env: { ...process.env, BACKDROP_TOKEN: "tok_123" },
      encoding: "utf8",
    });
    const args = printed.split("\n");
    expect(args).toContain("Authorization: Bearer tok_123");
    const body = args
      .slice(args.indexOf("--data-raw") + 1)
      .join("\n")
      .trimEnd();
    expect(JSON.parse(body)).toEqual(request);
  });
});

describe("saving across reloads", () => {
  test("the document, engine, results and the images it uses survive; undo history does not", () => {
    const state = run(
      withProduct(),
      { type: "nudge", dx: 4, dy: 0 },
      { type: "setEngine", engine: "claid" },
      { type: "generationStarted", id: "gen_1" },
    );
    const withStale = { ...state, images: { ...state.images, "backdrop://files/old.png": PRODUCT_META } };
    const restored = deserialize(serialize(withStale));
    if (!restored) throw new Error("not restored");
    expect(restored.generations).toEqual(["gen_1"]);
    expect(present(restored)).toEqual(present(state));
    expect(restored.engine).toBe("claid");
    expect(Object.keys(restored.images)).toEqual([PRODUCT_URL]);
    expect(restored.history.past).toEqual([]);
    expect(buildRequest(present(restored))).toEqual(buildRequest(present(state)));
  });

  test("garbage or another version is ignored", () => {
    expect(deserialize(null)).toBeUndefined();
    expect(deserialize("{not json")).toBeUndefined();
    expect(deserialize(JSON.stringify({ version: 2 }))).toBeUndefined();
    expect(
      deserialize(JSON.stringify({ version: 1, doc: {}, images: {}, engine: "gpu", generations: [] })),
    ).toBeUndefined();
  });
});

describe("validation messages", () => {
  test("a union's message is its first variant's reason, at the field's path", () => {
    const result = validateRequest({ object: { image_url: PRODUCT_URL }, scene: { prompt: "ab" } });
    expect(result.ok ? {} : result.errors).toEqual({ "scene.prompt": "Must be at least 3 characters" });
  });

  test("errorFor finds a sub-field's message for its parent control", () => {
    expect(errorFor({ "scene.prompt.text": "too short" }, "scene.prompt")).toBe("too short");
    expect(errorFor({ "scene.promptx": "no" }, "scene.prompt")).toBeUndefined();
  });
});

test("a product counts as lacking transparency without alpha or when its object box is the whole image", () => {
  expect(lacksTransparency(PRODUCT_META)).toBe(false);
  expect(lacksTransparency({ ...PRODUCT_META, hasAlpha: false })).toBe(true);
  expect(lacksTransparency({ ...PRODUCT_META, objectBox: { x: 0, y: 0, width: 600, height: 400 } })).toBe(
    true,
  );
});
