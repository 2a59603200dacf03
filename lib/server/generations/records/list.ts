import "server-only";

import { and, desc, eq, gte, ilike, lt, sql, type SQL } from "drizzle-orm";

import type { GenerationFilters, GenerationPage } from "@/lib/scene/generation";

import type { Principal } from "../../auth/authorize";
import type { Db } from "../../db/client";
import { generationOutputs, generations } from "../../db/schema/generations";
import { decodeCursor, encodeCursor } from "./cursor";
import { toGeneration } from "./dto";
import { outputsOf } from "./records";

const DAY_MS = 24 * 60 * 60 * 1000;

/** A date without a time is a whole day in UTC: `from` its start, `to` through its end. */
function bound(value: string, end: boolean): Date {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const at = new Date(dateOnly ? `${value}T00:00:00.000Z` : value);
  return end && dateOnly ? new Date(at.getTime() + DAY_MS) : at;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function filterConditions(filters: GenerationFilters, principal: Principal | undefined): SQL[] {
  const where: SQL[] = [];
  if (filters.engine) where.push(eq(generations.engine, filters.engine));
  if (filters.status) where.push(eq(generations.status, filters.status));
  if (filters.aspect) where.push(eq(generations.aspectRatio, filters.aspect));
  if (filters.favorite) where.push(eq(generations.favorite, true));
  if (filters.mine && principal) where.push(eq(generations.createdBy, principal.userId));
  if (filters.flagged) {
    // Spelled as the partial index `generation_outputs_flagged_idx` is, so the planner uses it.
    where.push(sql`exists (select 1 from ${generationOutputs}
      where ${generationOutputs.generationId} = ${generations.id}
      and ${generationOutputs.integrity}->>'verdict' in ('altered', 'moved'))`);
  }
  if (filters.from) where.push(gte(generations.createdAt, bound(filters.from, false)));
  if (filters.to) {
    const end = bound(filters.to, true);
    // The day after 9999-12-31 is a year no database holds; everything is before it anyway.
    if (end.getUTCFullYear() <= 9999) {
      where.push(
        /^\d{4}-\d{2}-\d{2}$/.test(filters.to)
          ? lt(generations.createdAt, end)
          : sql`${generations.createdAt} <= ${end.toISOString()}::timestamptz`,
      );
    }
  }
  const q = filters.q?.trim();
  if (q) where.push(ilike(generations.promptText, `%${escapeLike(q)}%`));
  return where;
}

/** Newest first, by keyset on (created_at, id): a page costs the same at the millionth row as at the first. */
export async function listGenerations(
  db: Db,
  filters: GenerationFilters,
  principal: Principal | undefined,
): Promise<GenerationPage> {
  const where = filterConditions(filters, principal);
  if (filters.cursor) {
    const c = decodeCursor(filters.cursor);
    // A row comparison walks the (created_at desc, id desc) index directly.
    where.push(
      sql`(${generations.createdAt}, ${generations.id}) < (${c.createdAt.toISOString()}::timestamptz, ${c.id})`,
    );
  }
  const rows = await db
    .select()
    .from(generations)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(generations.createdAt), desc(generations.id))
    .limit(filters.limit + 1);
  const page = rows.slice(0, filters.limit);
  const outputs = await outputsOf(
    db,
    page.map((r) => r.id),
  );
  const last = page[page.length - 1];
  return {
    items: page.map((row) => toGeneration(row, outputs.get(row.id) ?? [])),
    nextCursor:
      rows.length > filters.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
  };
}
