import "server-only";

import { randomUUID } from "node:crypto";

import type { SceneCreateRequest } from "@/lib/scene/contract";
import type { Engine } from "@/lib/scene/generation";
import { imagesRequested } from "@/lib/scene/vocabulary";

import type { Principal } from "../auth/authorize";
import type { Db } from "../db/client";
import { reserveBatch } from "../limits/reserve";
import { insertBatch, type BatchEntry } from "./records/batch";
import type { GenerationDeps } from "./records/deps";
import type { GenerationRow } from "./records/dto";
import { PRIORITY } from "./records/records";
import { requestKey } from "./records/request-key";
import { findReusable, type Reusable } from "./records/reuse";
import { announceQueued } from "./runner/notify";
import { assertEngineAvailable } from "./service";

export type BatchRequest = { request: SceneCreateRequest; reuse?: Reusable | undefined };

/**
 * For each request in order, an earlier succeeded generation of the same request on the same engine
 * whose images can be handed out again, if there is one.
 */
export async function reusableFor(
  db: Db,
  requests: readonly SceneCreateRequest[],
  engine: Engine,
): Promise<(Reusable | undefined)[]> {
  const keys = requests.map((request) => requestKey(request, engine));
  const found = await findReusable(db, keys);
  return keys.map((key) => found.get(key));
}

/**
 * Records many generations at once, before any of them runs: one rate-limit step and every claid
 * image reserved together (429/402 before anything is recorded), then one transaction with the
 * generations, queued behind interactive work, or succeeded at once where they reuse earlier images
 * (free). Rows come back in the order of `items`. `within` writes the caller's own rows in the same transaction, so a batch is recorded
 * whole or not at all; a batch that is not recorded gives its budget back.
 */
export async function recordBatch(
  deps: GenerationDeps,
  input: {
    engine: Engine;
    principal: Principal;
    items: readonly BatchRequest[];
    within?: (tx: Db, rows: GenerationRow[]) => Promise<void>;
  },
): Promise<GenerationRow[]> {
  assertEngineAvailable(deps, input.engine);
  // Rows of one transaction share their creation time; ids handed out in sorted order keep the
  // claim order (creation, then id) the order of `items`.
  const ids = input.items.map(() => randomUUID()).sort();
  const entries: BatchEntry[] = input.items.map((item, i) => ({
    id: ids[i] ?? randomUUID(),
    request: item.request,
    engine: input.engine,
    principal: input.principal,
    priority: PRIORITY.campaign,
    reuse: item.reuse,
  }));
  const reservation = await reserveBatch(
    input.principal,
    input.engine,
    entries.filter((e) => !e.reuse).map((e) => ({ generationId: e.id, images: imagesRequested(e.request) })),
    deps.config,
  );
  let rows: GenerationRow[];
  try {
    rows = await deps.db.transaction(async (tx) => {
      const byId = new Map((await insertBatch(tx, entries)).map((row) => [row.id, row]));
      // In the order of `items`, whatever order the database answered in.
      const recorded = entries.flatMap((e) => byId.get(e.id) ?? []);
      await input.within?.(tx, recorded);
      return recorded;
    });
  } catch (error) {
    await reservation.release();
    throw error;
  }
  if (rows.some((row) => row.status === "queued")) announceQueued();
  return rows;
}
