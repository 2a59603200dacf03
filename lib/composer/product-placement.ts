import { parsePadding } from "@/lib/scene/padding";
import type { ImagePlacement, Size } from "@/lib/scene/placement";
import { absoluteValuesOf, placeAbsolute, placeOriginal, placePadding } from "@/lib/scene/placement";

import type { ComposerDoc } from "./doc";
import type { ImageMeta } from "./images";

const NO_PADDING = {
  vertical: { value: 0, unit: "%" as const },
  horizontal: { value: 0, unit: "%" as const },
};

/** Where the engines put the product for this document: the canvas draws exactly this. */
export function productPlacement(doc: ComposerDoc, meta: ImageMeta, frame: Size): ImagePlacement {
  switch (doc.placement) {
    case "original":
      return placeOriginal(frame, meta);
    case "padding": {
      const parsed = parsePadding(doc.padding);
      return placePadding(frame, meta.objectBox, parsed.ok ? parsed.padding : NO_PADDING);
    }
    case "absolute":
      return placeAbsolute(frame, meta.objectBox, absoluteValuesOf(doc.absolute));
  }
}
