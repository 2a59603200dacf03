/**
 * npm run check [-- --fix]
 *
 * Compares the history records with the stored files and prints counts and problems; exits 1 when
 * there are problems. `--fix` repairs what can be repaired first. With the embedded database, run it
 * while the server is stopped (PGlite allows one process per data folder).
 */
import { closeDatabases } from "@/lib/server/db/client";
import { formatReport, generations } from "@/lib/server/generations";

async function main() {
  const fix = process.argv.includes("--fix");
  const json = process.argv.includes("--json");
  try {
    const report = await generations.check({ fix });
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
