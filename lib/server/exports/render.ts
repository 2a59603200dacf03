import "server-only";

import sharp, { type Sharp } from "sharp";

import type { SceneCreateRequest } from "@/lib/scene/contract";
import type { ExportCheck, ExportFormat, PresetSpec } from "@/lib/scene/export";
import type { OutputIntegrity } from "@/lib/scene/integrity";
import type { Box, Size } from "@/lib/scene/placement";
import { sceneKindOf, TRANSPARENT } from "@/lib/scene/vocabulary";

import { checksFor } from "./checks";
import { frameExport, type Backdrop, type Framing } from "./framing";

/** A stored output to export: its file, its request, and where its product is. */
export type ExportSource = {
  outputId: string;
  generationId: string;
  index: number;
  request: SceneCreateRequest;
  width: number;
  height: number;
  integrity: OutputIntegrity | null;
};

export type RenderedExport = {
  bytes: Buffer;
  ext: string;
  framing: Framing;
  checks: ExportCheck[];
};

type Rgb = { r: number; g: number; b: number };
type Pad = { rgb: Rgb; alpha: 0 | 1 };

const EXT: Record<ExportFormat, string> = { jpeg: "jpg", png: "png", webp: "webp" };

function hex(value: string): Rgb | undefined {
  const match = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value.trim());
  if (!match?.[1]) return undefined;
  const digits = match[1].length === 3 ? [...match[1]].map((c) => c + c).join("") : match[1];
  const n = Number.parseInt(digits, 16);
  return { r: (n >> 16) & 255, g: (n >> 8) & 255, b: n & 255 };
}

const WHITE: Rgb = { r: 255, g: 255, b: 255 };

/**
 * The scene behind the product. An effect scene's colour (white unless it says, the local engine's
 * and Claid's default) extends seamlessly; a transparent one takes the preset's background. Prompt
 * and template scenes are pictures: padding them shows a seam, so they are cropped instead.
 */
function backdropOf(request: SceneCreateRequest): { backdrop: Backdrop; colour?: Rgb | "transparent" } {
  const scene = request.scene;
  if (sceneKindOf(scene) !== "effect" || !("effect" in scene)) return { backdrop: "scene" };
  if (scene.color === TRANSPARENT) return { backdrop: "plain", colour: TRANSPARENT };
  return { backdrop: "plain", colour: (scene.color !== undefined && hex(scene.color)) || WHITE };
}

function padFor(spec: PresetSpec, colour: Rgb | "transparent" | undefined): Pad {
  if (spec.fit !== "contain" && colour && colour !== TRANSPARENT) return { rgb: colour, alpha: 1 };
  if (spec.background === TRANSPARENT) return { rgb: WHITE, alpha: 0 };
  return { rgb: hex(spec.background) ?? WHITE, alpha: 1 };
}

/** Decoded source pixels, flattened onto the pad colour unless the export keeps transparency. */
async function decode(bytes: Buffer, pad: Pad) {
  const base = sharp(bytes, { failOn: "error" }).autoOrient();
  const pixels =
    pad.alpha === 0
      ? base.ensureAlpha()
      : base.flatten({ background: pad.rgb }).removeAlpha().toColourspace("srgb");
  const { data, info } = await pixels.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels as 3 | 4 };
}

/**
 * Whether a window's outer band is all backdrop: a summed-area table of the pixels that are not
 * exactly the pad colour (or not fully transparent, when the export keeps transparency). Outside the
 * source the export is padded with that colour, so it is clean.
 */
function cleanliness(image: Awaited<ReturnType<typeof decode>>, pad: Pad) {
  const { data, width, height, channels } = image;
  const table = new Int32Array((width + 1) * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * channels;
      const dirty =
        pad.alpha === 0
          ? data[o + 3] !== 0
          : data[o] !== pad.rgb.r || data[o + 1] !== pad.rgb.g || data[o + 2] !== pad.rgb.b;
      row += dirty ? 1 : 0;
      table[(y + 1) * (width + 1) + x + 1] = table[y * (width + 1) + x + 1]! + row;
    }
  }
  const dirtyIn = (b: Box) => {
    const x0 = Math.max(0, Math.floor(b.x));
    const y0 = Math.max(0, Math.floor(b.y));
    const x1 = Math.min(width, Math.ceil(b.x + b.width));
    const y1 = Math.min(height, Math.ceil(b.y + b.height));
    if (x1 <= x0 || y1 <= y0) return 0;
    const w = width + 1;
    return table[y1 * w + x1]! - table[y0 * w + x1]! - table[y1 * w + x0]! + table[y0 * w + x0]!;
  };
  return (window: Box, band: number) => {
    const inner = {
      x: window.x + band,
      y: window.y + band,
      width: Math.max(0, window.width - 2 * band),
      height: Math.max(0, window.height - 2 * band),
    };
    // The inner box rounds outwards less than the window, so only the band's pixels are counted.
    const innerSnapped = {
      x: Math.ceil(inner.x),
      y: Math.ceil(inner.y),
      width: Math.max(0, Math.floor(inner.x + inner.width) - Math.ceil(inner.x)),
      height: Math.max(0, Math.floor(inner.y + inner.height) - Math.ceil(inner.y)),
    };
    return dirtyIn(window) - dirtyIn(innerSnapped) === 0;
  };
}

/** The window in whole source pixels, the part of it inside the source, and the padding around that. */
function cut(framing: Framing, source: Size) {
  const { window, output } = framing;
  const x0 = Math.round(window.x);
  const y0 = Math.round(window.y);
  const x1 = Math.round(window.x + window.width);
  const y1 = Math.round(window.y + window.height);
  const ix0 = Math.max(0, x0);
  const iy0 = Math.max(0, y0);
  const ix1 = Math.min(source.width, x1);
  const iy1 = Math.min(source.height, y1);
  const kx = output.width / (x1 - x0);
  const ky = output.height / (y1 - y0);
  const left = Math.round((ix0 - x0) * kx);
  const top = Math.round((iy0 - y0) * ky);
  const width = Math.max(1, Math.round((ix1 - x0) * kx) - left);
  const height = Math.max(1, Math.round((iy1 - y0) * ky) - top);
  return {
    inside: { left: ix0, top: iy0, width: Math.max(1, ix1 - ix0), height: Math.max(1, iy1 - iy0) },
    resized: { width, height },
    pad: {
      left,
      top,
      right: Math.max(0, output.width - left - width),
      bottom: Math.max(0, output.height - top - height),
    },
  };
}

function encode(image: Sharp, format: ExportFormat): Sharp {
  if (format === "jpeg") {
    // Whole-resolution colour: a white border next to a coloured edge stays white.
    return image.jpeg({ quality: 92, chromaSubsampling: "4:4:4" }).withIccProfile("srgb");
  }
  if (format === "png") return image.png({ compressionLevel: 6 }).withIccProfile("srgb");
  return image.webp({ quality: 90, alphaQuality: 100 }).withIccProfile("srgb");
}

/** The outermost ring of pixels of the file as read back: how many there are, and how many are not #FFFFFF. */
async function borderOf(bytes: Buffer) {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  let total = 0;
  let notWhite = 0;
  const look = (x: number, y: number) => {
    const o = (y * width + x) * 4;
    total++;
    if (data[o] !== 255 || data[o + 1] !== 255 || data[o + 2] !== 255 || data[o + 3] !== 255) notWhite++;
  };
  for (let x = 0; x < width; x++) {
    look(x, 0);
    if (height > 1) look(x, height - 1);
  }
  for (let y = 1; y < height - 1; y++) {
    look(0, y);
    if (width > 1) look(width - 1, y);
  }
  return { total, notWhite };
}

/**
 * One stored output as a preset's file: framed (see `framing.ts`), resized with Lanczos, padded with
 * the backdrop's colour, encoded in sRGB, then read back and checked. Deterministic: the same output
 * and preset always make the same bytes.
 */
export async function renderExport(
  bytes: Buffer,
  source: ExportSource,
  spec: PresetSpec,
  options: { allowUpscale: boolean },
): Promise<RenderedExport> {
  const { backdrop, colour } = backdropOf(source.request);
  const pad = padFor(spec, colour);
  const image = await decode(bytes, pad);
  const size = { width: image.width, height: image.height };
  const product = source.integrity?.product_box;
  const framing = frameExport({
    source: size,
    // Recorded against the stored file's own pixels, which are the decoded ones.
    product,
    spec,
    backdrop,
    allowUpscale: options.allowUpscale,
    isClean: backdrop === "plain" ? cleanliness(image, pad) : undefined,
  });
  const { inside, resized, pad: around } = cut(framing, size);
  const background = { ...pad.rgb, alpha: pad.alpha };
  const framed = sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: image.channels },
  })
    .extract(inside)
    .resize(resized.width, resized.height, { fit: "fill", kernel: "lanczos3" })
    .extend({ ...around, background });
  const encoded = await encode(framed, spec.format).toBuffer();
  const meta = await sharp(encoded).metadata();
  const checks = checksFor({
    spec,
    output: { width: meta.width ?? framing.output.width, height: meta.height ?? framing.output.height },
    enlarged: framing.enlarged,
    encoded: { format: meta.format ?? "unknown", space: meta.space },
    format: spec.format,
    product: framing.product,
    border: spec.mainImage ? await borderOf(encoded) : undefined,
    sceneKind: sceneKindOf(source.request.scene),
    sceneColour: "color" in source.request.scene ? source.request.scene.color : undefined,
    integrity: source.integrity,
  });
  return { bytes: encoded, ext: EXT[spec.format], framing, checks };
}
