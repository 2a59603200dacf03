import "server-only";

import type { SceneCreateRequest } from "@/lib/scene/contract";
import { outputFileStem } from "@/lib/scene/download-name";
import type { Generation, GenerationOutput } from "@/lib/scene/generation";
import { fileHref } from "@/lib/scene/image-ref";

import type { generationOutputs, generations } from "../../db/schema/generations";
import { downloadHref, thumbHref } from "./urls";

export type GenerationRow = typeof generations.$inferSelect;
export type OutputRow = typeof generationOutputs.$inferSelect;

export function toGenerationOutput(row: OutputRow, request: SceneCreateRequest): GenerationOutput {
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
  };
}

export function toGeneration(row: GenerationRow, outputs: readonly OutputRow[]): Generation {
  return {
    id: row.id,
    status: row.status,
    engine: row.engine,
    request: row.request,
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
  };
}
