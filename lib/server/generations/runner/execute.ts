import "server-only";

import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql, type SQL } from "drizzle-orm";

import type { HttpErrorDetails } from "@/lib/scene/contract";

import type { Config } from "../../config";
import { rowsOf, type Db } from "../../db/client";
import { fileClaims, generationOutputs, generations } from "../../db/schema/generations";
import type { RunScene } from "../../engines";
import type { EngineResult, UpstreamPacer } from "../../engines/types";
import { errors, isApiError } from "../../errors";
import { commitImagesStatement } from "../../limits/budget";
import { settleGenerationReservation } from "../../limits/reserve";
import type { Logger } from "../../log";
import type { ObjectStore } from "../../storage";
import { jobOf, type GenerationRow } from "../records/dto";
import { releaseFiles } from "../records/files";
import { PRIORITY } from "../records/records";
import { claimingStore } from "./claiming-store";
import { checkOutputs } from "./integrity";
import { announceChange } from "./notify";

export type JobDeps = {
  db: Db;
  config: Config;
  store: ObjectStore;
  log: Logger;
  runScene: RunScene;
  workerId: string;
  /** Pace calls to Claid across every instance, people's and campaign items'; absent, calls go out at once. */
  pacers?: { interactive: UpstreamPacer; campaign: UpstreamPacer } | undefined;
  /**
   * Takes a draft's integrity check to do when nothing else is waiting. Drafts paste the product
   * exactly, so their verdict confirms rather than warns, and it costs about as much CPU as the draft
   * itself: under load it would halve how many drafts the machine makes. Absent, drafts are checked
   * right after their success like every other generation.
   */
  checkLater?: ((generationId: string) => void) | undefined;
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

/**
 * How a run ended, exactly as it was recorded, so whoever started it can answer without reading the
 * record back. `unrecorded`: the generation was deleted or taken over, or the database failed; only
 * the record can say what became of it.
 */
export type Settlement =
  | { status: "succeeded"; result: EngineResult }
  | { status: "failed"; error: HttpErrorDetails; errorStatus: number }
  | { status: "unrecorded" };

/**
 * Records outputs, success and the spent budget, and clears the file claims, in one statement (one
 * commit, one round trip); every part applies only if the generation is still this worker's. Answers
 * the result as recorded, or undefined when the generation was deleted or taken over (and nothing was
 * written).
 */
async function persistSuccess(
  deps: JobDeps,
  job: GenerationRow,
  result: EngineResult,
  timings: Record<string, number>,
  claimedFiles: boolean,
): Promise<EngineResult | undefined> {
  const { db } = deps;
  const recorded: EngineResult = { ...result, timings };
  const stillOurs = sql`exists (select 1 from succeeded)`;
  const succeeded = db
    .update(generations)
    .set({
      status: "succeeded",
      finishedAt: new Date(),
      timings,
      upstreamRequestId: result.upstreamRequestId ?? null,
      inputInfo: result.input,
      error: null,
      errorStatus: null,
    })
    .where(ownedBy(job, deps.workerId))
    .returning({ id: generations.id });
  const parts = [
    sql`succeeded as (${succeeded.getSQL()})`,
    sql`spent as (${commitImagesStatement(db, { generationId: job.id }, stillOurs).getSQL()})`,
  ];
  if (result.outputs.length > 0) {
    parts.push(sql`outputs as (${insertOutputs(job.id, result.outputs, stillOurs, "replace")})`);
  }
  if (claimedFiles) {
    parts.push(
      sql`claims as (${db
        .delete(fileClaims)
        .where(and(eq(fileClaims.generationId, job.id), stillOurs))
        .getSQL()})`,
    );
  }
  const answer = await db.execute(
    sql`with ${sql.join(parts, sql`, `)} select count(*)::integer as n from succeeded`,
  );
  const [row] = rowsOf(answer);
  return Number(row?.n ?? 0) > 0 ? recorded : undefined;
}

/**
 * The outputs' rows, inserted only where `when` holds. Rows recorded before the download (same
 * generation and index) are completed (`replace`) or left as they are (`keep`). Casts give every column
 * its type, null or not.
 */
function insertOutputs(
  generationId: string,
  outputs: EngineResult["outputs"],
  when: SQL,
  existing: "replace" | "keep",
): SQL {
  const rows = outputs.map(
    (output, index) => sql`(
      ${randomUUID()}::text, ${generationId}::text, ${index}::integer, ${output.key ?? null}::text,
      ${output.info.format}::text, ${output.info.mime}::text, ${output.size ?? null}::integer,
      ${output.info.width}::integer, ${output.info.height}::integer, ${JSON.stringify(output.info)}::jsonb,
      ${output.upstreamUrl ?? null}::text, ${output.upstreamExpiresAt?.toISOString() ?? null}::timestamptz,
      ${output.destination ?? null}::text
    )`,
  );
  const t = generationOutputs;
  const name = (column: { name: string }) => sql.identifier(column.name);
  const identity = [t.id, t.generationId, t.index].map(name);
  const content = [
    t.fileKey,
    t.format,
    t.mime,
    t.size,
    t.width,
    t.height,
    t.info,
    t.upstreamUrl,
    t.upstreamExpiresAt,
    t.destination,
  ].map(name);
  const columns = [...identity, ...content];
  const replaced = content.map((column) => sql`${column} = excluded.${column}`);
  const onConflict =
    existing === "replace" ? sql`do update set ${sql.join(replaced, sql`, `)}` : sql`do nothing`;
  return sql`insert into ${t} (${sql.join(columns, sql`, `)})
    select * from (values ${sql.join(rows, sql`, `)}) as v where ${when}
    on conflict (${name(t.generationId)}, ${name(t.index)}) ${onConflict}`;
}

/**
 * Records results the upstream has produced, with what it said of the input, before they are
 * downloaded and while the generation is still this worker's: a crash during the download leaves
 * them to be fetched from their URLs, and the generation to be completed from them.
 */
async function recordUpstreamResults(
  deps: JobDeps,
  job: GenerationRow,
  outputs: EngineResult["outputs"],
  answer: { input: EngineResult["input"]; upstreamRequestId?: string | undefined },
) {
  const ours = deps.db
    .update(generations)
    .set({ inputInfo: answer.input, upstreamRequestId: answer.upstreamRequestId ?? null })
    .where(ownedBy(job, deps.workerId))
    .returning({ id: generations.id });
  await deps.db.execute(
    sql`with ours as (${ours.getSQL()}) ${insertOutputs(job.id, outputs, sql`exists (select 1 from ours)`, "keep")}`,
  );
}

/**
 * Notes, while the generation is still this worker's and running, that its request is about to be
 * handed to the upstream: recovery then knows it may have been paid for. A generation taken over (a
 * lease sweep, a cancel) refuses the call instead, so it can never be sent twice.
 */
async function markSent(deps: JobDeps, job: GenerationRow): Promise<void> {
  const marked = await deps.db
    .update(generations)
    .set({ upstreamSentAt: sql`coalesce(${generations.upstreamSentAt}, now())` })
    .where(and(ownedBy(job, deps.workerId), eq(generations.status, "running")))
    .returning({ id: generations.id });
  if (marked.length === 0)
    throw errors.cancelled("The generation was taken over before its request was sent");
}

/** Records the failure; answers it as recorded, or `unrecorded` when the generation is no longer this worker's. */
async function persistFailure(
  deps: JobDeps,
  job: GenerationRow,
  error: unknown,
  timings: Record<string, number>,
): Promise<Settlement> {
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
  const updated = await deps.db
    .update(generations)
    .set({ status: "failed", finishedAt: new Date(), timings, error: body, errorStatus: status })
    .where(ownedBy(job, deps.workerId))
    .returning({ id: generations.id });
  await releaseClaims(deps.db, deps.store, job.id);
  return updated.length > 0
    ? { status: "failed", error: body, errorStatus: status }
    : { status: "unrecorded" };
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
async function settleBudget(deps: JobDeps, job: GenerationRow, outcome: "succeeded" | "failed" | "unknown") {
  try {
    await settleGenerationReservation(job.id, outcome, deps.config);
  } catch (error) {
    deps.log.warn("budget reservation not settled", {
      generationId: job.id,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/**
 * Checks the recorded outputs' product integrity and records the verdicts, after the success: the
 * check costs about as much as a draft's rendering, so nobody waits for it to see their images. The
 * result answers with the verdicts (the Claid-compatible answer carries them). A failure of the check
 * leaves the outputs unchecked; `npm run check -- --integrity` can check them later.
 */
async function withIntegrity(
  deps: JobDeps,
  job: GenerationRow,
  result: EngineResult,
  log: Logger,
): Promise<EngineResult> {
  // An image edit changes the product on purpose (a cutout, a new background): there is no scene
  // placement to hold it to.
  const scene = jobOf(job);
  if (scene.kind !== "scene") return result;
  if (job.engine === "local" && deps.checkLater) {
    deps.checkLater(job.id);
    return result;
  }
  try {
    const rows = await deps.db
      .select({
        id: generationOutputs.id,
        index: generationOutputs.index,
        fileKey: generationOutputs.fileKey,
      })
      .from(generationOutputs)
      .where(eq(generationOutputs.generationId, job.id));
    const verdicts = await checkOutputs(deps, { id: job.id, request: scene.request }, rows);
    const byIndex = new Map(rows.map((r) => [r.index, verdicts.get(r.id)]));
    return {
      ...result,
      outputs: result.outputs.map((output, index) => {
        const integrity = byIndex.get(index);
        return integrity ? { ...output, integrity } : output;
      }),
    };
  } catch (error) {
    log.warn("integrity check failed", { error: error instanceof Error ? error.message : String(error) });
    return result;
  }
}

/** Runs a claimed generation to the end and records how it ended. Never throws. */
export async function executeGeneration(deps: JobDeps, job: GenerationRow): Promise<Settlement> {
  const log = deps.log.child({ generationId: job.id, engine: job.engine });
  const queue = ms((job.startedAt ?? new Date()).getTime() - job.createdAt.getTime());
  const engineStarted = performance.now();
  const storage = claimingStore(deps.db, deps.store, job.id);
  try {
    let result: EngineResult;
    try {
      result = await deps.runScene({
        ...jobOf(job),
        engine: job.engine,
        config: deps.config,
        log,
        requestId: job.id,
        storage,
        keepUpstreamResults: (outputs, answer) => recordUpstreamResults(deps, job, outputs, answer),
        beforeUpstreamCall: () => markSent(deps, job),
        ...(deps.pacers
          ? { pacer: job.priority === PRIORITY.interactive ? deps.pacers.interactive : deps.pacers.campaign }
          : {}),
      });
    } catch (error) {
      // The budget goes back before the failure is visible, so whoever sees it sees the budget too;
      // unless the upstream may have made the images anyway, which keeps them counted.
      const maybeCharged = isApiError(error) && error.details.charged === "unknown";
      await settleBudget(deps, job, maybeCharged ? "unknown" : "failed");
      return await persistFailure(deps, job, error, {
        queue,
        upstream: ms(performance.now() - engineStarted),
      });
    }
    const timings = { ...result.timings, queue, upstream: ms(performance.now() - engineStarted) };
    // The engine produced the images: they are paid for whatever happens to the record, in the
    // record's own transaction or, when that does not commit, on their own.
    try {
      const recorded = await persistSuccess(deps, job, result, timings, storage.claimed());
      if (recorded) {
        // Followers see the success now; the verdicts follow it (the `finally` announces them).
        announceChange(job.id);
        return { status: "succeeded", result: await withIntegrity(deps, job, recorded, log) };
      }
      await settleBudget(deps, job, "succeeded");
      log.warn("generation finished after it was deleted or taken over; its files are released");
      await releaseClaims(deps.db, deps.store, job.id);
      await releaseFiles(
        deps.db,
        deps.store,
        result.outputs.flatMap((o) => (o.key ? [o.key] : [])),
      );
      return { status: "unrecorded" };
    } catch (error) {
      await settleBudget(deps, job, "succeeded");
      log.warn("generation result not recorded", {
        error: error instanceof Error ? error.message : String(error),
      });
      return await persistFailure(deps, job, error, timings);
    }
  } catch (error) {
    // The database itself failed; the lease sweep marks the generation interrupted later.
    log.error("generation could not be settled", {
      error: error instanceof Error ? error.message : String(error),
    });
    return { status: "unrecorded" };
  } finally {
    announceChange(job.id);
  }
}
