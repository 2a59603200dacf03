import "server-only";

import { randomUUID } from "node:crypto";

import type { Engine, Generation } from "@/lib/scene/generation";
import { imagesRequested } from "@/lib/scene/vocabulary";

import type { Principal } from "../auth/authorize";
import { engineAvailability, type Config } from "../config";
import { engineFor } from "../engines";
import type { SceneEngine } from "../engines/types";
import { errors } from "../errors";
import { reserveGeneration } from "../limits/reserve";
import type { GenerationDeps } from "./records/deps";
import { toGeneration, type GenerationRow } from "./records/dto";
import { insertGeneration, type GenerationRequest } from "./records/records";
import type { Settlement } from "./runner/execute";
import { announceQueued } from "./runner/notify";
import type { GenerationWorker } from "./runner/worker";

export function assertEngineAvailable(deps: GenerationDeps, engine: Engine): void {
  if (engineAvailability(deps.config)[engine]) return;
  throw errors.engineUnavailable(engine);
}

export type GenerationInput = GenerationRequest & {
  engine?: Engine | undefined;
  principal: Principal | undefined;
};

/** What a generation takes of the daily Claid budget: its images, or the configured units of an edit. */
export function budgetUnits(input: GenerationRequest, config: Pick<Config, "CLAID_IMAGE_EDIT_UNITS">) {
  return input.kind === "image_edit" ? config.CLAID_IMAGE_EDIT_UNITS : imagesRequested(input.request);
}

function requestOf(input: GenerationInput): GenerationRequest {
  return input.kind === "image_edit"
    ? { kind: "image_edit", request: input.request, requestText: input.requestText }
    : { kind: "scene", request: input.request };
}

/** The engine's refusals from the request alone, for a scene or an edit. */
function checkOnEngine(engine: SceneEngine, input: GenerationRequest, config: Config): void {
  if (input.kind === "image_edit") engine.checkEdit?.(input.request, config);
  else engine.checkRequest?.(input.request, config);
}

/**
 * Refuses what the engine can tell is wrong from the request alone, then takes the person's rate
 * limit and budget (429/402 before anything is recorded), then records the
 * generation with `insert`; a record that cannot be written gives the budget back.
 */
async function recordGeneration(
  deps: GenerationDeps,
  input: GenerationInput,
  insert: (values: Parameters<typeof insertGeneration>[1]) => Promise<GenerationRow>,
): Promise<GenerationRow> {
  const engine = input.engine ?? deps.config.DEFAULT_ENGINE;
  assertEngineAvailable(deps, engine);
  checkOnEngine(await engineFor(engine, deps.config), input, deps.config);
  const id = randomUUID();
  const reservation = input.principal
    ? await reserveGeneration(input.principal, engine, budgetUnits(input, deps.config), deps.config, id)
    : undefined;
  try {
    return await insert({ id, ...requestOf(input), engine, principal: input.principal });
  } catch (error) {
    await reservation?.release();
    throw error;
  }
}

/**
 * Records the generation as queued; a worker (in this process or another sharing the database) runs
 * it whether or not anyone is still waiting for it.
 */
export async function queueGeneration(deps: GenerationDeps, input: GenerationInput): Promise<Generation> {
  const row = await recordGeneration(deps, input, (values) => insertGeneration(deps.db, values));
  announceQueued();
  return toGeneration(row, []);
}

/**
 * Records the generation and, when `worker` has a free slot, runs it at once, already claimed: the
 * path of a caller that waits for the result. With every slot taken it is queued like any other.
 */
export async function startGeneration(
  deps: GenerationDeps,
  input: GenerationInput,
  worker: GenerationWorker,
): Promise<{ row: GenerationRow; settled?: Promise<Settlement> }> {
  const ran = await worker.runHere((claim) =>
    recordGeneration(deps, input, (values) => insertGeneration(deps.db, { ...values, claim })),
  );
  if (ran) return ran;
  const row = await recordGeneration(deps, input, (values) => insertGeneration(deps.db, values));
  announceQueued();
  return { row };
}
