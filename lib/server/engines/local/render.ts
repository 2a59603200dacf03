import "server-only";

import sharp, { type OverlayOptions, type Sharp } from "sharp";

import type { SceneCreateRequest } from "@/lib/scene/contract";
import { sceneKindOf, TRANSPARENT } from "@/lib/scene/contract";
import type { ImagePlacement, Size } from "@/lib/scene/placement";
import { frameSizeFor, productPlacement } from "@/lib/scene/placement";
import { sceneRuleProblems } from "@/lib/scene/rules";

import { errors } from "../../errors";
import type { TemplateFrame, View } from "./backdrop";
import {
  enlargeGrid,
  gridSizeFor,
  solidGrid,
  studioGrid,
  surfaceTexture,
  templateBackdrop,
} from "./backdrop";
import { blendOver } from "./blend";
import type { Rgb } from "./colour";
import { colourField, WHITE } from "./colour";
import type { Encoding } from "./encode";
import { applyEncoding } from "./encode";
import { memo } from "./memo";
import { paletteFor, promptText } from "./palette";
import type { PlacedLayer } from "./place";
import { placeProduct } from "./place";
import type { Product } from "./product";
import type { Random } from "./seed";
import { between, hashHex, randomFrom } from "./seed";
import { shadowCells, shadowLayer, shadowMask } from "./shadow";

/**
 * Everything a request's variants share, computed once: frame, placed product, shadow, and how to make
 * one variant's backdrop (already carrying the shadow when it is made on the grid).
 */
export type PreparedScene = {
  frame: Size;
  placement: ImagePlacement;
  layer?: PlacedLayer;
  transparent: boolean;
  backdrop: (random: Random) => Promise<Backdrop>;
  seed: string;
};

/** A variant's backdrop, and a full-size shadow layer when the backdrop could not carry it. */
type Backdrop = { image: Sharp; shadow?: OverlayOptions };

const placedProducts = memo<PlacedLayer | undefined>(12);
const shadows = memo<Float32Array | undefined>(24);
const textures = memo<Float32Array>(24);

const TOP_VIEW_WORDS = /\b(top[\s-]?(view|down)|flat[\s-]?lay|overhead|from above|bird'?s[\s-]?eye)\b/i;

/** The product's placement in the frame, or the contract's refusal of padding over half the frame. */
export function placementFor(request: SceneCreateRequest, product: Product, frame: Size): ImagePlacement {
  const { placement, paddingFits } = productPlacement(request.object, product, frame);
  if (!paddingFits && request.object.placement_type === "padding") {
    throw errors.invalid(
      "object.padding",
      `Padding "${request.object.padding}" is more than half of the ${frame.width} × ${frame.height} frame`,
      "padding_too_large",
    );
  }
  return placement;
}

type SceneInputs = {
  product: Product;
  template?: { size: Size; frame: (frame: Size) => Promise<TemplateFrame> };
};

export type RenderOptions = { shadows?: boolean; encoding: Encoding };

/** The rules the schema states in words (`lib/scene/rules.ts`), as the engine's own 422s. */
export function checkSceneRules(request: SceneCreateRequest): void {
  const problem = sceneRuleProblems(request)[0];
  if (problem) throw errors.invalid(problem.path.join("."), problem.message, problem.code);
}

/** A scene's backdrop for one frame: how each variant's is made, and whether it is see-through. */
export type SceneBackdrop = { transparent: boolean; backdrop: (random: Random) => Promise<Backdrop> };

export type BackdropInputs = {
  /** The template scaled and cropped to the frame (template scenes only). */
  template?: () => Promise<TemplateFrame>;
  /** The product's shadow on the backdrop grid, for a view; none for a backdrop alone. */
  shadowCells: (view: View) => Promise<Float32Array | undefined>;
};

/**
 * The backdrop a scene asks for, in a frame: a colour or transparency (effect), the template with its
 * mode and tint (template), a studio sweep or surface from the prompt's palette (prompt). Drafts make
 * it with the product's shadow; the composer's preview makes it without, smaller.
 */
export async function sceneBackdrop(
  scene: SceneCreateRequest["scene"],
  frame: Size,
  inputs: BackdropInputs,
): Promise<SceneBackdrop> {
  const kind = sceneKindOf(scene);
  const grid = gridSizeFor(frame);
  const opacityOf = (random: Random, jitter: number) => between(random, 1 - jitter, 1 + jitter * 0.5);

  if (kind === "effect" && "effect" in scene) {
    const view: View = scene.view === "top" ? "top" : "front";
    const transparent = scene.color === TRANSPARENT;
    const colour: Rgb | undefined = transparent
      ? undefined
      : scene.color === undefined
        ? WHITE
        : colourField(scene.color, "scene.color");
    const rgb = colour ? solidGrid(grid, colour) : undefined;
    const cells = await inputs.shadowCells(view);
    return {
      transparent,
      backdrop: async (random) => ({ image: enlargeGrid(grid, frame, rgb, cells, opacityOf(random, 0.12)) }),
    };
  }
  if (kind === "template" && "template_url" in scene) {
    if (!inputs.template) throw new Error("template scene without its template");
    const text = promptText(scene.prompt);
    const tint =
      scene.color !== undefined ? colourField(scene.color, "scene.color") : paletteFor(text, undefined).wall;
    const mode = scene.template_mode ?? "transform";
    const template = await inputs.template();
    const cells = await inputs.shadowCells(scene.view);
    const mask = cells && (await shadowMask(cells, grid, frame));
    // A locked template stays as it is, so its variants differ by their shadow alone.
    const jitter = mode === "lock" ? 0.3 : 0.12;
    return {
      transparent: false,
      backdrop: async (random) => {
        const opacity = opacityOf(random, jitter);
        const { data, info } = await templateBackdrop(template, mode, tint, random)
          .raw()
          .toBuffer({ resolveWithObject: true });
        const image = sharp(data, { raw: info });
        if (!mask) return { image };
        const shadow: OverlayOptions = {
          input: await shadowLayer(mask, opacity),
          raw: { width: mask.width, height: mask.height, channels: 4 },
          left: mask.left,
          top: mask.top,
        };
        return { image, shadow };
      },
    };
  }
  if (kind === "prompt" && "prompt" in scene) {
    const text = promptText(scene.prompt);
    if (scene.color !== undefined) colourField(scene.color, "scene.color");
    const palette = paletteFor(text, scene.color);
    const view: View = TOP_VIEW_WORDS.test(text) ? "top" : "front";
    // Seeded by the prompt, not the whole request: the surface stays put while the product moves.
    const textureSeed = hashHex(text, palette.material, `${grid.width}x${grid.height}`);
    const texture = await textures(textureSeed, async () =>
      surfaceTexture(grid, frame, palette.material, randomFrom(textureSeed)),
    );
    const cells = await inputs.shadowCells(view);
    return {
      transparent: false,
      backdrop: async (random) => {
        const rgb = studioGrid(grid, frame, { palette, view, texture, random });
        return { image: enlargeGrid(grid, frame, rgb, cells, opacityOf(random, 0.12)) };
      },
    };
  }
  throw errors.invalid("scene", "A scene needs one of: effect, template_url (with view), or prompt");
}

/** Checks what only the local engine can check, and builds what every variant shares. */
export async function prepareScene(
  request: SceneCreateRequest,
  inputs: SceneInputs,
  options: RenderOptions & { seed: string },
): Promise<PreparedScene> {
  const frame = frameSizeFor(request, { input: inputs.product, template: inputs.template?.size });
  const placement = placementFor(request, inputs.product, frame);
  checkSceneRules(request);

  const placedKey = `${inputs.product.sha256}|${frame.width}x${frame.height}|${JSON.stringify(placement)}`;
  const layer = await placedProducts(placedKey, () => placeProduct(inputs.product, placement, frame));
  const wantShadow = options.shadows !== false && layer !== undefined;
  const template = inputs.template;
  const { transparent, backdrop } = await sceneBackdrop(request.scene, frame, {
    template: template && (() => template.frame(frame)),
    shadowCells: async (view) =>
      wantShadow && layer
        ? shadows(`${placedKey}|${view}`, () => shadowCells(layer, frame, view))
        : undefined,
  });
  return { frame, placement, layer, transparent, backdrop, seed: options.seed };
}

/** One variant, encoded. Its randomness comes only from the request's seed and its index. */
export async function renderVariant(
  prepared: PreparedScene,
  index: number,
  encoding: Encoding,
): Promise<Buffer> {
  const random = randomFrom(hashHex(prepared.seed, String(index)));
  const { image, shadow } = await prepared.backdrop(random);
  const l = prepared.layer;
  if (!shadow && !prepared.transparent) {
    // The common case, an opaque backdrop with the product on top: blended here, on the product's
    // rectangle only (see blend.ts), then encoded.
    const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
    if (l) blendOver(data, info.width, l);
    return applyEncoding(sharp(data, { raw: info }), encoding).toBuffer();
  }
  const layers: OverlayOptions[] = shadow ? [shadow] : [];
  if (l)
    layers.push({
      input: l.pixels,
      raw: { width: l.width, height: l.height, channels: 4 },
      left: l.left,
      top: l.top,
    });
  let out = layers.length ? image.composite(layers) : image;
  // Composite adds an alpha channel; an opaque backdrop needs none in the file.
  if (!prepared.transparent) out = out.removeAlpha();
  return applyEncoding(out, encoding).toBuffer();
}

export async function renderVariants(
  prepared: PreparedScene,
  count: number,
  encoding: Encoding,
): Promise<Buffer[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => renderVariant(prepared, i, encoding)));
}
