"use client";

import { useEffect, useState } from "react";

import { Button, buttonClass } from "@/components/ui/button";
import { Segmented } from "@/components/ui/segmented";
import { campaignDownloadHref } from "@/lib/client/campaigns";
import { failureMessage } from "@/lib/client/request";
import { useCampaign, useCampaignActions } from "@/lib/client/use-campaign";
import type { Campaign, CampaignItem, ReviewedOutput } from "@/lib/scene/campaign";

import { productLabels, sceneLabels } from "../labels";
import { ProductTabs } from "../product-tabs";
import { CampaignStatus, countsText, duration, EngineLabel, ItemStatus, settledShare } from "../status";
import { OutputReview } from "./output-review";

type Filter = "all" | "approved" | "rejected" | "unreviewed";

const FILTERS: { value: Filter; label: string }[] = [
  { value: "all", label: "All" },
  { value: "approved", label: "Approved" },
  { value: "rejected", label: "Rejected" },
  { value: "unreviewed", label: "Unreviewed" },
];

function shown(output: ReviewedOutput, filter: Filter): boolean {
  if (filter === "all") return true;
  if (filter === "unreviewed") return output.review === null;
  return output.review?.verdict === filter;
}

/** The clock while something runs, so elapsed time moves between updates. */
function useNow(running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  return now;
}

function Progress({ campaign }: { campaign: Campaign }) {
  const running = campaign.status === "running";
  const now = useNow(running);
  const elapsed = running ? now - Date.parse(campaign.created_at) : campaign.progress.elapsed_ms;
  const share = settledShare(campaign.counts);
  return (
    <div className="flex flex-col gap-1" data-testid="campaign-progress">
      <div
        role="progressbar"
        aria-label="Items finished"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(share * 100)}
        className="h-2 overflow-hidden rounded bg-canvas"
      >
        <div
          className="h-full bg-accent transition-[width]"
          style={{ width: `${Math.round(share * 100)}%` }}
        />
      </div>
      <p className="text-xs text-ink-soft">
        <span data-testid="campaign-counts">{countsText(campaign.counts)}</span> · {duration(elapsed)} elapsed
        {running && campaign.progress.remaining_ms !== null
          ? ` · about ${duration(campaign.progress.remaining_ms)} left`
          : ""}
        {running && campaign.progress.remaining_ms === null ? " · estimating…" : ""}
      </p>
    </div>
  );
}

function Cell({
  item,
  filter,
  campaignId,
  canReview,
}: {
  item: CampaignItem | undefined;
  filter: Filter;
  campaignId: string;
  canReview: boolean;
}) {
  if (!item) return <td className="p-1" />;
  const outputs = item.outputs.filter((o) => shown(o, filter));
  const label = [item.names.product, item.names.scene, item.names.ratio].join(" · ");
  return (
    <td className="p-1 align-top">
      <div
        data-testid="campaign-cell"
        data-status={item.status}
        data-position={item.position}
        className="flex min-h-24 flex-col gap-1 rounded-md border border-canvas-line bg-canvas p-1.5"
      >
        <div className="flex items-center gap-1">
          <ItemStatus status={item.status} />
          {item.attempts > 1 ? <span className="text-[11px] text-ink-muted">try {item.attempts}</span> : null}
        </div>
        {item.error ? (
          <p className="max-w-64 text-[11px] text-danger" data-testid="item-error">
            {item.error.message}
          </p>
        ) : null}
        <div className="flex flex-wrap gap-1">
          {outputs.map((output) => (
            <OutputReview
              key={output.id}
              campaignId={campaignId}
              output={output}
              label={`${label} #${output.index + 1}`}
              canReview={canReview}
            />
          ))}
        </div>
      </div>
    </td>
  );
}

/**
 * A campaign as it runs and once it has: a tab per product, rows of scenes, columns of ratios,
 * filling in live; then the review board (approve or reject with a note, filters, download approved).
 */
export function CampaignBoard({
  id,
  canReview,
  me,
}: {
  id: string;
  canReview: boolean;
  me: { id: string; admin: boolean };
}) {
  const { data: campaign, error, isPending } = useCampaign(id);
  const actions = useCampaignActions(id);
  const [tab, setTab] = useState(0);
  const [filter, setFilter] = useState<Filter>("all");
  if (isPending) return <p className="m-6 text-sm text-ink-muted">Loading…</p>;
  if (!campaign) {
    return (
      <p role="alert" className="m-6 text-sm text-danger">
        {failureMessage(error, "The campaign could not be loaded")}
      </p>
    );
  }
  const mayChange =
    canReview && (me.admin || campaign.created_by === null || campaign.created_by.id === me.id);
  const product = Math.min(tab, campaign.names.products.length - 1);
  const ratios = campaign.plan.axes.aspect_ratios;
  const sceneNames = sceneLabels(campaign.plan.axes, campaign.names.scenes);
  const rows = sceneNames.flatMap((scene, s) =>
    (campaign.names.placements.length ? campaign.names.placements : [undefined]).map((placement, p) => ({
      key: `${s}-${p}`,
      label: placement ? `${scene} · ${placement}` : scene,
      scene: s,
      placement: placement ? p : undefined,
    })),
  );
  const itemAt = (scene: number, placement: number | undefined, ratio: string | undefined) =>
    campaign.items.find(
      (i) =>
        (i.axes.product ?? 0) === product &&
        (i.axes.scene ?? 0) === scene &&
        i.axes.placement === placement &&
        i.axes.aspect_ratio === ratio,
    );
  const approved = campaign.items.some((i) => i.outputs.some((o) => o.review?.verdict === "approved"));
  const actionError = actions.cancel.error ?? actions.retry.error;

  return (
    <div className="flex flex-col gap-4 p-6">
      <header className="flex flex-col gap-3 rounded-lg border border-canvas-line bg-canvas-panel p-4">
        <div className="flex flex-wrap items-center gap-2">
          <h1 className="text-lg font-semibold">{campaign.name}</h1>
          <EngineLabel engine={campaign.engine} />
          <CampaignStatus status={campaign.status} />
          <span className="text-xs text-ink-muted">
            {campaign.item_count} items · by {campaign.created_by?.name ?? "someone"},{" "}
            {new Date(campaign.created_at).toLocaleString()}
          </span>
          <div className="ml-auto flex flex-wrap gap-2">
            {mayChange && campaign.status === "running" ? (
              <Button onClick={() => actions.cancel.mutate()} disabled={actions.cancel.isPending}>
                Cancel queued items
              </Button>
            ) : null}
            {mayChange && campaign.counts.failed > 0 ? (
              <Button onClick={() => actions.retry.mutate()} disabled={actions.retry.isPending}>
                Retry {campaign.counts.failed} failed
              </Button>
            ) : null}
            {approved ? (
              <a href={campaignDownloadHref(campaign.id)} className={buttonClass("primary")} download>
                Download approved
              </a>
            ) : (
              <span
                className={buttonClass("secondary", "md", "pointer-events-none opacity-50")}
                aria-disabled
              >
                Download approved
              </span>
            )}
          </div>
        </div>
        <Progress campaign={campaign} />
        {campaign.engine === "claid" ? (
          <p className="text-xs text-ink-muted">
            Calls to Claid are paced to its limits, so a large campaign fills in at a steady rate. Retrying
            generates again: Claid has no seed, so new images differ from any earlier ones.
          </p>
        ) : null}
        {actionError ? (
          <p role="alert" className="text-sm text-danger">
            {failureMessage(actionError, "That did not work")}
          </p>
        ) : null}
      </header>

      <div className="flex flex-wrap items-center gap-3">
        <div className="w-96">
          <Segmented<Filter>
            label="Show outputs"
            name="review-filter"
            value={filter}
            options={FILTERS}
            onChange={setFilter}
          />
        </div>
      </div>

      <section aria-label="Items" className="flex flex-col gap-2">
        <ProductTabs
          names={productLabels(campaign.plan.axes, campaign.names.products)}
          current={product}
          onSelect={setTab}
          idPrefix="board"
        />
        <div id="board-panel" role="tabpanel" className="overflow-auto">
          <table className="border-collapse text-xs" data-testid="campaign-grid">
            <thead>
              <tr>
                <th scope="col" className="p-1 text-left font-medium text-ink-soft">
                  Scene
                </th>
                {(ratios ?? ["frame"]).map((ratio) => (
                  <th key={ratio} scope="col" className="p-1 text-left font-medium text-ink-soft">
                    {ratio}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key}>
                  <th scope="row" className="max-w-40 p-1 text-left align-top font-normal">
                    {row.label}
                  </th>
                  {(ratios ?? [undefined]).map((ratio) => (
                    <Cell
                      key={ratio ?? "frame"}
                      item={itemAt(row.scene, row.placement, ratio)}
                      filter={filter}
                      campaignId={campaign.id}
                      canReview={canReview}
                    />
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
