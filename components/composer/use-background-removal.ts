"use client";

import { useCallback, useState } from "react";

import { ApiFailure } from "@/lib/client/request";
import { heldImageUrl, type ImageMeta } from "@/lib/composer/images";
import type { ComposerAction } from "@/lib/composer/reducer";
import type { Engine } from "@/lib/scene/generation";

import { loadApi } from "./api-loader";
import { metaFromUpload } from "./image-source";

export type RemovalState =
  | { kind: "idle" }
  | { kind: "working"; engine: Engine }
  | { kind: "failed"; engine: Engine; message: string; tryClaid: boolean };

/**
 * "Remove background" for the product: the server cuts the image out (a generation on the chosen
 * engine) and keeps the cutout as a new upload; the product becomes the cutout, one undo step, with
 * its original remembered so the slot can show before and after and go back.
 */
export function useBackgroundRemoval(
  product: { url: string; meta: ImageMeta | undefined },
  dispatch: (action: ComposerAction) => void,
) {
  const [state, setState] = useState<RemovalState>({ kind: "idle" });

  const remove = useCallback(
    async (engine: Engine) => {
      const held = heldImageUrl(product.url, product.meta);
      if (!held || !product.meta) return;
      setState({ kind: "working", engine });
      try {
        const cutout = await (await loadApi()).removeBackground(held, engine);
        dispatch({
          type: "setProduct",
          url: cutout.url,
          meta: {
            ...metaFromUpload(cutout),
            cutOutFrom: { url: product.url, src: product.meta.src, engine },
          },
        });
        setState({ kind: "idle" });
      } catch (error) {
        const failure = error instanceof ApiFailure ? error : undefined;
        setState({
          kind: "failed",
          engine,
          message: failure?.message ?? "The background could not be removed",
          // The free cutout refuses busy backgrounds: Claid's removal can do them.
          tryClaid: engine === "local" && failure?.code === "background_not_removable",
        });
      }
    },
    [product.url, product.meta, dispatch],
  );

  /** Back to the image the cutout was made from (its measurements are still known, or re-measured). */
  const restore = useCallback(
    (original: string, meta: ImageMeta | undefined) => {
      dispatch(meta ? { type: "setProduct", url: original, meta } : { type: "setProduct", url: original });
      setState({ kind: "idle" });
    },
    [dispatch],
  );

  return { state, remove, restore };
}
