/** The campaigns, reviews and presets API from the browser, each answer checked with the shared schemas. */
import {
  campaign,
  campaignAnswer,
  campaignItem,
  campaignList,
  presetAnswer,
  presetList,
  previewAnswer,
  reviewAnswer,
  type Campaign,
  type CampaignItem,
  type CampaignPlanInput,
  type CampaignPreview,
  type CampaignSummary,
  type Preset,
  type PresetBody,
  type ReviewBody,
  type Verdict,
} from "@/lib/scene/campaign";

import { request, send } from "./request";

const href = (id: string) => `/api/campaigns/${encodeURIComponent(id)}`;

export async function fetchCampaigns(signal?: AbortSignal): Promise<CampaignSummary[]> {
  return (await request("/api/campaigns", campaignList, signal ? { signal } : {})).campaigns;
}

export async function fetchCampaign(id: string, signal?: AbortSignal): Promise<Campaign> {
  return (await request(href(id), campaignAnswer, signal ? { signal } : {})).campaign;
}

/** The dry run: what the plan would make and cost; a bad item fails with the item and field named. */
export async function previewCampaign(
  plan: CampaignPlanInput,
  signal?: AbortSignal,
): Promise<CampaignPreview> {
  return (
    await request("/api/campaigns", previewAnswer, {
      json: { ...plan, dry_run: true },
      ...(signal ? { signal } : {}),
    })
  ).preview;
}

export async function startCampaign(plan: CampaignPlanInput): Promise<Campaign> {
  return (await request("/api/campaigns", campaignAnswer, { json: plan })).campaign;
}

export async function cancelCampaign(id: string): Promise<Campaign> {
  return (await request(`${href(id)}/cancel`, campaignAnswer, { method: "POST" })).campaign;
}

export async function retryCampaign(id: string): Promise<Campaign> {
  return (await request(`${href(id)}/retry`, campaignAnswer, { method: "POST" })).campaign;
}

export function reviewOutput(outputId: string, body: ReviewBody) {
  return request(`/api/outputs/${encodeURIComponent(outputId)}/review`, reviewAnswer, { json: body });
}

export function campaignDownloadHref(id: string, verdict: Verdict = "approved"): string {
  return `${href(id)}/download?verdict=${verdict}`;
}

export function campaignEventsHref(id: string): string {
  return `${href(id)}/events`;
}

/** A campaign stream's events, checked like any other answer. */
export const parseCampaignEvent = {
  campaign: (data: string): Campaign => campaign.parse(JSON.parse(data)),
  item: (data: string): CampaignItem => campaignItem.parse(JSON.parse(data)),
  progress: (data: string) => campaign.omit({ items: true, plan: true, names: true }).parse(JSON.parse(data)),
};

export async function fetchPresets(signal?: AbortSignal): Promise<Preset[]> {
  return (await request("/api/presets", presetList, signal ? { signal } : {})).presets;
}

export async function savePreset(body: PresetBody): Promise<Preset> {
  return (await request("/api/presets", presetAnswer, { json: body })).preset;
}

export function deletePreset(id: string): Promise<void> {
  return send(`/api/presets/${encodeURIComponent(id)}`, { method: "DELETE" });
}
