import "server-only";

import { itemStem, slug, type Campaign, type Verdict } from "@/lib/scene/campaign";

import { errors } from "../errors";
import { generations } from "../generations";
import type { CampaignDeps } from "./deps";
import { loadCampaign } from "./service";

/**
 * Which outputs go in the zip and under which names: those whose latest verdict is `verdict`, as
 * `<campaign>/<product>-<scene>-<ratio>-<n>`, and each of their items' exact request as
 * `<campaign>/requests/<product>-<scene>-<ratio>.json`.
 */
export function zipPlan(campaign: Campaign, verdict: Verdict, requests: ReadonlyMap<string, unknown>) {
  const folder = slug(campaign.name) || "campaign";
  const outputs = new Map<string, string>();
  const texts: { name: string; text: string }[] = [];
  for (const item of campaign.items) {
    const chosen = item.outputs.filter((o) => o.review?.verdict === verdict && o.url);
    if (chosen.length === 0) continue;
    const stem = itemStem(item.names);
    for (const output of chosen) outputs.set(output.id, `${folder}/${stem}-${output.index + 1}`);
    const request = item.generation_id ? requests.get(item.generation_id) : undefined;
    if (request)
      texts.push({ name: `${folder}/requests/${stem}.json`, text: JSON.stringify(request, null, 2) });
  }
  return { folder, outputs, texts };
}

/** A zip of a campaign's approved (or rejected) outputs with their requests, streamed from storage. */
export async function campaignZip(
  deps: CampaignDeps,
  id: string,
  verdict: Verdict,
): Promise<{ filename: string; body: ReadableStream<Uint8Array> }> {
  const campaign = await loadCampaign(deps, id);
  const found = await generations.many(
    campaign.items.flatMap((i) => (i.generation_id ? [i.generation_id] : [])),
  );
  const requests = new Map([...found].map(([gid, g]) => [gid, g.request as unknown]));
  const { folder, outputs, texts } = zipPlan(campaign, verdict, requests);
  if (outputs.size === 0) throw errors.nothingApproved(verdict);
  const body = await generations.zip({ generation: [], output: [...outputs.keys()] }, { outputs, texts });
  return { filename: `${folder}-${verdict}.zip`, body };
}
