import "server-only";

import type { OutputImage, SceneCreateResponse } from "@/lib/scene/contract";
import type { ImageEditResponse } from "@/lib/scene/image-edit";
import { fileHref } from "@/lib/scene/image-ref";

import type { EngineOutput, EngineResult } from "../engines/types";

/**
 * Claid's answer envelope with our own stable URLs in `tmp_url` (absolute, under `origin`). An output
 * written to a destination has an empty `tmp_url`, as Claid does. Extra fields Claid clients ignore.
 */
export function toSceneCreateResponse(
  result: EngineResult,
  origin: string,
  extra: { generationId?: string } = {},
): SceneCreateResponse {
  return {
    data: {
      input: result.input,
      output: result.outputs.map((output) => outputImage(output, origin, extra.generationId)),
      ...(extra.generationId ? { generation_id: extra.generationId } : {}),
    },
  };
}

/** Claid's image/edit answer: the same, with its one output as an object rather than a list. */
export function toImageEditResponse(
  result: EngineResult,
  origin: string,
  extra: { generationId?: string } = {},
): ImageEditResponse {
  const [first] = result.outputs;
  if (!first) throw new Error("an image edit settled without its output");
  return {
    data: {
      input: result.input,
      output: outputImage(first, origin, extra.generationId),
      ...(extra.generationId ? { generation_id: extra.generationId } : {}),
    },
  };
}

function outputImage(output: EngineOutput, origin: string, generationId: string | undefined): OutputImage {
  const tmpUrl = output.destination
    ? ""
    : output.key
      ? `${origin}${fileHref(output.key)}`
      : (output.upstreamUrl ?? "");
  return {
    ...output.info,
    tmp_url: tmpUrl,
    ...(output.destination ? { object_uri: output.destination } : {}),
    ...(generationId ? { generation_id: generationId } : {}),
  };
}
