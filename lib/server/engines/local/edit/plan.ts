import "server-only";

import type { EditPadding, PaddingLength, ResizingOperation } from "@/lib/scene/image-edit";
import type { Box, Size } from "@/lib/scene/placement";

import type { LocalFit } from "./support";

/**
 * The geometry of an image edit on the local engine, as Claid's docs describe it, in pure functions:
 *
 * - `resizing` sets the output size. Without `fit` (crop) a side left out keeps its size and the
 *   image is cut to it; with another fit a side left out (or "auto") keeps the aspect ratio. With
 *   both sides: crop covers and cuts to exactly that size, bounds fits inside it, cover covers it
 *   (one side may come out larger), canvas fits inside and fills the rest up to exactly that size.
 * - `padding` keeps the output's size (the input's, or what `resizing` makes of the input's) and
 *   squeezes the picture into what is left inside the padding, centred. With `clipping` the picture
 *   is the object's bounding box, so the padding counts from the object's edges.
 */

/** A `resizing` width or height in pixels, against the input's side; undefined when left to the aspect. */
function side(value: ResizingOperation["width"], full: number): number | undefined {
  if (value === undefined || value === "auto") return undefined;
  if (typeof value === "number") return value;
  return Math.max(1, Math.round((Number.parseFloat(value) / 100) * full));
}

export type ResizePlan =
  /** Scaled to `size`, then cut to `crop` (centred) when it is smaller. */
  | { kind: "scale"; size: Size; crop?: Size }
  /** Scaled to `size` and placed centred on a canvas of `canvas`. */
  | { kind: "canvas"; size: Size; canvas: Size };

const round = (v: number) => Math.max(1, Math.round(v));

function scaled(image: Size, k: number): Size {
  return { width: round(image.width * k), height: round(image.height * k) };
}

/** What `resizing` does to an image of `image` size; undefined when it leaves the size alone. */
export function planResize(
  image: Size,
  resizing: ResizingOperation | undefined,
  fit: LocalFit,
): ResizePlan | undefined {
  if (!resizing) return undefined;
  const width = side(resizing.width, image.width);
  const height = side(resizing.height, image.height);
  if (width === undefined && height === undefined) return undefined;
  if (width === undefined || height === undefined) {
    const leftOut = (width === undefined ? resizing.width : resizing.height) === undefined;
    if (fit === "crop" && leftOut) {
      // The side left out keeps its size: the image covers the new box and is cut to it.
      const box = { width: width ?? image.width, height: height ?? image.height };
      return cover(image, box, true);
    }
    const k = width !== undefined ? width / image.width : height! / image.height;
    return { kind: "scale", size: scaled(image, k) };
  }
  const box = { width, height };
  switch (fit) {
    case "crop":
      return cover(image, box, true);
    case "cover":
      return cover(image, box, false);
    case "bounds":
      return { kind: "scale", size: scaled(image, Math.min(width / image.width, height / image.height)) };
    case "canvas":
      return {
        kind: "canvas",
        size: scaled(image, Math.min(width / image.width, height / image.height)),
        canvas: box,
      };
  }
}

function cover(image: Size, box: Size, cut: boolean): ResizePlan {
  const size = scaled(image, Math.max(box.width / image.width, box.height / image.height));
  // Rounding may leave the covering side a pixel short of the box.
  const covering = { width: Math.max(size.width, box.width), height: Math.max(size.height, box.height) };
  if (!cut) return { kind: "scale", size: covering };
  return { kind: "scale", size: covering, crop: box };
}

/** The size a plan produces. */
export function plannedSize(image: Size, plan: ResizePlan | undefined): Size {
  if (!plan) return image;
  if (plan.kind === "canvas") return plan.canvas;
  return plan.crop ?? plan.size;
}

export type PaddingPlan = { frame: Size; inner: Box; placed: Box };

function pixels(length: PaddingLength, full: number): number {
  return length.unit === "px" ? length.value : (length.value / 100) * full;
}

/**
 * Where the picture goes inside a padded `frame`: the box left inside the padding, and the picture
 * (`content`) fitted into it and centred. A side's padding may be at most half the frame (as Claid
 * says); `tooLarge` names a side that is not, or when nothing is left inside.
 */
export function planPadding(
  frame: Size,
  padding: EditPadding,
  content: Size,
): PaddingPlan | { tooLarge: string } {
  const top = pixels(padding.top, frame.height);
  const bottom = pixels(padding.bottom, frame.height);
  const left = pixels(padding.left, frame.width);
  const right = pixels(padding.right, frame.width);
  for (const [name, value, full] of [
    ["top", top, frame.height],
    ["bottom", bottom, frame.height],
    ["left", left, frame.width],
    ["right", right, frame.width],
  ] as const) {
    if (value > full / 2) {
      return {
        tooLarge: `The ${name} padding (${Math.round(value)} px) is more than half of the ${full} px side`,
      };
    }
  }
  const inner = {
    x: Math.round(left),
    y: Math.round(top),
    width: Math.round(frame.width - left - right),
    height: Math.round(frame.height - top - bottom),
  };
  if (inner.width < 1 || inner.height < 1) {
    return { tooLarge: "The padding leaves no room for the picture" };
  }
  const k = Math.min(inner.width / content.width, inner.height / content.height);
  const width = round(content.width * k);
  const height = round(content.height * k);
  return {
    frame,
    inner,
    placed: {
      x: inner.x + Math.floor((inner.width - width) / 2),
      y: inner.y + Math.floor((inner.height - height) / 2),
      width,
      height,
    },
  };
}
