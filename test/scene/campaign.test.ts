import { describe, expect, it } from "vitest";

import {
  axisNames,
  campaignPlan,
  campaignSize,
  creditsFor,
  expandPlan,
  itemNames,
  itemStem,
  slug,
  validateItems,
  type CampaignPlanInput,
} from "@/lib/scene/campaign";
import { sceneCreateRequest } from "@/lib/scene/contract";

const PRICING = { creditsPerImage: 2, autopromptCredits: 0.5 };

function plan(input: Partial<CampaignPlanInput> = {}) {
  return campaignPlan.parse({
    name: "Spring shelf",
    engine: "claid",
    base: {
      object: { image_url: "https://cdn.example.com/shoe.png", scale: 0.6, position: { x: 0.3, y: 0.4 } },
      scene: { prompt: "on an oak shelf", aspect_ratio: "1:1" },
      output: { number_of_images: 2, format: "png" },
    },
    ...input,
  });
}

describe("the cartesian product", () => {
  it("makes products × scenes × ratios × placements items, products first, each a full request", () => {
    const p = plan({
      axes: {
        products: [
          "https://cdn.example.com/a.png",
          { image_url: "https://cdn.example.com/b.png", name: "Blue bag" },
        ],
        scenes: [
          { prompt: "on marble" },
          { name: "Beach", scene: { prompt: "on sand at dawn" } },
          { effect: "shadows" },
        ],
        aspect_ratios: ["1:1", "16:9"],
      },
    });
    const items = expandPlan(p);
    expect(campaignSize(p.axes)).toBe(12);
    expect(items).toHaveLength(12);
    expect(items.map((i) => i.position)).toEqual([...Array(12).keys()]);
    expect(items[0]?.axes).toEqual({ product: 0, scene: 0, aspect_ratio: "1:1" });
    expect(items[1]?.axes).toEqual({ product: 0, scene: 0, aspect_ratio: "16:9" });
    expect(items[6]?.axes).toEqual({ product: 1, scene: 0, aspect_ratio: "1:1" });
    // Each value replaces its part of the base; the rest of the base stays.
    expect(items[3]?.request).toEqual({
      object: { image_url: "https://cdn.example.com/a.png", scale: 0.6, position: { x: 0.3, y: 0.4 } },
      scene: { prompt: "on sand at dawn", aspect_ratio: "16:9" },
      output: { number_of_images: 2, format: "png" },
    });
    expect(items[10]?.request).toMatchObject({ scene: { effect: "shadows", aspect_ratio: "1:1" } });
    // A product keeps the base's relative placement in every ratio.
    for (const item of items)
      expect(item.request).toMatchObject({ object: { scale: 0.6, position: { x: 0.3, y: 0.4 } } });
    expect(validateItems(items)).toMatchObject({ ok: true });
  });

  it("a scene keeps the base's ratio unless it names its own or cannot have one (a template)", () => {
    const base = { ...plan().base, scene: { prompt: "base scene", aspect_ratio: "4:5" as const } };
    const items = expandPlan({
      base,
      axes: {
        scenes: [
          { prompt: "no ratio" },
          { prompt: "own ratio", aspect_ratio: "16:9" },
          { template_url: "https://cdn.example.com/room.jpg", view: "front" },
        ],
      },
    });
    expect(items.map((i) => (i.request as { scene: unknown }).scene)).toEqual([
      { prompt: "no ratio", aspect_ratio: "4:5" },
      { prompt: "own ratio", aspect_ratio: "16:9" },
      { template_url: "https://cdn.example.com/room.jpg", view: "front" },
    ]);
    expect(validateItems(items)).toMatchObject({ ok: true });
  });

  it("a placement replaces the object's placement and keeps the item's image", () => {
    const p = plan({
      axes: {
        products: ["https://cdn.example.com/a.png"],
        placements: [
          { placement_type: "padding", padding: "10%" },
          { scale: 0.9, rotation_degree: 15 },
        ],
      },
    });
    const items = expandPlan(p);
    expect(items.map((i) => i.request)).toEqual([
      expect.objectContaining({
        object: { placement_type: "padding", padding: "10%", image_url: "https://cdn.example.com/a.png" },
      }),
      expect.objectContaining({
        object: { scale: 0.9, rotation_degree: 15, image_url: "https://cdn.example.com/a.png" },
      }),
    ]);
  });

  it("without axes a campaign is the base alone; the base is never changed by expanding", () => {
    const p = plan();
    const before = structuredClone(p.base);
    const items = expandPlan(p);
    expect(items).toEqual([{ position: 0, axes: {}, request: p.base }]);
    (items[0]?.request as { scene: { prompt: string } }).scene.prompt = "changed";
    expect(p.base).toEqual(before);
  });

  it("the plan refuses an empty axis, a placement with an image and a ratio nobody publishes", () => {
    const bad = campaignPlan.safeParse({
      ...plan(),
      axes: { scenes: [], placements: [{ image_url: "https://x.example/p.png" }], aspect_ratios: ["2:1"] },
    });
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(
      expect.arrayContaining(["axes.scenes", "axes.placements.0", "axes.aspect_ratios.0"]),
    );
  });
});

describe("validation of every item", () => {
  it("names the item and the field a combination breaks: a template scene has no aspect ratio", () => {
    const p = plan({
      axes: {
        scenes: [
          { prompt: "on marble" },
          { template_url: "https://cdn.example.com/room.jpg", view: "front" },
        ],
        aspect_ratios: ["1:1", "4:5"],
      },
    });
    const result = validateItems(expandPlan(p));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.count).toBe(2);
    expect(result.invalid.map((i) => i.position)).toEqual([2, 3]);
    expect(result.invalid[0]?.fields).toEqual({ scene: [expect.stringMatching(/aspect_ratio/)] });
  });

  it("a scene that is wrong in itself is reported with its field path inside the item", () => {
    const p = plan({ axes: { scenes: [{ prompt: "ok scene" }, { prompt: "x", steps: 80 }] } });
    const result = validateItems(expandPlan(p));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.invalid).toEqual([
      {
        position: 1,
        axes: { scene: 1 },
        fields: { "scene.prompt": [expect.any(String)], "scene.steps": [expect.any(String)] },
      },
    ]);
  });

  it("reports at most the first ten bad items but counts them all", () => {
    const p = plan({
      axes: {
        scenes: [{ template_url: "https://cdn.example.com/room.jpg", view: "front" }],
        aspect_ratios: ["1:1", "4:5", "16:9", "9:16", "3:4", "4:3"],
        products: ["https://cdn.example.com/a.png", "https://cdn.example.com/b.png"],
      },
    });
    const result = validateItems(expandPlan(p));
    expect(result).toMatchObject({ ok: false, count: 12 });
    if (!result.ok) expect(result.invalid).toHaveLength(10);
  });
});

describe("names", () => {
  it("products by file name (stored images by position), scenes by prompt or preset name, distinct per axis", () => {
    const p = plan({
      axes: {
        products: [
          "https://cdn.example.com/img/Red%20Shoe.png?v=2",
          `backdrop://files/${"a".repeat(64)}.png`,
          { image_url: "https://cdn.example.com/x.png", name: "Blue bag" },
          "https://cdn.example.com/other/red%20shoe.png",
        ],
        scenes: [
          { prompt: "On an oak shelf, morning light through a window" },
          { name: "Beach", scene: { prompt: "sand" } },
          { effect: "shadows", color: "#ffffff" },
          { prompt: { generate: true } },
          { template_url: "https://cdn.example.com/room.jpg", view: "front" },
        ],
      },
    });
    const names = axisNames(p);
    expect(names.products).toEqual(["red-shoe", "product-2", "blue-bag", "red-shoe-2"]);
    expect(names.scenes).toEqual([
      "on-an-oak-shelf-morning-light",
      "beach",
      "shadows-ffffff",
      "autoprompt",
      "template-5",
    ]);
    const item = expandPlan(p)[1];
    const itemName = itemNames(names, item?.axes ?? {}, item?.request);
    expect(itemStem(itemName)).toBe("red-shoe-beach-1x1");
  });

  it("slugs keep letters and digits only, without accents, bounded in length", () => {
    expect(slug("Crème brûlée — 2 pièces!")).toBe("creme-brulee-2-pieces");
    expect(slug("a".repeat(100)).length).toBe(40);
    expect(slug("---")).toBe("");
  });
});

describe("cost", () => {
  const request = (scene: unknown, images?: number) =>
    sceneCreateRequest.parse({
      object: { image_url: "https://cdn.example.com/a.png" },
      scene,
      ...(images ? { output: { number_of_images: images } } : {}),
    });

  it("claid: credits per image (four when the request does not say), autoprompt once per request", () => {
    expect(creditsFor(request({ prompt: "on marble" }, 1), "claid", PRICING)).toBe(2);
    expect(creditsFor(request({ prompt: "on marble" }), "claid", PRICING)).toBe(8);
    expect(creditsFor(request({ prompt: { generate: true } }, 3), "claid", PRICING)).toBe(6.5);
    expect(
      creditsFor(request({ prompt: { generate: true } }, 3), "claid", {
        creditsPerImage: 1,
        autopromptCredits: 1,
      }),
    ).toBe(4);
  });

  it("drafts cost nothing", () => {
    expect(creditsFor(request({ prompt: { generate: true } }, 4), "local", PRICING)).toBe(0);
  });
});
