/**
 * `npm run bench -- <name> [args…]` runs `bench/<name>/run.ts`; without a name it lists them. Most
 * serve the built app: run `npx next build` first (bench/README.md says which and what they print).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const here = import.meta.dirname;
const names = fs
  .readdirSync(here, { withFileTypes: true })
  .filter((e) => e.isDirectory() && fs.existsSync(path.join(here, e.name, "run.ts")))
  .map((e) => e.name)
  .sort();

const [name, ...args] = process.argv.slice(2);
if (!name || !names.includes(name)) {
  if (name) console.error(`No benchmark called "${name}".`);
  console.log(`Benchmarks: ${names.join(", ")}\n\n  npm run bench -- <name> [args…]\n\nSee bench/README.md.`);
  process.exit(name ? 1 : 0);
}
const run = spawnSync(process.execPath, ["--import", "tsx", path.join(here, name, "run.ts"), ...args], {
  stdio: "inherit",
});
process.exit(run.status ?? 1);
