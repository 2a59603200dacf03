// Labels that tell compared generations apart.
import { describe, expect, it } from "vitest";

import { compareLabels } from "@/components/gallery/compare-labels";
import { sceneCreateRequest } from "@/lib/scene/contract";

const object = { image_url: "https://images.example.com/product.png" };
function item(prompt: string, aspect: string, engine: "local" | "claid", createdAt: string, format = "png") {
  return {
    request: sceneCreateRequest.parse({
      object,
      scene: { prompt, aspect_ratio: aspect },
      output: { format },
    }),
    engine,
    createdAt,
  };
}

describe("compare labels", () => {
  it("lead with the words each prompt has that the others lack, then engine, ratio and time", () => {
    const labels = compareLabels([
      item("marble counter, morning light", "1:1", "local", "2030-01-01T10:00:00Z"),
      item("marble counter, evening light", "16:9", "claid", "2030-01-01T10:05:00Z"),
      item("oak counter, morning light", "1:1", "local", "2030-01-01T10:09:30Z"),
    ]);
    expect(labels.map((l) => l.title)).toEqual(["marble morning", "marble evening", "oak morning"]);
    expect(labels.map((l) => l.facts.slice(0, 2))).toEqual([
      ["Draft", "1:1"],
      ["Claid", "16:9"],
      ["Draft", "1:1"],
    ]);
    // Same day: the time alone, to the second, so runs a minute apart differ.
    const times = labels.map((l) => l.facts[2]);
    expect(new Set(times).size).toBe(3);
    expect(times[0]).not.toMatch(/2030/);
    // Options that are the same for all are left out.
    expect(labels.every((l) => l.facts.length === 3)).toBe(true);
  });

  it("say the prompt is the same when it is, and add the options that differ", () => {
    const labels = compareLabels([
      item("linen backdrop", "4:5", "local", "2030-01-01T10:00:00Z", "png"),
      item("linen backdrop", "4:5", "local", "2030-01-02T10:00:00Z", "webp"),
    ]);
    expect(labels.map((l) => l.title)).toEqual(["Same prompt", "Same prompt"]);
    expect(labels[0]!.facts).toContain("png");
    expect(labels[1]!.facts).toContain("webp");
    // Different days: the date is in the time.
    expect(labels[0]!.facts[2]).toMatch(/2030/);
  });
});
