import "server-only";

import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";

import type { HttpErrorDetails } from "@/lib/scene/contract";

import type { Config } from "../config";
import type { Db } from "../db/client";
import { fileClaims, generationOutputs, generations } from "../db/schema/generations";
import type { EngineResult } from "../engines/types";
import { isApiError } from "../errors";
import type { GenerationRow } from "../generations/dto";
import { releaseFiles } from "../generations/files";
import { settleGenerationReservation } from "../limits/reserve";
import type { Logger } from "../log";
import type { RunScene } from "../scenes/run-scene";
import type { ObjectStore } from "../storage";
import { claimingStore } from "./claiming-store";
import { announceChange } from "./notify";

export type JobDeps = {
  db: Db;
  config: Config;
  store: ObjectStore;
  log: Logger;
  runScene: RunScene;
  workerId: string;
};

const ms = (value: number) => Math.max(0, Math.round(value));

/** A thrown thing as the stored error: our own errors keep their body and status, others say nothing. */
export function storedError(error: unknown): { body: HttpErrorDetails; status: number } {
  if (isApiError(error)) return { body: error.toBody(), status: error.status };
  return {
    status: 500,
    body: {
      error_code: "internal_error",
      error_type: "general",
      error_message: "The generation failed on our side",
      error_details: {},
    },
  };
}

/** Only the worker that holds the generation may settle it (a lease sweep may have marked it interrupted). */
function ownedBy(job: GenerationRow, workerId: string) {
  return and(
    eq(generations.id, job.id),
    eq(generations.workerId, workerId),
    inArray(generations.status, ["running", "interrupted"]),
  );
}

/** Thrown inside the transaction to undo it when the generation is no longer this worker's. */
class NotOwned extends Error {}

/** Records outputs and success in one transaction; false when the generation was deleted or taken over. */
async function persistSuccess(
  deps: JobDeps,
  job: GenerationRow,
  result: EngineResult,
  timings: Record<string, number>,
): Promise<boolean> {
  const persistStarted = performance.now();
  const persisted = deps.db.transaction(async (tx) => {
    if (result.outputs.length > 0) {
      await tx.insert(generationOutputs).values(
        result.outputs.map((output, index) => ({
          id: randomUUID(),
          generationId: job.id,
          index,
          fileKey: output.key ?? null,
          format: output.info.format,
          mime: output.info.mime,
          size: output.size ?? null,
          width: output.info.width,
          height: output.info.height,
          info: output.info,
          upstreamUrl: output.upstreamUrl ?? null,
          upstreamExpiresAt: output.upstreamExpiresAt ?? null,
          destination: output.destination ?? null,
        })),
      );
    }
    const updated = await tx
      .update(generations)
      .set({
        status: "succeeded",
        finishedAt: new Date(),
        timings: { ...timings, persist: ms(performance.now() - persistStarted) },
        upstreamRequestId: result.upstreamRequestId ?? null,
        inputInfo: result.input,
        error: null,
        errorStatus: null,
      })
      .where(ownedBy(job, deps.workerId))
      .returning({ id: generations.id });
    if (updated.length === 0) throw new NotOwned();
    await tx.delete(fileClaims).where(eq(fileClaims.generationId, job.id));
    return true;
  });
  return persisted.catch((error: unknown) => {
    if (error instanceof NotOwned) return false;
    throw error;
  });
}

async function persistFailure(
  deps: JobDeps,
  job: GenerationRow,
  error: unknown,
  timings: Record<string, number>,
) {
  const { body, status } = storedError(error);
  if (!isApiError(error)) {
    deps.log.error("generation failed unexpectedly", {
      generationId: job.id,
      error:
        error instanceof Error
          ? { name: error.name, message: error.message, stack: error.stack }
          : String(error),
    });
  }
  await deps.db
    .update(generations)
    .set({ status: "failed", finishedAt: new Date(), timings, error: body, errorStatus: status })
    .where(ownedBy(job, deps.workerId));
  await releaseClaims(deps.db, deps.store, job.id);
}

/** Drops a generation's claims and the files nothing else references. */
export async function releaseClaims(db: Db, store: ObjectStore, generationId: string): Promise<void> {
  const claims = await db
    .delete(fileClaims)
    .where(eq(fileClaims.generationId, generationId))
    .returning({ key: fileClaims.fileKey });
  await releaseFiles(
    db,
    store,
    claims.map((c) => c.key),
  );
}

/** Spends or gives back the budget the generation reserved; a bookkeeping failure must not fail the job. */
async function settleBudget(deps: JobDeps, job: GenerationRow, outcome: "succeeded" | "failed") {
  try {
    await settleGenerationReservation(job.id, outcome, deps.config);
  } catch (error) {
    deps.log.warn("budget reservation not settled", {
      generationId: job.id,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/** Runs a claimed generation to the end and records how it ended. Never throws. */
export async function executeGeneration(deps: JobDeps, job: GenerationRow): Promise<void> {
  const log = deps.log.child({ generationId: job.id, engine: job.engine });
  const queue = ms((job.startedAt ?? new Date()).getTime() - job.createdAt.getTime());
  const engineStarted = performance.now();
  try {
    let result: EngineResult;
    try {
      result = await deps.runScene({
        request: job.request,
        engine: job.engine,
        config: deps.config,
        log,
        requestId: job.id,
        storage: claimingStore(deps.db, deps.store, job.id),
      });
    } catch (error) {
      // The budget goes back before the failure is visible, so whoever sees it sees the budget too.
      await settleBudget(deps, job, "failed");
      await persistFailure(deps, job, error, { queue, upstream: ms(performance.now() - engineStarted) });
      return;
    }
    const timings = { ...result.timings, queue, upstream: ms(performance.now() - engineStarted) };
    // The engine produced the images: they are paid for whatever happens to the record.
    await settleBudget(deps, job, "succeeded");
    try {
      if (!(await persistSuccess(deps, job, result, timings))) {
        log.warn("generation finished after it was deleted or taken over; its files are released");
        await releaseClaims(deps.db, deps.store, job.id);
        await releaseFiles(
          deps.db,
          deps.store,
          result.outputs.flatMap((o) => (o.key ? [o.key] : [])),
        );
      }
    } catch (error) {
      log.warn("generation result not recorded", {
        error: error instanceof Error ? error.message : String(error),
      });
      await persistFailure(deps, job, error, timings);
    }
  } catch (error) {
    // The database itself failed; the lease sweep marks the generation interrupted later.
    log.error("generation could not be settled", {
      error: error instanceof Error ? error.message : String(error),
    });
  } finally {
    announceChange(job.id);
  }
}
