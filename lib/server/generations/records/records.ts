import "server-only";

import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { PgInsertValue } from "drizzle-orm/pg-core";

import type { SceneCreateRequest } from "@/lib/scene/contract";
import type { Engine, Generation } from "@/lib/scene/generation";
import type { ImageEditRequest } from "@/lib/scene/image-edit";

import type { Principal } from "../../auth/authorize";
import type { Db } from "../../db/client";
import { preparedOn } from "../../db/prepared";
import { generationOutputs, generations } from "../../db/schema/generations";
import { errors, type ApiError } from "../../errors";
import type { ObjectStore } from "../../storage";
import { toGeneration, type GenerationRow, type OutputRow } from "./dto";
import { releaseFiles } from "./files";
import { requestKey } from "./request-key";
import { requestAspectRatio, searchableText } from "./searchable";

/** Claim order: what a person waits for goes ahead of campaign items. */
export const PRIORITY = { interactive: 0, campaign: 1 } as const;
export type Priority = (typeof PRIORITY)[keyof typeof PRIORITY];

/** A scene (the kind when none is named), or an image edit with its body as the client sent it. */
export type GenerationRequest =
  | { kind?: "scene"; request: SceneCreateRequest }
  | { kind: "image_edit"; request: ImageEditRequest; requestText: string };

export type NewGeneration = GenerationRequest & {
  engine: Engine;
  /** `PRIORITY.interactive` unless told. */
  priority?: Priority;
  principal: Pick<Principal, "userId" | "name"> | undefined;
  /** Known in advance when a budget reservation already names it. */
  id?: string;
  /** Recorded as already claimed by this worker (running from the start) rather than queued. */
  claim?: { workerId: string };
  /** Tests and benchmarks back-date records; the server always uses now. */
  createdAt?: Date;
};

export function generationValues(input: NewGeneration): PgInsertValue<typeof generations> {
  return {
    id: input.id ?? randomUUID(),
    createdBy: input.principal?.userId ?? null,
    createdByName: input.principal?.name ?? null,
    engine: input.engine,
    kind: input.kind ?? "scene",
    request: input.request,
    requestText: input.kind === "image_edit" ? input.requestText : null,
    ...(input.claim
      ? {
          status: "running" as const,
          startedAt: sql`now()`,
          heartbeatAt: sql`now()`,
          workerId: input.claim.workerId,
          attempts: 1,
        }
      : { status: "queued" as const }),
    // The database's clock, like started_at and finished_at, so the three always compare in order.
    ...(input.createdAt ? { createdAt: input.createdAt } : {}),
    promptText: searchableText(input.request),
    aspectRatio: input.kind === "image_edit" ? null : requestAspectRatio(input.request),
    // Reuse of identical results is for scenes (campaign items); an edit is always run.
    requestKey: input.kind === "image_edit" ? null : requestKey(input.request, input.engine),
    priority: input.priority ?? PRIORITY.interactive,
  };
}

const p = sql.placeholder;
const perGeneration = {
  id: p("id"),
  createdBy: p("createdBy"),
  createdByName: p("createdByName"),
  engine: p("engine"),
  kind: p("kind"),
  request: p("request"),
  requestText: p("requestText"),
  promptText: p("promptText"),
  aspectRatio: p("aspectRatio"),
  requestKey: p("requestKey"),
  priority: p("priority"),
};
const insertQueued = preparedOn((db) =>
  db
    .insert(generations)
    .values({ ...perGeneration, status: "queued" })
    .returning()
    .prepare("insert_generation_queued"),
);
const insertClaimed = preparedOn((db) =>
  db
    .insert(generations)
    .values({
      ...perGeneration,
      status: "running",
      startedAt: sql`now()`,
      heartbeatAt: sql`now()`,
      workerId: p("workerId"),
      attempts: 1,
    })
    .returning()
    .prepare("insert_generation_claimed"),
);

/** Records a generation, queued or claimed: the record exists before any engine work starts. */
export async function insertGeneration(db: Db, input: NewGeneration): Promise<GenerationRow> {
  const values = generationValues(input);
  const [row] = input.createdAt
    ? await db.insert(generations).values(values).returning()
    : input.claim
      ? await insertClaimed(db).execute({ ...values, workerId: input.claim.workerId })
      : await insertQueued(db).execute(values);
  if (!row) throw new Error("insert returned no row");
  return row;
}

export async function outputsOf(db: Db, ids: readonly string[]): Promise<Map<string, OutputRow[]>> {
  const byGeneration = new Map<string, OutputRow[]>();
  if (ids.length === 0) return byGeneration;
  const rows = await db
    .select()
    .from(generationOutputs)
    .where(inArray(generationOutputs.generationId, [...ids]))
    .orderBy(asc(generationOutputs.generationId), asc(generationOutputs.index));
  for (const row of rows) {
    const list = byGeneration.get(row.generationId) ?? [];
    list.push(row);
    byGeneration.set(row.generationId, list);
  }
  return byGeneration;
}

export async function findGenerationRow(db: Db, id: string): Promise<GenerationRow | undefined> {
  if (!isGenerationId(id)) return undefined;
  const [row] = await db.select().from(generations).where(eq(generations.id, id));
  return row;
}

export function isGenerationId(id: string): boolean {
  return /^[0-9a-f-]{36}$/.test(id);
}

export async function findGeneration(db: Db, id: string): Promise<Generation | undefined> {
  const row = await findGenerationRow(db, id);
  if (!row) return undefined;
  return toGeneration(row, (await outputsOf(db, [id])).get(id) ?? []);
}

export async function getGeneration(db: Db, id: string): Promise<Generation> {
  const found = await findGeneration(db, id);
  if (!found) throw errors.notFound("The generation");
  return found;
}

/** People change their own generations; admins change anyone's. Records without an owner are shared. */
function assertMayChange(row: GenerationRow, principal: Principal) {
  if (principal.role === "admin" || row.createdBy === null || row.createdBy === principal.userId) return;
  throw errors.forbidden("Only its author or an admin can change this generation");
}

export async function setFavorite(
  db: Db,
  id: string,
  favorite: boolean,
  principal: Principal,
): Promise<Generation> {
  const row = await findGenerationRow(db, id);
  if (!row) throw errors.notFound("The generation");
  assertMayChange(row, principal);
  await db.update(generations).set({ favorite }).where(eq(generations.id, id));
  return getGeneration(db, id);
}

/**
 * Deletes a settled generation with its outputs; files go when nothing else references them. A
 * generation still queued or running is refused: its worker would write results for a missing record.
 */
export async function deleteGeneration(
  db: Db,
  store: ObjectStore,
  id: string,
  principal: Principal,
): Promise<void> {
  const row = await findGenerationRow(db, id);
  if (!row) throw errors.notFound("The generation");
  assertMayChange(row, principal);
  if (row.status === "queued" || row.status === "running") {
    throw errors.generationNotSettled();
  }
  const keys = await db.transaction(async (tx) => {
    const outputs = await tx
      .delete(generationOutputs)
      .where(eq(generationOutputs.generationId, id))
      .returning({ key: generationOutputs.fileKey });
    await tx.delete(generations).where(eq(generations.id, id));
    return outputs.map((o) => o.key).filter((k): k is string => Boolean(k));
  });
  await releaseFiles(db, store, keys);
}

/** Several generations with their outputs, by id; ids that match nothing are left out. */
export async function findGenerations(db: Db, ids: readonly string[]): Promise<Map<string, Generation>> {
  const found = new Map<string, Generation>();
  const valid = [...new Set(ids)].filter(isGenerationId);
  if (valid.length === 0) return found;
  const rows = await db.select().from(generations).where(inArray(generations.id, valid));
  const outputs = await outputsOf(
    db,
    rows.map((row) => row.id),
  );
  for (const row of rows) found.set(row.id, toGeneration(row, outputs.get(row.id) ?? []));
  return found;
}

/**
 * Ends those of `ids` still queued as failed with `error` (no worker has them, so nothing ran and
 * nothing was paid); answers the ids it ended. Running ones are left to finish.
 */
export async function cancelQueued(db: Db, ids: readonly string[], error: ApiError): Promise<string[]> {
  const valid = [...new Set(ids)].filter(isGenerationId);
  if (valid.length === 0) return [];
  const rows = await db
    .update(generations)
    .set({ status: "failed", finishedAt: sql`now()`, error: error.toBody(), errorStatus: error.status })
    .where(and(inArray(generations.id, valid), eq(generations.status, "queued")))
    .returning({ id: generations.id });
  return rows.map((r) => r.id);
}
