import { describe, expect, it } from "vitest";

import { sceneCreateRequest } from "@/lib/scene/contract";

import { publishedValidator } from "../../support/published-schema";

const published = publishedValidator();
const IMAGE = "https://images.claid.ai/photoshoot-templates/docs/product.png";

type Case = [name: string, patch: (body: Body) => void, valid: boolean];
type Body = { object: Record<string, unknown>; scene: Record<string, unknown>; output?: unknown };

const base = (): Body => ({ object: { image_url: IMAGE }, scene: { prompt: "on a marble table" } });

/** Each bound of the published schema, just inside and just outside. */
const cases: Case[] = [
  ["scale 0.01", (b) => (b.object.scale = 0.01), true],
  ["scale 0.0099", (b) => (b.object.scale = 0.0099), false],
  ["scale 0 (the schema's integer branch)", (b) => (b.object.scale = 0), true],
  ["scale 1", (b) => (b.object.scale = 1), true],
  ["scale 1.0001", (b) => (b.object.scale = 1.0001), false],
  ["rotation 0", (b) => (b.object.rotation_degree = 0), true],
  ["rotation 360", (b) => (b.object.rotation_degree = 360), true],
  ["rotation -0.01", (b) => (b.object.rotation_degree = -0.01), false],
  ["rotation 360.01", (b) => (b.object.rotation_degree = 360.01), false],
  ["x 0 and y 1", (b) => (b.object.position = { x: 0, y: 1 }), true],
  ["x -0.0001", (b) => (b.object.position = { x: -0.0001 }), false],
  ["y 1.0001", (b) => (b.object.position = { y: 1.0001 }), false],
  ["position with an extra key", (b) => (b.object.position = { x: 0.5, z: 1 }), false],
  ["image_url 4096 characters", (b) => (b.object.image_url = `https://a.io/${"a".repeat(4096 - 13)}`), true],
  ["image_url 4097 characters", (b) => (b.object.image_url = `https://a.io/${"a".repeat(4097 - 13)}`), false],
  ["image_url relative", (b) => (b.object.image_url = "/product.png"), false],
  ["placement original", (b) => (b.object = { image_url: IMAGE, placement_type: "original" }), true],
  [
    "original with a scale",
    (b) => (b.object = { image_url: IMAGE, placement_type: "original", scale: 1 }),
    false,
  ],
  ["padding without padding", (b) => (b.object = { image_url: IMAGE, placement_type: "padding" }), false],
  ["prompt 3 characters", (b) => (b.scene.prompt = "abc"), true],
  ["prompt 2 characters", (b) => (b.scene.prompt = "ab"), false],
  ["prompt 2048 astral characters", (b) => (b.scene.prompt = "😀".repeat(2048)), true],
  ["prompt 2049 characters", (b) => (b.scene.prompt = "a".repeat(2049)), false],
  ["negative prompt 2 characters", (b) => (b.scene.negative_prompt = "ab"), false],
  ["steps 1", (b) => (b.scene.steps = 1), true],
  ["steps 49", (b) => (b.scene.steps = 49), true],
  ["steps 50 (exclusive maximum)", (b) => (b.scene.steps = 50), false],
  ["steps 0", (b) => (b.scene.steps = 0), false],
  ["steps 2.5", (b) => (b.scene.steps = 2.5), false],
  [
    "guidelines 1000 characters",
    (b) => (b.scene.prompt = { generate: true, guidelines: "g".repeat(1000) }),
    true,
  ],
  [
    "guidelines 1001 characters",
    (b) => (b.scene.prompt = { generate: true, guidelines: "g".repeat(1001) }),
    false,
  ],
  ["aspect ratio 21:9", (b) => (b.scene.aspect_ratio = "21:9"), true],
  ["aspect ratio 2:1", (b) => (b.scene.aspect_ratio = "2:1"), false],
  ["preference best", (b) => (b.scene.preference = "best"), true],
  ["template_mode in a prompt scene", (b) => (b.scene.template_mode = "lock"), false],
  ["number_of_images 1", (b) => (b.output = { number_of_images: 1 }), true],
  ["number_of_images 4", (b) => (b.output = { number_of_images: 4 }), true],
  ["number_of_images 5", (b) => (b.output = { number_of_images: 5 }), false],
  ["number_of_images 0", (b) => (b.output = { number_of_images: 0 }), false],
  [
    "jpeg quality 1 and 100",
    (b) => (b.output = { format: { type: "jpeg", quality: 100, progressive: false } }),
    true,
  ],
  ["jpeg quality 101", (b) => (b.output = { format: { type: "jpeg", quality: 101 } }), false],
  ["jpeg quality 0", (b) => (b.output = { format: { type: "jpeg", quality: 0 } }), false],
  ["png compression best", (b) => (b.output = { format: { type: "png", compression: "best" } }), true],
  ["png compression max", (b) => (b.output = { format: { type: "png", compression: "max" } }), false],
  [
    "webp lossless",
    (b) => (b.output = { format: { type: "webp", compression: { type: "lossless" } } }),
    true,
  ],
  [
    "webp lossless with quality",
    (b) => (b.output = { format: { type: "webp", compression: { type: "lossless", quality: 5 } } }),
    false,
  ],
  [
    "avif lossy quality 1",
    (b) => (b.output = { format: { type: "avif", compression: { type: "lossy", quality: 1 } } }),
    true,
  ],
  ["format tiff", (b) => (b.output = { format: "tiff" }), true],
  ["format options without type", (b) => (b.output = { format: { quality: 5 } }), false],
  ["output as a destination string", (b) => (b.output = "storage://bucket/path/"), true],
  ["output as an empty string", (b) => (b.output = ""), false],
  ["unknown top-level key", (b) => ((b as Record<string, unknown>).webhook = "https://x.io"), false],
  ["effect scene", (b) => (b.scene = { effect: "shadows", color: "transparent", view: "auto" }), true],
  ["effect scene with a prompt", (b) => (b.scene = { effect: "shadows", prompt: "abc" }), false],
  [
    "template scene",
    (b) => (b.scene = { template_url: IMAGE, view: "front", template_mode: "adjust" }),
    true,
  ],
  ["template scene without view", (b) => (b.scene = { template_url: IMAGE }), false],
  [
    "template scene with aspect ratio",
    (b) => (b.scene = { template_url: IMAGE, view: "top", aspect_ratio: "1:1" }),
    false,
  ],
  ["empty scene", (b) => (b.scene = {}), false],
];

describe("each bound of the contract", () => {
  it.each(cases)("%s", (_name, patch, valid) => {
    const body = base();
    patch(body);
    expect(published(body)).toBe(valid);
    expect(sceneCreateRequest.safeParse(body).success).toBe(valid);
  });
});

describe("rules the schema states only in words", () => {
  const judge = (patch: (b: Body) => void) => {
    const body = base();
    patch(body);
    return { ours: sceneCreateRequest.safeParse(body).success, published: published(body) };
  };

  it("generate: true forbids text", () => {
    expect(judge((b) => (b.scene.prompt = { generate: true, text: "a table" }))).toEqual({
      ours: false,
      published: true,
    });
  });
  it("guidelines need generate: true", () => {
    expect(judge((b) => (b.scene.prompt = { text: "a table", guidelines: "warm" }))).toEqual({
      ours: false,
      published: true,
    });
    expect(judge((b) => (b.scene.prompt = { generate: false, guidelines: "warm" }))).toEqual({
      ours: false,
      published: true,
    });
  });
  it("padding is at most half the frame and must read as P or V H", () => {
    const padding = (p: string) =>
      judge((b) => (b.object = { image_url: IMAGE, placement_type: "padding", padding: p }));
    expect(padding("50%")).toEqual({ ours: true, published: true });
    expect(padding("10% 20%")).toEqual({ ours: true, published: true });
    expect(padding("40px")).toEqual({ ours: true, published: true });
    expect(padding("51%")).toEqual({ ours: false, published: true });
    expect(padding("10% 50.5%")).toEqual({ ours: false, published: true });
    expect(padding("wide")).toEqual({ ours: false, published: true });
  });
  it("accepts the prose reference's aspect ratios that the enum lacks", () => {
    expect(judge((b) => (b.scene.aspect_ratio = "19:13"))).toEqual({ ours: true, published: false });
  });
});

describe("field paths in errors", () => {
  it("names the exact field that failed", () => {
    const result = sceneCreateRequest.safeParse({
      object: { image_url: IMAGE, position: { x: 2 } },
      scene: { prompt: "ab" },
    });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["object.position.x", "scene.prompt"]));
  });
});
