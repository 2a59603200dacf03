/**
 * Campaign benchmarks: a 240-item Claid campaign paced against the stand-in enforcing Claid's limits
 * (4/s, 120/min) with 5 s latency, and a 96-item draft campaign (1024², png) on the local engine.
 *
 *   node --conditions react-server --import tsx bench/campaigns/run.ts          # both
 *   node --conditions react-server --import tsx bench/campaigns/run.ts claid    # or drafts
 *
 * Prints figures and ratios and writes JSON to bench/results/. Nothing here passes or fails.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";

import { campaignPlan, type Campaign } from "@/lib/scene/campaign";
import { sceneCreateRequest } from "@/lib/scene/contract";
import { storedImageUrl } from "@/lib/scene/image-ref";
import { campaigns } from "@/lib/server/campaigns";
import { loadConfig, setConfigForTests, type Config } from "@/lib/server/config";
import { closeDatabases, getDatabase } from "@/lib/server/db/client";
import { user } from "@/lib/server/db/schema/auth";
import { runScene } from "@/lib/server/engines";
import { stopWorker } from "@/lib/server/generations/runner";
import { createLogger } from "@/lib/server/log";
import { objectStoreFor } from "@/lib/server/storage";
import type { StandinCall } from "@/test/support/claid-standin";

import { freePort, writeResult } from "../support";

const CLAID_ITEMS = Number(process.env.BENCH_CLAID_ITEMS ?? 240);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 5000);
const DRAFT_ITEMS = Number(process.env.BENCH_DRAFT_ITEMS ?? 96);
const KEY = "bench-campaign-key";
const principal = {
  userId: "bench-campaigner",
  name: "Bench",
  email: "bench@example.com",
  role: "member" as const,
  via: "local" as const,
};
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

/** The most of `times` (sorted, ms) inside any window of `ms`. */
function mostWithin(times: readonly number[], ms: number): number {
  let most = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[end] ?? 0) - (times[start] ?? 0) >= ms) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

function configFor(dataDir: string, env: Record<string, string>): Config {
  const config = loadConfig({
    NODE_ENV: "production",
    DATA_DIR: dataDir,
    DATABASE_URL: process.env.DATABASE_URL ?? "",
    RATE_LIMIT_CLAID_PER_MINUTE: "100000",
    RATE_LIMIT_LOCAL_PER_MINUTE: "100000",
    DAILY_CLAID_IMAGE_BUDGET: "1000000",
    CAMPAIGN_MAX_ITEMS: "10000",
    ...env,
  });
  // The wing reads the process's configuration, as a server's route handlers do.
  setConfigForTests(config);
  return config;
}

async function seedPerson(config: Config) {
  const { db } = await getDatabase(config);
  await db
    .insert(user)
    .values({ id: principal.userId, name: principal.name, email: principal.email, role: "member" })
    .onConflictDoNothing();
}

/**
 * Waits until nothing is queued or running. Reading a whole campaign costs the database work the
 * campaign itself needs, so it is read once a second and its end taken from the items' own times.
 */
async function finished(id: string): Promise<Campaign & { endedAt: number }> {
  for (;;) {
    const campaign = await campaigns.get(id);
    if (campaign.status !== "running") {
      return { ...campaign, endedAt: Date.parse(campaign.progress.finished_at ?? new Date().toISOString()) };
    }
    await sleep(1000);
  }
}

async function startStandin(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  // Its own process, as Claid is: the app's event loop never delays what the stand-in counts.
  const child = spawn(process.execPath, ["--import", "tsx", "test/support/claid-standin/main.ts"], {
    env: { ...process.env, PORT: String(port), CLAID_STANDIN_KEY: KEY, IMAGE_SIZE: "16", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (
      await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, child };
    await sleep(100);
  }
  throw new Error("the stand-in did not start");
}

async function claidPacing() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "backdrop-bench-campaigns-"));
  const standin = await startStandin({
    DELAY_MS: String(LATENCY_MS),
    RATE_PER_SECOND: "4",
    RATE_PER_MINUTE: "120",
  });
  try {
    const config = configFor(dataDir, {
      CLAID_API_KEY: KEY,
      CLAID_API_BASE_URL: standin.url,
      CLAID_DOWNLOAD_HOSTS: "127.0.0.1",
      ALLOW_LOOPBACK_FETCH: "1",
      DEFAULT_ENGINE: "claid",
      // Enough slots for 5 s calls at the paced rate; the limits themselves are the defaults (4/s, 120/min).
      GENERATION_CONCURRENCY: process.env.BENCH_GENERATION_CONCURRENCY ?? "32",
    });
    await seedPerson(config);
    const plan = campaignPlan.parse({
      name: "Pacing bench",
      engine: "claid",
      base: {
        object: { image_url: "https://images.example.com/product.png", scale: 0.6 },
        scene: { prompt: "placeholder", aspect_ratio: "1:1" },
        output: { number_of_images: 1, format: "png" },
      },
      axes: { scenes: Array.from({ length: CLAID_ITEMS }, (_, i) => ({ prompt: `pacing scene ${i}` })) },
    });
    console.log(
      `\nclaid: ${CLAID_ITEMS} one-image items, stand-in at 4/s and 120/min with ${LATENCY_MS} ms latency`,
    );
    console.log(`load average before: ${load()}`);
    const started = Date.now();
    const campaign = await campaigns.create(plan, principal);
    const done = await finished(campaign.id);
    const elapsedMs = done.endedAt - started;
    const calls = (await (await fetch(`${standin.url}/__standin/calls`)).json()) as StandinCall[];
    const api = calls.filter((c) => c.method === "POST");
    const accepted = api
      .filter((c) => !c.rateLimited)
      .map((c) => c.at)
      .sort((a, b) => a - b);
    const rateLimited = api.filter((c) => c.rateLimited).length;
    // The limit's bound: 120 a minute means 240 calls need two minutes, then the last one's latency.
    const boundMs = Math.ceil(CLAID_ITEMS / 120) * 60_000 + LATENCY_MS;
    const result = {
      items: CLAID_ITEMS,
      latencyMs: LATENCY_MS,
      elapsedS: round(elapsedMs / 1000, 1),
      boundS: boundMs / 1000,
      ratioToBound: round(elapsedMs / boundMs, 3),
      upstreamCalls: api.length,
      rateLimited429: rateLimited,
      mostInAnySecond: mostWithin(accepted, 1000),
      mostInAnyMinute: mostWithin(accepted, 60_000),
      counts: done.counts,
      firstToLastCallS: round(((accepted.at(-1) ?? 0) - (accepted[0] ?? 0)) / 1000, 1),
      loadAfter: load(),
    };
    console.log(
      `  done in ${result.elapsedS} s; bound ${result.boundS} s (2 min + one latency); ratio ${result.ratioToBound} (target ≤ 1.1)`,
    );
    console.log(
      `  upstream calls ${result.upstreamCalls}, 429s ${result.rateLimited429} (target ≤ 1); most in any second ${result.mostInAnySecond}, in any minute ${result.mostInAnyMinute}`,
    );
    console.log(`  items: ${JSON.stringify(done.counts)}; first to last call ${result.firstToLastCallS} s`);
    return result;
  } finally {
    standin.child.kill("SIGTERM");
    await stopWorker();
    await closeDatabases();
  }
}

/** A bottle-like product with soft alpha edges, as the render benchmark uses. */
async function productImage(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1400" height="1400">
    <defs><linearGradient id="g" x1="0" x2="1"><stop offset="0" stop-color="#2c6e49"/><stop offset="0.5" stop-color="#4c956c"/><stop offset="1" stop-color="#1b4332"/></linearGradient></defs>
    <rect x="560" y="120" width="280" height="180" rx="30" fill="#d9d9d9"/>
    <rect x="430" y="280" width="540" height="1000" rx="120" fill="url(#g)"/>
    <rect x="480" y="600" width="440" height="320" fill="#f1faee"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

async function drafts() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "backdrop-bench-drafts-"));
  const concurrency = process.env.BENCH_DRAFT_CONCURRENCY ?? "2";
  const config = configFor(dataDir, { DEFAULT_ENGINE: "local", GENERATION_CONCURRENCY: concurrency });
  await seedPerson(config);
  const store = objectStoreFor(dataDir);
  const product = storedImageUrl((await store.put(await productImage(), "png")).key);
  const base = {
    object: { image_url: product, scale: 0.7, position: { x: 0.5, y: 0.48 } },
    scene: { prompt: "light oak table", aspect_ratio: "1:1" },
    output: { number_of_images: 1, format: "png" },
  };
  const plan = (tag: string) =>
    campaignPlan.parse({
      name: `Drafts ${tag}`,
      engine: "local",
      base,
      axes: {
        scenes: Array.from({ length: DRAFT_ITEMS }, (_, i) => ({
          prompt: `${tag} oak table, soft light ${i}`,
        })),
      },
    });
  try {
    console.log(`\ndrafts: ${DRAFT_ITEMS} items, 1024 × 1024 png, GENERATION_CONCURRENCY=${concurrency}`);
    console.log(`load average before: ${load()}`);
    // Warm-up: the engine's first render loads its textures; the database its statements.
    const warmUp = plan("warm-up");
    warmUp.axes.scenes = warmUp.axes.scenes?.slice(0, 4);
    await finished((await campaigns.create(warmUp, principal)).id);

    // Baseline in the same run: the same requests straight through the engine, as many at once.
    const requests = (plan("direct").axes.scenes ?? []).map((scene) =>
      sceneCreateRequest.parse({ ...base, scene }),
    );
    const log = createLogger({ bench: "campaigns" });
    const directStarted = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: Number(concurrency) }, async () => {
        while (next < requests.length) {
          const request = requests[next++];
          if (!request) break;
          await runScene({
            request,
            engine: "local",
            config,
            log,
            requestId: `direct-${next}`,
            storage: store,
          });
        }
      }),
    );
    const directMs = performance.now() - directStarted;

    const started = Date.now();
    const campaign = await campaigns.create(plan("campaign"), principal);
    const done = await finished(campaign.id);
    const elapsedMs = done.endedAt - started;
    const result = {
      items: DRAFT_ITEMS,
      concurrency: Number(concurrency),
      elapsedS: round(elapsedMs / 1000, 2),
      perItemMs: round(elapsedMs / DRAFT_ITEMS, 1),
      directEngineS: round(directMs / 1000, 2),
      ratioToDirect: round(elapsedMs / directMs, 2),
      counts: done.counts,
      loadAfter: load(),
    };
    console.log(`  campaign done in ${result.elapsedS} s (${result.perItemMs} ms an item; target ≤ 6 s)`);
    console.log(
      `  the same renders straight through the engine: ${result.directEngineS} s; campaign / direct ${result.ratioToDirect}`,
    );
    console.log(`  items: ${JSON.stringify(done.counts)}`);
    return result;
  } finally {
    await stopWorker();
    await closeDatabases();
  }
}

async function main() {
  const which = process.argv[2] ?? "all";
  console.log(`${os.cpus().length} cores; database ${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"}`);
  const result: Record<string, unknown> = {};
  if (which === "all" || which === "drafts") result.drafts = await drafts();
  if (which === "all" || which === "claid") result.claid = await claidPacing();
  writeResult("campaigns", result);
  process.exit(0);
}

void main();
