import "server-only";

import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";

import type { CampaignItemAxes, CampaignPlan } from "@/lib/scene/campaign";

import type { Principal } from "../auth/authorize";
import type { Db } from "../db/client";
import { campaignItems, campaigns } from "../db/schema/campaigns";
import { generations } from "../db/schema/generations";
import { errors } from "../errors";

export type CampaignRow = typeof campaigns.$inferSelect;
export type ItemRow = typeof campaignItems.$inferSelect;

export function isCampaignId(id: string): boolean {
  return /^[0-9a-f-]{36}$/.test(id);
}

/** The campaign and its items, in the transaction that records their generations. */
export async function insertCampaign(
  tx: Db,
  input: {
    id: string;
    plan: CampaignPlan;
    principal: Pick<Principal, "userId" | "name">;
    items: readonly { position: number; axes: CampaignItemAxes; generationId: string }[];
  },
): Promise<void> {
  await tx.insert(campaigns).values({
    id: input.id,
    name: input.plan.name,
    engine: input.plan.engine,
    plan: input.plan,
    itemCount: input.items.length,
    createdBy: input.principal.userId,
    createdByName: input.principal.name,
  });
  const rows = input.items.map((item) => ({ campaignId: input.id, ...item }));
  for (let i = 0; i < rows.length; i += 200) await tx.insert(campaignItems).values(rows.slice(i, i + 200));
}

export async function findCampaign(db: Db, id: string): Promise<CampaignRow | undefined> {
  if (!isCampaignId(id)) return undefined;
  const [row] = await db.select().from(campaigns).where(eq(campaigns.id, id));
  return row;
}

export async function getCampaignRow(db: Db, id: string): Promise<CampaignRow> {
  const row = await findCampaign(db, id);
  if (!row) throw errors.notFound("The campaign");
  return row;
}

export async function itemsOf(db: Db, campaignId: string): Promise<ItemRow[]> {
  return db
    .select()
    .from(campaignItems)
    .where(eq(campaignItems.campaignId, campaignId))
    .orderBy(asc(campaignItems.position));
}

export async function newestCampaigns(db: Db, limit: number): Promise<CampaignRow[]> {
  return db.select().from(campaigns).orderBy(desc(campaigns.createdAt), desc(campaigns.id)).limit(limit);
}

/** How a generation's state reads in a campaign's counts. */
export type ItemState = { status: string | null; code: string | null; reused: boolean; n: number };

/** The states of every campaign's items, counted in one query (the list shows counts, not items). */
export async function itemStates(db: Db, ids: readonly string[]): Promise<Map<string, ItemState[]>> {
  const out = new Map<string, ItemState[]>();
  if (ids.length === 0) return out;
  const rows = await db
    .select({
      campaignId: campaignItems.campaignId,
      status: generations.status,
      code: sql<string | null>`${generations.error}->>'error_code'`,
      reused: sql<boolean>`${generations.reusedFrom} is not null`,
      n: sql<number>`count(*)::integer`,
    })
    .from(campaignItems)
    .leftJoin(generations, eq(generations.id, campaignItems.generationId))
    .where(inArray(campaignItems.campaignId, [...ids]))
    .groupBy(
      campaignItems.campaignId,
      generations.status,
      sql`${generations.error}->>'error_code'`,
      sql`${generations.reusedFrom} is not null`,
    );
  for (const row of rows) {
    const list = out.get(row.campaignId) ?? [];
    list.push({ status: row.status, code: row.code, reused: Boolean(row.reused), n: Number(row.n) });
    out.set(row.campaignId, list);
  }
  return out;
}

/**
 * Points retried items at their new generations, only where each still points at the one that
 * failed: two retries at once cannot both take an item (the second rolls back, and its budget goes back).
 */
export async function repointItems(
  tx: Db,
  campaignId: string,
  changes: readonly { position: number; from: string | null; to: string }[],
): Promise<void> {
  for (const change of changes) {
    const updated = await tx
      .update(campaignItems)
      .set({ generationId: change.to, attempts: sql`${campaignItems.attempts} + 1` })
      .where(
        and(
          eq(campaignItems.campaignId, campaignId),
          eq(campaignItems.position, change.position),
          change.from === null
            ? isNull(campaignItems.generationId)
            : eq(campaignItems.generationId, change.from),
        ),
      )
      .returning({ position: campaignItems.position });
    if (updated.length === 0) throw errors.campaignChanged();
  }
}

export async function markCancelled(db: Db, id: string): Promise<void> {
  await db
    .update(campaigns)
    .set({ cancelledAt: sql`coalesce(${campaigns.cancelledAt}, now())` })
    .where(eq(campaigns.id, id));
}

/** People change their own campaigns; admins change anyone's. */
export function assertMayChange(row: CampaignRow, principal: Principal): void {
  if (principal.role === "admin" || row.createdBy === null || row.createdBy === principal.userId) return;
  throw errors.forbidden("Only its author or an admin can change this campaign");
}
