import "server-only";

import { and, eq, gt, inArray, isNotNull, isNull, lt, ne, or, sql } from "drizzle-orm";

import type { HttpErrorDetails } from "@/lib/scene/contract";

import type { Config } from "../../config";
import type { Db } from "../../db/client";
import { fileClaims, generationOutputs, generations } from "../../db/schema/generations";
import type { EngineContext } from "../../engines/types";
import { commitImagesStatement } from "../../limits/budget";
import type { Logger } from "../../log";
import type { ObjectStore, StoredObject } from "../../storage";
import { PRIORITY } from "../records/records";
import { claimingStore } from "./claiming-store";
import { releaseClaims } from "./execute";
import { announceChange, announceQueued } from "./notify";

export const INTERRUPTED_ERROR: HttpErrorDetails = {
  error_code: "generation_interrupted",
  error_type: "general",
  error_message: "The server stopped while this generation was running; generate again",
  error_details: {},
};

/** What an interrupted generation says when Claid had already answered: its images are fetched again. */
export const INTERRUPTED_DURING_DOWNLOAD =
  "The server stopped while downloading this generation's images; they are being fetched again from Claid's links";

/**
 * Marks `running` generations whose worker stopped reporting as `interrupted`, keeping what was known
 * (start time, worker, attempts), and removes files they wrote but never recorded; campaign items
 * whose request was never sent are queued again instead. `everyone` is for a start-up with an
 * embedded database: only this process can have been running them.
 */
export async function interruptStale(
  db: Db,
  store: ObjectStore,
  options: { leaseMs: number; everyone?: boolean },
): Promise<string[]> {
  const stale = options.everyone
    ? eq(generations.status, "running")
    : and(
        eq(generations.status, "running"),
        lt(generations.heartbeatAt, sql`now() - make_interval(secs => ${options.leaseMs / 1000})`),
      );
  // Campaign items that never reached the upstream go back to the queue: nothing was paid, nobody
  // waits on a connection for them, and the campaign carries on where it stopped.
  const requeued = await db
    .update(generations)
    .set({ status: "queued", startedAt: null, heartbeatAt: null, workerId: null })
    .where(and(stale, eq(generations.priority, PRIORITY.campaign), isNull(generations.upstreamSentAt)))
    .returning({ id: generations.id });
  for (const { id } of requeued) {
    await releaseClaims(db, store, id);
    announceChange(id);
  }
  if (requeued.length) announceQueued();
  const rows = await db
    .update(generations)
    .set({
      status: "interrupted",
      finishedAt: new Date(),
      errorStatus: 503,
      error: sql`jsonb_build_object(
        'error_code', ${INTERRUPTED_ERROR.error_code}::text,
        'error_type', ${INTERRUPTED_ERROR.error_type}::text,
        'error_message', case when exists (
          select 1 from ${generationOutputs} where ${generationOutputs.generationId} = ${generations.id}
        ) then ${INTERRUPTED_DURING_DOWNLOAD}::text else ${INTERRUPTED_ERROR.error_message}::text end,
        'error_details', jsonb_build_object(
          'started_at', ${generations.startedAt},
          'last_heartbeat_at', ${generations.heartbeatAt},
          'worker_id', ${generations.workerId},
          'attempts', ${generations.attempts}))`,
    })
    .where(stale)
    .returning({ id: generations.id });
  for (const { id } of rows) {
    await releaseClaims(db, store, id);
    // Results the upstream produced were recorded: those images are spent. Without them nobody knows
    // whether the upstream charged, so the reservation stays counted but unsettled.
    await commitImagesStatement(
      db,
      { generationId: id },
      sql`exists (select 1 from ${generationOutputs} where ${generationOutputs.generationId} = ${id})`,
    );
    announceChange(id);
  }
  return rows.map((r) => r.id);
}

/** Claims left by generations that are no longer running (a crash between claim and settle). */
export async function releaseOrphanClaims(db: Db, store: ObjectStore): Promise<number> {
  const rows = await db
    .selectDistinct({ id: fileClaims.generationId })
    .from(fileClaims)
    .innerJoin(generations, eq(generations.id, fileClaims.generationId))
    .where(inArray(generations.status, ["succeeded", "failed", "interrupted"]));
  for (const { id } of rows) await releaseClaims(db, store, id);
  return rows.length;
}

export type FetchOutput = (
  url: string,
  ctx: Pick<EngineContext, "config" | "storage" | "log">,
) => Promise<StoredObject>;

/** The claid engine's guarded downloader, loaded only when there is something to fetch. */
export const claidDownload: FetchOutput = async (url, ctx) =>
  (await import("../../engines/claid")).downloadOutput(url, ctx);

/**
 * Outputs recorded with an upstream URL but no stored file (their download failed, or the server
 * stopped during it) are fetched while the URL is still valid: all of them, or those of
 * `generationIds`. A running generation's are left to the worker downloading them. An interrupted
 * generation whose images are then all stored has succeeded (with a note saying how); one still
 * missing some says which, and why.
 */
export async function fetchPendingOutputs(
  deps: { db: Db; store: ObjectStore; config: Config; log: Logger },
  fetchOutput: FetchOutput = claidDownload,
  generationIds?: readonly string[],
): Promise<{ fetched: number; failed: number }> {
  if (generationIds?.length === 0) return { fetched: 0, failed: 0 };
  const pending = await deps.db
    .select({ output: generationOutputs })
    .from(generationOutputs)
    .innerJoin(generations, eq(generations.id, generationOutputs.generationId))
    .where(
      and(
        ne(generations.status, "running"),
        isNull(generationOutputs.fileKey),
        isNull(generationOutputs.destination),
        isNotNull(generationOutputs.upstreamUrl),
        // Expired links are only worth a look where they leave an interrupted generation to explain.
        or(gt(generationOutputs.upstreamExpiresAt, sql`now()`), eq(generations.status, "interrupted")),
        generationIds ? inArray(generations.id, [...generationIds]) : undefined,
      ),
    );
  let fetched = 0;
  let failed = 0;
  const problems = new Map<string, string[]>();
  for (const { output } of pending) {
    const problemsOf = problems.get(output.generationId) ?? [];
    problems.set(output.generationId, problemsOf);
    if (!output.upstreamUrl || !output.upstreamExpiresAt || output.upstreamExpiresAt <= new Date()) {
      problemsOf.push(`image ${output.index + 1}: its link at Claid has expired`);
      continue;
    }
    try {
      const storage = claimingStore(deps.db, deps.store, output.generationId);
      const stored = await fetchOutput(output.upstreamUrl, { config: deps.config, storage, log: deps.log });
      await deps.db.transaction(async (tx) => {
        await tx
          .update(generationOutputs)
          .set({ fileKey: stored.key, size: stored.size })
          .where(eq(generationOutputs.id, output.id));
        await tx
          .delete(fileClaims)
          .where(and(eq(fileClaims.generationId, output.generationId), eq(fileClaims.fileKey, stored.key)));
      });
      fetched++;
    } catch (error) {
      failed++;
      const reason = error instanceof Error ? error.message : String(error);
      problemsOf.push(`image ${output.index + 1}: ${reason}`);
      deps.log.warn("could not fetch a kept upstream result", {
        generationId: output.generationId,
        error: reason,
      });
    }
  }
  for (const [generationId, missing] of problems) {
    await settleRecovered(deps.db, generationId, missing);
    announceChange(generationId);
  }
  return { fetched, failed };
}

/**
 * An interrupted generation after its kept results were fetched: every image stored means it has
 * succeeded (the images were paid for and nothing is lost); otherwise it stays interrupted and its
 * message says how many were recovered and what happened to the others.
 */
async function settleRecovered(db: Db, generationId: string, missing: readonly string[]): Promise<void> {
  const outputs = await db
    .select({ fileKey: generationOutputs.fileKey, destination: generationOutputs.destination })
    .from(generationOutputs)
    .where(eq(generationOutputs.generationId, generationId));
  const stored = outputs.filter((o) => o.fileKey || o.destination).length;
  const interrupted = and(
    eq(generations.id, generationId),
    eq(generations.status, "interrupted"),
    isNotNull(generations.inputInfo),
  );
  if (stored === outputs.length && outputs.length > 0) {
    const images = outputs.length === 1 ? "its image was" : `all ${outputs.length} images were`;
    await db
      .update(generations)
      .set({
        status: "succeeded",
        error: null,
        errorStatus: null,
        note: `The server stopped during the download; after the restart ${images} fetched from Claid's links.`,
      })
      .where(interrupted);
    return;
  }
  const message =
    `The server stopped during the download: ${stored} of ${outputs.length} images were recovered; ` +
    `${missing.join("; ")}. They were paid for: generate again only if you need them`;
  await db
    .update(generations)
    .set({
      error: sql`jsonb_set(jsonb_set(coalesce(${generations.error}, '{}'::jsonb), '{error_message}', to_jsonb(${message}::text)),
        '{error_details,missing_images}', to_jsonb(${outputs.length - stored}::integer))`,
    })
    .where(and(eq(generations.id, generationId), eq(generations.status, "interrupted")));
}
