"use client";

import { useCallback, useState } from "react";

import { ApiFailure } from "@/lib/client/request";
import { uploadProblem } from "@/lib/composer/intake";
import type { ComposerAction } from "@/lib/composer/reducer";
import type { UploadedImage } from "@/lib/scene/generation";

import { loadApi } from "./api-loader";
import { metaFromUpload } from "./image-source";

export type Slot = "product" | "template";

export type SlotStatus = { busy: boolean; error?: string };

/** A failed upload or import in a sentence: the server's message (never its code), or a plain fallback. */
function failureText(error: unknown, what: "upload" | "import"): string {
  if (error instanceof ApiFailure) return error.details.error_message;
  return what === "upload"
    ? "The image could not be uploaded. Try again."
    : "The image could not be imported.";
}

/**
 * Uploads and URL imports into the product or template slot, with per-slot progress and errors. A
 * file the server would refuse for its type or size (`maxUploadBytes`, from its configuration) is
 * refused here first, without uploading it.
 */
export function useImageIntake(dispatch: (action: ComposerAction) => void, maxUploadBytes?: number) {
  const [status, setStatus] = useState<Record<Slot, SlotStatus>>({
    product: { busy: false },
    template: { busy: false },
  });

  const fail = useCallback(
    (slot: Slot, message: string) => setStatus((s) => ({ ...s, [slot]: { busy: false, error: message } })),
    [],
  );

  /** Resolves true when the image is in the slot, false when the slot shows why not. */
  const run = useCallback(
    async (slot: Slot, what: "upload" | "import", load: () => Promise<UploadedImage>) => {
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
        fail(slot, failureText(error, what));
        return false;
      }
    },
    [dispatch, fail],
  );

  const addFile = useCallback(
    async (slot: Slot, file: File) => {
      const problem = uploadProblem(file, maxUploadBytes);
      if (problem) {
        fail(slot, problem);
        return false;
      }
      return run(slot, "upload", async () => (await loadApi()).uploadFile(file));
    },
    [run, fail, maxUploadBytes],
  );
  const addUrl = useCallback(
    (slot: Slot, url: string) => run(slot, "import", async () => (await loadApi()).importUrl(url)),
    [run],
  );
  return { status, addFile, addUrl, fail };
}

export type ImageIntake = ReturnType<typeof useImageIntake>;
