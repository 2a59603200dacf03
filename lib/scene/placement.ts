/**
 * Placement geometry shared by the canvas and the local engine: what you see is what is rendered.
 * Pure: no React, no Konva, no sharp. All frame coordinates are pixels, origin top-left, y down.
 *
 * An `ImagePlacement` says where the product image lands: the image point `anchor` (image pixels) sits
 * at frame point `center`, the image is scaled by `scaleX/scaleY` and turned clockwise by `rotation`
 * degrees about that point. It maps one-to-one onto a Konva node (x/y = center, offset = anchor).
 */
import type { AspectRatio } from "./aspect-ratios";
import { parseAspectRatio } from "./aspect-ratios";
import type { ObjectAbsolute, SceneCreateRequest } from "./contract";
import type { Padding } from "./padding";
import { paddingInPixels, parsePadding } from "./padding";
import { SCALE_MIN, sceneKindOf } from "./vocabulary";

export type Size = { width: number; height: number };
export type Point = { x: number; y: number };
export type Box = { x: number; y: number; width: number; height: number };

export type ImagePlacement = {
  center: Point;
  anchor: Point;
  scaleX: number;
  scaleY: number;
  rotation: number;
};

/** The API's position: x from the left edge; y from the bottom edge (the schema: "0 is the bottom"). */
export const API_Y_FROM_BOTTOM = true;

/** Pixels with alpha at or above this count as the product when measuring its object box. */
export const ALPHA_THRESHOLD = 8;

/** Frames are rendered near one megapixel; 1:1 is exactly 1024 × 1024. */
export const TARGET_PIXELS = 1024 * 1024;

export const API_DEFAULT_POSITION = { x: 0.5, y: 0.5 } as const;
export const API_DEFAULT_SCALE = 1;
export const API_DEFAULT_ROTATION = 0;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Exact ratio, near one megapixel: both sides are whole multiples of the reduced ratio. */
export function frameSizeForAspect(ratio: AspectRatio): Size {
  const { w, h } = parseAspectRatio(ratio);
  const d = gcd(w, h);
  const rw = w / d;
  const rh = h / d;
  const k = Math.max(1, Math.round(Math.sqrt(TARGET_PIXELS / (rw * rh))));
  return { width: rw * k, height: rh * k };
}

/** A template or an input image as the frame: its own aspect, near one megapixel. */
export function frameSizeForImage(image: Size): Size {
  const k = Math.sqrt(TARGET_PIXELS / (image.width * image.height));
  return {
    width: Math.max(1, Math.round(image.width * k)),
    height: Math.max(1, Math.round(image.height * k)),
  };
}

export type FrameSource = "aspect_ratio" | "template" | "original";

/**
 * Where the frame comes from: the input image for `original` placement (the object stays where it is),
 * the template for template scenes, otherwise the aspect ratio (default 1:1).
 */
export function frameSourceOf(request: Pick<SceneCreateRequest, "object" | "scene">): FrameSource {
  if (request.object.placement_type === "original") return "original";
  if (sceneKindOf(request.scene) === "template") return "template";
  return "aspect_ratio";
}

export function aspectRatioOf(scene: SceneCreateRequest["scene"]): AspectRatio {
  return ("aspect_ratio" in scene && scene.aspect_ratio) || "1:1";
}

export function frameSizeFor(
  request: Pick<SceneCreateRequest, "object" | "scene">,
  images: { input?: Size; template?: Size },
): Size {
  const source = frameSourceOf(request);
  if (source === "original" && images.input) return frameSizeForImage(images.input);
  if (source === "template" && images.template) return frameSizeForImage(images.template);
  return frameSizeForAspect(aspectRatioOf(request.scene));
}

/** The factor that makes the object box just fit the frame: scale 1 in the API. */
export function fitFactor(frame: Size, objectBox: Box): number {
  return Math.min(frame.width / objectBox.width, frame.height / objectBox.height);
}

function boxCenter(box: Box): Point {
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

export function apiYToFrameY(y: number, frameHeight: number): number {
  return API_Y_FROM_BOTTOM ? (1 - y) * frameHeight : y * frameHeight;
}

export function frameYToApiY(py: number, frameHeight: number): number {
  return API_Y_FROM_BOTTOM ? 1 - py / frameHeight : py / frameHeight;
}

/** Scale 0 is allowed by the schema; it renders as the smallest scale rather than as nothing. */
export function effectiveScale(scale: number): number {
  return scale === 0 ? SCALE_MIN : scale;
}

export type AbsoluteValues = { x: number; y: number; scale: number; rotation: number };

export function absoluteValuesOf(object: Omit<ObjectAbsolute, "image_url">): AbsoluteValues {
  return {
    x: object.position?.x ?? API_DEFAULT_POSITION.x,
    y: object.position?.y ?? API_DEFAULT_POSITION.y,
    scale: object.scale ?? API_DEFAULT_SCALE,
    rotation: object.rotation_degree ?? API_DEFAULT_ROTATION,
  };
}

export function placeAbsolute(frame: Size, objectBox: Box, values: AbsoluteValues): ImagePlacement {
  const s = fitFactor(frame, objectBox) * effectiveScale(values.scale);
  return {
    center: { x: values.x * frame.width, y: apiYToFrameY(values.y, frame.height) },
    anchor: boxCenter(objectBox),
    scaleX: s,
    scaleY: s,
    rotation: values.rotation,
  };
}

/** The contract: padding "can not be bigger than half of the image width/height" (pixels known only now). */
export function paddingFitsFrame(padding: Padding, frame: Size): boolean {
  const inset = paddingInPixels(padding, frame);
  return 2 * inset.vertical <= frame.height && 2 * inset.horizontal <= frame.width;
}

/** The object box is fitted and centred inside the frame less the padding. */
export function placePadding(frame: Size, objectBox: Box, padding: Padding): ImagePlacement {
  const inset = paddingInPixels(padding, frame);
  const inner = {
    width: Math.max(0, frame.width - 2 * inset.horizontal),
    height: Math.max(0, frame.height - 2 * inset.vertical),
  };
  const s = Math.min(inner.width / objectBox.width, inner.height / objectBox.height);
  return {
    center: { x: frame.width / 2, y: frame.height / 2 },
    anchor: boxCenter(objectBox),
    scaleX: s,
    scaleY: s,
    rotation: 0,
  };
}

/** The input image is the frame: it is stretched onto it (the frame keeps its aspect to a pixel). */
export function placeOriginal(frame: Size, image: Size): ImagePlacement {
  return {
    center: { x: frame.width / 2, y: frame.height / 2 },
    anchor: { x: image.width / 2, y: image.height / 2 },
    scaleX: frame.width / image.width,
    scaleY: frame.height / image.height,
    rotation: 0,
  };
}

/** An image as placement sees it: its size and the box of its visible pixels. */
export type PlacedImage = Size & { objectBox: Box };

const NO_PADDING: Padding = {
  vertical: { value: 0, unit: "%" },
  horizontal: { value: 0, unit: "%" },
};

/**
 * Where the product lands for a request's `object`: the one placement dispatch the canvas draws and
 * the local engine renders, so what you see is what is rendered. `paddingFits` is false for padding
 * that does not parse or takes more than half the frame: the engine refuses that request, the canvas
 * still draws something (unpadded when it does not parse).
 */
export function productPlacement(
  object: SceneCreateRequest["object"],
  image: PlacedImage,
  frame: Size,
): { placement: ImagePlacement; paddingFits: boolean } {
  if (object.placement_type === "original")
    return { placement: placeOriginal(frame, image), paddingFits: true };
  if (object.placement_type === "padding") {
    const parsed = parsePadding(object.padding);
    const padding = parsed.ok ? parsed.padding : NO_PADDING;
    return {
      placement: placePadding(frame, image.objectBox, padding),
      paddingFits: parsed.ok && paddingFitsFrame(parsed.padding, frame),
    };
  }
  return { placement: placeAbsolute(frame, image.objectBox, absoluteValuesOf(object)), paddingFits: true };
}

/** Where an image point lands in the frame. */
export function toFrame(placement: ImagePlacement, point: Point): Point {
  const rad = (placement.rotation * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const dx = (point.x - placement.anchor.x) * placement.scaleX;
  const dy = (point.y - placement.anchor.y) * placement.scaleY;
  return { x: placement.center.x + dx * cos - dy * sin, y: placement.center.y + dx * sin + dy * cos };
}

/** Corners of a box given in image pixels, in frame pixels, clockwise from the top-left. */
export function placedCorners(placement: ImagePlacement, box: Box): [Point, Point, Point, Point] {
  return [
    toFrame(placement, { x: box.x, y: box.y }),
    toFrame(placement, { x: box.x + box.width, y: box.y }),
    toFrame(placement, { x: box.x + box.width, y: box.y + box.height }),
    toFrame(placement, { x: box.x, y: box.y + box.height }),
  ];
}

/** The axis-aligned bounds of a placed box in frame pixels (not clipped to the frame). */
export function placedBounds(placement: ImagePlacement, box: Box): Box {
  const corners = placedCorners(placement, box);
  const xs = corners.map((c) => c.x);
  const ys = corners.map((c) => c.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}

export function clipToFrame(box: Box, frame: Size): Box | undefined {
  const x0 = Math.max(0, box.x);
  const y0 = Math.max(0, box.y);
  const x1 = Math.min(frame.width, box.x + box.width);
  const y1 = Math.min(frame.height, box.y + box.height);
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : undefined;
}

/**
 * The axis-aligned bounds of the part of a placed box that is inside the frame (the rotated box clipped
 * to the frame, then bounded): what a viewer sees of it. Undefined when none of it is inside.
 */
export function visiblePlacedBounds(placement: ImagePlacement, box: Box, frame: Size): Box | undefined {
  let polygon: Point[] = placedCorners(placement, box);
  const edges: Array<[(p: Point) => number, (a: Point, b: Point) => Point]> = [
    [(p) => p.x, (a, b) => lerpAt(a, b, (0 - a.x) / (b.x - a.x))],
    [(p) => frame.width - p.x, (a, b) => lerpAt(a, b, (frame.width - a.x) / (b.x - a.x))],
    [(p) => p.y, (a, b) => lerpAt(a, b, (0 - a.y) / (b.y - a.y))],
    [(p) => frame.height - p.y, (a, b) => lerpAt(a, b, (frame.height - a.y) / (b.y - a.y))],
  ];
  // Sutherland–Hodgman: clip the convex quadrilateral against each frame edge in turn.
  for (const [inside, cross] of edges) {
    const next: Point[] = [];
    polygon.forEach((current, i) => {
      const previous = polygon[(i + polygon.length - 1) % polygon.length] ?? current;
      const currentIn = inside(current) >= 0;
      const previousIn = inside(previous) >= 0;
      if (currentIn !== previousIn) next.push(cross(previous, current));
      if (currentIn) next.push(current);
    });
    polygon = next;
    if (polygon.length === 0) return undefined;
  }
  const xs = polygon.map((p) => p.x);
  const ys = polygon.map((p) => p.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  const width = Math.max(...xs) - x;
  const height = Math.max(...ys) - y;
  return width > 0 && height > 0 ? { x, y, width, height } : undefined;
}

function lerpAt(a: Point, b: Point, t: number): Point {
  return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
}

// ----- canvas → API -----------------------------------------------------------------------------

export function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Into [0, 360) after rounding to hundredths (359.999 becomes 0, not 360). */
export function normalizeRotation(degrees: number): number {
  const r = roundTo(((degrees % 360) + 360) % 360, 2);
  return r >= 360 ? 0 : r === 0 ? 0 : r;
}

/**
 * The API values for an object drawn with its object-box centre at `center` (frame pixels), at
 * `imageScale` (image pixels → frame pixels) and `rotation`: rounded to 4 decimals (x, y, scale) and 2
 * (rotation), clamped to the schema's ranges, rotation normalised into [0, 360).
 */
export function absoluteValuesFromCanvas(
  frame: Size,
  objectBox: Box,
  drawn: { center: Point; imageScale: number; rotation: number },
): AbsoluteValues {
  return {
    x: clamp(roundTo(drawn.center.x / frame.width, 4), 0, 1),
    y: clamp(roundTo(frameYToApiY(drawn.center.y, frame.height), 4), 0, 1),
    scale: clamp(roundTo(drawn.imageScale / fitFactor(frame, objectBox), 4), SCALE_MIN, 1),
    rotation: normalizeRotation(drawn.rotation),
  };
}

/**
 * Values typed by hand, rounded like the canvas's but not clamped: a value out of the schema's range
 * stays what was typed, for the contract to point out. A rotation is an angle, so it is normalised.
 */
export function roundAbsoluteValues(values: AbsoluteValues): AbsoluteValues {
  return {
    x: roundTo(values.x, 4),
    y: roundTo(values.y, 4),
    scale: roundTo(values.scale, 4),
    rotation: normalizeRotation(values.rotation),
  };
}
