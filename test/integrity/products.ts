import type { Random } from "./random";
import { between, pick, randomFrom } from "./random";

/**
 * Product cutouts painted in code: packaging shapes (bottle, jar, box, pouch, can, tube) with a body
 * colour and cylindrical shading, a coloured part (cap, lid, band, zip), and a label with a title and
 * lines of text-like word blocks. Edges are anti-aliased from signed distances, like a real cutout's.
 * Every parameter is kept, so an altered twin differs in exactly one thing.
 */
export type Rgb = [number, number, number];
export type Shape = "bottle" | "jar" | "box" | "pouch" | "can" | "tube";
export const SHAPES: readonly Shape[] = ["bottle", "jar", "box", "pouch", "can", "tube"];

export type ProductSpec = {
  shape: Shape;
  width: number;
  height: number;
  body: Rgb;
  part: Rgb;
  label: Rgb;
  ink: Rgb;
  accent: Rgb;
  textSeed: number;
};

export type Cutout = { pixels: Buffer; width: number; height: number };

type Sdf = (x: number, y: number) => number;
type Box = { x0: number; y0: number; x1: number; y1: number };

function roundBox(cx: number, cy: number, hw: number, hh: number, r: number): Sdf {
  return (x, y) => {
    const qx = Math.abs(x - cx) - hw + r;
    const qy = Math.abs(y - cy) - hh + r;
    return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
  };
}

function ellipse(cx: number, cy: number, rx: number, ry: number): Sdf {
  return (x, y) => (Math.hypot((x - cx) / rx, (y - cy) / ry) - 1) * Math.min(rx, ry);
}

/** A box whose half-width goes from `top` to `bottom` linearly: pouches and tubes. */
function taper(cx: number, cy: number, top: number, bottom: number, hh: number): Sdf {
  return (x, y) => {
    const t = Math.min(1, Math.max(0, (y - (cy - hh)) / (2 * hh)));
    const hw = top + (bottom - top) * t;
    return Math.max(Math.abs(x - cx) - hw, Math.abs(y - cy) - hh);
  };
}

function boxOf(cx: number, cy: number, hw: number, hh: number): Box {
  return { x0: cx - hw - 2, y0: cy - hh - 2, x1: cx + hw + 2, y1: cy + hh + 2 };
}

class Painter {
  readonly rgb: Float32Array;
  readonly alpha: Float32Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.rgb = new Float32Array(width * height * 3);
    this.alpha = new Float32Array(width * height);
  }

  /** Paints `colour` over what is there where `sdf` < 0, anti-aliased over one pixel. */
  fill(sdf: Sdf, box: Box, colour: (x: number, y: number) => Rgb) {
    const x0 = Math.max(0, Math.floor(box.x0));
    const y0 = Math.max(0, Math.floor(box.y0));
    const x1 = Math.min(this.width, Math.ceil(box.x1));
    const y1 = Math.min(this.height, Math.ceil(box.y1));
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const cover = Math.min(1, Math.max(0, 0.5 - sdf(x + 0.5, y + 0.5)));
        if (cover <= 0) continue;
        const c = colour(x + 0.5, y + 0.5);
        const i = y * this.width + x;
        for (let k = 0; k < 3; k++) this.rgb[i * 3 + k] = c[k]! * cover + this.rgb[i * 3 + k]! * (1 - cover);
        this.alpha[i] = cover + this.alpha[i]! * (1 - cover);
      }
    }
  }

  cutout(): Cutout {
    const pixels = Buffer.alloc(this.width * this.height * 4);
    for (let i = 0; i < this.width * this.height; i++) {
      const a = this.alpha[i]!;
      for (let k = 0; k < 3; k++) {
        pixels[i * 4 + k] = a > 0 ? Math.round(Math.min(255, Math.max(0, this.rgb[i * 3 + k]! / a))) : 0;
      }
      pixels[i * 4 + 3] = Math.round(a * 255);
    }
    return { pixels, width: this.width, height: this.height };
  }
}

const shade = (c: Rgb, k: number): Rgb => [c[0] * k, c[1] * k, c[2] * k];

/** Light from the upper left on a cylinder: brighter left of centre, darker at both sides. */
function cylinder(cx: number, hw: number): (x: number) => number {
  return (x) => {
    const u = Math.min(1, Math.max(-1, (x - cx) / hw));
    return 0.72 + 0.3 * Math.cos((u + 0.25) * 1.35);
  };
}

/** A title and lines of words, as blocks of ink on the label. */
function paintText(p: Painter, label: Box, ink: Rgb, accent: Rgb, random: Random) {
  const w = label.x1 - label.x0;
  const h = label.y1 - label.y0;
  const pad = 0.08 * w;
  let y = label.y0 + 0.1 * h;
  const titleHeight = 0.16 * h;
  let x = label.x0 + pad;
  const titleWords = 1 + Math.floor(random() * 2);
  for (let i = 0; i < titleWords; i++) {
    const ww = between(random, 0.18, 0.36) * w;
    if (x + ww > label.x1 - pad) break;
    const cx = x + ww / 2;
    const cy = y + titleHeight / 2;
    p.fill(
      roundBox(cx, cy, ww / 2, titleHeight / 2, titleHeight * 0.15),
      boxOf(cx, cy, ww / 2, titleHeight / 2),
      () => accent,
    );
    x += ww + 0.05 * w;
  }
  y += titleHeight + 0.1 * h;
  const lineHeight = 0.075 * h;
  while (y + lineHeight < label.y1 - 0.08 * h) {
    x = label.x0 + pad;
    while (x < label.x1 - pad) {
      const ww = between(random, 0.05, 0.2) * w;
      if (x + ww > label.x1 - pad) break;
      const cx = x + ww / 2;
      const cy = y + lineHeight * 0.3;
      p.fill(
        roundBox(cx, cy, ww / 2, lineHeight * 0.3, 0),
        boxOf(cx, cy, ww / 2, lineHeight * 0.3),
        () => ink,
      );
      x += ww + between(random, 0.03, 0.06) * w;
    }
    y += lineHeight * 1.6;
  }
}

export function paintProduct(spec: ProductSpec): Cutout {
  const { width: W, height: H } = spec;
  const p = new Painter(W, H);
  const random = randomFrom(spec.textSeed);
  const cx = W / 2;
  let bodyShade: (x: number) => number;
  let label: Box;

  switch (spec.shape) {
    case "bottle": {
      const hw = 0.3 * W;
      const top = 0.3 * H;
      const bottom = 0.94 * H;
      bodyShade = cylinder(cx, hw);
      p.fill(roundBox(cx, 0.2 * H, 0.11 * W, 0.1 * H, 0.03 * W), boxOf(cx, 0.2 * H, 0.11 * W, 0.1 * H), (x) =>
        shade(spec.body, bodyShade(x)),
      );
      p.fill(
        roundBox(cx, 0.09 * H, 0.14 * W, 0.06 * H, 0.02 * W),
        boxOf(cx, 0.09 * H, 0.14 * W, 0.06 * H),
        (x) => shade(spec.part, cylinder(cx, 0.14 * W)(x)),
      );
      const cy = (top + bottom) / 2;
      const hh = (bottom - top) / 2;
      p.fill(roundBox(cx, cy, hw, hh, 0.12 * W), boxOf(cx, cy, hw, hh), (x) =>
        shade(spec.body, bodyShade(x)),
      );
      label = {
        x0: cx - 0.85 * hw,
        y0: top + 0.28 * (bottom - top),
        x1: cx + 0.85 * hw,
        y1: top + 0.78 * (bottom - top),
      };
      break;
    }
    case "jar": {
      const hw = 0.42 * W;
      bodyShade = cylinder(cx, hw);
      p.fill(roundBox(cx, 0.58 * H, hw, 0.34 * H, 0.1 * W), boxOf(cx, 0.58 * H, hw, 0.34 * H), (x) =>
        shade(spec.body, bodyShade(x)),
      );
      p.fill(
        roundBox(cx, 0.17 * H, 0.45 * W, 0.09 * H, 0.03 * W),
        boxOf(cx, 0.17 * H, 0.45 * W, 0.09 * H),
        (x) => shade(spec.part, bodyShade(x)),
      );
      label = { x0: cx - 0.8 * hw, y0: 0.4 * H, x1: cx + 0.8 * hw, y1: 0.8 * H };
      break;
    }
    case "box": {
      const hw = 0.38 * W;
      const hh = 0.43 * H;
      bodyShade = (x) => 0.88 + 0.12 * ((x - (cx - hw)) / (2 * hw) < 0.5 ? 1 : 0.4);
      p.fill(roundBox(cx, H / 2, hw, hh, 0.015 * W), boxOf(cx, H / 2, hw, hh), (x) =>
        shade(spec.body, bodyShade(x)),
      );
      p.fill(
        roundBox(cx, H / 2 - 0.32 * H, hw, 0.11 * H, 0.015 * W),
        boxOf(cx, H / 2 - 0.32 * H, hw, 0.11 * H),
        (x) => shade(spec.part, bodyShade(x)),
      );
      p.fill(
        ellipse(cx + 0.2 * W, 0.78 * H, 0.07 * W, 0.07 * W),
        boxOf(cx + 0.2 * W, 0.78 * H, 0.07 * W, 0.07 * W),
        () => spec.accent,
      );
      label = { x0: cx - 0.8 * hw, y0: 0.3 * H, x1: cx + 0.8 * hw, y1: 0.7 * H };
      break;
    }
    case "pouch": {
      bodyShade = cylinder(cx, 0.4 * W);
      p.fill(
        taper(cx, 0.55 * H, 0.36 * W, 0.43 * W, 0.38 * H),
        boxOf(cx, 0.55 * H, 0.43 * W, 0.38 * H),
        (x) => shade(spec.body, bodyShade(x)),
      );
      p.fill(
        roundBox(cx, 0.13 * H, 0.37 * W, 0.05 * H, 0.01 * W),
        boxOf(cx, 0.13 * H, 0.37 * W, 0.05 * H),
        () => spec.part,
      );
      label = { x0: cx - 0.3 * W, y0: 0.32 * H, x1: cx + 0.3 * W, y1: 0.76 * H };
      break;
    }
    case "can": {
      const hw = 0.36 * W;
      bodyShade = cylinder(cx, hw);
      p.fill(roundBox(cx, 0.52 * H, hw, 0.42 * H, 0.04 * W), boxOf(cx, 0.52 * H, hw, 0.42 * H), (x) =>
        shade(spec.body, bodyShade(x)),
      );
      p.fill(ellipse(cx, 0.11 * H, hw * 0.98, 0.04 * H), boxOf(cx, 0.11 * H, hw, 0.04 * H), (x) =>
        shade(spec.part, bodyShade(x)),
      );
      p.fill(roundBox(cx, 0.93 * H, hw * 0.96, 0.02 * H, 0.01 * W), boxOf(cx, 0.93 * H, hw, 0.02 * H), (x) =>
        shade(spec.part, bodyShade(x)),
      );
      label = { x0: cx - 0.9 * hw, y0: 0.28 * H, x1: cx + 0.9 * hw, y1: 0.78 * H };
      break;
    }
    case "tube": {
      bodyShade = cylinder(cx, 0.3 * W);
      p.fill(
        taper(cx, 0.45 * H, 0.34 * W, 0.22 * W, 0.38 * H),
        boxOf(cx, 0.45 * H, 0.34 * W, 0.38 * H),
        (x) => shade(spec.body, bodyShade(x)),
      );
      p.fill(
        roundBox(cx, 0.89 * H, 0.13 * W, 0.07 * H, 0.02 * W),
        boxOf(cx, 0.89 * H, 0.13 * W, 0.07 * H),
        (x) => shade(spec.part, cylinder(cx, 0.13 * W)(x)),
      );
      label = { x0: cx - 0.26 * W, y0: 0.2 * H, x1: cx + 0.24 * W, y1: 0.62 * H };
      break;
    }
  }
  const lw = (label.x1 - label.x0) / 2;
  const lh = (label.y1 - label.y0) / 2;
  const lcx = (label.x0 + label.x1) / 2;
  const lcy = (label.y0 + label.y1) / 2;
  p.fill(roundBox(lcx, lcy, lw, lh, 0.02 * W), boxOf(lcx, lcy, lw, lh), (x) =>
    shade(spec.label, 0.25 + 0.75 * bodyShade(x)),
  );
  paintText(p, label, spec.ink, spec.accent, random);
  return p.cutout();
}

const HUES: readonly Rgb[] = [
  [200, 40, 40],
  [30, 110, 200],
  [40, 150, 80],
  [230, 170, 30],
  [120, 60, 160],
  [20, 20, 25],
  [240, 240, 235],
  [200, 90, 20],
  [0, 140, 150],
  [170, 170, 175],
  [110, 70, 40],
  [230, 120, 160],
];

export function colourDistance(a: Rgb, b: Rgb): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** A colour from the palette at least `min` away from every one of `others`. */
export function distinctColour(random: Random, others: readonly Rgb[], min = 120): Rgb {
  for (let attempt = 0; attempt < 50; attempt++) {
    const c = pick(random, HUES);
    if (others.every((o) => colourDistance(c, o) >= min)) return c;
  }
  return pick(random, HUES);
}

export function randomProductSpec(random: Random, shape: Shape): ProductSpec {
  const width = Math.round(between(random, 360, 900));
  const aspect = shape === "box" || shape === "jar" ? between(random, 0.8, 1.25) : between(random, 1.3, 2.1);
  const body = distinctColour(random, []);
  const part = distinctColour(random, [body]);
  const label = distinctColour(random, [body], 90);
  const ink = distinctColour(random, [label], 140);
  const accent = distinctColour(random, [label, ink], 100);
  return {
    shape,
    width,
    height: Math.round(width * aspect),
    body,
    part,
    label,
    ink,
    accent,
    textSeed: Math.floor(random() * 1e9),
  };
}
