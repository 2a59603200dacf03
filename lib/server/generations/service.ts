import "server-only";

import { randomUUID } from "node:crypto";

import type { SceneCreateRequest } from "@/lib/scene/contract";
import type { Engine, Generation } from "@/lib/scene/generation";

import type { Principal } from "../auth/authorize";
import { engineAvailability } from "../config";
import { ApiError } from "../errors";
import type { Settlement } from "../jobs/execute";
import { announceQueued } from "../jobs/notify";
import type { GenerationWorker } from "../jobs/worker";
import { reserveGeneration } from "../limits/reserve";
import type { History } from "./context";
import { toGeneration, type GenerationRow } from "./dto";
import { insertGeneration } from "./records";

/** How many images a request asks for: the contract's default is 4, with or without output options. */
export function imagesRequested(request: SceneCreateRequest): number {
  return (typeof request.output === "object" ? request.output.number_of_images : undefined) ?? 4;
}

export function assertEngineAvailable(h: History, engine: Engine): void {
  if (engineAvailability(h.config)[engine]) return;
  throw new ApiError(
    422,
    "engine_unavailable",
    "runtime_settings",
    `The ${engine} engine is not configured on this server`,
    { fields: { engine: ["Not configured on this server"] } },
  );
}

type GenerationInput = {
  request: SceneCreateRequest;
  engine?: Engine | undefined;
  principal: Principal | undefined;
};

/**
 * Takes the person's rate limit and budget (429/402 before anything is recorded), then records the
 * generation with `insert`; a record that cannot be written gives the budget back.
 */
async function recordGeneration(
  h: History,
  input: GenerationInput,
  insert: (values: Parameters<typeof insertGeneration>[1]) => Promise<GenerationRow>,
): Promise<GenerationRow> {
  const engine = input.engine ?? h.config.DEFAULT_ENGINE;
  assertEngineAvailable(h, engine);
  const id = randomUUID();
  const reservation = input.principal
    ? await reserveGeneration(input.principal, engine, imagesRequested(input.request), h.config, id)
    : undefined;
  try {
    return await insert({ id, request: input.request, engine, principal: input.principal });
  } catch (error) {
    await reservation?.release();
    throw error;
  }
}

/**
 * Records the generation as queued; a worker (in this process or another sharing the database) runs
 * it whether or not anyone is still waiting for it.
 */
export async function queueGeneration(h: History, input: GenerationInput): Promise<Generation> {
  const row = await recordGeneration(h, input, (values) => insertGeneration(h.db, values));
  announceQueued();
  return toGeneration(row, []);
}

/**
 * Records the generation and, when `worker` has a free slot, runs it at once, already claimed: the
 * path of a caller that waits for the result. With every slot taken it is queued like any other.
 */
export async function startGeneration(
  h: History,
  input: GenerationInput,
  worker: GenerationWorker,
): Promise<{ row: GenerationRow; settled?: Promise<Settlement> }> {
  const ran = await worker.runHere((claim) =>
    recordGeneration(h, input, (values) => insertGeneration(h.db, { ...values, claim })),
  );
  if (ran) return ran;
  const row = await recordGeneration(h, input, (values) => insertGeneration(h.db, values));
  announceQueued();
  return { row };
}
