/**
 * The endpoint's own work in process, without HTTP or Next: the `POST /v1/scene/create` route handler
 * called directly with a bearer token, against an in-process stand-in, versus calling the stand-in
 * directly. On PGlite every database statement is timed too, so the added latency splits into the
 * database's share and the rest. See bench/README.md.
 *
 *   node --import tsx bench/proxy/layers.ts
 *
 * Environment: BENCH_REQUESTS (default 300), DATABASE_URL (PostgreSQL instead of PGlite; statements
 * are then not timed), BENCH_PROFILE (a file to write a CPU profile of the measured calls to).
 */
import "../render/server-modules";

import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import inspector from "node:inspector/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";

import { loadConfig, setConfigForTests } from "../../lib/server/config";
import { closeDatabases } from "../../lib/server/db/client";
import { stopWorker } from "../../lib/server/generations/runner";
import { startClaidStandin } from "../../test/support/claid-standin";
import { memberToken } from "../../test/support/member-token";
import { measure, summarise } from "./stats";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const API_KEY = `sk-bench-${randomUUID()}`;
/** The no-download request: a destination, so the upstream returns no tmp_url. */
const BODY = {
  object: { image_url: "https://images.claid.ai/photoshoot-templates/docs/product.png", scale: 0.55 },
  scene: { prompt: "marble countertop, professional product photography" },
  output: { number_of_images: 1, format: "png", destination: "storage://bench/results/" },
};

type Timed = { statement: string; ms: number };
const timed: Timed[] = [];

/** Wraps PGlite's entry points so each statement's time (from the app's side) is recorded. */
function timeStatements() {
  const proto = PGlite.prototype as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const name of ["query", "exec", "transaction"]) {
    const original = proto[name]!;
    proto[name] = async function (this: unknown, ...args: unknown[]) {
      const started = performance.now();
      try {
        return await original.apply(this, args);
      } finally {
        const statement = name === "transaction" ? "(transaction)" : String(args[0]);
        timed.push({
          statement: statement.replace(/\s+/g, " ").trim().slice(0, 80),
          ms: performance.now() - started,
        });
      }
    };
  }
}

async function main() {
  const onPostgres = Boolean(process.env.DATABASE_URL);
  if (!onPostgres) timeStatements();
  const standin = await startClaidStandin({ apiKey: API_KEY, imageSize: 8 });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "backdrop-bench-layers-"));
  const config = loadConfig({
    DATA_DIR: dataDir,
    CLAID_API_KEY: API_KEY,
    CLAID_API_BASE_URL: standin.url,
    DATABASE_URL: process.env.DATABASE_URL,
    AUTH_SECRET:
      process.env.AUTH_SECRET ?? (process.env.DATABASE_URL ? randomBytes(32).toString("base64url") : ""),
    GENERATION_CONCURRENCY: "16",
    RATE_LIMIT_CLAID_PER_MINUTE: "100000",
    DAILY_CLAID_IMAGE_BUDGET: "1000000",
  });
  setConfigForTests(config);
  const token = await memberToken(config);
  const { POST } = await import("../../app/api/scene/create/route");
  // The engine's info line per upstream call would be most of the output; warnings still show.
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  const quiet = () => {
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
      String(chunk).includes('"level":"info"')
        ? true
        : stdoutWrite(chunk, ...rest)) as typeof process.stdout.write;
  };
  quiet();

  const viaHandler = async () => {
    const response = await POST(
      new Request("http://127.0.0.1:3000/v1/scene/create", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify(BODY),
      }),
    );
    if (response.status !== 200) throw new Error(`${response.status} ${await response.text()}`);
    await response.text();
  };
  const direct = async () => {
    const response = await fetch(`${standin.url}/v1/scene/create`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify(BODY),
    });
    await response.text();
  };

  for (let i = 0; i < 30; i++) await viaHandler();
  const directSummary = summarise(await measure(REQUESTS, 1, direct));
  timed.length = 0;
  const session = new inspector.Session();
  if (process.env.BENCH_PROFILE) {
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.start");
  }
  const handlerSummary = summarise(await measure(REQUESTS, 1, viaHandler));
  if (process.env.BENCH_PROFILE) {
    const { profile } = await session.post("Profiler.stop");
    fs.writeFileSync(process.env.BENCH_PROFILE, JSON.stringify(profile));
  }
  process.stdout.write = stdoutWrite;

  const added = handlerSummary.p50 - directSummary.p50;
  console.log(`database: ${onPostgres ? "PostgreSQL" : "PGlite"}, ${REQUESTS} calls at concurrency 1 (ms)`);
  console.log(
    `  direct to the stand-in  p50 ${directSummary.p50.toFixed(2)}  p99 ${directSummary.p99.toFixed(2)}`,
  );
  console.log(
    `  route handler           p50 ${handlerSummary.p50.toFixed(2)}  p99 ${handlerSummary.p99.toFixed(2)}`,
  );
  console.log(
    `  added                   p50 ${added.toFixed(2)}  ratio ${(handlerSummary.p50 / directSummary.p50).toFixed(2)}`,
  );
  const perStatement = new Map<string, { count: number; ms: number }>();
  for (const { statement, ms } of timed) {
    const entry = perStatement.get(statement) ?? { count: 0, ms: 0 };
    entry.count++;
    entry.ms += ms;
    perStatement.set(statement, entry);
  }
  const statements = [...perStatement]
    .map(([statement, e]) => ({ statement, perCall: e.count / REQUESTS, msPerCall: e.ms / REQUESTS }))
    .filter((s) => s.perCall >= 0.05)
    .sort((a, b) => b.msPerCall - a.msPerCall);
  if (!onPostgres) {
    const total = statements.reduce((sum, s) => sum + s.msPerCall, 0);
    console.log(
      `  database statements per call: ${statements.reduce((n, s) => n + s.perCall, 0).toFixed(1)}, ${total.toFixed(2)} ms`,
    );
    for (const s of statements) {
      console.log(`    ${s.perCall.toFixed(2)}×  ${s.msPerCall.toFixed(2)} ms  ${s.statement}`);
    }
  }
  const out = path.join(
    import.meta.dirname,
    "../results",
    `proxy-layers-${new Date().toISOString().replace(/[:.]/g, "-")}.json`,
  );
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(
    out,
    JSON.stringify(
      {
        database: onPostgres ? "postgres" : "pglite",
        direct: directSummary,
        handler: handlerSummary,
        statements,
      },
      null,
      2,
    ),
  );
  console.log(`written ${path.relative(process.cwd(), out)}`);

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
