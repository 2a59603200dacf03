import "server-only";

import type { BackdropPreviewQuery } from "@/lib/scene/preview";
import { previewSizeFor } from "@/lib/scene/preview-link";

import type { Config } from "../../config";
import { imageLimitsFrom } from "../../images/intake";
import type { ObjectStore } from "../../storage";
import { inputError, readInput } from "./inputs";
import { memo } from "./memo";
import { checkTemplate, templateFrame } from "./product";
import { sceneBackdrop } from "./render";
import { canonicalJson, type Random } from "./seed";

/**
 * The composer's backdrop preview: the backdrop the draft engine makes for a scene (the same palette,
 * surface, template tint), without the product or its shadow, at most 512 px on its longest side, as
 * WebP. The middle of every variant's range (hue, horizon, light) stands for the variants: the draft
 * itself moves them a little, by its seed.
 */
const MIDDLE: Random = () => 0.5;
const QUALITY = 78;

/** Recent previews: undo, redo and switching scene kinds back and forth ask for the same ones again. */
const previews = memo<Buffer>(48);

export type PreviewDeps = { config: Config; storage: ObjectStore; signal?: AbortSignal };

export async function backdropPreview(query: BackdropPreviewQuery, deps: PreviewDeps): Promise<Buffer> {
  const frame = previewSizeFor(query);
  const scene = query.scene;
  const templateBytes =
    "template_url" in scene ? await readInput(scene.template_url, "scene.template_url", deps) : undefined;
  const key = `${canonicalJson(scene)}|${frame.width}x${frame.height}|${templateBytes?.sha256 ?? ""}`;
  return previews(key, async () => {
    const template = templateBytes
      ? await checkTemplate(templateBytes, imageLimitsFrom(deps.config)).catch((error: unknown) => {
          throw inputError(error, "scene.template_url");
        })
      : undefined;
    const { backdrop } = await sceneBackdrop(scene, frame, {
      template:
        template &&
        (() =>
          templateFrame(template, frame).catch((error: unknown) => {
            throw inputError(error, "scene.template_url");
          })),
      shadowCells: async () => undefined,
    });
    const { image } = await backdrop(MIDDLE);
    return image.webp({ quality: QUALITY }).toBuffer();
  });
}

/** The picture's type, for the response. */
export const PREVIEW_CONTENT_TYPE = "image/webp";
