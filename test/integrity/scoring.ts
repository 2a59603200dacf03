import type { IntegrityResult } from "@/lib/server/integrity";

import type { IntegrityCase } from "./cases";

/** What a case must be judged: intact as made, moved when only its placement changed, else altered. */
export function expectedVerdict(c: Pick<IntegrityCase, "alteration">): "intact" | "moved" | "altered" {
  if (c.alteration === "none") return "intact";
  return c.alteration === "moved" || c.alteration === "scaled" ? "moved" : "altered";
}

/**
 * Whether a result counts as right: an intact case must be `intact`, a moved or scaled one `moved`,
 * an altered one anything but `intact` (moved and altered at once is still a detection).
 */
export function judged(c: Pick<IntegrityCase, "alteration">, result: IntegrityResult | undefined): boolean {
  if (!result) return false;
  const expected = expectedVerdict(c);
  if (expected === "altered") return result.verdict === "altered" || result.verdict === "moved";
  return result.verdict === expected;
}
