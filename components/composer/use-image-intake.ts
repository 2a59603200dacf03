"use client";

import { useCallback, useState } from "react";

import { ApiFailure } from "@/lib/client/request";
import type { ComposerAction } from "@/lib/composer/reducer";
import type { UploadedImage } from "@/lib/scene/generation";

import { loadApi } from "./api-loader";
import { metaFromUpload } from "./image-source";

export type Slot = "product" | "template";

export type SlotStatus = { busy: boolean; error?: string };

/** Uploads and URL imports into the product or template slot, with per-slot progress and errors. */
export function useImageIntake(dispatch: (action: ComposerAction) => void) {
  const [status, setStatus] = useState<Record<Slot, SlotStatus>>({
    product: { busy: false },
    template: { busy: false },
  });

  /** Resolves to whether the image was added. */
  const run = useCallback(
    async (slot: Slot, load: () => Promise<UploadedImage>): Promise<boolean> => {
      setStatus((s) => ({ ...s, [slot]: { busy: true } }));
      try {
        const image = await load();
        const meta = metaFromUpload(image);
        dispatch(
          slot === "product"
            ? { type: "setProduct", url: image.url, meta }
            : { type: "setTemplate", url: image.url, meta },
        );
        setStatus((s) => ({ ...s, [slot]: { busy: false } }));
        return true;
      } catch (error) {
        const message =
          error instanceof ApiFailure
            ? `${error.details.error_message} (${error.details.error_code})`
            : "The image could not be added";
        setStatus((s) => ({ ...s, [slot]: { busy: false, error: message } }));
        return false;
      }
    },
    [dispatch],
  );

  const addFile = useCallback(
    (slot: Slot, file: File) => run(slot, async () => (await loadApi()).uploadFile(file)),
    [run],
  );
  const addUrl = useCallback(
    (slot: Slot, url: string) => run(slot, async () => (await loadApi()).importUrl(url)),
    [run],
  );
  return { status, addFile, addUrl };
}

export type ImageIntake = ReturnType<typeof useImageIntake>;
