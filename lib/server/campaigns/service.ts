import "server-only";

import { randomUUID } from "node:crypto";

import { itemRequest, type Campaign, type CampaignPlan, type CampaignSummary } from "@/lib/scene/campaign";
import { sceneCreateRequest, type SceneCreateRequest } from "@/lib/scene/contract";

import type { Principal } from "../auth/authorize";
import { errors } from "../errors";
import { generations } from "../generations";
import type { CampaignDeps } from "./deps";
import { planCampaign } from "./plan";
import {
  assertMayChange,
  getCampaignRow,
  insertCampaign,
  itemsOf,
  itemStates,
  markCancelled,
  newestCampaigns,
  repointItems,
} from "./records";
import { reviewsOf } from "./reviews";
import { campaignView, itemsView, summaryFromStates } from "./view";

/** A campaign as the API answers it: its items with their generations, outputs and reviews. */
export async function loadCampaign(deps: CampaignDeps, id: string): Promise<Campaign> {
  const row = await getCampaignRow(deps.db, id);
  const items = await itemsOf(deps.db, id);
  const ids = items.flatMap((item) => (item.generationId ? [item.generationId] : []));
  const [found, reviews] = await Promise.all([generations.many(ids), reviewsOf(deps.db, ids)]);
  return campaignView(row, itemsView(row, items, found, reviews));
}

/** The dry run: what the plan makes and costs; nothing is created or reserved. */
export async function previewCampaign(deps: CampaignDeps, plan: CampaignPlan, principal: Principal) {
  return (await planCampaign(deps.db, deps.config, plan, principal)).preview;
}

/**
 * Checks and records the whole campaign before anything runs: items through the contract, the
 * budget reserved for every new claid image at once (402 up front, not half-run), then the campaign,
 * its items and their generations in one transaction. Items reuse an identical earlier success
 * unless the plan re-rolls.
 */
export async function createCampaign(
  deps: CampaignDeps,
  plan: CampaignPlan,
  principal: Principal,
): Promise<Campaign> {
  const planned = await planCampaign(deps.db, deps.config, plan, principal);
  const id = randomUUID();
  await generations.recordBatch({
    engine: plan.engine,
    principal,
    items: planned.requests.map((request, i) => ({ request, reuse: planned.reuse[i] })),
    within: (tx, rows) =>
      insertCampaign(tx, {
        id,
        plan,
        principal,
        items: planned.items.map((item, i) => ({
          position: item.position,
          axes: item.axes,
          generationId: rows[i]?.id ?? "",
        })),
      }),
  });
  return loadCampaign(deps, id);
}

export async function listCampaigns(deps: CampaignDeps, limit = 100): Promise<CampaignSummary[]> {
  const rows = await newestCampaigns(deps.db, limit);
  const states = await itemStates(
    deps.db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => summaryFromStates(row, states.get(row.id) ?? []));
}

/**
 * Cancels what has not started: queued items end as cancelled and give their budget back; running
 * ones finish and are kept (they are paid for).
 */
export async function cancelCampaign(
  deps: CampaignDeps,
  id: string,
  principal: Principal,
): Promise<Campaign> {
  const row = await getCampaignRow(deps.db, id);
  assertMayChange(row, principal);
  await markCancelled(deps.db, id);
  const items = await itemsOf(deps.db, id);
  await generations.cancelQueued(
    items.flatMap((item) => (item.generationId ? [item.generationId] : [])),
    errors.cancelled("Cancelled with its campaign before it ran"),
  );
  return loadCampaign(deps, id);
}

/**
 * Runs the failed items again as new generations (the failed ones stay in the gallery as they
 * ended), with the budget reserved for them first; cancelled items stay cancelled.
 */
export async function retryCampaign(deps: CampaignDeps, id: string, principal: Principal): Promise<Campaign> {
  const row = await getCampaignRow(deps.db, id);
  assertMayChange(row, principal);
  const current = await loadCampaign(deps, id);
  const failed = current.items.filter((item) => item.status === "failed");
  if (failed.length === 0) return current;
  const found = await generations.many(
    failed.flatMap((item) => (item.generation_id ? [item.generation_id] : [])),
  );
  const requests: SceneCreateRequest[] = failed.map((item) => {
    // Campaign items are scenes; only a scene's request is run again as it was.
    const kept = item.generation_id ? found.get(item.generation_id) : undefined;
    return kept?.kind === "scene" ? kept.request : sceneCreateRequest.parse(itemRequest(row.plan, item.axes));
  });
  const reuse = row.plan.reroll
    ? requests.map(() => undefined)
    : await generations.reusableFor(requests, row.engine);
  await generations.recordBatch({
    engine: row.engine,
    principal,
    items: requests.map((request, i) => ({ request, reuse: reuse[i] })),
    within: (tx, rows) =>
      repointItems(
        tx,
        id,
        failed.map((item, i) => ({
          position: item.position,
          from: item.generation_id,
          to: rows[i]?.id ?? "",
        })),
      ),
  });
  return loadCampaign(deps, id);
}
