"use client";

import { createContext, useContext } from "react";

import type { ComposerDoc } from "@/lib/composer/doc";
import type { FieldErrors } from "@/lib/composer/field-errors";
import type { ImageChecks } from "@/lib/composer/image-checks";
import type { ComposerAction, ComposerState } from "@/lib/composer/reducer";
import type { View } from "@/lib/composer/view";
import type { SceneCreateRequest } from "@/lib/scene/contract";
import type { Size } from "@/lib/scene/placement";

export type ComposerContextValue = {
  state: ComposerState;
  doc: ComposerDoc;
  dispatch: (action: ComposerAction) => void;
  /** The body as it stands, and what the contract says about it. */
  request: SceneCreateRequest;
  errors: FieldErrors;
  valid: boolean;
  /** The images the request names that are still loading, or could not be read. */
  imageChecks: ImageChecks;
  frame: Size;
  /** What the canvas shows of the frame: the camera's view (`lib/composer/camera`). */
  view: View;
};

export const ComposerContext = createContext<ComposerContextValue | null>(null);

export function useComposer(): ComposerContextValue {
  const value = useContext(ComposerContext);
  if (!value) throw new Error("useComposer needs a <Composer> around it");
  return value;
}
