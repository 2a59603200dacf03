import "server-only";

import { and, asc, gt, isNotNull, isNull } from "drizzle-orm";

import { INTEGRITY_VERDICTS, isFlagged, type IntegrityVerdict } from "@/lib/scene/integrity";

import { generationOutputs } from "../db/schema/generations";
import { log } from "../log";
import type { GenerationDeps } from "./records/deps";
import { checkGeneration } from "./runner/integrity";

export type IntegrityReport = {
  /** Outputs checked now. */
  checked: number;
  verdicts: Record<IntegrityVerdict, number>;
  /** Outputs found altered or moved now (the first 50). */
  flagged: { generationId: string; outputId: string; verdict: IntegrityVerdict }[];
};

const BATCH = 50;

/**
 * Computes the integrity verdict of stored outputs that have none (outputs stored before checks
 * existed, or whose check did not run), or of every stored output with `again`. Generation by
 * generation, so each product is read once for all its outputs.
 */
export async function backfillIntegrity(
  deps: GenerationDeps,
  options: { again?: boolean } = {},
): Promise<IntegrityReport> {
  const report: IntegrityReport = {
    checked: 0,
    verdicts: Object.fromEntries(INTEGRITY_VERDICTS.map((v) => [v, 0])) as Record<IntegrityVerdict, number>,
    flagged: [],
  };
  const integrityDeps = { ...deps, log };
  let after = "";
  for (;;) {
    const ids = await deps.db
      .selectDistinct({ id: generationOutputs.generationId })
      .from(generationOutputs)
      .where(
        and(
          isNotNull(generationOutputs.fileKey),
          options.again ? undefined : isNull(generationOutputs.integrity),
          gt(generationOutputs.generationId, after),
        ),
      )
      .orderBy(asc(generationOutputs.generationId))
      .limit(BATCH);
    for (const { id } of ids) {
      const verdicts = await checkGeneration(integrityDeps, id, options);
      for (const [outputId, integrity] of verdicts) {
        report.checked++;
        report.verdicts[integrity.verdict]++;
        if (isFlagged(integrity.verdict) && report.flagged.length < 50) {
          report.flagged.push({ generationId: id, outputId, verdict: integrity.verdict });
        }
      }
    }
    const last = ids.at(-1);
    if (!last || ids.length < BATCH) break;
    after = last.id;
  }
  return report;
}

export function formatIntegrityReport(report: IntegrityReport): string {
  const counts = INTEGRITY_VERDICTS.map((v) => `${v} ${report.verdicts[v]}`).join(", ");
  return [
    `integrity: ${report.checked} output${report.checked === 1 ? "" : "s"} checked (${counts})`,
    ...report.flagged.map((f) => `  ${f.verdict}: output ${f.outputId} of generation ${f.generationId}`),
  ].join("\n");
}
