import type { Box, Size } from "@/lib/scene/placement";
import { frameSizeFor, frameSourceOf, placedBounds, productPlacement } from "@/lib/scene/placement";

import type { Subject } from "./camera";
import type { ComposerDoc } from "./doc";
import type { ImageMeta } from "./images";
import { buildObject, buildScene } from "./request";

export type ImageCache = Record<string, ImageMeta>;

/** The frame the engines render, in output pixels (ARCHITECTURE §2), from what the composer knows. */
export function frameOf(doc: ComposerDoc, images: ImageCache): Size {
  const request = { object: buildObject(doc), scene: buildScene(doc) };
  const input = images[doc.imageUrl];
  const template = doc.scene.template_url ? images[doc.scene.template_url] : undefined;
  return frameSizeFor(request, { input, template });
}

export function frameSourceOfDoc(doc: ComposerDoc) {
  return frameSourceOf({ object: buildObject(doc), scene: buildScene(doc) });
}

/** The product's bounds in the frame (frame px, not clipped), when there is a product to place. */
export function productBoundsOf(doc: ComposerDoc, images: ImageCache, frame: Size): Box | undefined {
  const meta = images[doc.imageUrl];
  if (!meta) return undefined;
  const { placement } = productPlacement(buildObject(doc), meta, frame);
  return placedBounds(placement, doc.placement === "original" ? wholeImage(meta) : meta.objectBox);
}

const wholeImage = (size: Size): Box => ({ x: 0, y: 0, width: size.width, height: size.height });

/**
 * What the canvas fits when nobody has zoomed: the frame, grown to take in the product where it
 * sticks out (so its selection box and handles stay in view), but never more than half a frame past
 * any edge, so a wild value typed by hand does not shrink the frame to a dot.
 */
export function contentBounds(frame: Size, product: Box | undefined): Box {
  if (!product) return wholeImage(frame);
  const x0 = Math.max(-frame.width / 2, Math.min(0, product.x));
  const y0 = Math.max(-frame.height / 2, Math.min(0, product.y));
  const x1 = Math.min(frame.width * 1.5, Math.max(frame.width, product.x + product.width));
  const y1 = Math.min(frame.height * 1.5, Math.max(frame.height, product.y + product.height));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** The camera's subject for a document: its frame and what to fit. */
export function subjectOf(doc: ComposerDoc, images: ImageCache): Subject {
  const frame = frameOf(doc, images);
  return { frame, bounds: contentBounds(frame, productBoundsOf(doc, images, frame)) };
}
