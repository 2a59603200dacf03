"use client";

import Link from "next/link";

import { buttonClass } from "@/components/ui/button";
import { failureMessage } from "@/lib/client/request";
import { useCampaigns } from "@/lib/client/use-campaigns";

import { CampaignStatus, countsText, EngineLabel, settledShare } from "./status";

/** Every campaign, newest first, with how far it has come. */
export function CampaignList({ canStart }: { canStart: boolean }) {
  const { data, error, isPending } = useCampaigns();
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-4 p-6">
      <div className="flex items-center justify-between">
        <h1 className="text-lg font-semibold">Campaigns</h1>
        {canStart ? (
          <Link href="/campaigns/new" className={buttonClass("primary")}>
            New campaign
          </Link>
        ) : null}
      </div>
      <p className="text-sm text-ink-soft">
        A campaign makes every combination of products, scenes and aspect ratios from one request, runs them
        without tripping Claid&apos;s limits, and collects them on one board for review.
      </p>
      {isPending ? <p className="text-sm text-ink-muted">Loading…</p> : null}
      {error ? (
        <p role="alert" className="text-sm text-danger">
          {failureMessage(error, "The campaigns could not be loaded")}
        </p>
      ) : null}
      {data && data.length === 0 ? <p className="text-sm text-ink-muted">No campaigns yet.</p> : null}
      <ul className="flex flex-col gap-2">
        {data?.map((campaign) => (
          <li key={campaign.id}>
            <Link
              href={`/campaigns/${campaign.id}`}
              data-testid="campaign-row"
              className="flex items-center gap-3 rounded-lg border border-canvas-line bg-canvas-panel p-3 hover:border-accent"
            >
              <div className="flex min-w-0 flex-1 flex-col gap-1">
                <div className="flex items-center gap-2">
                  <span className="truncate font-medium">{campaign.name}</span>
                  <EngineLabel engine={campaign.engine} />
                  <CampaignStatus status={campaign.status} />
                </div>
                <span className="text-xs text-ink-muted">
                  {campaign.item_count} items · {countsText(campaign.counts)} ·{" "}
                  {campaign.created_by?.name ?? "someone"}, {new Date(campaign.created_at).toLocaleString()}
                </span>
              </div>
              <div className="h-1.5 w-32 overflow-hidden rounded bg-canvas" aria-hidden>
                <div
                  className="h-full bg-accent"
                  style={{ width: `${Math.round(settledShare(campaign.counts) * 100)}%` }}
                />
              </div>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
