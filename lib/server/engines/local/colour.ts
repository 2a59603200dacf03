import "server-only";

import type { Rgb } from "@/lib/scene/rules";
import { parseHexColour } from "@/lib/scene/rules";

import { errors } from "../../errors";

export type { Rgb };
export { parseHexColour };

/**
 * A `color` field as a colour. The request has been checked by `sceneRuleProblems` before any backdrop
 * is made, so this only fails for a caller that skipped that: with the same 422.
 */
export function colourField(value: string, field: string): Rgb {
  const colour = parseHexColour(value);
  if (!colour) {
    throw errors.invalid(
      field,
      `Use a hex colour code like #ffffff; "${value.slice(0, 40)}" is not one`,
      "invalid_color",
    );
  }
  return colour;
}

export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return { r: a.r + (b.r - a.r) * t, g: a.g + (b.g - a.g) * t, b: a.b + (b.b - a.b) * t };
}

export function scale(c: Rgb, k: number): Rgb {
  return { r: c.r * k, g: c.g * k, b: c.b * k };
}

export function luminance(c: Rgb): number {
  return (0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b) / 255;
}

export const WHITE: Rgb = { r: 255, g: 255, b: 255 };
export const BLACK: Rgb = { r: 0, g: 0, b: 0 };

/** Turns the hue of a colour by `degrees`, keeping its lightness (a rotation about the grey axis). */
export function rotateHue(c: Rgb, degrees: number): Rgb {
  const a = (degrees * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const k = (1 - cos) / 3;
  const s = Math.sqrt(1 / 3) * sin;
  return {
    r: c.r * (cos + k) + c.g * (k - s) + c.b * (k + s),
    g: c.r * (k + s) + c.g * (cos + k) + c.b * (k - s),
    b: c.r * (k - s) + c.g * (k + s) + c.b * (cos + k),
  };
}
