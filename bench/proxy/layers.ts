/**
 * The endpoint's own work in process, without HTTP or Next: `POST /v1/scene/create`'s route handler
 * called directly with a bearer token, against the stand-in, with every database statement timed.
 * It says how the added latency splits between the app's layers.
 *
 *   node --import tsx bench/proxy/layers.ts     (DATABASE_URL to run on PostgreSQL instead of PGlite)
 */
import "../render/server-modules";

import { randomUUID } from "node:crypto";
import fs from "node:fs";
import inspector from "node:inspector";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";

import { startClaidStandin } from "../../e2e/fixtures/claid-standin";
import { createMember } from "../../lib/server/auth/members";
import { createToken } from "../../lib/server/auth/tokens";
import { loadConfig, setConfigForTests } from "../../lib/server/config";
import { closeDatabases, getDatabase } from "../../lib/server/db/client";
import { stopWorker } from "../../lib/server/jobs";
import { measure, summarise } from "./stats";

const statements: { sql: string; ms: number }[] = [];
for (const name of ["query", "exec", "transaction"] as const) {
  const original = PGlite.prototype[name] as (...args: unknown[]) => Promise<unknown>;
  (PGlite.prototype as unknown as Record<string, unknown>)[name] = async function (
    this: unknown,
    ...args: unknown[]
  ) {
    const t = performance.now();
    try {
      return await original.apply(this, args);
    } finally {
      statements.push({ sql: String(args[0]).slice(0, 90), ms: performance.now() - t });
    }
  };
}

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const API_KEY = `sk-bench-${randomUUID()}`;
const body = {
  object: { image_url: "https://images.claid.ai/photoshoot-templates/docs/product.png", scale: 0.55 },
  scene: { prompt: "marble countertop, professional product photography" },
  output: { number_of_images: 1, format: "png", destination: "storage://bench/results/" },
};

async function main() {
  const standin = await startClaidStandin({ apiKey: API_KEY, imageSize: 8 });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "backdrop-bench-layers-"));
  const config = loadConfig({
    DATA_DIR: dataDir,
    CLAID_API_KEY: API_KEY,
    CLAID_API_BASE_URL: standin.url,
    DATABASE_URL: process.env.DATABASE_URL,
    LOG_LEVEL: "warn",
    RATE_LIMIT_CLAID_PER_MINUTE: "100000",
    DAILY_CLAID_IMAGE_BUDGET: "1000000",
  });
  setConfigForTests(config);
  const { db } = await getDatabase(config);
  const { member } = await createMember(db, {
    email: `bench-${randomUUID()}@example.com`,
    name: "Bench",
    role: "member",
  });
  const { token } = await createToken(db, { userId: member.id, name: "bench" });
  const { POST } = await import("../../app/api/scene/create/route");
  const call = async () => {
    const response = await POST(
      new Request("http://127.0.0.1:3000/v1/scene/create", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      }),
    );
    if (response.status !== 200) throw new Error(`${response.status} ${await response.text()}`);
    await response.text();
  };
  for (let i = 0; i < 20; i++) await call();
  const direct = summarise(
    await measure(REQUESTS, 1, async () => {
      const r = await fetch(`${standin.url}/v1/scene/create`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${API_KEY}` },
        body: JSON.stringify(body),
      });
      await r.text();
    }),
  );
  statements.length = 0;
  const session = new inspector.Session();
  if (process.env.BENCH_PROFILE) {
    session.connect();
    await new Promise((r) => session.post("Profiler.enable", () => session.post("Profiler.start", r)));
  }
  const handler = summarise(await measure(REQUESTS, 1, call));
  if (process.env.BENCH_PROFILE) {
    await new Promise<void>((r) =>
      session.post("Profiler.stop", (error, result) => {
        if (!error) fs.writeFileSync(process.env.BENCH_PROFILE!, JSON.stringify(result.profile));
        r();
      }),
    );
  }
  const bySql = new Map<string, { n: number; ms: number }>();
  for (const st of statements) {
    const e = bySql.get(st.sql) ?? { n: 0, ms: 0 };
    e.n++;
    e.ms += st.ms;
    bySql.set(st.sql, e);
  }
  let total = 0;
  for (const [sql, e] of [...bySql].sort((a, b) => b[1].ms - a[1].ms)) {
    total += e.ms;
    console.log(`${(e.n / REQUESTS).toFixed(2)}x ${(e.ms / REQUESTS).toFixed(2)}ms ${sql}`);
  }
  console.log(
    `db per request ${(total / REQUESTS).toFixed(2)} ms, ${(statements.length / REQUESTS).toFixed(1)} statements`,
  );
  console.log(`database: ${process.env.DATABASE_URL ? "postgres" : "pglite"}`);
  console.log(`direct to stand-in  p50 ${direct.p50.toFixed(2)} ms  p99 ${direct.p99.toFixed(2)} ms`);
  console.log(`route handler       p50 ${handler.p50.toFixed(2)} ms  p99 ${handler.p99.toFixed(2)} ms`);
  console.log(`added in process    p50 ${(handler.p50 - direct.p50).toFixed(2)} ms`);
  await stopWorker();
  await closeDatabases();
  await standin.close();
  setConfigForTests(undefined);
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
