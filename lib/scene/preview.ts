/**
 * The backdrop preview's query (`GET /api/previews/backdrop`, see `preview-link.ts`): a scene as the
 * contract states it, judged by the written rules too (the engine could not draw a colour word), and
 * the frame whose shape the preview takes.
 */
import { z } from "zod";

import { scene } from "./contract";
import { PREVIEW_MAX_FRAME_SIDE } from "./preview-link";
import { colourProblem } from "./rules";
import { sceneKindOf } from "./vocabulary";

export * from "./preview-link";

const previewScene = z
  .string()
  .max(16_384, { message: "The scene is too long for a preview" })
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "The scene must be JSON" });
      return z.NEVER;
    }
  })
  .pipe(scene)
  .superRefine((value, ctx) => {
    const kind = sceneKindOf(value);
    const color = "color" in value ? value.color : undefined;
    const problem = kind && typeof color === "string" ? colourProblem(color, kind) : undefined;
    if (problem) ctx.addIssue({ code: "custom", path: ["color"], message: problem });
  });

const side = z.coerce
  .number({ message: "Must be a number of pixels" })
  .int({ message: "Must be a whole number of pixels" })
  .min(1, { message: "Must be at least 1 pixel" })
  .max(PREVIEW_MAX_FRAME_SIDE, { message: `Must be at most ${PREVIEW_MAX_FRAME_SIDE} pixels` });

export const backdropPreviewQuery = z.strictObject({
  scene: previewScene,
  width: side,
  height: side,
});

export type BackdropPreviewQuery = z.output<typeof backdropPreviewQuery>;
