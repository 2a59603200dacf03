/**
 * Rules the published schema states only in words, which the structural contract cannot see: a
 * colour is a hex value ("Color as a hexadecimal"), and a transparent background needs an output
 * format with an alpha channel. The composer judges a request by them before anyone generates, the
 * generations API refuses a request that breaks them, and the local engine refuses it with the same
 * codes and messages. Zod-free, like the vocabulary: the engines import it too.
 */
import { isRecord, OUTPUT_FORMATS, sceneKindOf, TRANSPARENT } from "./vocabulary";

export type Rgb = { r: number; g: number; b: number };

/** `#fff`, `#aece8c`, with or without the `#`, in either case, as the local engine has always read it. */
const HEX_COLOUR = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i;

export function parseHexColour(value: string): Rgb | undefined {
  const match = HEX_COLOUR.exec(value.trim());
  if (!match?.[1]) return undefined;
  const hex = match[1].length === 3 ? [...match[1]].map((c) => c + c).join("") : match[1];
  const n = Number.parseInt(hex, 16);
  return { r: (n >> 16) & 255, g: (n >> 8) & 255, b: n & 255 };
}

type FormatName = (typeof OUTPUT_FORMATS)[number];

/** Formats that keep an alpha channel, so a transparent background survives. */
export const FORMATS_WITH_ALPHA: readonly FormatName[] = ["png", "webp", "avif"];

/** The format a request's images are written in: PNG unless it says otherwise. */
export function outputFormatOf(output: unknown): FormatName {
  const format = isRecord(output) ? output.format : undefined;
  const name = isRecord(format) ? format.type : format;
  return (OUTPUT_FORMATS as readonly unknown[]).includes(name) ? (name as FormatName) : "png";
}

const FORMAT_LABEL: Record<FormatName, string> = {
  png: "PNG",
  jpeg: "JPEG",
  webp: "WebP",
  avif: "AVIF",
  tiff: "TIFF",
};

export function formatLabel(format: FormatName): string {
  return FORMAT_LABEL[format];
}

export type RuleCode = "invalid_color" | "transparent_needs_alpha_format";

/** A broken rule: the field it is about (as a path into the body), a stable code, a plain message. */
export type RuleProblem = { path: string[]; code: RuleCode; message: string };

/** Why `color` is not a colour this scene kind can have, if it is not. */
export function colourProblem(color: string, kind: "effect" | "template" | "prompt"): string | undefined {
  if (kind === "effect" && color === TRANSPARENT) return undefined;
  if (parseHexColour(color)) return undefined;
  const shown = color.length > 40 ? `${color.slice(0, 40)}…` : color;
  return `Use a hex colour code like #ffffff; "${shown}" is not one`;
}

/**
 * The rules a structurally valid body can still break. Transparency is reported on the colour (where
 * the engine has always reported it) and on the format, so a form can show it next to both.
 */
export function sceneRuleProblems(request: { scene: unknown; output?: unknown }): RuleProblem[] {
  const scene = request.scene;
  const kind = sceneKindOf(scene);
  if (!kind || !isRecord(scene) || typeof scene.color !== "string") return [];
  const colour = colourProblem(scene.color, kind);
  if (colour) return [{ path: ["scene", "color"], code: "invalid_color", message: colour }];
  if (scene.color !== TRANSPARENT) return [];
  const format = outputFormatOf(request.output);
  if (FORMATS_WITH_ALPHA.includes(format)) return [];
  const name = formatLabel(format);
  return [
    {
      path: ["scene", "color"],
      code: "transparent_needs_alpha_format",
      message: `A transparent background needs PNG, WebP or AVIF output; ${name} has no transparency`,
    },
    {
      path: ["output", "format"],
      code: "transparent_needs_alpha_format",
      message: `${name} has no transparency: choose PNG, WebP or AVIF for a transparent background`,
    },
  ];
}
