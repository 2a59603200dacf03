import "server-only";

import sharp, { type Sharp } from "sharp";

import type { Size } from "@/lib/scene/placement";

import type { Rgb } from "./colour";
import { mix, rotateHue, scale, WHITE } from "./colour";
import type { Material, Palette } from "./palette";
import type { Random } from "./seed";
import { between } from "./seed";

/**
 * Backdrops. Studio and plain backdrops are computed on a coarse grid (a quarter of the frame's side,
 * the same grid the shadow is made on) and enlarged smoothly (the cells are smooth already), which
 * also gives the soft horizon and the smooth light falloff a real sweep has. At full size the engine
 * only repeats cells; every other full-size step is libvips'.
 */
export type View = "front" | "top";

/** One backdrop cell per 4 × 4 frame pixels. */
export const GRID_STEP = 4;

/** The Gaussian that smooths 4 × 4 blocks of cells into ramps as bilinear interpolation would. */
const ENLARGE_SIGMA = 1.5;

export type GridSize = { width: number; height: number };

export function gridSizeFor(frame: Size): GridSize {
  return { width: Math.ceil(frame.width / GRID_STEP), height: Math.ceil(frame.height / GRID_STEP) };
}

function smoothstep(edge0: number, edge1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - edge0) / (edge1 - edge0)));
  return t * t * (3 - 2 * t);
}

/** Smooth lattice noise in [0, 1] on a seeded grid. */
function valueNoise(random: Random, cells: number): (u: number, v: number) => number {
  const n = cells + 1;
  const lattice = new Float64Array(n * n);
  for (let i = 0; i < lattice.length; i++) lattice[i] = random();
  const max = cells - 1e-9;
  return (u, v) => {
    const x = Math.min(max, Math.max(0, u * cells));
    const y = Math.min(max, Math.max(0, v * cells));
    const x0 = x | 0;
    const y0 = y | 0;
    const tx = x - x0;
    const ty = y - y0;
    const fx = tx * tx * (3 - 2 * tx);
    const fy = ty * ty * (3 - 2 * ty);
    const i = y0 * n + x0;
    const a = lattice[i]!;
    const b = lattice[i + 1]!;
    const c = lattice[i + n]!;
    const d = lattice[i + n + 1]!;
    const top = a + (b - a) * fx;
    return top + (c + (d - c) * fx - top) * fy;
  };
}

/** A material's relief in about [-1, 1] at a point of the surface. */
function relief(material: Material, random: Random): (u: number, v: number) => number {
  const coarse = valueNoise(random, 6);
  const fine = valueNoise(random, 24);
  const phase = between(random, 0, Math.PI * 2);
  const angle = between(random, -0.6, 0.6);
  switch (material) {
    case "marble":
      return (u, v) => {
        const along = u * Math.cos(angle) + v * Math.sin(angle);
        const vein = Math.abs(Math.sin(along * 7 + coarse(u, v) * 5 + phase));
        return 0.35 * (fine(u, v) - 0.5) - 0.9 * Math.pow(1 - vein, 14);
      };
    case "wood":
      return (u, v) =>
        0.6 * Math.sin((v + 0.08 * coarse(u, v)) * 70 + phase + u * angle * 4) + 0.5 * (fine(u, v) - 0.5);
    case "concrete":
      return (u, v) => 1.4 * (fine(u, v) - 0.5) + 0.8 * (coarse(u, v) - 0.5);
    case "linen":
      return (u, v) => 0.35 * Math.sin(u * 340 + phase) * Math.sin(v * 340) + 0.6 * (fine(u, v) - 0.5);
    case "sand":
      return (u, v) => 0.9 * (fine(u, v) - 0.5) + 0.15 * Math.sin((u + coarse(u, v)) * 30 + phase);
    case "velvet":
    case "paper":
      return (u, v) => 0.6 * (fine(u, v) - 0.5);
    case "plain":
      return (u, v) => 0.25 * (coarse(u, v) - 0.5);
  }
}

/** The surface's relief on the grid: computed once per request, shared by its variants. */
export function surfaceTexture(
  grid: GridSize,
  frame: Size,
  material: Material,
  random: Random,
): Float32Array {
  const aspect = frame.width / frame.height;
  const at = relief(material, random);
  const out = new Float32Array(grid.width * grid.height);
  for (let j = 0; j < grid.height; j++) {
    const v = (j + 0.5) / grid.height;
    for (let i = 0; i < grid.width; i++) out[j * grid.width + i] = at((i + 0.5) / grid.width, v / aspect);
  }
  return out;
}

export type StudioOptions = { palette: Palette; view: View; texture: Float32Array; random: Random };

/**
 * A studio sweep (`front`: wall, soft horizon, textured floor) or a surface seen from above (`top`),
 * as RGB cells. Each variant moves the light, the horizon and the hue a little.
 */
export function studioGrid(
  grid: GridSize,
  frame: Size,
  { palette, view, texture, random }: StudioOptions,
): Float32Array {
  const hue = between(random, -7, 7);
  const wall = rotateHue(palette.wall, hue);
  const floor = rotateHue(palette.floor, hue);
  const horizon = between(random, 0.56, 0.7);
  const light = {
    x: between(random, 0.3, 0.7),
    y: view === "front" ? between(random, 0.2, 0.45) : between(random, 0.3, 0.7),
  };
  const vignette = between(random, 0.1, 0.22) * palette.contrast;
  const amplitude = (palette.material === "plain" ? 0.04 : 0.09) * palette.contrast;
  const aspect = frame.width / frame.height;
  const out = new Float32Array(grid.width * grid.height * 3);
  for (let j = 0; j < grid.height; j++) {
    const v = (j + 0.5) / grid.height;
    const onFloor = view === "front" ? smoothstep(horizon - 0.025, horizon + 0.025, v) : 1;
    const depth = Math.max(0, (v - horizon) / (1 - horizon));
    const wallTone = scale(wall, 0.93 + 0.1 * v);
    const floorTone =
      view === "front" ? scale(mix(floor, WHITE, 0.12 * (1 - depth)), 1.02 - 0.08 * depth) : floor;
    const base = mix(wallTone, floorTone, onFloor);
    for (let i = 0; i < grid.width; i++) {
      const u = (i + 0.5) / grid.width;
      const dx = (u - light.x) * aspect;
      const dy = v - light.y;
      const k =
        (1.04 - vignette * (dx * dx + dy * dy)) *
        (1 + amplitude * onFloor * (texture[j * grid.width + i] ?? 0));
      const o = (j * grid.width + i) * 3;
      out[o] = base.r * k;
      out[o + 1] = base.g * k;
      out[o + 2] = base.b * k;
    }
  }
  return out;
}

/** One colour everywhere, as RGB cells. */
export function solidGrid(grid: GridSize, colour: Rgb): Float32Array {
  const out = new Float32Array(grid.width * grid.height * 3);
  for (let i = 0; i < out.length; i += 3) {
    out[i] = colour.r;
    out[i + 1] = colour.g;
    out[i + 2] = colour.b;
  }
  return out;
}

/**
 * Grid cells (RGB, or fully transparent when `rgb` is undefined) darkened by a shadow (0..1 per cell),
 * enlarged to the frame. A transparent backdrop keeps the shadow as black with that alpha.
 */
export function enlargeGrid(
  grid: GridSize,
  frame: Size,
  rgb: Float32Array | undefined,
  shadow: Float32Array | undefined,
  opacity: number,
): Sharp {
  const cells = grid.width * grid.height;
  const channels = rgb ? 3 : 4;
  const bytes = Buffer.alloc(cells * channels);
  // A clamped view rounds and clamps each value as it is stored, in the engine's own code.
  const out = new Uint8ClampedArray(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let c = 0; c < cells; c++) {
    const dark = shadow ? Math.min(1, opacity * (shadow[c] ?? 0)) : 0;
    if (rgb) {
      const k = 1 - dark;
      out[c * 3] = (rgb[c * 3] ?? 0) * k;
      out[c * 3 + 1] = (rgb[c * 3 + 1] ?? 0) * k;
      out[c * 3 + 2] = (rgb[c * 3 + 2] ?? 0) * k;
    } else {
      out[c * 4 + 3] = dark * 255;
    }
  }
  return sharp(repeatCells(bytes, grid, channels, frame), {
    raw: { width: frame.width, height: frame.height, channels },
  }).blur(ENLARGE_SIGMA);
}

/**
 * Each cell over its 4 × 4 pixels, one pixel right and down of its place: libvips' bilinear
 * enlargement leaves the cells half a pixel that way, and the Gaussian after this is centred, so a
 * shadow's edge (which exports frame the product around) stays where that enlargement put it. Each
 * row of cells is drawn once and copied to the frame rows it covers.
 */
function repeatCells(cells: Buffer, grid: GridSize, channels: number, frame: Size): Buffer {
  const rowBytes = frame.width * channels;
  const out = Buffer.allocUnsafe(frame.height * rowBytes);
  const cellOf = (p: number, cellCount: number) => Math.min(cellCount - 1, Math.max(0, (p - 1) >> 2));
  let drawn = -1;
  for (let y = 0; y < frame.height; y++) {
    const gy = cellOf(y, grid.height);
    const at = y * rowBytes;
    if (gy === drawn) {
      out.copyWithin(at, at - rowBytes, at);
      continue;
    }
    const source = gy * grid.width * channels;
    for (let x = 0; x < frame.width; x++) {
      const from = source + cellOf(x, grid.width) * channels;
      for (let c = 0; c < channels; c++) out[at + x * channels + c] = cells[from + c] ?? 0;
    }
    drawn = gy;
  }
  return out;
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
