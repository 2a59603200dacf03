import "server-only";

import type { Engine } from "@/lib/scene/generation";

import type { EngineResult } from "../engines/types";
import { errors, relayed } from "../errors";
import type { GenerationDeps } from "./records/deps";
import type { GenerationRow } from "./records/dto";
import { findGenerationRow, outputsOf } from "./records/records";
import type { Settlement } from "./runner/execute";
import { onSettled } from "./runner/notify";
import { waitUntilChecked, waitUntilSettledRow } from "./runner/settle";
import type { GenerationWorker } from "./runner/worker";
import { queueGeneration, startGeneration, type GenerationInput } from "./service";

/** A settled generation's records in the shape the Claid envelope is built from. */
export async function recordedResult(
  deps: GenerationDeps,
  idOrRow: string | GenerationRow,
): Promise<EngineResult | undefined> {
  const row = typeof idOrRow === "string" ? await findGenerationRow(deps.db, idOrRow) : idOrRow;
  if (!row || row.status !== "succeeded" || !row.inputInfo) return undefined;
  const outputs = (await outputsOf(deps.db, [row.id])).get(row.id) ?? [];
  return {
    input: row.inputInfo,
    upstreamRequestId: row.upstreamRequestId ?? undefined,
    timings: row.timings,
    outputs: outputs.map((o) => ({
      info: o.info,
      ...(o.fileKey ? { key: o.fileKey } : {}),
      ...(o.size !== null ? { size: o.size } : {}),
      ...(o.upstreamUrl ? { upstreamUrl: o.upstreamUrl } : {}),
      ...(o.upstreamExpiresAt ? { upstreamExpiresAt: o.upstreamExpiresAt } : {}),
      ...(o.destination ? { destination: o.destination } : {}),
      ...(o.integrity ? { integrity: o.integrity } : {}),
    })),
  };
}

/** A settled generation's record, as the same settlement its run reported. */
async function settlementOf(deps: GenerationDeps, row: GenerationRow): Promise<Settlement> {
  const result = await recordedResult(deps, row);
  if (result) return { status: "succeeded", result };
  if (row.error) return { status: "failed", error: row.error, errorStatus: row.errorStatus ?? 502 };
  return { status: "unrecorded" };
}

/**
 * `POST /v1/scene/create` and `POST /v1/image/edit` for API clients: the same record and job as the
 * studio's generations, then a wait for the result. With a free slot on `worker` the generation runs at once in this request's
 * process and the answer is what its run recorded; otherwise it is queued and the answer is read from
 * the record once it settles. A client that hangs up does not stop the job; its result lands in the
 * gallery.
 */
export async function generateAndWait(
  deps: GenerationDeps,
  input: GenerationInput & { engine: Engine; signal?: AbortSignal },
  worker?: GenerationWorker,
): Promise<{ generationId: string; result: EngineResult }> {
  let id: string;
  let settlement: Settlement | undefined;
  if (worker) {
    const started = await startGeneration(deps, input, worker);
    id = started.row.id;
    if (started.settled) settlement = await untilAborted(started.settled, input.signal);
  } else {
    id = (await queueGeneration(deps, input)).id;
  }
  if (!settlement || settlement.status === "unrecorded")
    settlement = await settledRecord(deps, id, input.signal);
  return answer(id, settlement);
}

/**
 * How a queued generation settled: from this process's worker when it ran it (no read back), else from
 * the record. With an embedded database only this process can run it, so the record is polled only as
 * a safety net; with PostgreSQL another instance may, and the record is watched as before.
 */
async function settledRecord(deps: GenerationDeps, id: string, signal: AbortSignal | undefined) {
  const done = new AbortController();
  let off = () => {};
  const here = new Promise<Settlement>((resolve) => {
    off = onSettled(id, (settlement) => resolve(settlement as Settlement));
  });
  try {
    const embedded = deps.kind === "pglite";
    const options = {
      signal: signal ? AbortSignal.any([signal, done.signal]) : done.signal,
      pollMs: embedded ? 30_000 : 1000,
      // Embedded, the answer comes from this process's worker: reading the record at each of its
      // changes (claimed, settled) would only cost statements on the thread that serves everyone.
      readOnChange: !embedded,
    };
    const recorded = waitUntilSettledRow(deps.db, id, options)
      .then(async (row) => {
        if (row.status !== "succeeded" || done.signal.aborted) return row;
        // Another instance ran it: its answer carries the verdicts it records right after the success.
        await waitUntilChecked(deps.db, id, options);
        return (await findGenerationRow(deps.db, id)) ?? row;
      })
      // Once this process's worker has answered, the record is not read back: this side never settles.
      .then((row) => (done.signal.aborted ? new Promise<never>(() => {}) : settlementOf(deps, row)));
    return await Promise.race([here, recorded]);
  } finally {
    off();
    done.abort();
  }
}

/** The settlement, or undefined once `signal` aborts first (the run goes on without the caller). */
function untilAborted(settled: Promise<Settlement>, signal: AbortSignal | undefined) {
  if (!signal) return settled;
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise<Settlement | undefined>((resolve) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener("abort", onAbort, { once: true });
    void settled.then((s) => {
      signal.removeEventListener("abort", onAbort);
      resolve(s);
    });
  });
}

function answer(
  generationId: string,
  settlement: Settlement,
): { generationId: string; result: EngineResult } {
  if (settlement.status === "succeeded") return { generationId, result: settlement.result };
  if (settlement.status === "unrecorded") {
    throw errors.generationNotFinished(generationId);
  }
  const { error, errorStatus } = settlement;
  throw relayed(
    errorStatus,
    error,
    { ...error.error_details, generation_id: generationId },
    rateLimitHeaders(error.error_details),
  );
}

/** The upstream's `RateLimit-*` headers a failed generation recorded, to answer with them again. */
function rateLimitHeaders(details: Record<string, unknown> | undefined): Record<string, string> {
  const recorded = details?.rate_limit;
  if (typeof recorded !== "object" || recorded === null) return {};
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(recorded)) {
    if (/^ratelimit-(limit|remaining|reset)$/.test(name) && typeof value === "string") headers[name] = value;
  }
  const reset = headers["ratelimit-reset"];
  if (reset && /^\d+$/.test(reset)) headers["retry-after"] = reset;
  return headers;
}
