import type { ExportFit, PresetSpec } from "@/lib/scene/export";
import type { Box, Size } from "@/lib/scene/placement";

/**
 * Where an export's frame lies on its source image, and what size it is made at. Pure geometry: the
 * window is in source pixels and may reach past the source (that part is padded); `product` is the
 * product's box in the export's pixels.
 */
export type Framing = {
  window: Box;
  output: Size;
  /** Export pixels per source pixel. */
  scale: number;
  /** How much the source was enlarged (only when allowed); null when it was not. */
  enlarged: number | null;
  product?: Box;
};

/**
 * `plain`: a colour scene (effect), which extends seamlessly and whose every pixel of exactly its
 * colour is background; `scene`: a prompt or template scene, which does not extend.
 */
export type Backdrop = "plain" | "scene";

export type FramingInput = {
  source: Size;
  /** The product's box in the source (the part inside it); unknown when the output could not be placed. */
  product?: Box | undefined;
  spec: Pick<PresetSpec, "width" | "height" | "minimum" | "fit" | "fill" | "minFill">;
  backdrop: Backdrop;
  allowUpscale: boolean;
  /**
   * Whether a window's outer band of `band` source pixels is all background (plain backdrops), so
   * `product` framing can keep a shadow from being cut at the edge.
   */
  isClean?: ((window: Box, band: number) => boolean) | undefined;
};

/** The outer band kept clean: about one JPEG block of the export. */
const CLEAN_BAND_EXPORT_PX = 8;
const FILL_STEP = 0.01;
/** Below this the product is too small to be worth framing around; a cut shadow is the lesser harm. */
const LOWEST_FILL = 0.6;
const POSITION_STEPS = 6;

const centreOf = (b: Box) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

function centred(width: number, height: number, at: { x: number; y: number }): Box {
  return { x: at.x - width / 2, y: at.y - height / 2, width, height };
}

/** The window moved (not resized) to lie inside the source where it can. */
function clampInto(window: Box, source: Size): Box {
  const x = window.width <= source.width ? clamp(window.x, 0, source.width - window.width) : window.x;
  const y = window.height <= source.height ? clamp(window.y, 0, source.height - window.height) : window.y;
  return { ...window, x, y };
}

/** The whole source, padded to the export's aspect. */
function containWindow(source: Size, r: number): Box {
  const width = Math.max(source.width, source.height * r);
  return centred(width, width / r, { x: source.width / 2, y: source.height / 2 });
}

/** The largest window of the export's aspect inside the source, centred on the product where it can be. */
function coverWindow(source: Size, r: number, product: Box | undefined): Box {
  const width = Math.min(source.width, source.height * r);
  const at = product ? centreOf(product) : { x: source.width / 2, y: source.height / 2 };
  return clampInto(centred(width, width / r, at), source);
}

/** Positions of a `width`-wide window that keep the product inside, nearest to centring it first. */
function positions(product: Box, width: number, height: number): { x: number; y: number }[] {
  const c = centreOf(product);
  const spareX = Math.max(0, (width - product.width) / 2);
  const spareY = Math.max(0, (height - product.height) / 2);
  const found: { x: number; y: number; d: number }[] = [];
  for (let i = -POSITION_STEPS; i <= POSITION_STEPS; i++) {
    for (let j = -POSITION_STEPS; j <= POSITION_STEPS; j++) {
      const x = c.x + (spareX * i) / POSITION_STEPS;
      const y = c.y + (spareY * j) / POSITION_STEPS;
      found.push({ x, y, d: i * i + j * j });
    }
  }
  return found.sort((a, b) => a.d - b.d);
}

/**
 * `product` framing: the product fills `fill` of the frame (its limiting side), or less down to
 * `minFill`. On a plain backdrop the frame is the fullest one whose edge is clear of the product's
 * shadow, so nothing is cut and the border stays the backdrop's colour; when only a fill below
 * `minFill` keeps the shadow whole, that one is taken (the fill check then says so) rather than a cut
 * shadow. On a scene the frame stays inside the picture where it can.
 */
function productWindow(input: FramingInput, product: Box, r: number): Box {
  const { source, spec, backdrop } = input;
  const tight = Math.max(product.width, product.height * r);
  const lowest = Math.max(LOWEST_FILL, spec.minFill ?? spec.fill - 0.05);
  if (backdrop === "plain") {
    for (let f = spec.fill; f >= LOWEST_FILL - 1e-9; f -= FILL_STEP) {
      const width = tight / f;
      const height = width / r;
      const scale = input.allowUpscale ? spec.minimum.width / width : Math.min(1, spec.width / width);
      const band = Math.ceil(CLEAN_BAND_EXPORT_PX / scale);
      for (const at of positions(product, width, height)) {
        const window = centred(width, height, at);
        if (!input.isClean || input.isClean(window, band)) return window;
      }
    }
    return centred(tight / lowest, tight / lowest / r, centreOf(product));
  }
  const inside = Math.min(source.width, source.height * r);
  if (inside >= tight) {
    const width = clamp(tight / spec.fill, tight, inside);
    return clampInto(centred(width, width / r, centreOf(product)), source);
  }
  return centred(tight, tight / r, centreOf(product));
}

function windowFor(input: FramingInput, fit: ExportFit, r: number): Box {
  const { source, product } = input;
  if (fit === "contain") return containWindow(source, r);
  if (fit === "cover" || !product)
    return fit === "cover" ? coverWindow(source, r, product) : containWindow(source, r);
  return productWindow(input, product, r);
}

/**
 * The frame an export takes from its source and the size it is made at: the preset's size when the
 * source has the pixels for it, else the window's own size when that is still at least the
 * preset's minimum. A source smaller than that is never enlarged silently: it keeps its size (the
 * size check fails), or with `allowUpscale` it is enlarged to the minimum and `enlarged` says by how
 * much.
 */
export function frameExport(input: FramingInput): Framing {
  const { spec } = input;
  const r = spec.width / spec.height;
  const window = windowFor(input, spec.fit, r);
  const native = {
    width: Math.max(1, Math.round(window.width)),
    height: Math.max(1, Math.round(window.width / r)),
  };
  let output: Size;
  let enlarged: number | null = null;
  if (spec.width <= window.width) {
    output = { width: spec.width, height: spec.height };
  } else if (native.width >= spec.minimum.width && native.height >= spec.minimum.height) {
    output = native;
  } else if (input.allowUpscale) {
    output = { width: spec.minimum.width, height: spec.minimum.height };
    enlarged = Math.round((output.width / window.width) * 100) / 100;
  } else {
    output = native;
  }
  const scale = output.width / window.width;
  const product = input.product && {
    x: (input.product.x - window.x) * scale,
    y: (input.product.y - window.y) * scale,
    width: input.product.width * scale,
    height: input.product.height * scale,
  };
  return { window, output, scale, enlarged, ...(product ? { product } : {}) };
}

/** The product's share of the frame on its limiting side (Amazon's "fills 85 % of the image"). */
export function fillOf(product: Box, output: Size): number {
  return Math.max(product.width / output.width, product.height / output.height);
}
