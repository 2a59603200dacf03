import type { Size } from "@/lib/scene/placement";
import { frameSizeFor, frameSourceOf } from "@/lib/scene/placement";

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
