import "server-only";

import sharp, { type Sharp } from "sharp";

import type { Size } from "@/lib/scene/placement";

import type { Rgb } from "./colour";
import { clampByte, mix, rotateHue, scale, WHITE } from "./colour";
import type { Material, Palette } from "./palette";
import type { Random } from "./seed";
import { between } from "./seed";

/**
 * Backdrops. The studio backdrop is computed on a small grid in JavaScript (a few tens of thousands of
 * pixels) and enlarged by libvips with a cubic kernel, which also gives the soft horizon and smooth
 * light falloff a real sweep has; full-size pixels are only ever touched by libvips.
 */
export type View = "front" | "top";

const GRID_WIDTH = 192;

function smoothstep(edge0: number, edge1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - edge0) / (edge1 - edge0)));
  return t * t * (3 - 2 * t);
}

/** Smooth lattice noise in [0, 1] on a seeded grid. */
function valueNoise(random: Random, cells: number): (u: number, v: number) => number {
  const n = cells + 1;
  const lattice = Float64Array.from({ length: n * n }, () => random());
  return (u, v) => {
    const x = Math.min(cells - 1e-9, Math.max(0, u * cells));
    const y = Math.min(cells - 1e-9, Math.max(0, v * cells));
    const x0 = Math.floor(x);
    const y0 = Math.floor(y);
    const fx = smoothstep(0, 1, x - x0);
    const fy = smoothstep(0, 1, y - y0);
    const at = (i: number, j: number) => lattice[j * n + i] ?? 0;
    const top = at(x0, y0) + (at(x0 + 1, y0) - at(x0, y0)) * fx;
    const bottom = at(x0, y0 + 1) + (at(x0 + 1, y0 + 1) - at(x0, y0 + 1)) * fx;
    return top + (bottom - top) * fy;
  };
}

/** A material's relief in about [-1, 1] at a point of the surface. */
function texture(material: Material, random: Random): (u: number, v: number) => number {
  const coarse = valueNoise(random, 6);
  const fine = valueNoise(random, 24);
  const phase = between(random, 0, Math.PI * 2);
  const angle = between(random, -0.6, 0.6);
  switch (material) {
    case "marble":
      return (u, v) => {
        const along = u * Math.cos(angle) + v * Math.sin(angle);
        const vein = Math.abs(Math.sin(along * 9 + coarse(u, v) * 6 + phase));
        return 0.35 * (fine(u, v) - 0.5) - 1.2 * Math.pow(1 - vein, 8);
      };
    case "wood":
      return (u, v) => {
        const ring = Math.sin((v + 0.08 * coarse(u, v)) * 70 + phase + u * angle * 4);
        return 0.6 * ring + 0.5 * (fine(u, v) - 0.5);
      };
    case "concrete":
      return (u, v) => 1.4 * (fine(u, v) - 0.5) + 0.8 * (coarse(u, v) - 0.5);
    case "linen":
      return (u, v) => 0.35 * Math.sin(u * 340 + phase) * Math.sin(v * 340) + 0.6 * (fine(u, v) - 0.5);
    case "sand":
      return (u, v) => 0.9 * (fine(u, v) - 0.5) + 0.5 * Math.sin((u + coarse(u, v)) * 30 + phase) * 0.3;
    case "velvet":
    case "paper":
      return (u, v) => 0.6 * (fine(u, v) - 0.5);
    case "plain":
      return (u, v) => 0.25 * (coarse(u, v) - 0.5);
  }
}

export type StudioOptions = { palette: Palette; view: View; random: Random };

/** A studio sweep (`front`: wall, soft horizon, floor) or a surface seen from above (`top`). */
export function studioBackdrop(frame: Size, { palette, view, random }: StudioOptions): Sharp {
  const gw = GRID_WIDTH;
  const gh = Math.max(2, Math.round((GRID_WIDTH * frame.height) / frame.width));
  const hue = between(random, -7, 7);
  const wall = rotateHue(palette.wall, hue);
  const floor = rotateHue(palette.floor, hue);
  const horizon = between(random, 0.56, 0.7);
  const light = {
    x: between(random, 0.3, 0.7),
    y: view === "front" ? between(random, 0.2, 0.45) : between(random, 0.3, 0.7),
  };
  const vignette = between(random, 0.1, 0.22) * palette.contrast;
  const relief = texture(palette.material, random);
  const amplitude = (palette.material === "plain" ? 0.04 : 0.09) * palette.contrast;
  const aspect = frame.width / frame.height;

  const pixels = Buffer.alloc(gw * gh * 3);
  for (let j = 0; j < gh; j++) {
    const v = (j + 0.5) / gh;
    for (let i = 0; i < gw; i++) {
      const u = (i + 0.5) / gw;
      let colour: Rgb;
      if (view === "front") {
        const onFloor = smoothstep(horizon - 0.025, horizon + 0.025, v);
        const wallTone = scale(wall, 0.93 + 0.1 * v);
        const depth = (v - horizon) / (1 - horizon);
        const floorTone = scale(
          mix(floor, WHITE, 0.12 * (1 - Math.max(0, depth))),
          1.02 - 0.08 * Math.max(0, depth),
        );
        const textured = scale(floorTone, 1 + amplitude * relief(u, Math.max(0, depth) * 0.6 + v * 0.4));
        colour = mix(wallTone, textured, onFloor);
      } else {
        colour = scale(floor, 1 + amplitude * relief(u, v / aspect));
      }
      const dx = (u - light.x) * aspect;
      const dy = v - light.y;
      const k = 1 + 0.04 - vignette * (dx * dx + dy * dy);
      const o = (j * gw + i) * 3;
      pixels[o] = clampByte(colour.r * k);
      pixels[o + 1] = clampByte(colour.g * k);
      pixels[o + 2] = clampByte(colour.b * k);
    }
  }
  return sharp(pixels, { raw: { width: gw, height: gh, channels: 3 } }).resize(frame.width, frame.height, {
    fit: "fill",
    kernel: "cubic",
  });
}

/** A plain colour, or fully transparent. */
export function solidBackdrop(frame: Size, colour: Rgb | "transparent"): Sharp {
  const background =
    colour === "transparent"
      ? { r: 0, g: 0, b: 0, alpha: 0 }
      : { r: colour.r, g: colour.g, b: colour.b, alpha: 1 };
  return sharp({
    create: {
      width: frame.width,
      height: frame.height,
      channels: colour === "transparent" ? 4 : 3,
      background,
    },
  });
}

export type TemplateFrame = { pixels: Buffer; width: number; height: number; channels: 3 };

/**
 * `lock` keeps the template's pixels; `adjust` leans them slightly toward the tint, `transform` clearly,
 * each variant by a different amount and light.
 */
export function templateBackdrop(
  template: TemplateFrame,
  mode: "lock" | "adjust" | "transform",
  tint: Rgb,
  random: Random,
): Sharp {
  const image = sharp(template.pixels, {
    raw: { width: template.width, height: template.height, channels: template.channels },
  });
  if (mode === "lock") return image;
  const strength = mode === "adjust" ? between(random, 0.05, 0.14) : between(random, 0.25, 0.45);
  const shifted = rotateHue(tint, between(random, -12, 12));
  const gain = (1 - strength) * between(random, 0.96, 1.04);
  return image.linear([gain, gain, gain], [shifted.r * strength, shifted.g * strength, shifted.b * strength]);
}
