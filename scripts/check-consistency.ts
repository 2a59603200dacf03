/**
 * npm run check [-- --fix] [-- --integrity[=all]]
 *
 * Compares the history records with the stored files and prints counts and problems; exits 1 when
 * there are problems. `--fix` repairs what can be repaired first. `--integrity` first computes the
 * product-integrity verdict of every stored output that has none (`--integrity=all`: of every stored
 * output again) and prints how many are intact, altered, moved or could not be judged; flagged outputs
 * are findings about images, not problems of the records. With the embedded database, run it while the
 * server is stopped (PGlite allows one process per data folder).
 */
import { closeDatabases } from "@/lib/server/db/client";
import { formatIntegrityReport, formatReport, generations } from "@/lib/server/generations";

async function main() {
  const fix = process.argv.includes("--fix");
  const json = process.argv.includes("--json");
  const integrity = process.argv.find((a) => a === "--integrity" || a === "--integrity=all");
  try {
    const checked = integrity
      ? await generations.checkIntegrity({ again: integrity === "--integrity=all" })
      : undefined;
    const report = await generations.check({ fix });
    const text = [formatReport(report), ...(checked ? [formatIntegrityReport(checked)] : [])].join("\n");
    process.stdout.write(
      `${json ? JSON.stringify({ ...report, ...(checked ? { integrity: checked } : {}) }) : text}\n`,
    );
    process.exitCode = report.problemCount === 0 ? 0 : 1;
  } finally {
    await closeDatabases();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`check failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
