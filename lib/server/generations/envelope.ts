import "server-only";

import type { OutputImage, SceneCreateResponse } from "@/lib/scene/contract";
import { integritySummary } from "@/lib/scene/integrity";
import type { ImageEditResponse } from "@/lib/scene/image-edit";

import type { EngineOutput, EngineResult } from "../engines/types";

/** A stored file's absolute link for a Claid client (signed: it opens without our credentials). */
export type FileLink = (key: string) => string;

/**
 * Claid's answer envelope with links to our stored copies in `tmp_url`, which open without a session
 * like Claid's own, so a client can hand them on. An output written to a destination has an empty
 * `tmp_url`, as Claid does. Extra fields Claid clients ignore: the generation id, and each output's
 * product-integrity verdict.
 */
export function toSceneCreateResponse(
  result: EngineResult,
  fileLink: FileLink,
  extra: { generationId?: string } = {},
): SceneCreateResponse {
  return {
    data: {
      input: result.input,
      output: result.outputs.map((output) => outputImage(output, fileLink, extra.generationId)),
      ...(extra.generationId ? { generation_id: extra.generationId } : {}),
    },
  };
}

/** Claid's image/edit answer: the same, with its one output as an object rather than a list. */
export function toImageEditResponse(
  result: EngineResult,
  fileLink: FileLink,
  extra: { generationId?: string } = {},
): ImageEditResponse {
  const [first] = result.outputs;
  if (!first) throw new Error("an image edit settled without its output");
  return {
    data: {
      input: result.input,
      output: outputImage(first, fileLink, extra.generationId),
      ...(extra.generationId ? { generation_id: extra.generationId } : {}),
    },
  };
}

function outputImage(
  output: EngineOutput,
  fileLink: FileLink,
  generationId: string | undefined,
): OutputImage {
  const tmpUrl = output.destination ? "" : output.key ? fileLink(output.key) : (output.upstreamUrl ?? "");
  return {
    ...output.info,
    tmp_url: tmpUrl,
    ...(output.destination ? { object_uri: output.destination } : {}),
    ...(generationId ? { generation_id: generationId } : {}),
    ...(output.integrity ? { integrity: integritySummary(output.integrity) } : {}),
  };
}
