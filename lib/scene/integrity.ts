/**
 * The product-integrity verdict of one output, as the generations API, the Claid-compatible answer,
 * the gallery and the export report show it. The check itself is `lib/server/integrity`.
 */
import { z } from "zod";

export const INTEGRITY_VERDICTS = ["intact", "altered", "moved", "unknown"] as const;
export type IntegrityVerdict = (typeof INTEGRITY_VERDICTS)[number];

/** Verdicts a person should look at: the product changed, or is not where the request put it. */
export const FLAGGED_VERDICTS = ["altered", "moved"] as const satisfies readonly IntegrityVerdict[];

export function isFlagged(verdict: IntegrityVerdict | undefined): boolean {
  return verdict === "altered" || verdict === "moved";
}

const box = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });
export type IntegrityBox = z.output<typeof box>;

export const outputIntegrity = z.object({
  verdict: z.enum(INTEGRITY_VERDICTS),
  /** 1: the output shows the product as it is; below about 0.5 something in it changed. Null when unknown. */
  similarity: z.number().nullable(),
  /** How far the product is from where the request put it, in output pixels. */
  offset_px: z.number().nullable(),
  /** The product's size in the output over the size the request asked for. */
  scale_ratio: z.number().nullable(),
  /** Why it could not be judged (`unknown` only), in words and as a code. */
  reason: z.string().optional(),
  code: z.string().optional(),
  /** Where the product is in the output (output pixels, the part inside the frame), when known. */
  product_box: box.optional(),
  /** The least similar part of an altered product (output pixels). */
  worst_region: box.optional(),
  checked_at: z.string(),
});
export type OutputIntegrity = z.output<typeof outputIntegrity>;

/** What the Claid-compatible answer carries per output: the verdict and its three figures. */
export function integritySummary(integrity: OutputIntegrity) {
  return {
    verdict: integrity.verdict,
    similarity: integrity.similarity,
    offset_px: integrity.offset_px,
    scale_ratio: integrity.scale_ratio,
    ...(integrity.reason ? { reason: integrity.reason } : {}),
  };
}

/** The badge's words for a verdict; `null` is an output not checked (yet). */
export function integrityLabel(verdict: IntegrityVerdict | null): string {
  switch (verdict) {
    case "intact":
      return "Product intact";
    case "altered":
      return "Product altered";
    case "moved":
      return "Product moved";
    case "unknown":
      return "Not judged";
    default:
      return "Not checked";
  }
}

/** Worst first: what a card showing several outputs reports for them together. */
const SEVERITY: Record<IntegrityVerdict, number> = { altered: 3, moved: 2, unknown: 1, intact: 0 };

/**
 * The verdict a group of outputs shows as one badge: the worst among those checked; null when none
 * is checked (yet).
 */
export function worstVerdict(
  outputs: readonly { integrity: Pick<OutputIntegrity, "verdict"> | null }[],
): IntegrityVerdict | null {
  let worst: IntegrityVerdict | null = null;
  for (const output of outputs) {
    const verdict = output.integrity?.verdict;
    if (verdict && (worst === null || SEVERITY[verdict] > SEVERITY[worst])) worst = verdict;
  }
  return worst;
}

/** What the badge's tooltip says: the figures behind a verdict, in words. */
export function integrityDetail(integrity: OutputIntegrity | null): string {
  if (!integrity) return "The product has not been compared with its cutout yet";
  switch (integrity.verdict) {
    case "intact":
      return `The product matches its cutout (similarity ${integrity.similarity?.toFixed(2)}), where it was placed`;
    case "altered":
      return `The product differs from its cutout (similarity ${integrity.similarity?.toFixed(2)}): check its label, colours and shape`;
    case "moved":
      return `The product is ${Math.round(integrity.offset_px ?? 0)} px from where it was placed, at ${integrity.scale_ratio}× its size`;
    default:
      return `Not judged: ${integrity.reason ?? "this output cannot be compared"}`;
  }
}
