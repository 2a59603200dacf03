"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";

import type { CampaignPlanInput } from "@/lib/scene/campaign";

import { fetchCampaigns, previewCampaign, startCampaign } from "./campaigns";
import { queryKeys } from "./query-keys";

/** The newest campaigns with their counts. */
export function useCampaigns() {
  return useQuery({ queryKey: queryKeys.campaigns.list(), queryFn: ({ signal }) => fetchCampaigns(signal) });
}

/** `value`, once it has stopped changing for `ms`. */
function useSettledValue<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * The dry run of a plan as it is being edited: asked for once the plan has been still for a moment,
 * the last answer kept on screen meanwhile. Its error is the server's own (a bad item named with its
 * field).
 */
export function useCampaignPreview(plan: CampaignPlanInput | undefined) {
  const key = JSON.stringify(plan ?? null);
  const settledKey = useSettledValue(key, 300);
  const settled = settledKey === "null" ? undefined : (JSON.parse(settledKey) as CampaignPlanInput);
  return useQuery({
    queryKey: queryKeys.campaigns.preview(settledKey),
    queryFn: ({ signal }) => previewCampaign(settled as CampaignPlanInput, signal),
    enabled: Boolean(settled),
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: 10_000,
  });
}

export function useStartCampaign() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: startCampaign,
    onSuccess: (campaign) => {
      client.setQueryData(queryKeys.campaigns.detail(campaign.id), campaign);
      void client.invalidateQueries({ queryKey: queryKeys.campaigns.list() });
    },
  });
}
