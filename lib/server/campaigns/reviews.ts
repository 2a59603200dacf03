import "server-only";

import { randomUUID } from "node:crypto";
import { desc, eq, inArray } from "drizzle-orm";

import type { Review, ReviewBody } from "@/lib/scene/campaign";

import type { Principal } from "../auth/authorize";
import type { Db } from "../db/client";
import { outputReviews } from "../db/schema/campaigns";
import { generationOutputs } from "../db/schema/generations";
import { errors } from "../errors";

type ReviewRow = typeof outputReviews.$inferSelect;

function toReview(row: ReviewRow): Review {
  return {
    id: row.id,
    output_id: row.outputId,
    generation_id: row.generationId,
    verdict: row.verdict,
    note: row.note,
    reviewer: row.reviewerId ? { id: row.reviewerId, name: row.reviewerName ?? row.reviewerId } : null,
    created_at: row.createdAt.toISOString(),
  };
}

/** Every verdict on the outputs of `generationIds`, newest first per output. */
export async function reviewsOf(db: Db, generationIds: readonly string[]): Promise<Map<string, Review[]>> {
  const byOutput = new Map<string, Review[]>();
  if (generationIds.length === 0) return byOutput;
  const rows = await db
    .select()
    .from(outputReviews)
    .where(inArray(outputReviews.generationId, [...new Set(generationIds)]))
    .orderBy(desc(outputReviews.createdAt), desc(outputReviews.id));
  for (const row of rows) {
    const list = byOutput.get(row.outputId) ?? [];
    list.push(toReview(row));
    byOutput.set(row.outputId, list);
  }
  return byOutput;
}

/**
 * Adds a verdict to an output: who, when, and why. Earlier verdicts stay as they were (the audit
 * trail); the newest is the output's verdict. Answers it with the output's whole trail.
 */
export async function reviewOutput(
  db: Db,
  outputId: string,
  body: { verdict: ReviewBody["verdict"]; note?: string | undefined },
  principal: Principal,
): Promise<{ review: Review; reviews: Review[] }> {
  const [output] = /^[0-9a-f-]{36}$/.test(outputId)
    ? await db
        .select({ id: generationOutputs.id, generationId: generationOutputs.generationId })
        .from(generationOutputs)
        .where(eq(generationOutputs.id, outputId))
    : [];
  if (!output) throw errors.notFound("The output");
  const [row] = await db
    .insert(outputReviews)
    .values({
      id: randomUUID(),
      outputId: output.id,
      generationId: output.generationId,
      verdict: body.verdict,
      note: body.note ? body.note : null,
      reviewerId: principal.userId,
      reviewerName: principal.name,
    })
    .returning();
  if (!row) throw new Error("insert returned no row");
  const trail = await db
    .select()
    .from(outputReviews)
    .where(eq(outputReviews.outputId, output.id))
    .orderBy(desc(outputReviews.createdAt), desc(outputReviews.id));
  return { review: toReview(row), reviews: trail.map(toReview) };
}
