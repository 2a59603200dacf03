import "server-only";

import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql, type SQL } from "drizzle-orm";

import type { Config, EngineName } from "../config";
import { rowsOf, type Db } from "../db/client";
import { imageReservation, imageUsage, user } from "../db/schema/auth";
import { errors } from "../errors";

export type BudgetStatus = { limit: number; used: number; remaining: number; day: string; resetsAt: string };

/** Budgets count per UTC day. */
export function budgetDay(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

function nextDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000);
}

export async function dailyLimit(
  db: Db,
  userId: string,
  config: Pick<Config, "DAILY_CLAID_IMAGE_BUDGET">,
): Promise<number> {
  const [row] = await db
    .select({ budget: user.dailyImageBudget })
    .from(user)
    .where(eq(user.id, userId))
    .limit(1);
  return row?.budget ?? config.DAILY_CLAID_IMAGE_BUDGET;
}

export async function budgetStatus(
  db: Db,
  userId: string,
  config: Pick<Config, "DAILY_CLAID_IMAGE_BUDGET">,
  now = new Date(),
): Promise<BudgetStatus> {
  const day = budgetDay(now);
  const limit = await dailyLimit(db, userId, config);
  const [row] = await db
    .select({ images: imageUsage.images })
    .from(imageUsage)
    .where(and(eq(imageUsage.userId, userId), eq(imageUsage.day, day)))
    .limit(1);
  const used = row?.images ?? 0;
  return { limit, used, remaining: Math.max(0, limit - used), day, resetsAt: nextDay(day).toISOString() };
}

/** The 402 for a reservation of `requested` images that today's budget cannot hold, with its figures. */
async function overBudget(
  db: Db,
  input: { userId: string; defaultLimit: number; now?: Date | undefined },
  day: string,
  requested: number,
) {
  const status = await budgetStatus(
    db,
    input.userId,
    { DAILY_CLAID_IMAGE_BUDGET: input.defaultLimit },
    input.now,
  );
  return errors.budgetSpent({ limit: status.limit, used: status.used, requested, resetsAt: nextDay(day) });
}

/**
 * Reserves `images` of today's budget against the person's own limit (or `defaultLimit`). Reading the
 * limit, the check, the increment and the reservation record are one statement: concurrent
 * reservations can never add up to more than the limit, on PGlite or PostgreSQL alike, and a
 * generation's request pays for one round trip, not four.
 */
export async function reserveImages(
  db: Db,
  input: {
    userId: string;
    engine: EngineName;
    images: number;
    defaultLimit: number;
    /** The generation this pays for, when its id is already known. */
    generationId?: string;
    now?: Date;
  },
): Promise<{ id: string; day: string }> {
  const day = budgetDay(input.now);
  const id = randomUUID();
  // Casts matter: untyped parameters compared with each other would compare as text ("6" > "10").
  const result = await db.execute(sql`
    with person_limit as (
      select coalesce(
        (select ${user.dailyImageBudget} from ${user} where ${user.id} = ${input.userId}),
        ${input.defaultLimit}::integer
      ) as n
    ), taken as (
      insert into ${imageUsage} (user_id, day, images)
      select ${input.userId}, ${day}::date, ${input.images}::integer
      from person_limit where ${input.images}::integer <= person_limit.n
      on conflict (user_id, day) do update
        set images = ${imageUsage}.images + excluded.images
        where ${imageUsage}.images + excluded.images <= (select n from person_limit)
      returning images
    )
    insert into ${imageReservation} (id, user_id, day, engine, images, generation_id)
    select ${id}, ${input.userId}, ${day}::date, ${input.engine}, ${input.images}::integer,
      ${input.generationId ?? null}::text
    from taken
    returning id`);
  if (rowsOf(result).length === 0) {
    throw await overBudget(db, input, day, input.images);
  }
  return { id, day };
}

/**
 * Reserves images for many generations at once, all or none: the total is checked against the
 * person's limit and added in one conditional statement, with one reservation per generation so
 * each is settled by whoever runs it. A campaign is refused up front rather than half-run.
 */
export async function reserveImagesForMany(
  db: Db,
  input: {
    userId: string;
    engine: EngineName;
    entries: readonly { generationId: string; images: number }[];
    defaultLimit: number;
    now?: Date;
  },
): Promise<{ day: string }> {
  const day = budgetDay(input.now);
  const total = input.entries.reduce((sum, e) => sum + e.images, 0);
  if (input.entries.length === 0) return { day };
  const rows = input.entries.map(
    (e) => sql`(${randomUUID()}::text, ${e.images}::integer, ${e.generationId}::text)`,
  );
  const result = await db.execute(sql`
    with person_limit as (
      select coalesce(
        (select ${user.dailyImageBudget} from ${user} where ${user.id} = ${input.userId}),
        ${input.defaultLimit}::integer
      ) as n
    ), taken as (
      insert into ${imageUsage} (user_id, day, images)
      select ${input.userId}, ${day}::date, ${total}::integer
      from person_limit where ${total}::integer <= person_limit.n
      on conflict (user_id, day) do update
        set images = ${imageUsage}.images + excluded.images
        where ${imageUsage}.images + excluded.images <= (select n from person_limit)
      returning images
    )
    insert into ${imageReservation} (id, user_id, day, engine, images, generation_id)
    select v.id, ${input.userId}, ${day}::date, ${input.engine}, v.images, v.generation_id
    from (values ${sql.join(rows, sql`, `)}) as v (id, images, generation_id), taken
    returning id`);
  if (rowsOf(result).length === 0) {
    throw await overBudget(db, input, day, total);
  }
  return { day };
}

type Which = { id: string } | { generationId: string } | { generationIds: readonly string[] };

function matching(which: Which) {
  const target =
    "id" in which
      ? eq(imageReservation.id, which.id)
      : "generationId" in which
        ? eq(imageReservation.generationId, which.generationId)
        : inArray(imageReservation.generationId, [...which.generationIds]);
  return and(target, eq(imageReservation.status, "reserved"));
}

/** Gives a reservation's images back (the upstream call failed). Settling twice changes nothing. */
export async function releaseImages(db: Db, which: Which): Promise<void> {
  if ("generationIds" in which && which.generationIds.length === 0) return;
  await db.transaction(async (tx) => {
    const settled = await tx
      .update(imageReservation)
      .set({ status: "released", settledAt: new Date() })
      .where(matching(which))
      .returning();
    // A campaign's reservations are many rows of one person's day: one update per day, not per row.
    const perDay = new Map<string, { userId: string; day: string; images: number }>();
    for (const row of settled) {
      const key = `${row.userId}|${row.day}`;
      const sum = perDay.get(key) ?? { userId: row.userId, day: row.day, images: 0 };
      sum.images += row.images;
      perDay.set(key, sum);
    }
    for (const sum of perDay.values()) {
      await tx
        .update(imageUsage)
        .set({ images: sql`greatest(0, ${imageUsage.images} - ${sum.images})` })
        .where(and(eq(imageUsage.userId, sum.userId), eq(imageUsage.day, sum.day)));
    }
  });
}

/**
 * The statement that marks a reservation as spent (the upstream produced the images), only where
 * `also` holds: a part of a bigger statement that records the result with it.
 */
export function commitImagesStatement(db: Db, which: Which, also?: SQL) {
  return db
    .update(imageReservation)
    .set({ status: "committed", settledAt: new Date() })
    .where(and(matching(which), also));
}

/**
 * Keeps a reservation's images counted without knowing whether they were spent: the call failed after
 * the request was delivered, so the upstream may have made (and charged) them.
 */
export async function markImagesUnknown(db: Db, which: Which): Promise<void> {
  await db.update(imageReservation).set({ status: "unknown", settledAt: new Date() }).where(matching(which));
}

/** Marks a reservation as spent (the upstream produced the images). */
export async function commitImages(db: Db, which: Which): Promise<void> {
  await commitImagesStatement(db, which);
}
