import "server-only";

import {
  axisNames,
  campaignSize,
  creditsFor,
  expandPlan,
  itemNames,
  itemStem,
  validateItems,
  type CampaignPlan,
  type CampaignPreview,
  type PlannedItem,
} from "@/lib/scene/campaign";
import type { SceneCreateRequest } from "@/lib/scene/contract";
import { imagesRequested } from "@/lib/scene/vocabulary";

import type { Principal } from "../auth/authorize";
import { engineAvailability, type Config } from "../config";
import type { Db } from "../db/client";
import { errors } from "../errors";
import { generations, type Reusable } from "../generations";
import { budgetStatus } from "../limits/budget";

/** A plan checked item by item, with what each item reuses and what the whole would cost. */
export type PlannedCampaign = {
  plan: CampaignPlan;
  items: PlannedItem[];
  requests: SceneCreateRequest[];
  reuse: (Reusable | undefined)[];
  preview: CampaignPreview;
};

/**
 * Everything checked before anything exists: the engine, the item limit (before the items are
 * made), every item through the contract (a 422 naming the first bad item and its field), then
 * reuse and cost against the person's budget today.
 */
export async function planCampaign(
  db: Db,
  config: Config,
  plan: CampaignPlan,
  principal: Principal,
): Promise<PlannedCampaign> {
  if (!engineAvailability(config)[plan.engine]) throw errors.engineUnavailable(plan.engine);
  const size = campaignSize(plan.axes);
  if (size > config.CAMPAIGN_MAX_ITEMS) throw errors.campaignTooLarge(size, config.CAMPAIGN_MAX_ITEMS);
  const items = expandPlan(plan);
  const checked = validateItems(items);
  if (!checked.ok) {
    const names = axisNames(plan);
    throw errors.campaignItemsInvalid(
      checked.invalid.map((item) => ({
        ...item,
        name: itemStem(itemNames(names, item.axes, items[item.position]?.request)),
      })),
      checked.count,
      items.length,
    );
  }
  const { requests } = checked;
  const reuse = plan.reroll
    ? requests.map(() => undefined)
    : await generations.reusableFor(requests, plan.engine);
  const pricing = {
    creditsPerImage: config.CLAID_CREDITS_PER_IMAGE,
    autopromptCredits: config.CLAID_AUTOPROMPT_CREDITS,
  };
  let images = 0;
  let newImages = 0;
  let credits = 0;
  requests.forEach((request, i) => {
    const count = imagesRequested(request);
    images += count;
    if (reuse[i]) return;
    newImages += count;
    credits += creditsFor(request, plan.engine, pricing);
  });
  const budget = await budgetStatus(db, principal.userId, config);
  return {
    plan,
    items,
    requests,
    reuse,
    preview: {
      engine: plan.engine,
      items: items.length,
      images,
      reused: reuse.filter(Boolean).length,
      new_images: newImages,
      credits: Math.round(credits * 100) / 100,
      budget_left: budget.remaining,
      over_budget: plan.engine === "claid" && newImages > budget.remaining,
    },
  };
}
