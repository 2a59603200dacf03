/**
 * Load: BENCH_CLIENTS (default 50) clients each sending one-image drafts to `POST /v1/scene/create`
 * back to back for BENCH_SECONDS (default 60) against the built app under `next start` (PGlite, local
 * engine). Every request differs (position, scale, prompt words), so nothing is answered from a cache.
 * The baseline in the same run is one client alone for a few seconds: what a draft costs unloaded.
 * Prints requests/s, latency percentiles, errors; the targets are p99 ≤ 2 s at ≥ 25 requests/s.
 *
 *   npx next build && node --import tsx bench/load/run.ts
 */
import fs from "node:fs";

import { adminToken, startNext, type NextServer } from "../../test/support/next-start";
import { productPng } from "../../test/support/product-images";
import { writeResult } from "../support";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const BASELINE_SECONDS = Number(process.env.BENCH_BASELINE_SECONDS ?? 8);
const WORDS = [
  "marble",
  "oak",
  "linen",
  "terracotta",
  "slate",
  "sand",
  "concrete",
  "velvet",
  "glass",
  "moss",
];

type Run = {
  latencies: number[];
  statuses: Map<number, number>;
  errors: number;
  seconds: number;
  /** CPU time the server process used meanwhile (user + system, all its threads). */
  serverCpuMs: number;
  /** CPU time this load generator used meanwhile: it shares the machine's cores with the server. */
  clientCpuMs: number;
};

/** CPU the process has used so far, from /proc: a cost per request that a busy machine does not inflate much. */
function cpuMsOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function body(productUrl: string, n: number) {
  const word = WORDS[n % WORDS.length] ?? "oak";
  return JSON.stringify({
    object: {
      image_url: productUrl,
      scale: 0.4 + ((n * 7) % 50) / 100,
      position: { x: 0.3 + ((n * 13) % 40) / 100, y: 0.3 + ((n * 17) % 40) / 100 },
    },
    scene: { prompt: `on a ${word} table, soft light`, aspect_ratio: "1:1" },
    output: { number_of_images: 1, format: "png" },
  });
}

async function load(server: NextServer, token: string, productUrl: string, clients: number, seconds: number) {
  const origin = server.origin;
  const pid = server.child.pid ?? 0;
  const run: Run = { latencies: [], statuses: new Map(), errors: 0, seconds, serverCpuMs: 0, clientCpuMs: 0 };
  const cpuBefore = cpuMsOf(pid);
  const clientBefore = process.cpuUsage();
  const until = performance.now() + seconds * 1000;
  let n = 0;
  const client = async () => {
    while (performance.now() < until) {
      const started = performance.now();
      try {
        const response = await fetch(`${origin}/v1/scene/create?engine=local`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: body(productUrl, n++),
        });
        await response.arrayBuffer();
        run.statuses.set(response.status, (run.statuses.get(response.status) ?? 0) + 1);
        if (response.status !== 200) run.errors++;
      } catch {
        run.errors++;
      }
      run.latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  run.serverCpuMs = cpuMsOf(pid) - cpuBefore;
  const used = process.cpuUsage(clientBefore);
  run.clientCpuMs = (used.user + used.system) / 1000;
  return run;
}

function summary(run: Run) {
  const sorted = [...run.latencies].sort((a, b) => a - b);
  const round = (v: number) => Math.round(v);
  return {
    requests: sorted.length,
    perSecond: Number((sorted.length / run.seconds).toFixed(1)),
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? NaN),
    errors: run.errors,
    serverCpuMsPerRequest: Number((run.serverCpuMs / Math.max(1, sorted.length)).toFixed(1)),
    clientCpuMsPerRequest: Number((run.clientCpuMs / Math.max(1, sorted.length)).toFixed(1)),
    statuses: Object.fromEntries(run.statuses),
  };
}

async function main() {
  const server = await startNext(
    {
      DEFAULT_ENGINE: "local",
      RATE_LIMIT_LOCAL_PER_MINUTE: "100000",
      ...(process.env.GENERATION_CONCURRENCY
        ? { GENERATION_CONCURRENCY: process.env.GENERATION_CONCURRENCY }
        : {}),
    },
    { nodeArgs: (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean) },
  );
  try {
    const token = await adminToken(server.origin);
    const upload = new FormData();
    upload.append("file", new Blob([new Uint8Array(await productPng())], { type: "image/png" }), "p.png");
    const uploaded = await fetch(`${server.origin}/api/uploads`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: upload,
    });
    if (uploaded.status !== 201) throw new Error(`upload: ${uploaded.status} ${await uploaded.text()}`);
    const productUrl = `backdrop://files/${((await uploaded.json()) as { key: string }).key}`;

    // Warm the server's code paths before anything is measured.
    await load(server, token, productUrl, 2, 2);
    const baseline = summary(await load(server, token, productUrl, 1, BASELINE_SECONDS));
    const loaded = summary(await load(server, token, productUrl, CLIENTS, SECONDS));

    console.log(`\none-image drafts (1024², png) on POST /v1/scene/create, PGlite, local engine`);
    console.log(`clients  seconds  requests  req/s    p50    p90    p99    max  errors`);
    for (const [clients, seconds, r] of [
      [1, BASELINE_SECONDS, baseline],
      [CLIENTS, SECONDS, loaded],
    ] as const) {
      console.log(
        `${String(clients).padStart(7)} ${String(seconds).padStart(8)} ${String(r.requests).padStart(9)} ${String(r.perSecond).padStart(6)} ${String(r.p50).padStart(6)} ${String(r.p90).padStart(6)} ${String(r.p99).padStart(6)} ${String(r.max).padStart(6)} ${String(r.errors).padStart(7)}`,
      );
    }
    console.log(`statuses under load: ${JSON.stringify(loaded.statuses)}`);
    console.log(
      `server CPU per request: ${baseline.serverCpuMsPerRequest} ms alone, ${loaded.serverCpuMsPerRequest} ms under load (2 cores: at most ${Math.round(2000 / loaded.serverCpuMsPerRequest)} req/s); this load generator's: ${loaded.clientCpuMsPerRequest} ms`,
    );
    console.log(
      `throughput ${(loaded.perSecond / baseline.perSecond).toFixed(2)}× one client; p99 under load ${(loaded.p99 / baseline.p50).toFixed(1)}× an unloaded draft (target: p99 ≤ 2000 ms at ≥ 25 req/s)`,
    );
    // Where a draft's time went, as the generations recorded it (the last 100 under load).
    const page = (await (
      await fetch(`${server.origin}/api/generations?limit=100`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { items: { timings: Record<string, number> }[] };
    const stages = new Map<string, number>();
    for (const item of page.items)
      for (const [stage, ms] of Object.entries(item.timings))
        stages.set(stage, (stages.get(stage) ?? 0) + ms);
    const meanStages = Object.fromEntries(
      [...stages].map(([stage, ms]) => [stage, Math.round(ms / Math.max(1, page.items.length))]),
    );
    console.log(`recorded stages under load, mean ms: ${JSON.stringify(meanStages)}`);
    writeResult("load", {
      at: new Date().toISOString(),
      clients: CLIENTS,
      seconds: SECONDS,
      baseline,
      loaded,
      meanStages,
    });
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
