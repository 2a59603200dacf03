/**
 * GenerationDeps benchmark: inserting and listing 10,000 generations, the gallery's first page, and
 * persisting 4 × 1.5 MB outputs, on PGlite and (with a URL) PostgreSQL.
 *
 *   node --conditions react-server --import tsx bench/history/run.ts
 *   BENCH_DATABASE_URL=postgres://… node --conditions react-server --import tsx bench/history/run.ts
 *
 * Prints figures and ratios and writes JSON to bench/results/. Nothing here passes or fails.
 */
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import pg from "pg";

import { sceneCreateRequest } from "@/lib/scene/contract";
import { loadConfig, setConfigForTests, type Config } from "@/lib/server/config";
import { closeDatabases } from "@/lib/server/db/client";
import { generationOutputs, generations } from "@/lib/server/db/schema/generations";
import type { RunScene } from "@/lib/server/engines";
import { generationDeps, type GenerationDeps } from "@/lib/server/generations/records/deps";
import { listGenerations } from "@/lib/server/generations/records/list";
import { generationValues, insertGeneration } from "@/lib/server/generations/records/records";
import { claimNext } from "@/lib/server/generations/runner/claim";
import { executeGeneration } from "@/lib/server/generations/runner/execute";
import { createLogger } from "@/lib/server/log";

const COUNT = Number(process.env.BENCH_GENERATIONS ?? 10_000);
const BATCH = 500;
const PAGE = 48;
const REPEAT = 40;
const OUTPUT_BYTES = 1.5 * 1024 * 1024;
const log = createLogger({ bench: "history" });
const WORDS = [
  "marble",
  "linen",
  "oak",
  "studio",
  "beach",
  "concrete",
  "velvet",
  "moss",
  "steel",
  "dawn",
  "dusk",
  "glass",
];
const ASPECTS = ["1:1", "4:5", "16:9", "3:2", "9:16"] as const;

function request(i: number) {
  const words = [0, 1, 2].map((k) => WORDS[(i * 7 + k * 3) % WORDS.length]).join(" ");
  return sceneCreateRequest.parse({
    object: { image_url: "https://images.example.com/p.png", scale: 0.6, position: { x: 0.5, y: 0.5 } },
    scene: { prompt: `a product on ${words} #${i}`, aspect_ratio: ASPECTS[i % ASPECTS.length] },
    output: { number_of_images: 1, format: "png" },
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const p95 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)] ?? NaN;
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

async function repeat(fn: () => Promise<unknown>, n = REPEAT) {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) samples.push((await time(fn))[1]);
  return { medianMs: round(median(samples)), p95Ms: round(p95(samples)) };
}

async function freshPostgres(admin: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `backdrop_bench_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function benchInsert(deps: GenerationDeps) {
  const principal = { userId: "bench", name: "Bench" };
  const base = Date.now() - COUNT * 60_000;
  // One at a time, as POST /api/generations records them.
  const single = 300;
  const [, singleMs] = await time(async () => {
    for (let i = 0; i < single; i++) {
      await insertGeneration(deps.db, {
        request: request(i),
        engine: "local",
        principal,
        createdAt: new Date(base + i * 60_000),
      });
    }
  });
  // The rest in batches, with one stored output each, as the gallery will find them.
  const [, batchMs] = await time(async () => {
    for (let from = single; from < COUNT; from += BATCH) {
      const rows = [];
      for (let i = from; i < Math.min(COUNT, from + BATCH); i++) {
        rows.push({
          ...generationValues({
            request: request(i),
            engine: i % 5 === 0 ? "claid" : "local",
            principal,
            createdAt: new Date(base + i * 60_000),
          }),
          status: "succeeded" as const,
          favorite: i % 17 === 0,
          finishedAt: new Date(base + i * 60_000 + 3000),
          timings: { queue: 5, upstream: 2500, persist: 20 },
        });
      }
      await deps.db.insert(generations).values(rows);
      await deps.db.insert(generationOutputs).values(
        rows.map((r) => ({
          id: randomUUID(),
          generationId: r.id ?? "",
          index: 0,
          fileKey: `${randomBytes(32).toString("hex")}.png`,
          format: "png",
          mime: "image/png",
          size: 1_500_000,
          width: 1024,
          height: 1024,
          info: { ext: "png", mps: 1.05, mime: "image/png", format: "png", width: 1024, height: 1024 },
        })),
      );
    }
  });
  return {
    singleInsertsPerSecond: round((single / singleMs) * 1000, 0),
    batchedInsertsPerSecond: round(((COUNT - single) / batchMs) * 1000, 0),
    batchedWithOutputsMs: round(batchMs, 0),
  };
}

async function benchList(deps: GenerationDeps) {
  const firstPage = await repeat(() => listGenerations(deps.db, { limit: PAGE }, undefined));
  const filtered = {
    engine: await repeat(() => listGenerations(deps.db, { limit: PAGE, engine: "claid" }, undefined)),
    favourites: await repeat(() => listGenerations(deps.db, { limit: PAGE, favorite: true }, undefined)),
    aspect: await repeat(() => listGenerations(deps.db, { limit: PAGE, aspect: "16:9" }, undefined)),
    text: await repeat(() => listGenerations(deps.db, { limit: PAGE, q: "velvet moss" }, undefined), 15),
    rareText: await repeat(() => listGenerations(deps.db, { limit: PAGE, q: "#9999" }, undefined), 15),
  };
  // A page deep in the history costs what the first does: keyset, not OFFSET.
  let cursor: string | undefined;
  for (let i = 0; i < 100; i++) {
    cursor =
      (await listGenerations(deps.db, { limit: PAGE, ...(cursor ? { cursor } : {}) }, undefined))
        .nextCursor ?? undefined;
  }
  const deepPage = await repeat(() =>
    listGenerations(deps.db, { limit: PAGE, ...(cursor ? { cursor } : {}) }, undefined),
  );
  const [listed, walkMs] = await time(async () => {
    let n = 0;
    let next: string | undefined;
    do {
      const page = await listGenerations(
        deps.db,
        { limit: 100, ...(next ? { cursor: next } : {}) },
        undefined,
      );
      n += page.items.length;
      next = page.nextCursor ?? undefined;
    } while (next);
    return n;
  });
  return {
    firstPage,
    deepPage,
    filtered,
    walkAll: { rows: listed, ms: round(walkMs, 0), rowsPerSecond: round((listed / walkMs) * 1000, 0) },
  };
}

/** Four 1.5 MB outputs through the worker's real persist path: claimed writes, records, one transaction. */
async function benchPersist(deps: GenerationDeps, config: Config) {
  // The one-by-one inserts above are still queued; the worker claims the oldest first.
  await deps.db.update(generations).set({ status: "succeeded" }).where(eq(generations.status, "queued"));
  const samples: { totalMs: number; persistMs: number }[] = [];
  for (let round_ = 0; round_ < 5; round_++) {
    let engineMs = 0;
    const runScene: RunScene = async (input) => {
      const started = performance.now();
      const storage = input.storage;
      if (!storage) throw new Error("the worker passes its claiming store");
      const outputs = [];
      for (let i = 0; i < 4; i++) {
        const stored = await storage.put(randomBytes(OUTPUT_BYTES), "png");
        outputs.push({
          key: stored.key,
          size: stored.size,
          info: { ext: "png", mps: 1.05, mime: "image/png", format: "png", width: 1024, height: 1024 },
        });
      }
      engineMs = performance.now() - started;
      return {
        input: { ext: "png", mps: 0.1, mime: "image/png", format: "png", width: 300, height: 300 },
        outputs,
        timings: {},
      };
    };
    const row = await insertGeneration(deps.db, {
      request: request(round_),
      engine: "local",
      principal: undefined,
    });
    const claimed = await claimNext(deps.db, "bench-worker");
    if (!claimed || claimed.id !== row.id) throw new Error("claim failed");
    const [, totalMs] = await time(() =>
      executeGeneration({ ...deps, config, log, runScene, workerId: "bench-worker" }, claimed),
    );
    const [done] = await deps.db
      .select()
      .from(generations)
      .where((await import("drizzle-orm")).eq(generations.id, row.id));
    if (done?.status !== "succeeded") throw new Error(`persist bench generation ended ${done?.status}`);
    samples.push({ totalMs: round(totalMs), persistMs: round(totalMs - engineMs) });
  }
  return {
    outputs: 4,
    bytesEach: OUTPUT_BYTES,
    totalMedianMs: round(median(samples.map((s) => s.totalMs))),
    recordMedianMs: round(median(samples.map((s) => s.persistMs))),
    samples,
  };
}

async function run(driver: "pglite" | "postgres", databaseUrl: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `backdrop-bench-${driver}-`));
  const config = loadConfig({
    NODE_ENV: "production",
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    ...(databaseUrl ? { AUTH_SECRET: randomBytes(32).toString("base64url") } : {}),
    DEFAULT_ENGINE: "local",
  });
  setConfigForTests(config);
  const [deps, openMs] = await time(() => generationDeps(config));
  process.stdout.write(
    `\n${driver}: opened (with migrations) in ${round(openMs, 0)} ms; inserting ${COUNT}…\n`,
  );
  const insert = await benchInsert(deps);
  process.stdout.write(
    `  inserts: ${insert.singleInsertsPerSecond}/s one by one, ${insert.batchedInsertsPerSecond}/s batched (with outputs)\n`,
  );
  const list = await benchList(deps);
  process.stdout.write(
    `  first page (${PAGE}) of ${COUNT}: median ${list.firstPage.medianMs} ms, p95 ${list.firstPage.p95Ms} ms\n`,
  );
  process.stdout.write(
    `  page 101: median ${list.deepPage.medianMs} ms; all ${list.walkAll.rows} by pages of 100: ${list.walkAll.rowsPerSecond} rows/s\n`,
  );
  for (const [name, figure] of Object.entries(list.filtered)) {
    process.stdout.write(
      `  first page filtered by ${name}: median ${figure.medianMs} ms, p95 ${figure.p95Ms} ms\n`,
    );
  }
  const persist = await benchPersist(deps, config);
  process.stdout.write(
    `  persisting 4 × 1.5 MB outputs: ${persist.totalMedianMs} ms in all, records ${persist.recordMedianMs} ms (medians of 5)\n`,
  );
  await closeDatabases();
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { driver, openMs: round(openMs, 0), insert, list, persist };
}

async function main() {
  const results = [await run("pglite", "")];
  const admin = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (admin) {
    const fresh = await freshPostgres(admin);
    try {
      results.push(await run("postgres", fresh.url));
    } finally {
      await fresh.drop();
    }
  } else {
    process.stdout.write(
      "\n(no BENCH_DATABASE_URL: PostgreSQL skipped; scripts/postgres-test-server.sh prints one)\n",
    );
  }
  const [lite, server] = results;
  if (lite && server) {
    const ratio = (a: number, b: number) => round(a / b);
    process.stdout.write(
      `\nPostgreSQL / PGlite: first page ${ratio(server.list.firstPage.medianMs, lite.list.firstPage.medianMs)}×, ` +
        `batched inserts ${ratio(server.insert.batchedInsertsPerSecond, lite.insert.batchedInsertsPerSecond)}×, ` +
        `persist ${ratio(server.persist.totalMedianMs, lite.persist.totalMedianMs)}×\n`,
    );
  }
  for (const r of results) {
    process.stdout.write(
      `target first page ≤ 100 ms with ${COUNT}: ${r.driver} ${r.list.firstPage.medianMs} ms (${r.list.firstPage.medianMs <= 100 ? "within" : "over"})\n`,
    );
  }
  fs.mkdirSync("bench/results", { recursive: true });
  const file = path.join("bench/results", `history-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        cpus: os.cpus().length,
        generations: COUNT,
        results,
      },
      null,
      2,
    ),
  );
  process.stdout.write(`\nwritten ${file}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
