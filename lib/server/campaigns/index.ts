import "server-only";

import type { CampaignPlan, ReviewBody, Verdict } from "@/lib/scene/campaign";
import type { Scene } from "@/lib/scene/contract";

import type { Principal } from "../auth/authorize";
import { campaignDeps } from "./deps";
import { campaignZip } from "./download";
import { campaignEvents } from "./events";
import { deletePreset, listPresets, savePreset } from "./presets";
import { reviewOutput } from "./reviews";
import {
  cancelCampaign,
  createCampaign,
  listCampaigns,
  loadCampaign,
  previewCampaign,
  retryCampaign,
} from "./service";

/**
 * The campaign wing's door. A campaign's items are ordinary generations in the one queue (through
 * the generation wing's door); this wing keeps the plan, the items' axes, reviews and presets.
 */
export const campaigns = {
  /** What a plan would make and cost (the dry run): nothing is created or reserved. */
  async preview(plan: CampaignPlan, principal: Principal) {
    return previewCampaign(await campaignDeps(), plan, principal);
  },

  /** Checks every item, reserves the budget up front and records the campaign whole; then it runs. */
  async create(plan: CampaignPlan, principal: Principal) {
    return createCampaign(await campaignDeps(), plan, principal);
  },

  async list() {
    return listCampaigns(await campaignDeps());
  },

  async get(id: string) {
    return loadCampaign(await campaignDeps(), id);
  },

  /** Server-sent events of the campaign's progress until nothing is queued or running (404 when there is none). */
  async events(id: string, signal: AbortSignal) {
    return campaignEvents(await campaignDeps(), id, signal);
  },

  async cancel(id: string, principal: Principal) {
    return cancelCampaign(await campaignDeps(), id, principal);
  },

  async retry(id: string, principal: Principal) {
    return retryCampaign(await campaignDeps(), id, principal);
  },

  /** The outputs with this verdict as a zip with meaningful names and the requests. */
  async zip(id: string, verdict: Verdict) {
    return campaignZip(await campaignDeps(), id, verdict);
  },
};

/** Verdicts on outputs (any output, in a campaign or not), kept as an audit trail. */
export const reviews = {
  async add(outputId: string, body: ReviewBody, principal: Principal) {
    return reviewOutput((await campaignDeps()).db, outputId, body, principal);
  },
};

/** Scenes saved by name for the team. */
export const presets = {
  async list() {
    return listPresets((await campaignDeps()).db);
  },
  async save(input: { name: string; scene: Scene }, principal: Principal) {
    return savePreset((await campaignDeps()).db, input, principal);
  },
  async remove(id: string, principal: Principal) {
    return deletePreset((await campaignDeps()).db, id, principal);
  },
};
