"use client";

import { useEffect, useRef } from "react";

import type { ComposerDoc } from "@/lib/composer/doc";
import type { ImageCache } from "@/lib/composer/frame";
import type { ComposerAction } from "@/lib/composer/reducer";

import { measureImage } from "./image-source";

/** Images named by a loaded request (not uploaded here) are measured in the browser. */
export function useImageMeasurements(
  doc: ComposerDoc,
  images: ImageCache,
  dispatch: (action: ComposerAction) => void,
) {
  const measuring = useRef(new Set<string>());
  useEffect(() => {
    for (const url of [doc.imageUrl, doc.scene.template_url]) {
      if (!url || images[url] || measuring.current.has(url)) continue;
      measuring.current.add(url);
      measureImage(url)
        .then((meta) => dispatch({ type: "imageMeta", url, meta }))
        .catch(() => undefined)
        .finally(() => measuring.current.delete(url));
    }
  }, [doc.imageUrl, doc.scene.template_url, images, dispatch]);
}
