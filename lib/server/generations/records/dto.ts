import "server-only";

import type { SceneCreateRequest } from "@/lib/scene/contract";
import { outputFileStem } from "@/lib/scene/download-name";
import type { Generation, GenerationOutput } from "@/lib/scene/generation";
import type { ImageEditRequest } from "@/lib/scene/image-edit";
import { fileHref } from "@/lib/scene/image-ref";

import type { generationOutputs, generations } from "../../db/schema/generations";
import type { EngineJob } from "../../engines/types";
import { downloadHref, thumbHref } from "./urls";

export type GenerationRow = typeof generations.$inferSelect;
export type OutputRow = typeof generationOutputs.$inferSelect;

export function toGenerationOutput(
  row: OutputRow,
  request: SceneCreateRequest | ImageEditRequest,
): GenerationOutput {
  const key = row.fileKey;
  return {
    id: row.id,
    index: row.index,
    url: key ? fileHref(key) : null,
    thumbUrl: key ? thumbHref(key) : null,
    downloadUrl: key ? downloadHref(key, outputFileStem(request, row.index)) : null,
    format: row.format,
    width: row.width,
    height: row.height,
    size: row.size,
    destination: row.destination,
    integrity: row.integrity ?? null,
  };
}

/**
 * How long after a success its integrity check is still expected. The worker checks the outputs right
 * after recording the success; one not checked by then is not coming (its process stopped), and
 * `npm run check -- --integrity` fills it in.
 */
export const INTEGRITY_GRACE_MS = 60_000;

function integrityPending(row: GenerationRow, outputs: readonly OutputRow[], now: number): boolean {
  if (row.status !== "succeeded" || !row.finishedAt) return false;
  if (now - row.finishedAt.getTime() > INTEGRITY_GRACE_MS) return false;
  return outputs.some((o) => o.fileKey !== null && o.integrity === null);
}

/**
 * What the row asks an engine to do. The kind column says which contract `request` was validated
 * against when it was recorded.
 */
export function jobOf(row: GenerationRow): EngineJob {
  if (row.kind === "image_edit") {
    const request = row.request as ImageEditRequest;
    return { kind: "image_edit", request, requestText: row.requestText ?? JSON.stringify(request) };
  }
  return { kind: "scene", request: row.request as SceneCreateRequest };
}

export function toGeneration(
  row: GenerationRow,
  outputs: readonly OutputRow[],
  now: number = Date.now(),
): Generation {
  return {
    id: row.id,
    ...kindAndRequest(row),
    status: row.status,
    engine: row.engine,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    favorite: row.favorite,
    createdBy: row.createdBy ? { id: row.createdBy, name: row.createdByName ?? row.createdBy } : null,
    timings: row.timings,
    upstreamRequestId: row.upstreamRequestId,
    error: row.error ?? null,
    note: row.note,
    reusedFrom: row.reusedFrom,
    outputs: [...outputs]
      .sort((a, b) => a.index - b.index)
      .map((output) => toGenerationOutput(output, row.request)),
    integrityPending: integrityPending(row, outputs, now),
  };
}

function kindAndRequest(
  row: GenerationRow,
): { kind: "scene"; request: SceneCreateRequest } | { kind: "image_edit"; request: ImageEditRequest } {
  const job = jobOf(row);
  return job.kind === "image_edit"
    ? { kind: "image_edit", request: job.request }
    : { kind: "scene", request: job.request };
}
