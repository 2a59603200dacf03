/**
 * npm run check [-- --fix]
 *
 * Compares the history records with the stored files and prints counts and problems; exits 1 when
 * there are problems. `--fix` repairs what can be repaired first. With the embedded database, run it
 * while the server is stopped (PGlite allows one process per data folder).
 */
import { getConfig } from "@/lib/server/config";
import { closeDatabases } from "@/lib/server/db/client";
import { checkConsistency, formatReport } from "@/lib/server/generations/consistency";
import { generationDeps } from "@/lib/server/generations/records/deps";

async function main() {
  const fix = process.argv.includes("--fix");
  const json = process.argv.includes("--json");
  const config = getConfig();
  const deps = await generationDeps(config);
  try {
    const report = await checkConsistency(deps, {
      leaseMs: config.GENERATION_LEASE_MS,
      fix,
    });
    process.stdout.write(`${json ? JSON.stringify(report) : formatReport(report)}\n`);
    process.exitCode = report.problemCount === 0 ? 0 : 1;
  } finally {
    await closeDatabases();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`check failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
