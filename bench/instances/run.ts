/**
 * Several instances: the built app under `next start` on PostgreSQL and an S3-compatible bucket
 * (s3rver on loopback), measured two ways in one run.
 *
 * 1. Draft throughput of two instances against one: BENCH_CLIENTS (default 8) clients send one-image
 *    drafts to `POST /v1/scene/create` back to back for BENCH_SECONDS (default 20), first all to one
 *    instance, then split over two sharing the database and the bucket.
 * 2. What the bucket adds to one generation: one client, BENCH_REQUESTS (default 40) drafts one after
 *    another on an instance keeping files under DATA_DIR and on one keeping them in the bucket; and
 *    the GET of one stored result from each.
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
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 40);
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

/** `clients` clients for `seconds`, client i on servers[i % n]: completed drafts per second. */
async function throughput(servers: NextServer[], token: string, productUrl: string) {
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
  latencies.sort((x, y) => x - y);
  return {
    instances: servers.length,
    drafts: done,
    perSecond: round(done / SECONDS),
    p50: Math.round(percentile(latencies, 50)),
    p99: Math.round(percentile(latencies, 99)),
    errors,
    serverCpuMsPerDraft: round(cpuMs / Math.max(1, done)),
  };
}

/** One client, one draft at a time: latency of a generation, and of fetching one stored result. */
async function oneAtATime(server: NextServer, token: string, productUrl: string) {
  const drafts: number[] = [];
  const fetches: number[] = [];
  let lastUrl = "";
  for (let i = 0; i < REQUESTS; i++) {
    const started = performance.now();
    const answer = await draft(server, token, productUrl, 10_000 + i);
    drafts.push(performance.now() - started);
    lastUrl = answer.data.output[0]?.tmp_url ?? lastUrl;
    const fetchStarted = performance.now();
    const file = await fetch(lastUrl, { headers: { authorization: `Bearer ${token}` } });
    await file.arrayBuffer();
    fetches.push(performance.now() - fetchStarted);
  }
  drafts.sort((x, y) => x - y);
  fetches.sort((x, y) => x - y);
  return {
    draftP50: round(percentile(drafts, 50)),
    draftP90: round(percentile(drafts, 90)),
    fileGetP50: round(percentile(fetches, 50)),
    fileGetP90: round(percentile(fetches, 90)),
  };
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
    await throughput([first], token, productUrl).catch(() => undefined); // warm-up
    const one = await throughput([first], token, productUrl);
    const second = await start(sharedEnv);
    await draft(second, token, productUrl, 0); // warm-up of the second instance
    const two = await throughput([first, second], token, productUrl);
    await second.stop();
    servers.splice(servers.indexOf(second), 1);

    console.log(
      `\ndraft throughput, ${CLIENTS} clients for ${SECONDS} s each (PostgreSQL, bucket on s3rver)`,
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
    await oneAtATime(onDisk, diskToken, diskProduct); // warm-up
    const disk = await oneAtATime(onDisk, diskToken, diskProduct);
    await oneAtATime(first, token, productUrl); // warm-up
    const inBucket = await oneAtATime(first, token, productUrl);
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
