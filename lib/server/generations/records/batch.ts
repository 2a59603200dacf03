import "server-only";

import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";

import type { Db } from "../../db/client";
import { generationOutputs, generations } from "../../db/schema/generations";
import type { GenerationRow } from "./dto";
import { generationValues, type NewGeneration } from "./records";
import type { Reusable } from "./reuse";

/** One generation of a batch: queued, or recorded as succeeded at once with `reuse`'s images. */
export type BatchEntry = NewGeneration & { id: string; reuse?: Reusable | undefined };

export const REUSED_NOTE =
  "Reused the images of an identical earlier request: nothing was generated or paid again.";

/** Rows per insert statement: well inside PostgreSQL's parameter limit, and few round trips. */
const CHUNK = 200;

function chunks<T>(list: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

/**
 * Records a batch of generations in `tx`: queued ones for a worker to claim, reused ones already
 * succeeded with new output rows pointing at the same stored files (content addressing lets files
 * be shared; a file goes only with its last reference).
 */
export async function insertBatch(tx: Db, entries: readonly BatchEntry[]): Promise<GenerationRow[]> {
  const rows: GenerationRow[] = [];
  const values = entries.map((entry) => {
    const base = generationValues(entry);
    if (!entry.reuse) return base;
    const source = entry.reuse.generation;
    return {
      ...base,
      status: "succeeded" as const,
      startedAt: sql`now()`,
      finishedAt: sql`now()`,
      inputInfo: source.inputInfo,
      upstreamRequestId: source.upstreamRequestId,
      reusedFrom: source.id,
      note: REUSED_NOTE,
    };
  });
  for (const part of chunks(values)) rows.push(...(await tx.insert(generations).values(part).returning()));
  const outputs = entries.flatMap((entry) =>
    (entry.reuse?.outputs ?? []).map((output) => ({
      ...output,
      id: randomUUID(),
      generationId: entry.id,
    })),
  );
  for (const part of chunks(outputs)) await tx.insert(generationOutputs).values(part);
  return rows;
}
