import sharp, { type OverlayOptions } from "sharp";

import type { AspectRatio } from "@/lib/scene/aspect-ratios";
import type { SceneCreateRequest } from "@/lib/scene/contract";
import { sceneCreateRequest } from "@/lib/scene/contract";
import { parsePadding } from "@/lib/scene/padding";
import type { Box, ImagePlacement, Point, Size } from "@/lib/scene/placement";
import {
  absoluteValuesOf,
  frameSizeFor,
  placeAbsolute,
  placedBounds,
  placeOriginal,
  placePadding,
} from "@/lib/scene/placement";
import { placeProduct } from "@/lib/server/engines/local/place";
import type { ProductCutout } from "@/lib/server/integrity";

import type { Cutout, ProductSpec, Rgb } from "./products";
import { colourDistance, distinctColour, paintProduct, randomProductSpec, SHAPES } from "./products";
import type { Random } from "./random";
import { between, pick, randomFrom } from "./random";

/**
 * The measured test set. Each product is placed exactly where its request says with the local
 * engine's own drawing code (`placeProduct`, the geometry of `lib/scene/placement`), on a backdrop with
 * a soft contact shadow; some are altered first (label text or colour, a recoloured part, a warp, a
 * missing piece) or put elsewhere (moved, scaled); all are relit (exposure, white balance, offset,
 * gamma), some get a soft shadow across the product, and all are encoded lossily or not.
 */
export type Alteration =
  | "none"
  | "label_text"
  | "label_colour"
  | "part_recoloured"
  | "warped"
  | "piece_missing"
  | "moved"
  | "scaled";

export const CONTENT_ALTERATIONS: readonly Alteration[] = [
  "label_text",
  "label_colour",
  "part_recoloured",
  "warped",
  "piece_missing",
];
const ALTERATIONS: readonly Alteration[] = [...CONTENT_ALTERATIONS, "moved", "scaled"];

export type IntegrityCase = {
  name: string;
  alteration: Alteration;
  placementKind: "absolute" | "padding" | "original";
  request: SceneCreateRequest;
  product: ProductCutout;
  output: Buffer;
  /** What was done to the placement (moved and scaled cases): output pixels and a factor. */
  shift?: Point;
  scale?: number;
  conditions: string;
};

const ASPECTS: readonly AspectRatio[] = ["1:1", "4:5", "3:4", "16:9", "9:16", "3:2", "2:3", "21:9", "4:3"];
const ROTATIONS = [0, 0, 0, 4, 9, 15, 345, 352, 90, 180, 270, 30] as const;

/** Transparent margins around the painted product, as a cutout from a photo has. */
async function withMargins(cutout: Cutout, random: Random): Promise<Cutout> {
  const m = () => Math.round(cutout.width * between(random, 0.03, 0.15));
  const { data, info } = await sharp(cutout.pixels, {
    raw: { width: cutout.width, height: cutout.height, channels: 4 },
  })
    .extend({ top: m(), bottom: m(), left: m(), right: m(), background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { pixels: data, width: info.width, height: info.height };
}

export function alphaBox(cutout: Cutout): Box {
  let x0 = cutout.width;
  let y0 = cutout.height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < cutout.height; y++) {
    for (let x = 0; x < cutout.width; x++) {
      if (cutout.pixels[(y * cutout.width + x) * 4 + 3]! >= 8) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
    }
  }
  return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

function requestFor(kind: IntegrityCase["placementKind"], random: Random): SceneCreateRequest {
  const image_url = "https://products.example/cutout.png";
  const scene = { effect: "shadows", aspect_ratio: pick(random, ASPECTS) };
  if (kind === "original")
    return sceneCreateRequest.parse({ object: { image_url, placement_type: "original" }, scene });
  if (kind === "padding") {
    const v = Math.round(between(random, 4, 25));
    const h = random() < 0.5 ? v : Math.round(between(random, 4, 25));
    return sceneCreateRequest.parse({
      object: { image_url, placement_type: "padding", padding: v === h ? `${v}%` : `${v}% ${h}%` },
      scene,
    });
  }
  return sceneCreateRequest.parse({
    object: {
      image_url,
      scale: Math.round(between(random, 0.35, 0.95) * 100) / 100,
      rotation_degree: pick(random, ROTATIONS),
      position: {
        x: Math.round(between(random, 0.38, 0.62) * 100) / 100,
        y: Math.round(between(random, 0.38, 0.62) * 100) / 100,
      },
    },
    scene,
  });
}

function placementOf(request: SceneCreateRequest, image: Cutout, box: Box, frame: Size): ImagePlacement {
  const object = request.object;
  if (object.placement_type === "original") return placeOriginal(frame, image);
  if (object.placement_type === "padding") {
    const parsed = parsePadding(object.padding);
    if (!parsed.ok) throw new Error(`bad padding ${object.padding}`);
    return placePadding(frame, box, parsed.padding);
  }
  return placeAbsolute(frame, box, absoluteValuesOf(object));
}

/** For `original` placement the input is a photo-sized image with the product somewhere in it. */
async function asPhoto(cutout: Cutout, random: Random): Promise<Cutout> {
  const width = Math.round(cutout.width * between(random, 1.3, 1.8));
  const height = Math.round(cutout.height * between(random, 1.15, 1.4));
  const left = Math.round(between(random, 0.1, 0.9) * (width - cutout.width));
  const top = Math.round(between(random, 0.1, 0.9) * (height - cutout.height));
  const data = await sharp({
    create: { width, height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
  })
    .composite([
      { input: cutout.pixels, raw: { width: cutout.width, height: cutout.height, channels: 4 }, left, top },
    ])
    .raw()
    .toBuffer();
  return { pixels: data, width, height };
}

// ----- alterations of the cutout ------------------------------------------------------------------

function hueTurned(c: Rgb, random: Random): Rgb {
  return distinctColour(random, [c], 150);
}

/** A wave through the product: its outline and everything on it bend by up to 4 % of its width. */
function warped(cutout: Cutout, box: Box, random: Random): Cutout {
  const amplitude = box.width * between(random, 0.035, 0.05);
  const wavelength = box.height * between(random, 0.35, 0.6);
  const phase = random() * 2 * Math.PI;
  const out = Buffer.alloc(cutout.pixels.length);
  const { width, height, pixels } = cutout;
  for (let y = 0; y < height; y++) {
    const dx = amplitude * Math.sin((2 * Math.PI * (y - box.y)) / wavelength + phase);
    for (let x = 0; x < width; x++) {
      const sx = x - dx;
      const x0 = Math.floor(sx);
      const f = sx - x0;
      for (let c = 0; c < 4; c++) {
        const a = x0 >= 0 && x0 < width ? pixels[(y * width + x0) * 4 + c]! : 0;
        const b = x0 + 1 >= 0 && x0 + 1 < width ? pixels[(y * width + x0 + 1) * 4 + c]! : 0;
        out[(y * width + x) * 4 + c] = Math.round(a * (1 - f) + b * f);
      }
    }
  }
  return { pixels: out, width, height };
}

/** Where a row (or column) of the cutout meets the product, from one side: the outline there. */
function outlinePoint(cutout: Cutout, side: number, t: number, box: Box): Point {
  const opaque = (x: number, y: number) => cutout.pixels[(y * cutout.width + x) * 4 + 3]! >= 200;
  if (side === 0 || side === 2) {
    const x = Math.round(box.x + box.width * t);
    for (let i = 0; i < box.height; i++) {
      const y = side === 0 ? box.y + i : box.y + box.height - 1 - i;
      if (opaque(x, y)) return { x, y };
    }
  } else {
    const y = Math.round(box.y + box.height * t);
    for (let i = 0; i < box.width; i++) {
      const x = side === 3 ? box.x + i : box.x + box.width - 1 - i;
      if (opaque(x, y)) return { x, y };
    }
  }
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** A bite out of the outline: a disc of 12–18 % of the product's smaller side made transparent. */
function bitten(cutout: Cutout, box: Box, random: Random): Cutout {
  const out = Buffer.from(cutout.pixels);
  const r = Math.min(box.width, box.height) * between(random, 0.12, 0.18);
  const side = Math.floor(random() * 4);
  const edge = outlinePoint(cutout, side, between(random, 0.3, 0.7), box);
  const inward = [
    { x: 0, y: 1 },
    { x: -1, y: 0 },
    { x: 0, y: -1 },
    { x: 1, y: 0 },
  ][side]!;
  const cx = edge.x + inward.x * r * 0.3;
  const cy = edge.y + inward.y * r * 0.3;
  for (let y = Math.max(0, Math.floor(cy - r - 1)); y < Math.min(cutout.height, Math.ceil(cy + r + 1)); y++) {
    for (
      let x = Math.max(0, Math.floor(cx - r - 1));
      x < Math.min(cutout.width, Math.ceil(cx + r + 1));
      x++
    ) {
      const keep = Math.min(1, Math.max(0, Math.hypot(x + 0.5 - cx, y + 0.5 - cy) - r + 0.5));
      const o = (y * cutout.width + x) * 4 + 3;
      out[o] = Math.round(out[o]! * keep);
    }
  }
  return { pixels: out, width: cutout.width, height: cutout.height };
}

function alteredSpec(spec: ProductSpec, alteration: Alteration, random: Random): ProductSpec {
  switch (alteration) {
    case "label_text":
      return { ...spec, textSeed: spec.textSeed + 1 };
    case "label_colour":
      return random() < 0.5
        ? { ...spec, label: distinctColour(random, [spec.label, spec.ink, spec.body], 130) }
        : { ...spec, ink: hueTurned(spec.ink, random), accent: hueTurned(spec.accent, random) };
    case "part_recoloured":
      return { ...spec, part: distinctColour(random, [spec.part, spec.body], 150) };
    default:
      return spec;
  }
}

// ----- the scene around the product -----------------------------------------------------------------

const WALLS: readonly Rgb[] = [
  [236, 232, 224],
  [210, 200, 185],
  [60, 64, 72],
  [180, 200, 210],
  [245, 245, 245],
  [120, 95, 80],
  [200, 215, 190],
  [30, 30, 34],
];

/** A studio sweep: wall, soft horizon, floor, smooth mottling; made small and enlarged. */
async function backdrop(frame: Size, random: Random, body: Rgb): Promise<Buffer> {
  const wall = random() < 0.15 ? body : pick(random, WALLS);
  const floor: Rgb = [
    wall[0] * between(random, 0.7, 0.95),
    wall[1] * between(random, 0.7, 0.95),
    wall[2] * between(random, 0.7, 0.95),
  ];
  const horizon = between(random, 0.55, 0.8);
  const gw = Math.ceil(frame.width / 8);
  const gh = Math.ceil(frame.height / 8);
  const small = Buffer.alloc(gw * gh * 3);
  const waves = Array.from({ length: 4 }, () => ({
    fx: between(random, 1, 6),
    fy: between(random, 1, 6),
    p: random() * 6.28,
    a: between(random, 2, 7),
  }));
  for (let y = 0; y < gh; y++) {
    const v = (y + 0.5) / gh;
    const t = Math.min(1, Math.max(0, (v - horizon) / 0.08 + 0.5));
    for (let x = 0; x < gw; x++) {
      const u = (x + 0.5) / gw;
      const mottle = waves.reduce((s, w) => s + w.a * Math.sin(w.fx * u * 6.28 + w.fy * v * 6.28 + w.p), 0);
      const light = 1 - 0.18 * Math.hypot(u - 0.5, v - 0.35);
      for (let c = 0; c < 3; c++) {
        const base = wall[c]! * (1 - t) + floor[c]! * t;
        small[(y * gw + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(base * light + mottle)));
      }
    }
  }
  return sharp(small, { raw: { width: gw, height: gh, channels: 3 } })
    .resize(frame.width, frame.height, { fit: "fill", kernel: "linear" })
    .raw()
    .toBuffer();
}

/** A black layer over the whole frame whose alpha is `alpha` (a frame-sized single channel). */
async function blackLayer(alpha: Buffer, frame: Size): Promise<OverlayOptions> {
  const raw = { width: frame.width, height: frame.height, channels: 1 as const };
  const input = await sharp({ create: { ...frame, channels: 3, background: "#000000" } })
    .joinChannel(alpha, { raw })
    .raw()
    .toBuffer();
  return { input, raw: { width: frame.width, height: frame.height, channels: 4 }, left: 0, top: 0 };
}

/** A soft shadow of the placed product, cast down and to a side, as a layer to put under it. */
async function contactShadow(
  layer: { pixels: Buffer; width: number; height: number; left: number; top: number },
  frame: Size,
  random: Random,
): Promise<OverlayOptions> {
  const full = Buffer.alloc(frame.width * frame.height);
  const dx = Math.round(between(random, -0.01, 0.03) * frame.width);
  const dy = Math.round(between(random, 0.005, 0.03) * frame.height);
  for (let y = 0; y < layer.height; y++) {
    const fy = y + layer.top + dy;
    if (fy < 0 || fy >= frame.height) continue;
    for (let x = 0; x < layer.width; x++) {
      const fx = x + layer.left + dx;
      if (fx >= 0 && fx < frame.width)
        full[fy * frame.width + fx] = layer.pixels[(y * layer.width + x) * 4 + 3]!;
    }
  }
  const sigma = between(random, 2, 6);
  const opacity = between(random, 0.3, 0.55);
  const mask = await sharp(full, { raw: { width: frame.width, height: frame.height, channels: 1 } })
    .resize(Math.ceil(frame.width / 4), Math.ceil(frame.height / 4), { fit: "fill" })
    .blur(sigma)
    .resize(frame.width, frame.height, { fit: "fill", kernel: "linear" })
    .linear(opacity, 0)
    .toColourspace("b-w")
    .raw()
    .toBuffer();
  return blackLayer(mask, frame);
}

/** The soft shadow across the product: a sigmoid half-plane, made small (it is smooth) and enlarged. */
async function acrossShadow(across: NonNullable<Conditions["across"]>, frame: Size): Promise<OverlayOptions> {
  const step = 4;
  const gw = Math.ceil(frame.width / step);
  const gh = Math.ceil(frame.height / step);
  const small = Buffer.alloc(gw * gh);
  for (let y = 0; y < gh; y++) {
    for (let x = 0; x < gw; x++) {
      const fx = (x + 0.5) * step;
      const fy = (y + 0.5) * step;
      const d = ((fx - across.at.x) * across.nx + (fy - across.at.y) * across.ny) / across.softness;
      small[y * gw + x] = Math.round((255 * across.depth) / (1 + Math.exp(-4 * d)));
    }
  }
  const alpha = await sharp(small, { raw: { width: gw, height: gh, channels: 1 } })
    .resize(gw * step, gh * step, { fit: "fill", kernel: "linear" })
    .extract({ left: 0, top: 0, width: frame.width, height: frame.height })
    .toColourspace("b-w")
    .raw()
    .toBuffer();
  return blackLayer(alpha, frame);
}

type Conditions = {
  gain: Rgb;
  offset: number;
  gamma: number;
  /** A soft shadow across the product: a blurred half-plane through its box. */
  across?: { nx: number; ny: number; at: Point; softness: number; depth: number };
  format: "jpeg" | "webp" | "png";
  quality: number;
};

function lookFor(random: Random, placedBox: Box): Conditions {
  const exposure = between(random, 0.8, 1.2);
  const balance = between(random, -0.08, 0.08);
  const angle = random() * 2 * Math.PI;
  const r = random();
  return {
    gain: [exposure * (1 + balance), exposure * (1 + between(random, -0.03, 0.03)), exposure * (1 - balance)],
    offset: between(random, -8, 8),
    gamma: random() < 0.3 ? between(random, 0.9, 1.1) : 1,
    across:
      random() < 0.5
        ? {
            nx: Math.cos(angle),
            ny: Math.sin(angle),
            at: {
              x: placedBox.x + placedBox.width * between(random, 0.3, 0.7),
              y: placedBox.y + placedBox.height * between(random, 0.3, 0.7),
            },
            softness: Math.max(placedBox.width, placedBox.height) * between(random, 0.12, 0.3),
            depth: between(random, 0.15, 0.35),
          }
        : undefined,
    format: r < 0.75 ? "jpeg" : r < 0.9 ? "webp" : "png",
    quality: pick(random, [50, 65, 80, 92]),
  };
}

function describeLook(look: Conditions): string {
  const g = look.gain.map((v) => v.toFixed(2)).join("/");
  const across = look.across ? ` shadow-across ${look.across.depth.toFixed(2)}` : "";
  return `${look.format}${look.format === "png" ? "" : ` q${look.quality}`} gain ${g} offset ${look.offset.toFixed(0)} gamma ${look.gamma.toFixed(2)}${across}`;
}

/** The output: backdrop, shadow, product, a shadow across it, then the look over everything, encoded. */
async function render(
  frame: Size,
  image: Cutout,
  placement: ImagePlacement,
  look: Conditions,
  random: Random,
  body: Rgb,
) {
  const raw = { width: frame.width, height: frame.height, channels: 3 as const };
  const layers: OverlayOptions[] = [];
  const background = await backdrop(frame, random, body);
  const layer = await placeProduct(image, placement, frame);
  if (layer) {
    layers.push(await contactShadow(layer, frame, random));
    layers.push({
      input: layer.pixels,
      raw: { width: layer.width, height: layer.height, channels: 4 },
      left: layer.left,
      top: layer.top,
    });
  }
  if (look.across) layers.push(await acrossShadow(look.across, frame));
  const composed = await sharp(background, { raw }).composite(layers).removeAlpha().raw().toBuffer();
  // Exposure, white balance, offset and gamma: one table per channel.
  const tables = [0, 1, 2].map((c) =>
    Uint8Array.from({ length: 256 }, (_, v) =>
      Math.max(
        0,
        Math.min(255, Math.round(255 * Math.pow(v / 255, look.gamma) * look.gain[c]! + look.offset)),
      ),
    ),
  );
  const [r, g, b] = tables as [Uint8Array, Uint8Array, Uint8Array];
  for (let i = 0; i < composed.length; i += 3) {
    composed[i] = r[composed[i]!]!;
    composed[i + 1] = g[composed[i + 1]!]!;
    composed[i + 2] = b[composed[i + 2]!]!;
  }
  const lit = sharp(composed, { raw });
  if (look.format === "jpeg") return lit.jpeg({ quality: look.quality }).toBuffer();
  if (look.format === "webp") return lit.webp({ quality: look.quality }).toBuffer();
  return lit.png({ compressionLevel: 1 }).toBuffer();
}

export type Look = {
  /** Exposure and white balance per channel, and an offset, over everything (1, 1, 1 and 0: none). */
  gain?: Rgb;
  offset?: number;
  format?: "jpeg" | "webp" | "png";
  quality?: number;
};

/**
 * One output of `image` drawn at `placement` by the engine's own drawing code, on a backdrop with a
 * contact shadow: for focused tests that choose the placement and the look themselves.
 */
export async function renderOutput(
  frame: Size,
  image: Cutout,
  placement: ImagePlacement,
  seed: number,
  look: Look = {},
): Promise<Buffer> {
  return render(
    frame,
    image,
    placement,
    {
      gain: look.gain ?? [1, 1, 1],
      offset: look.offset ?? 0,
      gamma: 1,
      format: look.format ?? "png",
      quality: look.quality ?? 90,
    },
    randomFrom(seed),
    [128, 128, 128],
  );
}

/** Placement moved by 3.2–5.5 % of the frame's longer side, in any direction. */
function movedBy(random: Random, frame: Size): Point {
  const angle = random() * 2 * Math.PI;
  const distance = between(random, 0.032, 0.055) * Math.max(frame.width, frame.height);
  return { x: Math.cos(angle) * distance, y: Math.sin(angle) * distance };
}

export const INTACT_PER_PRODUCT = 4;
export const ALTERED_PER_PRODUCT = 4;

/** The cases of product `index`: intact ones first, then altered or moved ones. */
export async function casesForProduct(index: number): Promise<IntegrityCase[]> {
  const random = randomFrom(1000 + index);
  const spec = randomProductSpec(random, SHAPES[index % SHAPES.length]!);
  const kinds = ["absolute", "absolute", "padding", "original"] as const;
  const placementKind = kinds[index % kinds.length]!;
  const request = requestFor(placementKind, random);
  const paint = async (s: ProductSpec) => {
    const cutout = await withMargins(paintProduct(s), randomFrom(2000 + index));
    return placementKind === "original" ? asPhoto(cutout, randomFrom(3000 + index)) : cutout;
  };
  const image = await paint(spec);
  const box = alphaBox(image);
  const frame = frameSizeFor(request, { input: image });
  const placement = placementOf(request, image, box, frame);
  const product: ProductCutout = {
    pixels: image.pixels,
    width: image.width,
    height: image.height,
    objectBox: box,
  };
  const placedBox = placedBounds(placement, box);
  const cases: IntegrityCase[] = [];
  const describe = (alteration: Alteration, n: number) =>
    `#${index} ${spec.shape} ${placementKind} ${request.scene && "aspect_ratio" in request.scene ? request.scene.aspect_ratio : ""} ${alteration} ${n}`;

  for (let n = 0; n < INTACT_PER_PRODUCT; n++) {
    const look = lookFor(random, placedBox);
    const output = await render(frame, image, placement, look, random, spec.body);
    cases.push({
      name: describe("none", n),
      alteration: "none",
      placementKind,
      request,
      product,
      output,
      conditions: describeLook(look),
    });
  }
  for (let n = 0; n < ALTERED_PER_PRODUCT; n++) {
    const alteration = ALTERATIONS[(index * ALTERED_PER_PRODUCT + n) % ALTERATIONS.length]!;
    const look = lookFor(random, placedBox);
    let drawn = image;
    let where = placement;
    let shift: Point | undefined;
    let scale: number | undefined;
    if (alteration === "moved") {
      shift = movedBy(random, frame);
      where = { ...placement, center: { x: placement.center.x + shift.x, y: placement.center.y + shift.y } };
    } else if (alteration === "scaled") {
      scale = random() < 0.5 ? between(random, 0.82, 0.9) : between(random, 1.1, 1.2);
      where = { ...placement, scaleX: placement.scaleX * scale, scaleY: placement.scaleY * scale };
    } else if (alteration === "warped") {
      drawn = warped(image, box, random);
    } else if (alteration === "piece_missing") {
      drawn = bitten(image, box, random);
    } else {
      const changed = alteredSpec(spec, alteration, random);
      if (
        colourDistance(changed.part, spec.part) === 0 &&
        changed.textSeed === spec.textSeed &&
        changed.label === spec.label &&
        changed.ink === spec.ink
      ) {
        throw new Error(`alteration ${alteration} changed nothing`);
      }
      drawn = await paint(changed);
    }
    const output = await render(frame, drawn, where, look, random, spec.body);
    cases.push({
      name: describe(alteration, n),
      alteration,
      placementKind,
      request,
      product,
      output,
      shift,
      scale,
      conditions: describeLook(look),
    });
  }
  return cases;
}

export const PRODUCTS = 26;
