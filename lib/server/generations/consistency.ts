import "server-only";

import { and, count, eq, inArray, lt, ne, sql } from "drizzle-orm";

import { fileClaims, generationOutputs, generations, thumbnails } from "../db/schema/generations";
import { uploads } from "../db/schema/uploads";
import type { GenerationDeps } from "./records/deps";
import { interruptStale, releaseOrphanClaims } from "./runner/recovery";

export type ConsistencyReport = {
  counts: { generations: number; outputs: number; uploads: number; thumbnails: number; files: number };
  problems: {
    /** Records whose file is not in storage. */
    missingFiles: { key: string; referencedBy: "output" | "upload" | "thumbnail" }[];
    /** Stored files no record points at. */
    orphanFiles: string[];
    /** Generations `running` although their worker stopped reporting. */
    stuckRunning: string[];
    /** File claims of generations that are no longer running. */
    strayClaims: number;
    /** Thumbnails of images no output or upload references any more. */
    danglingThumbnails: string[];
  };
  problemCount: number;
  fixed: string[];
};

async function storedKeys(deps: GenerationDeps): Promise<Set<string>> {
  const keys = new Set<string>();
  for await (const key of deps.store.list()) keys.add(key);
  return keys;
}

async function inspect(deps: GenerationDeps, leaseMs: number) {
  const files = await storedKeys(deps);
  const [outputKeys, uploadKeys, thumbs, claims, stuck, stray] = await Promise.all([
    deps.db.selectDistinct({ key: generationOutputs.fileKey }).from(generationOutputs),
    deps.db.select({ key: uploads.key }).from(uploads),
    deps.db.select({ source: thumbnails.sourceKey, key: thumbnails.thumbKey }).from(thumbnails),
    deps.db
      .select({ key: fileClaims.fileKey })
      .from(fileClaims)
      .innerJoin(generations, eq(generations.id, fileClaims.generationId))
      .where(eq(generations.status, "running")),
    deps.db
      .select({ id: generations.id })
      .from(generations)
      .where(
        and(
          eq(generations.status, "running"),
          lt(generations.heartbeatAt, sql`now() - make_interval(secs => ${leaseMs / 1000})`),
        ),
      ),
    deps.db
      .select({ n: count() })
      .from(fileClaims)
      .innerJoin(generations, eq(generations.id, fileClaims.generationId))
      .where(ne(generations.status, "running")),
  ]);
  const images = new Set([
    ...outputKeys.flatMap((r) => (r.key ? [r.key] : [])),
    ...uploadKeys.map((r) => r.key),
  ]);
  const liveThumbs = thumbs.filter((t) => images.has(t.source));
  const referenced = new Set([...images, ...liveThumbs.map((t) => t.key), ...claims.map((c) => c.key)]);
  const missingFiles: ConsistencyReport["problems"]["missingFiles"] = [
    ...outputKeys.flatMap((r) =>
      r.key && !files.has(r.key) ? [{ key: r.key, referencedBy: "output" as const }] : [],
    ),
    ...uploadKeys.flatMap((r) => (files.has(r.key) ? [] : [{ key: r.key, referencedBy: "upload" as const }])),
    ...liveThumbs.flatMap((t) =>
      files.has(t.key) ? [] : [{ key: t.key, referencedBy: "thumbnail" as const }],
    ),
  ];
  return {
    files,
    problems: {
      missingFiles,
      orphanFiles: [...files].filter((k) => !referenced.has(k)),
      stuckRunning: stuck.map((r) => r.id),
      strayClaims: stray[0]?.n ?? 0,
      danglingThumbnails: thumbs.filter((t) => !images.has(t.source)).map((t) => t.source),
    },
  };
}

/**
 * Compares the records with the stored files: every output's and upload's file exists, no stored file
 * is unreferenced, no generation is stuck `running`. With `fix`, what can be repaired is (stuck runs
 * become interrupted, stray claims and dangling thumbnails go, orphan files are deleted); a missing
 * file cannot be conjured and stays reported.
 */
export async function checkConsistency(
  deps: GenerationDeps,
  options: { leaseMs: number; fix?: boolean },
): Promise<ConsistencyReport> {
  const fixed: string[] = [];
  if (options.fix) {
    const interrupted = await interruptStale(deps.db, deps.store, { leaseMs: options.leaseMs });
    if (interrupted.length) fixed.push(`${interrupted.length} stuck generation(s) marked interrupted`);
    const released = await releaseOrphanClaims(deps.db, deps.store);
    if (released) fixed.push(`stray claims of ${released} generation(s) released`);
    const before = await inspect(deps, options.leaseMs);
    const gone = new Set(before.problems.danglingThumbnails);
    for (const m of before.problems.missingFiles) if (m.referencedBy === "thumbnail") gone.add(m.key);
    if (gone.size) {
      await deps.db
        .delete(thumbnails)
        .where(inArray(thumbnails.sourceKey, before.problems.danglingThumbnails));
      await deps.db.delete(thumbnails).where(
        inArray(
          thumbnails.thumbKey,
          before.problems.missingFiles.filter((m) => m.referencedBy === "thumbnail").map((m) => m.key),
        ),
      );
      fixed.push(`${gone.size} dangling thumbnail record(s) removed`);
    }
    const after = await inspect(deps, options.leaseMs);
    for (const key of after.problems.orphanFiles) await deps.store.delete(key);
    if (after.problems.orphanFiles.length)
      fixed.push(`${after.problems.orphanFiles.length} orphan file(s) deleted`);
  }
  const { files, problems } = await inspect(deps, options.leaseMs);
  const [g, o, u, t] = await Promise.all([
    deps.db.select({ n: count() }).from(generations),
    deps.db.select({ n: count() }).from(generationOutputs),
    deps.db.select({ n: count() }).from(uploads),
    deps.db.select({ n: count() }).from(thumbnails),
  ]);
  const problemCount =
    problems.missingFiles.length +
    problems.orphanFiles.length +
    problems.stuckRunning.length +
    problems.strayClaims +
    problems.danglingThumbnails.length;
  return {
    counts: {
      generations: g[0]?.n ?? 0,
      outputs: o[0]?.n ?? 0,
      uploads: u[0]?.n ?? 0,
      thumbnails: t[0]?.n ?? 0,
      files: files.size,
    },
    problems,
    problemCount,
    fixed,
  };
}

export function formatReport(report: ConsistencyReport): string {
  const { counts, problems } = report;
  const lines = [
    `generations ${counts.generations}, outputs ${counts.outputs}, uploads ${counts.uploads}, thumbnails ${counts.thumbnails}, stored files ${counts.files}`,
    `missing files: ${problems.missingFiles.length}`,
    ...problems.missingFiles.slice(0, 20).map((m) => `  ${m.key} (${m.referencedBy})`),
    `orphan files: ${problems.orphanFiles.length}`,
    ...problems.orphanFiles.slice(0, 20).map((k) => `  ${k}`),
    `generations stuck running: ${problems.stuckRunning.length}`,
    ...problems.stuckRunning.slice(0, 20).map((id) => `  ${id}`),
    `stray file claims: ${problems.strayClaims}`,
    `dangling thumbnails: ${problems.danglingThumbnails.length}`,
    ...report.fixed.map((f) => `fixed: ${f}`),
    `${report.problemCount} problem${report.problemCount === 1 ? "" : "s"}`,
  ];
  return lines.join("\n");
}
