import "server-only";

import type { OutputImage, SceneCreateResponse } from "@/lib/scene/contract";
import { fileHref } from "@/lib/scene/image-ref";
import { integritySummary } from "@/lib/scene/integrity";

import type { EngineOutput, EngineResult } from "../engines/types";

/**
 * Claid's answer envelope with our own stable URLs in `tmp_url` (absolute, under `origin`). An output
 * written to a destination has an empty `tmp_url`, as Claid does. Extra fields Claid clients ignore:
 * the generation id, and each output's product-integrity verdict.
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
    ...(output.integrity ? { integrity: integritySummary(output.integrity) } : {}),
  };
}
