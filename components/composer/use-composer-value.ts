"use client";

import { useMemo } from "react";

import { viewOf } from "@/lib/composer/camera";
import { contentBounds, frameOf, productBoundsOf } from "@/lib/composer/frame";
import { imageCheckErrors, NO_IMAGE_CHECKS, type ImageChecks } from "@/lib/composer/image-checks";
import type { ComposerAction, ComposerState } from "@/lib/composer/reducer";
import { buildRequest } from "@/lib/composer/request";

import type { ComposerContextValue } from "./composer-context";
import { useValidation } from "./use-validation";

/**
 * What every part of the composer reads: the state, the request it makes, its checks (the contract's,
 * and whether every image it names can be read), the frame.
 */
export function useComposerValue(
  state: ComposerState,
  dispatch: (action: ComposerAction) => void,
  imageChecks: ImageChecks = NO_IMAGE_CHECKS,
): ComposerContextValue {
  const doc = state.history.present;
  const request = useMemo(() => buildRequest(doc), [doc]);
  const validation = useValidation(request);
  const frame = useMemo(() => frameOf(doc, state.images), [doc, state.images]);
  const bounds = useMemo(
    () => contentBounds(frame, productBoundsOf(doc, state.images, frame)),
    [doc, state.images, frame],
  );
  const view = useMemo(() => viewOf(state.camera, frame, bounds), [state.camera, frame, bounds]);
  return useMemo(
    () => ({
      state,
      doc,
      dispatch,
      request,
      errors: { ...(validation.ok ? {} : validation.errors), ...imageCheckErrors(imageChecks) },
      // Images still loading do not make the request wrong; Generate waits for them (see GeneratePanel).
      valid: validation.ok && imageChecks.problems.length === 0,
      imageChecks,
      frame,
      view,
    }),
    [state, doc, dispatch, request, validation, imageChecks, frame, view],
  );
}
