import fs from "node:fs";
import path from "node:path";

export { freePort } from "../test/support/free-port";

const RESULTS = path.resolve(import.meta.dirname, "results");

/** Writes a run's figures as `bench/results/<name>-<time>.json` and says where. */
export function writeResult(name: string, result: unknown): string {
  fs.mkdirSync(RESULTS, { recursive: true });
  const file = path.join(RESULTS, `${name}-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  fs.writeFileSync(file, JSON.stringify(result, null, 2));
  console.log(`\nwritten ${path.relative(process.cwd(), file)}`);
  return file;
}
