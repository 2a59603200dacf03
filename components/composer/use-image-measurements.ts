"use client";

import { useEffect, useMemo, useRef, useState } from "react";

import { ApiFailure } from "@/lib/client/request";
import type { ComposerDoc } from "@/lib/composer/doc";
import type { ImageCache } from "@/lib/composer/frame";
import { imageChecksOf, imageReferences, isCheckable, type ImageChecks } from "@/lib/composer/image-checks";
import type { ComposerAction } from "@/lib/composer/reducer";

import { loadApi } from "./api-loader";
import { measureImage, metaFromUpload } from "./image-source";

const isRemote = (url: string) => /^https?:\/\//i.test(url);

async function load(url: string) {
  if (!isRemote(url)) return measureImage(url);
  return metaFromUpload(await (await loadApi()).importUrl(url));
}

/**
 * Images named by a loaded request (Import JSON, `?from=`, a restored draft) rather than uploaded
 * here. Remote ones (`https://…`) are imported by the server through its guarded fetcher and the
 * canvas draws our copy (the page loads images from its own origin only); the request keeps the URL
 * as typed. Images held here are measured in the browser. Every reference that cannot be read is
 * reported with the field that names it, all at once, so Generate can say what to fix.
 */
export function useImageMeasurements(
  doc: ComposerDoc,
  images: ImageCache,
  dispatch: (action: ComposerAction) => void,
): ImageChecks {
  const measuring = useRef(new Set<string>());
  const [failures, setFailures] = useState<Record<string, string>>({});
  const references = useMemo(() => imageReferences(doc), [doc]);

  // A URL named again after it was dropped gets a fresh try: failures go with the references.
  const named = references.map((r) => r.url).join("\n");
  const [failuresFor, setFailuresFor] = useState(named);
  if (failuresFor !== named) {
    setFailuresFor(named);
    const urls = new Set(references.map((r) => r.url));
    setFailures((current) => Object.fromEntries(Object.entries(current).filter(([url]) => urls.has(url))));
  }

  useEffect(() => {
    for (const { url } of references) {
      if (images[url] || measuring.current.has(url) || failures[url] !== undefined || !isCheckable(url))
        continue;
      measuring.current.add(url);
      load(url)
        .then((meta) => dispatch({ type: "imageMeta", url, meta }))
        .catch((error: unknown) => {
          const message =
            error instanceof ApiFailure
              ? error.message
              : isRemote(url)
                ? "The image at this URL could not be imported"
                : "The image could not be loaded: it may have been deleted";
          setFailures((current) => ({ ...current, [url]: message }));
        })
        .finally(() => measuring.current.delete(url));
    }
  }, [references, images, failures, dispatch]);

  return useMemo(() => imageChecksOf(references, images, failures), [references, images, failures]);
}
