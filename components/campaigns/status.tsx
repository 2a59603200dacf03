import type { CampaignCounts, CampaignItemStatus, CampaignSummary } from "@/lib/scene/campaign";

const ITEM_TONES: Record<CampaignItemStatus, string> = {
  queued: "bg-canvas text-ink-soft",
  running: "bg-accent-soft text-accent-strong",
  succeeded: "bg-canvas text-ink-soft",
  reused: "bg-canvas text-ink-soft",
  failed: "bg-danger-soft text-danger",
  cancelled: "bg-canvas text-ink-muted",
};

const ITEM_LABELS: Record<CampaignItemStatus, string> = {
  queued: "Queued",
  running: "Running",
  succeeded: "Done",
  reused: "Reused",
  failed: "Failed",
  cancelled: "Cancelled",
};

export function ItemStatus({ status }: { status: CampaignItemStatus }) {
  return (
    <span
      data-status={status}
      className={`rounded px-1.5 py-0.5 text-[11px] font-medium ${ITEM_TONES[status]}`}
    >
      {ITEM_LABELS[status]}
    </span>
  );
}

const CAMPAIGN_LABELS: Record<CampaignSummary["status"], string> = {
  running: "Running",
  done: "Done",
  cancelled: "Cancelled",
};

export function CampaignStatus({ status }: { status: CampaignSummary["status"] }) {
  const tone = status === "running" ? "bg-accent-soft text-accent-strong" : "bg-canvas text-ink-soft";
  return (
    <span data-campaign-status={status} className={`rounded px-1.5 py-0.5 text-xs font-medium ${tone}`}>
      {CAMPAIGN_LABELS[status]}
    </span>
  );
}

export function EngineLabel({ engine }: { engine: CampaignSummary["engine"] }) {
  return engine === "local" ? (
    <span
      className="rounded bg-draft-soft px-1.5 py-0.5 text-[11px] font-medium text-draft"
      title="Local engine: drafts, not generative AI"
    >
      Draft
    </span>
  ) : (
    <span className="rounded bg-accent-soft px-1.5 py-0.5 text-[11px] font-medium text-accent-strong">
      Claid
    </span>
  );
}

/** "12 done · 3 reused · 1 failed" — only the counts there are. */
export function countsText(counts: CampaignCounts): string {
  const parts: [number, string][] = [
    [counts.succeeded, "done"],
    [counts.reused, "reused"],
    [counts.running, "running"],
    [counts.queued, "queued"],
    [counts.failed, "failed"],
    [counts.cancelled, "cancelled"],
  ];
  return parts
    .filter(([n]) => n > 0)
    .map(([n, label]) => `${n} ${label}`)
    .join(" · ");
}

/** How much is settled, as a fraction of the whole. */
export function settledShare(counts: CampaignCounts): number {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return total === 0 ? 0 : (total - counts.queued - counts.running) / total;
}

/** "2 min 05 s", "38 s". */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(s % 60).padStart(2, "0")} s`;
}
