import "server-only";

import sharp, { type OverlayOptions, type Sharp } from "sharp";

import type { SceneCreateRequest } from "@/lib/scene/contract";
import { sceneKindOf, TRANSPARENT } from "@/lib/scene/contract";
import { parsePadding } from "@/lib/scene/padding";
import type { ImagePlacement, Size } from "@/lib/scene/placement";
import {
  absoluteValuesOf,
  frameSizeFor,
  paddingFitsFrame,
  placeAbsolute,
  placeOriginal,
  placePadding,
} from "@/lib/scene/placement";

import { errors } from "../../errors";
import type { TemplateFrame, View } from "./backdrop";
import { solidBackdrop, studioBackdrop, templateBackdrop } from "./backdrop";
import type { Rgb } from "./colour";
import { colourField, WHITE } from "./colour";
import type { Encoding } from "./encode";
import { applyEncoding, FORMATS_WITH_ALPHA } from "./encode";
import { paletteFor, promptText } from "./palette";
import type { PlacedLayer } from "./place";
import { placeProduct } from "./place";
import type { Product } from "./product";
import type { Random } from "./seed";
import { between, hashHex, randomFrom } from "./seed";
import type { ShadowMask } from "./shadow";
import { shadowLayer, shadowMask } from "./shadow";

/** Everything a request's variants share, computed once: frame, placed product, its shadow. */
export type PreparedScene = {
  frame: Size;
  placement: ImagePlacement;
  layer?: PlacedLayer;
  shadow?: ShadowMask;
  transparent: boolean;
  backdrop: (random: Random) => Sharp;
  /** Variants of a locked template may only differ in their shadow, so it varies more. */
  shadowJitter: number;
  seed: string;
};

const TOP_VIEW_WORDS = /\b(top[\s-]?(view|down)|flat[\s-]?lay|overhead|from above|bird'?s[\s-]?eye)\b/i;

export function placementFor(request: SceneCreateRequest, product: Product, frame: Size): ImagePlacement {
  const object = request.object;
  if (object.placement_type === "original") return placeOriginal(frame, product);
  if (object.placement_type === "padding") {
    const parsed = parsePadding(object.padding);
    if (!parsed.ok || !paddingFitsFrame(parsed.padding, frame)) {
      throw errors.invalid(
        "object.padding",
        `Padding "${object.padding}" is more than half of the ${frame.width} × ${frame.height} frame`,
        "padding_too_large",
      );
    }
    return placePadding(frame, product.objectBox, parsed.padding);
  }
  return placeAbsolute(frame, product.objectBox, absoluteValuesOf(object));
}

type SceneInputs = {
  product: Product;
  template?: { size: Size; frame: (frame: Size) => Promise<TemplateFrame> };
};

export type RenderOptions = { shadows?: boolean; encoding: Encoding };

/** Checks what only the local engine can check, and builds what every variant shares. */
export async function prepareScene(
  request: SceneCreateRequest,
  inputs: SceneInputs,
  options: RenderOptions & { seed: string },
): Promise<PreparedScene> {
  const scene = request.scene;
  const kind = sceneKindOf(scene);
  const frame = frameSizeFor(request, { input: inputs.product, template: inputs.template?.size });
  const placement = placementFor(request, inputs.product, frame);

  let view: View = "front";
  let transparent = false;
  let backdrop: (random: Random) => Sharp;
  let shadowJitter = 0.12;

  if (kind === "effect" && "effect" in scene) {
    view = scene.view === "top" ? "top" : "front";
    const colour: Rgb | "transparent" =
      scene.color === undefined
        ? WHITE
        : scene.color === TRANSPARENT
          ? TRANSPARENT
          : colourField(scene.color, "scene.color");
    transparent = colour === TRANSPARENT;
    if (transparent && !FORMATS_WITH_ALPHA.includes(options.encoding.format)) {
      throw errors.invalid(
        "scene.color",
        `A transparent background needs png, webp or avif output, not ${options.encoding.format}`,
        "transparent_needs_alpha_format",
      );
    }
    backdrop = () => solidBackdrop(frame, colour);
  } else if (kind === "template" && "template_url" in scene) {
    if (!inputs.template) throw new Error("template scene without its template");
    view = scene.view;
    const text = promptText(scene.prompt);
    const tint =
      scene.color !== undefined ? colourField(scene.color, "scene.color") : paletteFor(text, undefined).wall;
    const mode = scene.template_mode ?? "transform";
    const template = await inputs.template.frame(frame);
    if (mode === "lock") shadowJitter = 0.3;
    backdrop = (random) => templateBackdrop(template, mode, tint, random);
  } else if (kind === "prompt" && "prompt" in scene) {
    const text = promptText(scene.prompt);
    if (scene.color !== undefined) colourField(scene.color, "scene.color");
    const palette = paletteFor(text, scene.color);
    view = TOP_VIEW_WORDS.test(text) ? "top" : "front";
    backdrop = (random) => studioBackdrop(frame, { palette, view, random });
  } else {
    throw errors.invalid("scene", "A scene needs one of: effect, template_url (with view), or prompt");
  }

  const layer = await placeProduct(inputs.product, placement, frame);
  const shadow = options.shadows !== false && layer ? await shadowMask(layer, frame, view) : undefined;
  return { frame, placement, layer, shadow, transparent, backdrop, shadowJitter, seed: options.seed };
}

/** One variant, encoded. Its randomness comes only from the request's seed and its index. */
export async function renderVariant(
  prepared: PreparedScene,
  index: number,
  encoding: Encoding,
): Promise<Buffer> {
  const random = randomFrom(hashHex(prepared.seed, String(index)));
  const shadowOpacity = between(random, 1 - prepared.shadowJitter, 1 + prepared.shadowJitter * 0.5);
  const layers: OverlayOptions[] = [];
  if (prepared.shadow) {
    const s = prepared.shadow;
    layers.push({
      input: await shadowLayer(s, shadowOpacity),
      raw: { width: s.width, height: s.height, channels: 4 },
      left: s.left,
      top: s.top,
    });
  }
  if (prepared.layer) {
    const l = prepared.layer;
    layers.push({
      input: l.pixels,
      raw: { width: l.width, height: l.height, channels: 4 },
      left: l.left,
      top: l.top,
    });
  }
  // The backdrop is made first: sharp would otherwise apply its tonal operations after compositing.
  const backdrop = await prepared.backdrop(random).raw().toBuffer({ resolveWithObject: true });
  let image = sharp(backdrop.data, { raw: backdrop.info });
  if (layers.length) image = image.composite(layers);
  if (!prepared.transparent) image = image.removeAlpha();
  return applyEncoding(image, encoding).toBuffer();
}

export async function renderVariants(
  prepared: PreparedScene,
  count: number,
  encoding: Encoding,
): Promise<Buffer[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => renderVariant(prepared, i, encoding)));
}
