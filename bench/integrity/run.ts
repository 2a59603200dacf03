/**
 * Product-integrity check benchmark: time per output (p50/p95, wall and CPU) and the detection and
 * false-alarm rates on the measured test set, plus the local engine's own drafts (the scenes of
 * `engine-cases.ts`, and every aspect ratio of the contract with every placement checked).
 *
 *   node --import tsx bench/integrity/run.ts [--products 30] [--rounds 3]
 *
 * Prints a table and writes JSON to bench/results/. Figures, not assertions.
 */
import "../render/server-modules";

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";

import { loadConfig, setConfigForTests } from "@/lib/server/config";
import type { IntegrityResult } from "@/lib/server/integrity";
import { checkIntegrity, prepareProduct } from "@/lib/server/integrity";

import { aspectDraftCases } from "../../test/integrity/aspect-drafts";
import type { IntegrityCase } from "../../test/integrity/cases";
import { casesForProduct, PRODUCTS } from "../../test/integrity/cases";
import { engineCases } from "../../test/integrity/engine-cases";
import { expectedVerdict, judged } from "../../test/integrity/scoring";

function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

const round = (v: number) => Math.round(v * 10) / 10;
const pct = (n: number, d: number) => `${((100 * n) / Math.max(1, d)).toFixed(1)} % (${n}/${d})`;

/** Wall and CPU milliseconds of one call. CPU counts libvips' worker threads too. */
async function timed<T>(work: () => Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await work();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { value, wall, cpu: (cpu.user + cpu.system) / 1000 };
}

async function main() {
  const products = argument("products", PRODUCTS);
  const rounds = argument("rounds", 3);
  // One decode thread, as a server checking outputs next to its other work would leave it.
  sharp.concurrency(1);
  console.log(
    `load average before: ${os
      .loadavg()
      .map((v) => v.toFixed(2))
      .join(" ")}`,
  );

  const cases: IntegrityCase[] = [];
  for (let i = 0; i < products; i++) cases.push(...(await casesForProduct(i)));
  const prepared = new Map<IntegrityCase["product"], Awaited<ReturnType<typeof prepareProduct>>>();
  for (const c of cases)
    if (!prepared.has(c.product)) prepared.set(c.product, await prepareProduct(c.product));

  const results = new Map<IntegrityCase, IntegrityResult>();
  const cpuOf = new Map<IntegrityCase, number[]>();
  const wall: number[] = [];
  const cpu: number[] = [];
  const square: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const c of cases) {
      const product = prepared.get(c.product);
      if (!product) throw new Error("product did not prepare");
      const t = await timed(() => checkIntegrity({ request: c.request, output: c.output, product }));
      results.set(c, t.value);
      // The first round warms the JIT and the product reductions up; it is not counted.
      if (r === 0 && rounds > 1) continue;
      wall.push(t.wall);
      cpu.push(t.cpu);
      cpuOf.set(c, [...(cpuOf.get(c) ?? []), t.cpu]);
      const meta = await sharp(c.output).metadata();
      if (meta.width === 1024 && meta.height === 1024) square.push(t.wall);
    }
  }
  // First check of a product: its object box and reduction are made then.
  const cold: number[] = [];
  for (let i = 0; i < Math.min(products, 12); i++) {
    const c = cases.find((k) => k.name.startsWith(`#${i} `));
    if (!c) continue;
    const copy = { ...c.product, pixels: Buffer.from(c.product.pixels), objectBox: undefined };
    cold.push(
      (await timed(() => checkIntegrity({ request: c.request, output: c.output, product: copy }))).wall,
    );
  }

  const intact = cases.filter((c) => c.alteration === "none");
  const changed = cases.filter((c) => c.alteration !== "none");
  const falseAlarms = intact.filter((c) => !judged(c, results.get(c)));
  const detected = changed.filter((c) => judged(c, results.get(c)));
  const kinds = [...new Set(changed.map((c) => c.alteration))];

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "backdrop-bench-integrity-"));
  const config = loadConfig({ DATA_DIR: dataDir, NODE_ENV: "production" });
  setConfigForTests(config);
  const drafts = [...(await engineCases(config)), ...(await aspectDraftCases(config))];
  const draftResults = [];
  for (const d of drafts) draftResults.push({ name: d.name, result: await checkIntegrity(d) });
  fs.rmSync(dataDir, { recursive: true, force: true });

  console.log(`\nintegrity check, ${cases.length} outputs of ${products} products (about 1 megapixel each)`);
  console.log(
    `  time per output, wall: p50 ${round(percentile(wall, 50))} ms, p95 ${round(percentile(wall, 95))} ms`,
  );
  console.log(
    `  time per output, CPU:  p50 ${round(percentile(cpu, 50))} ms, p95 ${round(percentile(cpu, 95))} ms`,
  );
  console.log(
    `  1024 × 1024 outputs (${square.length}), wall: p50 ${round(percentile(square, 50))} ms, p95 ${round(percentile(square, 95))} ms`,
  );
  const slowest = [...cpuOf.entries()]
    .map(([c, times]) => ({ name: c.name, cpu: percentile(times, 50) }))
    .sort((a, b) => b.cpu - a.cpu)
    .slice(0, 5);
  console.log(`  slowest (median CPU): ${slowest.map((s) => `${s.name} ${round(s.cpu)} ms`).join("; ")}`);
  console.log(
    `  first output of a product (object box and reduction made): p50 ${round(percentile(cold, 50))} ms`,
  );
  console.log(`  altered or moved detected: ${pct(detected.length, changed.length)}`);
  for (const kind of kinds) {
    const of = changed.filter((c) => c.alteration === kind);
    console.log(
      `    ${kind.padEnd(16)} ${pct(of.filter((c) => judged(c, results.get(c))).length, of.length)}`,
    );
  }
  console.log(`  intact flagged (false alarms): ${pct(falseAlarms.length, intact.length)}`);
  for (const c of [...falseAlarms, ...changed.filter((k) => !judged(k, results.get(k)))]) {
    console.log(`    missed: ${c.name} → ${JSON.stringify(results.get(c))} (${c.conditions})`);
  }
  const draftsIntact = draftResults.filter((d) => d.result.verdict === "intact").length;
  console.log(`  local engine drafts judged intact: ${pct(draftsIntact, draftResults.length)}`);
  for (const d of draftResults.filter((k) => k.result.verdict !== "intact")) {
    console.log(`    not intact: ${d.name} → ${JSON.stringify(d.result)}`);
  }
  console.log(
    `load average after: ${os
      .loadavg()
      .map((v) => v.toFixed(2))
      .join(" ")}`,
  );

  const outDir = path.join(process.cwd(), "bench", "results");
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `integrity-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        products,
        rounds,
        loadavg: os.loadavg(),
        ms: {
          wall_p50: percentile(wall, 50),
          wall_p95: percentile(wall, 95),
          cpu_p50: percentile(cpu, 50),
          cpu_p95: percentile(cpu, 95),
          square_p50: percentile(square, 50),
          square_p95: percentile(square, 95),
          cold_p50: percentile(cold, 50),
        },
        detection: detected.length / changed.length,
        false_alarms: falseAlarms.length / intact.length,
        drafts_intact: draftsIntact / draftResults.length,
        cases: cases.map((c) => ({ name: c.name, expected: expectedVerdict(c), result: results.get(c) })),
      },
      null,
      2,
    ),
  );
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
