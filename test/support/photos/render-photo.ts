import sharp from "sharp";

import type { Sdf } from "./shapes";
import { coverage } from "./shapes";

/**
 * Renders a synthetic product photo with its ground truth: a product (parts with signed-distance
 * silhouettes and painted colours) over a studio backdrop (a colour with a gradient, a vignette, soft
 * contact shadows, sensor noise), then encoded as PNG or JPEG.
 *
 * Ground truth: the product's coverage is the alpha; contact shadows belong to the background (a cutout
 * removes them), so they never appear in the alpha. The foreground colour is the product's own colour at
 * each covered pixel, which is what a decontaminated edge should show.
 */

export type Rgb = readonly [number, number, number];

/** One piece of the product: its silhouette and its colour at each point (both in product coordinates). */
export type Part = { shape: Sdf; paint: (x: number, y: number) => Rgb };

export type Product = {
  /** Back to front: where parts overlap, the later one shows. */
  parts: Part[];
  /** Bounds of the silhouette in product coordinates (before rotation). */
  bounds: { x0: number; y0: number; x1: number; y1: number };
  /** Rotation in degrees (clockwise) about `pivot`, applied when the product is put in the photo. */
  rotation?: number;
  pivot?: readonly [number, number];
};

export type Backdrop = {
  colour: Rgb;
  /** Brightness change across the photo along `angle` (degrees): ±amount/2 at the two ends. */
  gradient?: { angle: number; amount: number };
  /** Darkening towards the corners: 1 − amount · (r / r_corner)^power. */
  vignette?: { amount: number; power: number };
};

/** An elliptical, Gaussian soft shadow that darkens the backdrop by up to `depth` (0..1) at its centre. */
export type SoftShadow = { x: number; y: number; rx: number; ry: number; depth: number };

export type PhotoSpec = {
  name: string;
  width: number;
  height: number;
  backdrop: Backdrop;
  product: Product;
  shadows?: SoftShadow[];
  /** Standard deviation of the Gaussian sensor noise, in 0–255 units. */
  noise?: number;
  /** JPEG quality; PNG when absent. */
  jpeg?: number;
  tags?: string[];
};

export type RenderedPhoto = {
  spec: PhotoSpec;
  bytes: Buffer;
  width: number;
  height: number;
  /** Ground-truth alpha, 0–255, one byte a pixel. */
  alpha: Uint8Array;
  /** The product's true colour (RGB) wherever alpha > 0. */
  foreground: Uint8Array;
  /** The backdrop (with shadows, without noise) everywhere, RGB. */
  background: Uint8Array;
  /** How much the soft shadows darken the backdrop at each pixel, 0 (not at all) to 255 (to black). */
  shadow: Uint8Array;
};

/** Deterministic pseudo-random numbers (mulberry32). */
export function randomSource(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare: number | undefined;
  const gaussian = () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const u = Math.max(next(), 1e-12);
    const v = next();
    const radius = Math.sqrt(-2 * Math.log(u));
    spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  };
  return {
    next,
    gaussian,
    between: (lo: number, hi: number) => lo + (hi - lo) * next(),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}

export function backdropAt(backdrop: Backdrop, width: number, height: number) {
  const { gradient, vignette } = backdrop;
  const gx = gradient ? Math.cos((gradient.angle * Math.PI) / 180) : 0;
  const gy = gradient ? Math.sin((gradient.angle * Math.PI) / 180) : 0;
  const half = Math.hypot(width, height) / 2;
  return (x: number, y: number): number => {
    let factor = 1;
    if (gradient) {
      const along = ((x - width / 2) * gx + (y - height / 2) * gy) / half;
      factor *= 1 + (gradient.amount / 2) * along;
    }
    if (vignette) {
      const r = Math.hypot(x - width / 2, y - height / 2) / half;
      factor *= 1 - vignette.amount * r ** vignette.power;
    }
    return factor;
  };
}

function shadowFactor(shadows: readonly SoftShadow[], x: number, y: number): number {
  let factor = 1;
  for (const s of shadows) {
    const dx = (x - s.x) / s.rx;
    const dy = (y - s.y) / s.ry;
    const q = dx * dx + dy * dy;
    if (q < 30) factor *= 1 - s.depth * Math.exp(-0.5 * q);
  }
  return factor;
}

function clampByte(value: number): number {
  return value <= 0 ? 0 : value >= 255 ? 255 : Math.round(value);
}

/** The product's pixel bounds in the photo, after rotation, with a margin for anti-aliasing. */
function productPixelBounds(product: Product, width: number, height: number) {
  const { x0, y0, x1, y1 } = product.bounds;
  const [px, py] = product.pivot ?? [(x0 + x1) / 2, (y0 + y1) / 2];
  const angle = ((product.rotation ?? 0) * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const corners = [
    [x0, y0],
    [x1, y0],
    [x0, y1],
    [x1, y1],
  ].map(([x, y]) => [px + (x! - px) * cos - (y! - py) * sin, py + (x! - px) * sin + (y! - py) * cos]);
  const xs = corners.map((c) => c[0]!);
  const ys = corners.map((c) => c[1]!);
  return {
    left: Math.max(0, Math.floor(Math.min(...xs)) - 2),
    top: Math.max(0, Math.floor(Math.min(...ys)) - 2),
    right: Math.min(width, Math.ceil(Math.max(...xs)) + 3),
    bottom: Math.min(height, Math.ceil(Math.max(...ys)) + 3),
    toProduct: (x: number, y: number): [number, number] => [
      px + (x - px) * cos + (y - py) * sin,
      py - (x - px) * sin + (y - py) * cos,
    ],
  };
}

/**
 * Renders `spec`, optionally at `scale` times its size (the same photo with more or fewer pixels: every
 * position, size and shadow scales, edges stay one pixel soft).
 */
export async function renderPhoto(spec: PhotoSpec, seed = 1, scale = 1): Promise<RenderedPhoto> {
  const { product } = spec;
  const width = Math.max(1, Math.round(spec.width * scale));
  const height = Math.max(1, Math.round(spec.height * scale));
  const pixels = width * height;
  const alpha = new Uint8Array(pixels);
  const foreground = new Uint8Array(pixels * 3);
  const background = new Uint8Array(pixels * 3);
  const shadow = new Uint8Array(pixels);
  const photo = Buffer.alloc(pixels * 3);
  const light = backdropAt(spec.backdrop, spec.width, spec.height);
  const shadows = spec.shadows ?? [];
  const [br, bg, bb] = spec.backdrop.colour;
  const random = randomSource(seed);
  const noise = spec.noise ?? 0;

  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = (x + 0.5) / scale;
      const sy = (y + 0.5) / scale;
      const shade = shadowFactor(shadows, sx, sy);
      const f = light(sx, sy) * shade;
      shadow[y * width + x] = Math.round((1 - shade) * 255);
      const o = (y * width + x) * 3;
      background[o] = clampByte(br * f);
      background[o + 1] = clampByte(bg * f);
      background[o + 2] = clampByte(bb * f);
    }
  }

  const box = productPixelBounds(product, spec.width, spec.height);
  const top = Math.floor(box.top * scale);
  const bottom = Math.min(height, Math.ceil(box.bottom * scale) + 1);
  const left = Math.floor(box.left * scale);
  const right = Math.min(width, Math.ceil(box.right * scale) + 1);
  const coverageMap = new Float32Array(pixels);
  for (let y = top; y < bottom; y++) {
    for (let x = left; x < right; x++) {
      const [px, py] = box.toProduct((x + 0.5) / scale, (y + 0.5) / scale);
      let nearest = Infinity;
      let nearestPart: Part | undefined;
      let topInside: Part | undefined;
      for (const part of product.parts) {
        const d = part.shape(px, py);
        if (d < nearest) {
          nearest = d;
          nearestPart = part;
        }
        if (d < 0) topInside = part;
      }
      // Distances are in the spec's pixels; coverage is measured in the rendered ones.
      const a = coverage(nearest * scale);
      if (a <= 0) continue;
      const i = y * width + x;
      coverageMap[i] = a;
      alpha[i] = Math.round(a * 255);
      const colour = (topInside ?? nearestPart)!.paint(px, py);
      foreground[i * 3] = clampByte(colour[0]);
      foreground[i * 3 + 1] = clampByte(colour[1]);
      foreground[i * 3 + 2] = clampByte(colour[2]);
    }
  }

  for (let i = 0; i < pixels; i++) {
    const a = coverageMap[i]!;
    for (let c = 0; c < 3; c++) {
      const o = i * 3 + c;
      const value = a * foreground[o]! + (1 - a) * background[o]!;
      photo[o] = clampByte(noise > 0 ? value + noise * random.gaussian() : value);
    }
  }

  const encoder = sharp(photo, { raw: { width, height, channels: 3 } });
  const bytes =
    spec.jpeg !== undefined
      ? await encoder.jpeg({ quality: spec.jpeg }).toBuffer()
      : await encoder.png({ compressionLevel: 1 }).toBuffer();
  return { spec, bytes, width, height, alpha, foreground, background, shadow };
}
