import "server-only";

import { and, desc, eq, inArray } from "drizzle-orm";

import type { Db } from "../../db/client";
import { generations } from "../../db/schema/generations";
import type { GenerationRow, OutputRow } from "./dto";
import { outputsOf } from "./records";

/** An earlier generation whose images an identical request may take instead of generating them again. */
export type Reusable = { generation: GenerationRow; outputs: OutputRow[] };

/**
 * For each request key, the newest succeeded generation with it whose every image is stored here
 * (images written to a `storage://` destination, or not downloaded, cannot be handed out again).
 */
export async function findReusable(db: Db, keys: readonly string[]): Promise<Map<string, Reusable>> {
  const found = new Map<string, Reusable>();
  const wanted = [...new Set(keys)];
  if (wanted.length === 0) return found;
  const rows = await db
    .select()
    .from(generations)
    .where(and(inArray(generations.requestKey, wanted), eq(generations.status, "succeeded")))
    .orderBy(desc(generations.finishedAt), desc(generations.id));
  const outputs = await outputsOf(
    db,
    rows.map((r) => r.id),
  );
  for (const generation of rows) {
    const key = generation.requestKey;
    if (!key || found.has(key)) continue;
    const stored = outputs.get(generation.id) ?? [];
    if (stored.length === 0 || stored.some((o) => !o.fileKey || o.destination)) continue;
    found.set(key, { generation, outputs: stored });
  }
  return found;
}
