import "server-only";

import {
  axisNames,
  itemNames,
  itemRequest,
  type Campaign,
  type CampaignCounts,
  type CampaignItem,
  type CampaignItemStatus,
  type CampaignSummary,
  type Review,
} from "@/lib/scene/campaign";
import type { Generation } from "@/lib/scene/generation";

import type { CampaignRow, ItemRow, ItemState } from "./records";

export const CANCELLED_CODE = "cancelled";
const DELETED = { code: "deleted", message: "Its generation was deleted from the gallery" } as const;

/** How an item reads from its generation: reused and cancelled are told apart from plain successes and failures. */
export function itemStatus(
  generation: Pick<Generation, "status" | "reusedFrom" | "error"> | undefined,
): CampaignItemStatus {
  if (!generation) return "failed";
  switch (generation.status) {
    case "queued":
    case "running":
      return generation.status;
    case "succeeded":
      return generation.reusedFrom ? "reused" : "succeeded";
    case "failed":
      return generation.error?.error_code === CANCELLED_CODE ? "cancelled" : "failed";
    case "interrupted":
      return "failed";
  }
}

function stateStatus(state: ItemState): CampaignItemStatus {
  if (state.status === null) return "failed";
  return itemStatus({
    status: state.status as Generation["status"],
    reusedFrom: state.reused ? "yes" : null,
    error: state.code ? { error_code: state.code, error_type: "general", error_message: "" } : null,
  });
}

export function emptyCounts(): CampaignCounts {
  return { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0, reused: 0 };
}

/** Running while anything is queued or running; then cancelled (if it was) or done. */
export function campaignStatus(row: CampaignRow, counts: CampaignCounts): CampaignSummary["status"] {
  if (counts.queued + counts.running > 0) return "running";
  return row.cancelledAt ? "cancelled" : "done";
}

function summaryOf(row: CampaignRow, counts: CampaignCounts): CampaignSummary {
  return {
    id: row.id,
    name: row.name,
    engine: row.engine,
    status: campaignStatus(row, counts),
    item_count: row.itemCount,
    counts,
    created_at: row.createdAt.toISOString(),
    created_by: row.createdBy ? { id: row.createdBy, name: row.createdByName ?? row.createdBy } : null,
    cancelled_at: row.cancelledAt?.toISOString() ?? null,
  };
}

/** A campaign in the list: its counts from grouped item states. */
export function summaryFromStates(row: CampaignRow, states: readonly ItemState[]): CampaignSummary {
  const counts = emptyCounts();
  for (const state of states) counts[stateStatus(state)] += state.n;
  return summaryOf(row, counts);
}

function itemOf(
  row: ItemRow,
  generation: Generation | undefined,
  names: CampaignItem["names"],
  reviews: ReadonlyMap<string, Review[]>,
): CampaignItem {
  const status = itemStatus(row.generationId ? generation : undefined);
  const error = !generation
    ? DELETED
    : status === "failed" || status === "cancelled"
      ? {
          code: generation.error?.error_code ?? "failed",
          message: generation.error?.error_message ?? "It failed without saying why",
        }
      : null;
  return {
    position: row.position,
    generation_id: row.generationId,
    axes: row.axes,
    names,
    status,
    attempts: row.attempts,
    error,
    started_at: generation?.startedAt ?? null,
    finished_at: generation?.finishedAt ?? null,
    outputs: (generation?.outputs ?? []).map((output) => {
      const trail = reviews.get(output.id) ?? [];
      return { ...output, review: trail[0] ?? null, reviews: trail };
    }),
  };
}

/**
 * Elapsed time, and what is left at the pace of the items that ran so far (reused ones took no
 * time). Not before anything has finished, nor once nothing is left.
 */
function progressOf(row: CampaignRow, items: readonly CampaignItem[], now: number): Campaign["progress"] {
  const left = items.filter((i) => i.status === "queued" || i.status === "running").length;
  const ran = items.filter((i) => i.status === "succeeded" || i.status === "failed");
  const finishedAt = left === 0 ? latest(items.map((i) => i.finished_at)) : null;
  const end = finishedAt ? Date.parse(finishedAt) : now;
  const elapsed = Math.max(0, end - row.createdAt.getTime());
  const started = earliest(items.map((i) => i.started_at));
  let remaining: number | null = null;
  if (left > 0 && ran.length > 0 && started) {
    const perItem = Math.max(0, now - Date.parse(started)) / ran.length;
    remaining = Math.round(perItem * left);
  }
  return { elapsed_ms: Math.round(elapsed), remaining_ms: remaining, finished_at: finishedAt };
}

function latest(values: readonly (string | null)[]): string | null {
  return values.reduce<string | null>((a, b) => (b && (!a || b > a) ? b : a), null);
}

function earliest(values: readonly (string | null)[]): string | null {
  return values.reduce<string | null>((a, b) => (b && (!a || b < a) ? b : a), null);
}

/** Each item as the API answers it, from its row, its generation and its outputs' reviews. */
export function itemsView(
  row: CampaignRow,
  items: readonly ItemRow[],
  found: ReadonlyMap<string, Generation>,
  reviews: ReadonlyMap<string, Review[]>,
): CampaignItem[] {
  const names = axisNames(row.plan);
  return items.map((item) => {
    const generation = item.generationId ? found.get(item.generationId) : undefined;
    const request = generation?.request ?? itemRequest(row.plan, item.axes);
    return itemOf(item, generation, itemNames(names, item.axes, request), reviews);
  });
}

/** The whole campaign as `GET /api/campaigns/:id` answers it. */
export function campaignView(row: CampaignRow, items: CampaignItem[], now = Date.now()): Campaign {
  const counts = emptyCounts();
  for (const item of items) counts[item.status]++;
  return {
    ...summaryOf(row, counts),
    plan: row.plan,
    names: axisNames(row.plan),
    progress: progressOf(row, items, now),
    items,
  };
}
