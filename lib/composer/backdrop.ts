/**
 * What the canvas draws behind the product, so that it is the preview: the scene's backdrop as the
 * draft engine makes it. A plain colour (shadow scenes) and a locked template are drawn as they are; a
 * prompt's studio backdrop and a tinted template come from the local engine, small (the preview
 * route), for a scene reduced to what the backdrop depends on, so typing a negative prompt or changing
 * steps asks for nothing new.
 */
import type { Prompt, Scene } from "@/lib/scene/contract";
import { colourProblem } from "@/lib/scene/rules";
import { TRANSPARENT } from "@/lib/scene/vocabulary";

import type { ComposerDoc } from "./doc";

export type Backdrop = {
  /** The frame's paper: a hex colour, or the transparency checkerboard. */
  fill: string | typeof TRANSPARENT;
  /** The template image is drawn over the paper as it is (until a tinted render replaces it). */
  template: boolean;
  /** A scene to ask the engine for a render of, when the backdrop is more than a colour or an image. */
  render?: Scene;
};

const WHITE = "#ffffff";
/** The studio's paper until its render arrives: a warm light grey, close to most palettes. */
const STUDIO_PAPER = "#eeece8";

const within = (text: string, min: number, max: number) => {
  const length = [...text].length;
  return length >= min && length <= max;
};

/** The words a backdrop is drawn from, as a prompt the contract accepts (nothing when too short). */
function backdropPrompt(prompt: Prompt | undefined): Prompt {
  if (prompt === undefined) return {};
  if (typeof prompt === "string") return within(prompt, 3, 2048) && prompt.trim() !== "" ? prompt : {};
  if (prompt.generate === true) {
    const guidelines = prompt.guidelines;
    return guidelines !== undefined && within(guidelines, 3, 1000)
      ? { generate: true, guidelines }
      : { generate: true };
  }
  return prompt.text !== undefined && within(prompt.text, 3, 2048) ? { text: prompt.text } : {};
}

/** A colour the backdrop can use: a valid hex value for this kind, or none. */
function usableColour(color: string | undefined, kind: ComposerDoc["kind"]): string | undefined {
  if (color === undefined || color === TRANSPARENT) return undefined;
  return colourProblem(color, kind) ? undefined : color;
}

const asCss = (hex: string) => (hex.startsWith("#") ? hex : `#${hex}`).trim();

export function backdropOf(doc: ComposerDoc): Backdrop {
  const s = doc.scene;
  const colour = usableColour(s.color, doc.kind);
  switch (doc.kind) {
    case "effect":
      if (s.color === TRANSPARENT) return { fill: TRANSPARENT, template: false };
      return { fill: colour ? asCss(colour) : WHITE, template: false };
    case "template": {
      if (!s.template_url) return { fill: WHITE, template: false };
      if (s.template_mode === "lock") return { fill: WHITE, template: true };
      return {
        fill: WHITE,
        template: true,
        render: {
          template_url: s.template_url,
          view: "front",
          ...(s.template_mode ? { template_mode: s.template_mode } : {}),
          // The tint is the colour, or else the prompt's palette.
          ...(colour ? { color: colour } : { prompt: backdropPrompt(s.prompt) }),
        },
      };
    }
    case "prompt":
      return {
        fill: colour ? asCss(colour) : STUDIO_PAPER,
        template: false,
        render: { prompt: backdropPrompt(s.prompt), ...(colour ? { color: colour } : {}) },
      };
  }
}
