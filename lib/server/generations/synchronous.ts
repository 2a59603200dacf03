import "server-only";

import type { SceneCreateRequest } from "@/lib/scene/contract";
import type { Engine } from "@/lib/scene/generation";

import type { Principal } from "../auth/authorize";
import type { EngineResult } from "../engines/types";
import { ApiError } from "../errors";
import { waitUntilSettledRow } from "../jobs/settle";
import type { History } from "./context";
import type { GenerationRow } from "./dto";
import { findGenerationRow, outputsOf } from "./records";
import { queueGeneration } from "./service";

/** A settled generation's records in the shape the Claid envelope is built from. */
export async function recordedResult(
  h: History,
  idOrRow: string | GenerationRow,
): Promise<EngineResult | undefined> {
  const row = typeof idOrRow === "string" ? await findGenerationRow(h.db, idOrRow) : idOrRow;
  if (!row || row.status !== "succeeded" || !row.inputInfo) return undefined;
  const outputs = (await outputsOf(h.db, [row.id])).get(row.id) ?? [];
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
    })),
  };
}

/**
 * `POST /v1/scene/create` for API clients: the same record and job as the studio's generations, then
 * a wait for the result. A client that hangs up does not stop the job; its result lands in the gallery.
 */
export async function generateAndWait(
  h: History,
  input: {
    request: SceneCreateRequest;
    engine: Engine;
    principal: Principal | undefined;
    signal?: AbortSignal;
  },
): Promise<{ generationId: string; result: EngineResult }> {
  const queued = await queueGeneration(h, input);
  const row = await waitUntilSettledRow(h.db, queued.id, input.signal ? { signal: input.signal } : {});
  const result = await recordedResult(h, row);
  if (result) return { generationId: row.id, result };
  const error = row.error;
  if (!error) {
    throw new ApiError(503, "generation_not_finished", "general", "The generation did not finish", {
      generation_id: row.id,
    });
  }
  throw new ApiError(
    row.errorStatus ?? 502,
    error.error_code,
    error.error_type,
    error.error_message,
    { ...error.error_details, generation_id: row.id },
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
