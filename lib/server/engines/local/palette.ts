import "server-only";

import type { Rgb } from "./colour";
import { BLACK, luminance, mix, parseHexColour, WHITE } from "./colour";
import { hashHex } from "./seed";

/**
 * A studio backdrop's palette, read from the prompt text (colour words, materials, light/dark words) or
 * taken from `color`. Deterministic: the same text always gives the same palette.
 */
export type Material = "plain" | "marble" | "wood" | "concrete" | "linen" | "paper" | "sand" | "velvet";

export type Palette = { wall: Rgb; floor: Rgb; material: Material; contrast: number };

const COLOUR_WORDS = new Map<string, string>(
  Object.entries({
    white: "#f4f3f0",
    ivory: "#f3eedf",
    cream: "#efe6d2",
    beige: "#e3d5bd",
    sand: "#dcc9a6",
    grey: "#a8a8a6",
    gray: "#a8a8a6",
    silver: "#c4c6c8",
    black: "#2a2a2c",
    charcoal: "#3b3d40",
    red: "#c0392b",
    crimson: "#a4243b",
    orange: "#e67e22",
    peach: "#f2c4a6",
    yellow: "#f1c40f",
    gold: "#c9a44c",
    green: "#5a8f5a",
    olive: "#7a7d45",
    sage: "#a3b18a",
    mint: "#b8e0c8",
    teal: "#2a8c8c",
    turquoise: "#40c0b8",
    blue: "#3f6fb5",
    navy: "#223355",
    sky: "#a8cfee",
    purple: "#7d4f9e",
    lavender: "#c7b8e0",
    violet: "#8e5bb5",
    pink: "#eaa6bd",
    rose: "#d98a9b",
    brown: "#7b5a3f",
    terracotta: "#c0674a",
  }),
);

const MATERIALS = new Map<string, { material: Material; colour: string }>(
  Object.entries({
    marble: { material: "marble", colour: "#ecebe7" },
    wood: { material: "wood", colour: "#a77b52" },
    wooden: { material: "wood", colour: "#a77b52" },
    oak: { material: "wood", colour: "#b88d5e" },
    walnut: { material: "wood", colour: "#6e4b32" },
    concrete: { material: "concrete", colour: "#9d9c98" },
    cement: { material: "concrete", colour: "#a3a29e" },
    stone: { material: "concrete", colour: "#8f8b84" },
    linen: { material: "linen", colour: "#e4dccb" },
    fabric: { material: "linen", colour: "#dcd2c0" },
    cotton: { material: "linen", colour: "#ece8df" },
    paper: { material: "paper", colour: "#f1eee8" },
    sand: { material: "sand", colour: "#dcc49b" },
    beach: { material: "sand", colour: "#e0c89c" },
    velvet: { material: "velvet", colour: "#6b2d4a" },
    silk: { material: "velvet", colour: "#d9c6b0" },
  }),
);

const LIGHT_WORDS = [
  "light",
  "bright",
  "airy",
  "pastel",
  "soft",
  "minimal",
  "clean",
  "morning",
  "sunny",
  "pale",
];
const DARK_WORDS = ["dark", "moody", "night", "dramatic", "noir", "shadowy", "dim", "evening", "deep"];

/** Neutral studio tones for prompts that name no colour: picked by the prompt's hash. */
const NEUTRALS = ["#ece9e4", "#e6e1d8", "#dfe3e6", "#e9e4ea", "#e3e6df", "#efe8e0"];

function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z]+/g) ?? [];
}

const WALL_WORDS = ["wall", "walls", "background", "backdrop", "sky"];
const FLOOR_WORDS = [
  "floor",
  "table",
  "countertop",
  "counter",
  "surface",
  "desk",
  "podium",
  "shelf",
  "tabletop",
  "ground",
];

/** A colour word names the wall or the floor when one of those nouns follows within two words. */
function colourFor(tokens: string[], nouns: string[]): string | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const colour = COLOUR_WORDS.get(tokens[i] ?? "");
    if (colour && tokens.slice(i + 1, i + 3).some((t) => nouns.includes(t))) return colour;
  }
  return undefined;
}

export function paletteFor(prompt: string, colour: string | undefined): Palette {
  const tokens = words(prompt);
  const material = tokens.map((t) => MATERIALS.get(t)).find(Boolean);
  const materialColour = material ? parseHexColour(material.colour) : undefined;
  const explicit = colour ? parseHexColour(colour) : undefined;
  const named = tokens.map((t) => COLOUR_WORDS.get(t)).find(Boolean);
  const namedWall = colourFor(tokens, WALL_WORDS);
  const namedFloor = colourFor(tokens, FLOOR_WORDS);
  const fallback = NEUTRALS[Number.parseInt(hashHex(prompt).slice(0, 6), 16) % NEUTRALS.length] ?? "#ece9e4";

  // `color` wins; then a colour said of the wall; then any colour not said of the floor; then the
  // material, lightened; then a neutral picked by the prompt.
  const generic = named && named !== namedFloor ? named : undefined;
  let wall =
    explicit ??
    parseHexColour(namedWall ?? generic ?? "") ??
    (materialColour ? mix(materialColour, WHITE, 0.25) : undefined) ??
    parseHexColour(fallback) ??
    WHITE;
  let floor =
    parseHexColour(namedFloor ?? "") ??
    (materialColour
      ? namedWall || explicit
        ? materialColour
        : mix(materialColour, wall, 0.35)
      : mix(wall, BLACK, 0.08));

  const light = tokens.filter((t) => LIGHT_WORDS.includes(t)).length;
  const dark = tokens.filter((t) => DARK_WORDS.includes(t)).length;
  if (light > dark) {
    wall = mix(wall, WHITE, 0.35);
    floor = mix(floor, WHITE, 0.35);
  }
  if (dark > light) {
    wall = mix(wall, BLACK, 0.45);
    floor = mix(floor, BLACK, 0.45);
  }
  return {
    wall,
    floor,
    material: material?.material ?? "plain",
    contrast: luminance(floor) < 0.35 ? 0.8 : 1,
  };
}

/** The prompt text of a scene, whichever of its shapes it came in. */
export function promptText(
  prompt: string | { text?: string; generate?: boolean; guidelines?: string } | undefined,
) {
  if (prompt === undefined) return "";
  if (typeof prompt === "string") return prompt;
  return prompt.text ?? prompt.guidelines ?? "";
}
