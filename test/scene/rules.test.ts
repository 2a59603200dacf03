import { describe, expect, it } from "vitest";

import { renderableRequest, sceneCreateRequest } from "@/lib/scene/contract";
import { createGenerationBody } from "@/lib/scene/generation";
import { outputFormatOf, parseHexColour, sceneRuleProblems } from "@/lib/scene/rules";

const object = { image_url: "https://example.com/p.png" };
const body = (scene: Record<string, unknown>, output?: unknown) => ({ object, scene, output });
const paths = (request: unknown) => {
  const parsed = renderableRequest.safeParse(request);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join("."));
};

describe("colours are hex", () => {
  it("reads #rgb, #rrggbb, with or without #, in either case", () => {
    expect(parseHexColour("#fff")).toEqual({ r: 255, g: 255, b: 255 });
    expect(parseHexColour("AeCe8C")).toEqual({ r: 0xae, g: 0xce, b: 0x8c });
    expect(parseHexColour(" #336699 ")).toEqual({ r: 0x33, g: 0x66, b: 0x99 });
    for (const bad of ["red", "#ff", "#gggggg", "rgb(1,2,3)", "#ffffff00", ""])
      expect(parseHexColour(bad)).toBeUndefined();
  });

  it("a word or a broken code is refused on scene.color, in every scene kind", () => {
    for (const scene of [
      { prompt: "on oak", color: "red" },
      { template_url: "https://example.com/t.jpg", view: "front", color: "red" },
      { effect: "shadows", color: "red" },
    ]) {
      expect(sceneCreateRequest.safeParse(body(scene)).success).toBe(true);
      expect(paths(body(scene))).toEqual(["scene.color"]);
      expect(sceneRuleProblems(body(scene))).toEqual([
        { path: ["scene", "color"], code: "invalid_color", message: expect.stringContaining('"red"') },
      ]);
    }
  });

  it("transparent is a colour only shadow scenes have", () => {
    expect(paths(body({ effect: "shadows", color: "transparent" }))).toEqual([]);
    expect(paths(body({ prompt: "on oak", color: "transparent" }))).toEqual(["scene.color"]);
  });
});

describe("transparency needs a format with alpha", () => {
  it("PNG (also the default), WebP and AVIF keep it; JPEG and TIFF are refused on colour and format", () => {
    const scene = { effect: "shadows", color: "transparent" };
    for (const output of [undefined, "storage://out/", { format: "png" }, { format: "webp" }])
      expect(paths(body(scene, output))).toEqual([]);
    expect(paths(body(scene, { format: { type: "avif", compression: "lossless" } }))).toEqual([]);
    for (const format of ["jpeg", "tiff", { type: "jpeg", quality: 80 }]) {
      expect(paths(body(scene, { format }))).toEqual(["scene.color", "output.format"]);
      const [problem] = sceneRuleProblems(body(scene, { format }));
      expect(problem?.code).toBe("transparent_needs_alpha_format");
      expect(problem?.message).toMatch(/needs PNG, WebP or AVIF output; (JPEG|TIFF) has no transparency/);
    }
  });

  it("a hex colour is fine in any format", () => {
    expect(paths(body({ effect: "shadows", color: "#ffffff" }, { format: "jpeg" }))).toEqual([]);
  });

  it("the output format is read from the string form, the options form, or PNG by default", () => {
    expect(outputFormatOf(undefined)).toBe("png");
    expect(outputFormatOf("storage://out/")).toBe("png");
    expect(outputFormatOf({ format: "tiff" })).toBe("tiff");
    expect(outputFormatOf({ format: { type: "webp" } })).toBe("webp");
  });
});

describe("where the rules apply", () => {
  it("the generations API refuses a request that breaks them; stored requests are read without them", () => {
    const broken = body({ effect: "shadows", color: "transparent" }, { format: "jpeg" });
    const parsed = createGenerationBody.safeParse({ request: broken, engine: "local" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join("."))).toEqual([
      "request.scene.color",
      "request.output.format",
    ]);
    // Claid clients send the contract as published: the schema itself stays as it was.
    expect(sceneCreateRequest.safeParse(broken).success).toBe(true);
  });

  it("each issue carries the rule's code, as the engine's 422 does", () => {
    const parsed = renderableRequest.safeParse(body({ prompt: "on oak", color: "blue-ish" }));
    expect(parsed.error?.issues[0]).toMatchObject({ params: { code: "invalid_color" } });
  });
});
