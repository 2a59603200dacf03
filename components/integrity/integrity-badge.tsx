import {
  integrityDetail,
  integrityLabel,
  isFlagged,
  type IntegrityVerdict,
  type OutputIntegrity,
} from "@/lib/scene/integrity";

const TONES: Record<IntegrityVerdict | "none", string> = {
  intact: "bg-accent-soft text-accent-strong",
  altered: "bg-danger-soft text-danger",
  moved: "bg-danger-soft text-danger",
  unknown: "bg-canvas text-ink-muted",
  none: "bg-canvas text-ink-muted",
};

/**
 * Whether the output shows the product as it was sent: intact, altered, moved, not judged, or not
 * checked yet. `integrity` gives the figures for the tooltip; `verdict` alone is enough for a group.
 */
export function IntegrityBadge({
  verdict,
  integrity,
  flaggedCount,
}: {
  verdict: IntegrityVerdict | null;
  integrity?: OutputIntegrity | null;
  /** Of a group: how many of its outputs are flagged, said when more than one. */
  flaggedCount?: number;
}) {
  const label = integrityLabel(verdict);
  const count = flaggedCount !== undefined && flaggedCount > 1 && isFlagged(verdict ?? undefined);
  return (
    <span
      data-testid="integrity-badge"
      data-verdict={verdict ?? "none"}
      title={integrity !== undefined ? integrityDetail(integrity) : label}
      className={`rounded px-1.5 py-0.5 text-[11px] font-medium whitespace-nowrap ${TONES[verdict ?? "none"]}`}
    >
      {isFlagged(verdict ?? undefined) ? "⚠ " : ""}
      {label}
      {count ? ` (${flaggedCount})` : ""}
    </span>
  );
}
