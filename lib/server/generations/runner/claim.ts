import "server-only";

import { and, asc, eq, inArray, or, sql } from "drizzle-orm";

import type { Engine } from "@/lib/scene/generation";

import type { Db } from "../../db/client";
import { generations } from "../../db/schema/generations";
import type { GenerationRow } from "../records/dto";
import { PRIORITY } from "../records/records";

/**
 * Takes the next queued generation for `workerId`: what a person waits for first, then campaign
 * items, oldest first within each. `campaignEngines` limits which campaign items may be taken (the
 * worker keeps a slot for people while Claid items would fill it). SKIP LOCKED lets several
 * instances sharing one PostgreSQL claim side by side without ever taking the same row twice.
 */
export async function claimNext(
  db: Db,
  workerId: string,
  options: { campaignEngines?: readonly Engine[] } = {},
): Promise<GenerationRow | undefined> {
  const queued = eq(generations.status, "queued");
  const engines = options.campaignEngines;
  const next = db
    .select({ id: generations.id })
    .from(generations)
    .where(
      engines
        ? and(
            queued,
            engines.length
              ? or(eq(generations.priority, PRIORITY.interactive), inArray(generations.engine, [...engines]))
              : eq(generations.priority, PRIORITY.interactive),
          )
        : queued,
    )
    .orderBy(asc(generations.priority), asc(generations.createdAt), asc(generations.id))
    .limit(1)
    .for("update", { skipLocked: true });
  const [row] = await db
    .update(generations)
    .set({
      status: "running",
      startedAt: sql`now()`,
      heartbeatAt: sql`now()`,
      workerId,
      attempts: sql`${generations.attempts} + 1`,
    })
    // `= (subquery)` runs the subquery once; `IN (subquery)` may be re-run per row and claim several.
    .where(and(sql`${generations.id} = (${next})`, eq(generations.status, "queued")))
    .returning();
  return row;
}

/** Tells the others this worker is alive and still running `ids`. */
export async function heartbeat(db: Db, workerId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(generations)
    .set({ heartbeatAt: sql`now()` })
    .where(
      and(
        inArray(generations.id, [...ids]),
        eq(generations.workerId, workerId),
        eq(generations.status, "running"),
      ),
    );
}
