/**
 * Several instances: the built app under `next start` on PostgreSQL and an S3-compatible bucket
 * (s3rver on loopback), measured two ways in one run.
 *
 * 1. Draft throughput of two instances against one: BENCH_CLIENTS (default 8) clients send one-image
 *    drafts to `POST /v1/scene/create` back to back for BENCH_SECONDS (default 10), all to one
 *    instance, then split over two sharing the database and the bucket; BENCH_ROUNDS (default 3)
 *    rounds of each, alternated.
 * 2. What the bucket adds to one generation: one client, BENCH_REQUESTS (default 60) drafts one after
 *    another, alternating between an instance keeping files under DATA_DIR and one keeping them in
 *    the bucket; and the GET of each draft's stored result.
 *
 *   npx next build && node --import tsx bench/instances/run.ts
 *
 * PostgreSQL: TEST_DATABASE_URL (scripts/postgres-test-server.sh prints one; started when unset).
 */
import { spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";

import { adminToken, startNext, type NextServer } from "../../test/support/next-start";
import { freshPostgres, type TestPostgres } from "../../test/support/postgres";
import { productPng } from "../../test/support/product-images";
import { testBucket, type TestBucket } from "../../test/support/s3";
import { writeResult } from "../support";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** Rounds of one instance then two, alternated, so a machine whose load drifts hurts both alike. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 60);
const AUTH_SECRET = randomBytes(32).toString("base64url");

function cpuMsOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const round = (v: number, digits = 1) => Number(v.toFixed(digits));

function body(productUrl: string, n: number) {
  return JSON.stringify({
    object: {
      image_url: productUrl,
      scale: 0.4 + ((n * 7) % 50) / 100,
      position: { x: 0.3 + ((n * 13) % 40) / 100, y: 0.3 + ((n * 17) % 40) / 100 },
    },
    scene: { prompt: `on a table, variant ${n}`, aspect_ratio: "1:1" },
    output: { number_of_images: 1, format: "png" },
  });
}

async function draft(server: NextServer, token: string, productUrl: string, n: number) {
  const response = await fetch(`${server.origin}/v1/scene/create?engine=local`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body(productUrl, n),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`draft: ${response.status} ${text.slice(0, 200)}`);
  return JSON.parse(text) as { data: { output: { tmp_url: string }[] } };
}

async function uploadProduct(server: NextServer, token: string): Promise<string> {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(await productPng())], { type: "image/png" }), "p.png");
  const uploaded = await fetch(`${server.origin}/api/uploads`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  if (uploaded.status !== 201) throw new Error(`upload: ${uploaded.status} ${await uploaded.text()}`);
  return `backdrop://files/${((await uploaded.json()) as { key: string }).key}`;
}

type Throughput = { drafts: number; errors: number; cpuMs: number; latencies: number[] };

/** BENCH_CLIENTS clients for BENCH_SECONDS, client i on servers[i % n]. */
async function throughput(servers: NextServer[], token: string, productUrl: string): Promise<Throughput> {
  const cpuBefore = servers.map((s) => cpuMsOf(s.child.pid ?? 0));
  const until = performance.now() + SECONDS * 1000;
  let done = 0;
  let errors = 0;
  let n = 0;
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, i) => {
      const server = servers[i % servers.length]!;
      while (performance.now() < until) {
        const started = performance.now();
        try {
          await draft(server, token, productUrl, n++);
          done++;
          latencies.push(performance.now() - started);
        } catch {
          errors++;
        }
      }
    }),
  );
  const cpuMs = servers.reduce((sum, s, i) => sum + cpuMsOf(s.child.pid ?? 0) - (cpuBefore[i] ?? 0), 0);
  return { drafts: done, errors, cpuMs, latencies };
}

function summarise(instances: number, runs: Throughput[]) {
  const drafts = runs.reduce((n, r) => n + r.drafts, 0);
  const latencies = runs.flatMap((r) => r.latencies).sort((x, y) => x - y);
  return {
    instances,
    drafts,
    perSecond: round(drafts / (SECONDS * runs.length)),
    p50: Math.round(percentile(latencies, 50)),
    p99: Math.round(percentile(latencies, 99)),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    serverCpuMsPerDraft: round(runs.reduce((n, r) => n + r.cpuMs, 0) / Math.max(1, drafts)),
  };
}

type Target = { server: NextServer; token: string; productUrl: string };

/**
 * One client, one draft at a time, alternating between the targets (so drifting load hurts each
 * alike): latency of a generation, and of fetching its stored result.
 */
async function oneAtATime(targets: Target[], requests: number) {
  const samples = targets.map(() => ({ drafts: [] as number[], fetches: [] as number[] }));
  for (let i = 0; i < requests; i++) {
    for (const [t, { server, token, productUrl }] of targets.entries()) {
      const started = performance.now();
      const answer = await draft(server, token, productUrl, 10_000 + i);
      samples[t]!.drafts.push(performance.now() - started);
      const fetchStarted = performance.now();
      const file = await fetch(answer.data.output[0]?.tmp_url ?? "", {
        headers: { authorization: `Bearer ${token}` },
      });
      await file.arrayBuffer();
      samples[t]!.fetches.push(performance.now() - fetchStarted);
    }
  }
  return samples.map(({ drafts, fetches }) => {
    drafts.sort((x, y) => x - y);
    fetches.sort((x, y) => x - y);
    return {
      draftP50: round(percentile(drafts, 50)),
      draftP90: round(percentile(drafts, 90)),
      fileGetP50: round(percentile(fetches, 50)),
      fileGetP90: round(percentile(fetches, 90)),
    };
  });
}

function testDatabaseUrl(): void {
  if (process.env.TEST_DATABASE_URL) return;
  const pg = spawnSync("bash", ["scripts/postgres-test-server.sh"], { encoding: "utf8" });
  const url = pg.stdout.trim().split("\n").pop();
  if (pg.status !== 0 || !url?.startsWith("postgres")) throw new Error("PostgreSQL did not start");
  process.env.TEST_DATABASE_URL = url;
}

async function main() {
  testDatabaseUrl();
  const bucket: TestBucket = await testBucket();
  const databases: TestPostgres[] = [];
  const servers: NextServer[] = [];
  const start = async (env: Record<string, string>) => {
    const server = await startNext({
      DEFAULT_ENGINE: "local",
      AUTH_SECRET,
      RATE_LIMIT_LOCAL_PER_MINUTE: "100000",
      RATE_LIMIT_UPLOADS_PER_MINUTE: "100000",
      ...env,
    });
    servers.push(server);
    return server;
  };
  try {
    // 1. One instance, then two, on one database and one bucket.
    const shared = await freshPostgres();
    databases.push(shared);
    const sharedEnv = { DATABASE_URL: shared.url, ...bucket.env(`bench-${randomUUID().slice(0, 8)}`) };
    const first = await start(sharedEnv);
    const token = await adminToken(first.origin);
    const productUrl = await uploadProduct(first, token);
    const second = await start(sharedEnv);
    await throughput([first, second], token, productUrl); // warm-up of both
    const alone: Throughput[] = [];
    const together: Throughput[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      alone.push(await throughput([first], token, productUrl));
      together.push(await throughput([first, second], token, productUrl));
    }
    const one = summarise(1, alone);
    const two = summarise(2, together);
    await second.stop();
    servers.splice(servers.indexOf(second), 1);

    console.log(
      `\ndraft throughput, ${CLIENTS} clients, ${ROUNDS} rounds of ${SECONDS} s each way (PostgreSQL, bucket on s3rver)`,
    );
    console.log(`instances  drafts  drafts/s   p50   p99  errors  server CPU ms/draft`);
    for (const r of [one, two]) {
      console.log(
        `${String(r.instances).padStart(9)} ${String(r.drafts).padStart(7)} ${String(r.perSecond).padStart(9)} ${String(r.p50).padStart(5)} ${String(r.p99).padStart(5)} ${String(r.errors).padStart(7)} ${String(r.serverCpuMsPerDraft).padStart(20)}`,
      );
    }
    const ratio = round(two.perSecond / Math.max(0.001, one.perSecond), 2);
    console.log(`two instances / one: ${ratio}× the drafts per second`);

    // 2. The same single instance on local files, and on the bucket.
    const local = await freshPostgres();
    databases.push(local);
    const onDisk = await start({ DATABASE_URL: local.url });
    const diskToken = await adminToken(onDisk.origin);
    const diskProduct = await uploadProduct(onDisk, diskToken);
    const targets = [
      { server: onDisk, token: diskToken, productUrl: diskProduct },
      { server: first, token, productUrl },
    ];
    await oneAtATime(targets, 5); // warm-up
    const [disk, inBucket] = await oneAtATime(targets, REQUESTS);
    if (!disk || !inBucket) throw new Error("no samples");
    console.log(`\none generation at a time, ${REQUESTS} one-image drafts (1024², png, ~1 MB) each`);
    console.log(`files         draft p50  draft p90  file GET p50  file GET p90   (ms)`);
    for (const [name, r] of [
      ["DATA_DIR", disk],
      ["bucket", inBucket],
    ] as const) {
      console.log(
        `${name.padEnd(12)} ${String(r.draftP50).padStart(10)} ${String(r.draftP90).padStart(10)} ${String(r.fileGetP50).padStart(13)} ${String(r.fileGetP90).padStart(13)}`,
      );
    }
    const addedDraft = round(inBucket.draftP50 - disk.draftP50);
    const addedGet = round(inBucket.fileGetP50 - disk.fileGetP50);
    console.log(`the bucket adds ${addedDraft} ms to a draft (p50) and ${addedGet} ms to fetching a result`);

    writeResult("instances", {
      at: new Date().toISOString(),
      clients: CLIENTS,
      seconds: SECONDS,
      requests: REQUESTS,
      throughput: { one, two, ratio },
      storage: { disk, bucket: inBucket, addedDraftMs: addedDraft, addedFileGetMs: addedGet },
    });
  } finally {
    for (const server of servers) await server.stop();
    for (const database of databases) await database.drop();
    await bucket.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
