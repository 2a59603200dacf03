"use client";

import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";

import type { Campaign, CampaignItem, ReviewBody } from "@/lib/scene/campaign";

import {
  campaignEventsHref,
  cancelCampaign,
  fetchCampaign,
  parseCampaignEvent,
  retryCampaign,
  reviewOutput,
} from "./campaigns";
import { pollingForced } from "./live-updates";
import { queryKeys } from "./query-keys";

const POLL_MS = 2_000;

function patch(client: QueryClient, id: string, change: (campaign: Campaign) => Campaign) {
  client.setQueryData<Campaign>(queryKeys.campaigns.detail(id), (old) => (old ? change(old) : old));
}

function withItem(campaign: Campaign, item: CampaignItem): Campaign {
  return { ...campaign, items: campaign.items.map((i) => (i.position === item.position ? item : i)) };
}

/**
 * One campaign, followed while it runs by its event stream (`GET /api/campaigns/:id/events`): the
 * whole campaign first, then each item that changes and the counts, straight into the query cache.
 * While the stream is down (or `?updates=poll`) the query polls instead.
 */
export function useCampaign(id: string, options: { initialData?: Campaign } = {}) {
  const client = useQueryClient();
  const [forced] = useState(pollingForced);
  const [live, setLive] = useState(!forced);
  const query = useQuery({
    queryKey: queryKeys.campaigns.detail(id),
    queryFn: ({ signal }) => fetchCampaign(id, signal),
    ...(options.initialData ? { initialData: options.initialData } : {}),
    refetchInterval: (q) => (!live && q.state.data?.status === "running" ? POLL_MS : false),
  });
  const running = query.data?.status === "running";

  useEffect(() => {
    if (!running || forced) return;
    const source = new EventSource(campaignEventsHref(id));
    const settle = (campaign: Pick<Campaign, "status">) => {
      // The server ends the stream once nothing is left; an EventSource would only open it again.
      if (campaign.status !== "running") source.close();
    };
    source.addEventListener("campaign", (event) => {
      const campaign = parseCampaignEvent.campaign(event.data);
      client.setQueryData(queryKeys.campaigns.detail(id), campaign);
      settle(campaign);
    });
    source.addEventListener("item", (event) => {
      const item = parseCampaignEvent.item(event.data);
      patch(client, id, (campaign) => withItem(campaign, item));
    });
    source.addEventListener("progress", (event) => {
      const progress = parseCampaignEvent.progress(event.data);
      patch(client, id, (campaign) => ({ ...campaign, ...progress }));
      settle(progress);
    });
    source.onopen = () => setLive(true);
    source.onerror = () => setLive(false);
    return () => source.close();
  }, [client, id, running, forced]);

  return { ...query, live };
}

/** Cancel and retry answer the campaign as it is now. */
export function useCampaignActions(id: string) {
  const client = useQueryClient();
  const store = (campaign: Campaign) => {
    client.setQueryData(queryKeys.campaigns.detail(id), campaign);
    void client.invalidateQueries({ queryKey: queryKeys.campaigns.list() });
  };
  return {
    cancel: useMutation({ mutationFn: () => cancelCampaign(id), onSuccess: store }),
    retry: useMutation({ mutationFn: () => retryCampaign(id), onSuccess: store }),
  };
}

/** A verdict on one output; the answer (with the output's whole trail) goes into the campaign's cache. */
export function useReviewOutput(campaignId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ outputId, body }: { outputId: string; body: ReviewBody }) => reviewOutput(outputId, body),
    onSuccess: ({ review, reviews }) =>
      patch(client, campaignId, (campaign) => ({
        ...campaign,
        items: campaign.items.map((item) => ({
          ...item,
          outputs: item.outputs.map((o) => (o.id === review.output_id ? { ...o, review, reviews } : o)),
        })),
      })),
  });
}
