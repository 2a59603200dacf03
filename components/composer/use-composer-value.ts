"use client";

import { useMemo } from "react";

import { viewOf } from "@/lib/composer/camera";
import { contentBounds, frameOf, productBoundsOf } from "@/lib/composer/frame";
import type { ComposerAction, ComposerState } from "@/lib/composer/reducer";
import { buildRequest } from "@/lib/composer/request";

import type { ComposerContextValue } from "./composer-context";
import { useValidation } from "./use-validation";

/** What every part of the composer reads: the state, the request it makes, its checks, the frame. */
export function useComposerValue(
  state: ComposerState,
  dispatch: (action: ComposerAction) => void,
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
      errors: validation.ok ? {} : validation.errors,
      valid: validation.ok,
      frame,
      view,
    }),
    [state, doc, dispatch, request, validation, frame, view],
  );
}
