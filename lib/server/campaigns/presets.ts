import "server-only";

import { randomUUID } from "node:crypto";
import { asc, eq, sql } from "drizzle-orm";

import type { Preset } from "@/lib/scene/campaign";
import type { Scene } from "@/lib/scene/contract";

import type { Principal } from "../auth/authorize";
import type { Db } from "../db/client";
import { scenePresets } from "../db/schema/campaigns";
import { errors } from "../errors";

type PresetRow = typeof scenePresets.$inferSelect;

function toPreset(row: PresetRow): Preset {
  return {
    id: row.id,
    name: row.name,
    scene: row.scene,
    created_by: row.createdBy ? { id: row.createdBy, name: row.createdByName ?? row.createdBy } : null,
    created_at: row.createdAt.toISOString(),
  };
}

/** The team's presets by name. */
export async function listPresets(db: Db): Promise<Preset[]> {
  const rows = await db
    .select()
    .from(scenePresets)
    .orderBy(asc(sql`lower(${scenePresets.name})`));
  return rows.map(toPreset);
}

/** Saves a scene (already checked with the contract) under a name nobody on the team uses yet. */
export async function savePreset(
  db: Db,
  input: { name: string; scene: Scene },
  principal: Principal,
): Promise<Preset> {
  const [row] = await db
    .insert(scenePresets)
    .values({
      id: randomUUID(),
      name: input.name,
      scene: input.scene,
      createdBy: principal.userId,
      createdByName: principal.name,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw errors.presetNameTaken(input.name);
  return toPreset(row);
}

/** Deletes a preset: its author or an admin. */
export async function deletePreset(db: Db, id: string, principal: Principal): Promise<void> {
  const [row] = /^[0-9a-f-]{36}$/.test(id)
    ? await db.select().from(scenePresets).where(eq(scenePresets.id, id))
    : [];
  if (!row) throw errors.notFound("The preset");
  if (principal.role !== "admin" && row.createdBy !== null && row.createdBy !== principal.userId) {
    throw errors.forbidden("Only its author or an admin can delete this preset");
  }
  await db.delete(scenePresets).where(eq(scenePresets.id, id));
}
