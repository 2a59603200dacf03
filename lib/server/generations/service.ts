import "server-only";

import type { SceneCreateRequest } from "@/lib/scene/contract";
import type { Engine, Generation } from "@/lib/scene/generation";

import type { Principal } from "../auth/authorize";
import { engineAvailability } from "../config";
import { ApiError } from "../errors";
import { announceQueued } from "../jobs/notify";
import { reserveGeneration } from "../limits/reserve";
import type { History } from "./context";
import { toGeneration } from "./dto";
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

/**
 * Takes the person's rate limit and budget (429/402 before anything is recorded), records the
 * generation and queues it; a worker (in this process or another sharing the database)
 * runs it whether or not anyone is still waiting for it.
 */
export async function queueGeneration(
  h: History,
  input: { request: SceneCreateRequest; engine?: Engine | undefined; principal: Principal | undefined },
): Promise<Generation> {
  const engine = input.engine ?? h.config.DEFAULT_ENGINE;
  assertEngineAvailable(h, engine);
  const reservation = input.principal
    ? await reserveGeneration(input.principal, engine, imagesRequested(input.request), h.config)
    : undefined;
  let row;
  try {
    row = await insertGeneration(h.db, { request: input.request, engine, principal: input.principal });
    await reservation?.attach(row.id);
  } catch (error) {
    await reservation?.release();
    throw error;
  }
  announceQueued();
  return toGeneration(row, []);
}
