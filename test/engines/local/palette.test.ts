import { describe, expect, it } from "vitest";

import { paletteFor, promptText } from "@/lib/server/engines/local/palette";

const hueOf = ({ r, g, b }: { r: number; g: number; b: number }) => {
  if (g > r && g > b) return "green";
  if (r > g && r > b) return "red";
  return b > r && b > g ? "blue" : "neutral";
};

describe("palette from the prompt", () => {
  it("gives a colour to the noun it is said of", () => {
    const p = paletteFor("white marble countertop, sage green wall", undefined);
    expect(hueOf(p.wall)).toBe("green");
    expect(p.material).toBe("marble");
    expect(Math.min(p.floor.r, p.floor.g, p.floor.b)).toBeGreaterThan(220);
    const q = paletteFor("red table against a blue wall", undefined);
    expect(hueOf(q.wall)).toBe("blue");
    expect(hueOf(q.floor)).toBe("red");
  });

  it("treats words that are also JavaScript property names as plain words", () => {
    for (const word of ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"]) {
      const p = paletteFor(`${word} wall on a ${word} floor`, undefined);
      expect(p.material).toBe("plain");
      for (const channel of [p.wall.r, p.wall.g, p.wall.b, p.floor.r, p.floor.g, p.floor.b]) {
        expect(channel).toBeGreaterThanOrEqual(0);
        expect(channel).toBeLessThanOrEqual(255);
      }
    }
  });

  it("takes materials, light and dark words", () => {
    expect(paletteFor("rustic oak wood", undefined).material).toBe("wood");
    expect(paletteFor("raw concrete", undefined).material).toBe("concrete");
    const light = paletteFor("bright studio", undefined).wall;
    const dark = paletteFor("dark studio", undefined).wall;
    expect(light.r + light.g + light.b).toBeGreaterThan(dark.r + dark.g + dark.b + 200);
  });

  it("lets `color` decide the wall", () => {
    expect(paletteFor("red wall", "#0000ff").wall).toEqual({ r: 0, g: 0, b: 255 });
  });

  it("is deterministic, and differs between prompts without colour words", () => {
    expect(paletteFor("a calm product shot", undefined)).toEqual(
      paletteFor("a calm product shot", undefined),
    );
    const walls = new Set(
      [
        "a calm product shot",
        "studio photo",
        "minimal scene",
        "soft scene",
        "product on display",
        "hero shot",
      ].map((t) => JSON.stringify(paletteFor(t, undefined).wall)),
    );
    expect(walls.size).toBeGreaterThan(1);
  });

  it("reads every prompt shape", () => {
    expect(promptText("oak")).toBe("oak");
    expect(promptText({ text: "marble" })).toBe("marble");
    expect(promptText({ generate: true, guidelines: "warm" })).toBe("warm");
    expect(promptText(undefined)).toBe("");
  });
});
