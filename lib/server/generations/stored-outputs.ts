import "server-only";

import { and, asc, eq, inArray, isNotNull } from "drizzle-orm";

import type { SceneCreateRequest } from "@/lib/scene/contract";
import type { OutputIntegrity } from "@/lib/scene/integrity";

import { generationOutputs, generations } from "../db/schema/generations";
import { log } from "../log";
import type { GenerationDeps } from "./records/deps";
import { isGenerationId } from "./records/records";
import { checkGeneration } from "./runner/integrity";

/** A stored output with what post-processing needs: its file, its request and its integrity verdict. */
export type StoredOutput = {
  outputId: string;
  generationId: string;
  index: number;
  fileKey: string;
  width: number;
  height: number;
  request: SceneCreateRequest;
  integrity: OutputIntegrity | null;
};

/**
 * The stored outputs among `ids`, oldest generation first and in output order (ids of no stored
 * output are left out). Outputs without a verdict yet are checked first, so every output comes with
 * where its product is.
 */
export async function storedOutputs(deps: GenerationDeps, ids: readonly string[]): Promise<StoredOutput[]> {
  const wanted = ids.filter(isGenerationId);
  if (wanted.length === 0) return [];
  const query = () =>
    deps.db
      .select({
        outputId: generationOutputs.id,
        generationId: generationOutputs.generationId,
        index: generationOutputs.index,
        fileKey: generationOutputs.fileKey,
        width: generationOutputs.width,
        height: generationOutputs.height,
        integrity: generationOutputs.integrity,
        request: generations.request,
      })
      .from(generationOutputs)
      .innerJoin(generations, eq(generations.id, generationOutputs.generationId))
      // Exports frame the product by its scene placement: image edits have none.
      .where(
        and(
          inArray(generationOutputs.id, wanted),
          isNotNull(generationOutputs.fileKey),
          eq(generations.kind, "scene"),
        ),
      )
      .orderBy(asc(generations.createdAt), asc(generations.id), asc(generationOutputs.index));
  let rows = await query();
  const unchecked = [...new Set(rows.filter((r) => r.integrity === null).map((r) => r.generationId))];
  if (unchecked.length > 0) {
    for (const id of unchecked) await checkGeneration({ ...deps, log }, id);
    rows = await query();
  }
  return rows.flatMap((r) =>
    r.fileKey ? [{ ...r, fileKey: r.fileKey, request: r.request as SceneCreateRequest }] : [],
  );
}
