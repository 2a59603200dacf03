/**
 * Proxy overhead of `POST /v1/scene/create` on the claid engine: the built app (`next start`) against
 * the Claid stand-in, versus calling the stand-in directly, in the same run. See bench/README.md.
 *
 *   npx next build && node --import tsx bench/proxy/run.ts
 *
 * Environment: BENCH_REQUESTS (per scenario at concurrency 1, default 150), BENCH_DELAYS_MS ("0,200"),
 * BENCH_CONCURRENCY ("1,16"), BENCH_TOKEN (a personal access token, when pointing at an install that
 * already has users; otherwise a fresh install's first admin is created and a token made for it),
 * BENCH_GENERATION_CONCURRENCY (the app's GENERATION_CONCURRENCY, default 16), BENCH_APP_NODE_ARGS (extra
 * Node flags for the app, such as --cpu-prof).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { freePort } from "../support";
import { measure, summarise, type Summary } from "./stats";

const ROOT = path.resolve(import.meta.dirname, "../..");
const API_KEY = `sk-bench-${randomUUID()}`;
const numbers = (value: string | undefined, fallback: number[]) =>
  value ? value.split(",").map((v) => Number(v.trim())) : fallback;

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 150);
const DELAYS = numbers(process.env.BENCH_DELAYS_MS, [0, 200]);
const CONCURRENCY = numbers(process.env.BENCH_CONCURRENCY, [1, 16]);
const GENERATION_CONCURRENCY = process.env.BENCH_GENERATION_CONCURRENCY ?? "16";
/** Extra Node flags for the app, e.g. "--cpu-prof --cpu-prof-dir=/tmp/app-profile" to see where its time goes. */
const APP_NODE_ARGS = (process.env.BENCH_APP_NODE_ARGS ?? "").split(" ").filter(Boolean);

/** The API reference's example, one tiny output: downloads are kept as small as they can be. */
const BODY = {
  object: {
    image_url: "https://images.claid.ai/photoshoot-templates/docs/product.png",
    rotation_degree: 0.0,
    scale: 0.55,
    position: { x: 0.35, y: 0.5 },
  },
  scene: {
    template_url: "https://images.claid.ai/photoshoot-templates/docs/scene.png",
    template_mode: "transform",
    view: "front",
    prompt:
      "marble countertop, marble wall background, monochromatic, bokeh, closeup, professional product photography",
  },
  output: { number_of_images: 1, format: "png" },
};
/** The same request with the result written to a destination: Claid returns no tmp_url, nothing is downloaded. */
const BODY_NO_DOWNLOAD = { ...BODY, output: { ...BODY.output, destination: "storage://bench/results/" } };

/** Starts a child process and resolves once `ready` matches its output. */
function startProcess(command: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp, name: string) {
  return new Promise<{ child: ChildProcess; output: string }>((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve({ child, output });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", (code) => reject(new Error(`${name} exited with ${code}:\n${output}`)));
  });
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, headers: response.headers };
}

/**
 * A token for the endpoint. The hook for an existing install is BENCH_TOKEN; a fresh one gets its first
 * admin, signs in and creates a personal access token, as a person would in the app.
 */
async function obtainToken(app: string): Promise<string> {
  if (process.env.BENCH_TOKEN) return process.env.BENCH_TOKEN;
  const admin = { email: "bench@example.com", name: "Bench", password: `bench-${randomUUID()}` };
  const origin = { origin: app };
  const created = await post(`${app}/api/members/first-admin`, admin, origin);
  if (created.status !== 201) throw new Error(`first admin: ${created.status} ${created.text}`);
  const signIn = await post(
    `${app}/api/auth/sign-in/email`,
    { email: admin.email, password: admin.password },
    origin,
  );
  const cookie = signIn.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  if (signIn.status !== 200 || !cookie) throw new Error(`sign-in: ${signIn.status} ${signIn.text}`);
  const token = await post(`${app}/api/tokens`, { name: "proxy bench" }, { ...origin, cookie });
  if (token.status !== 201) throw new Error(`token: ${token.status} ${token.text}`);
  return (JSON.parse(token.text) as { token: string }).token;
}

type Row = {
  delayMs: number;
  concurrency: number;
  direct: Summary;
  endpoint: Summary;
  endpointNoDownload: Summary;
  download: Summary;
};

async function main() {
  if (!fs.existsSync(path.join(ROOT, ".next/BUILD_ID"))) {
    throw new Error("No build found: run `npx next build` first");
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "backdrop-bench-"));
  const standinPort = await freePort();
  const appPort = await freePort();
  const standinUrl = `http://127.0.0.1:${standinPort}`;
  const app = `http://127.0.0.1:${appPort}`;
  const children: ChildProcess[] = [];
  const stopAll = () => children.forEach((c) => c.kill("SIGTERM"));
  process.on("exit", stopAll);

  try {
    const standin = await startProcess(
      process.execPath,
      ["--import", "tsx", "test/support/claid-standin/main.ts"],
      { ...process.env, PORT: String(standinPort), CLAID_API_KEY: API_KEY, IMAGE_SIZE: "8" },
      /http:\/\/127\.0\.0\.1:\d+/,
      "stand-in",
    );
    children.push(standin.child);

    const server = await startProcess(
      process.execPath,
      [
        ...APP_NODE_ARGS,
        path.join(ROOT, "node_modules/next/dist/bin/next"),
        "start",
        "-H",
        "127.0.0.1",
        "-p",
        String(appPort),
      ],
      {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        DATA_DIR: dataDir,
        CLAID_API_KEY: API_KEY,
        CLAID_API_BASE_URL: standinUrl,
        DEFAULT_ENGINE: "claid",
        // The origin the sign-in pages are served from, so the first-admin and token writes count as same-origin.
        PUBLIC_BASE_URL: app,
        GENERATION_CONCURRENCY,
        RATE_LIMIT_CLAID_PER_MINUTE: "100000",
        DAILY_CLAID_IMAGE_BUDGET: "1000000",
      },
      /Ready in|started server|Local:/i,
      "next start",
    );
    children.push(server.child);

    const token = await obtainToken(app);
    const auth = { authorization: `Bearer ${token}` };
    const direct = { authorization: `Bearer ${API_KEY}` };

    // Warm up both paths (JIT, database, connection pools).
    for (let i = 0; i < 10; i++) {
      const check = await post(`${app}/v1/scene/create`, BODY, auth);
      if (check.status !== 200) throw new Error(`endpoint answered ${check.status}: ${check.text}`);
      await post(`${standinUrl}/v1/scene/create`, BODY, direct);
    }
    const sample = JSON.parse((await post(`${standinUrl}/v1/scene/create`, BODY, direct)).text) as {
      data: { output: { tmp_url: string }[] };
    };
    const tmpUrl = sample.data.output[0]!.tmp_url;

    const rows: Row[] = [];
    for (const delayMs of DELAYS) {
      await post(`${standinUrl}/__standin/options`, { delayMs });
      for (const concurrency of CONCURRENCY) {
        // Enough requests for a p99 at every concurrency, without minutes of waiting at the slow delay.
        const count = Math.max(
          concurrency * 10,
          delayMs > 0 && concurrency === 1 ? Math.ceil(REQUESTS / 3) : REQUESTS,
        );
        const ok = (r: { status: number; text: string }) => {
          if (r.status !== 200) throw new Error(`answered ${r.status}: ${r.text.slice(0, 300)}`);
        };
        const row: Row = {
          delayMs,
          concurrency,
          direct: summarise(
            await measure(count, concurrency, async () =>
              ok(await post(`${standinUrl}/v1/scene/create`, BODY, direct)),
            ),
          ),
          endpoint: summarise(
            await measure(count, concurrency, async () =>
              ok(await post(`${app}/v1/scene/create`, BODY, auth)),
            ),
          ),
          endpointNoDownload: summarise(
            await measure(count, concurrency, async () =>
              ok(await post(`${app}/v1/scene/create`, BODY_NO_DOWNLOAD, auth)),
            ),
          ),
          download: summarise(
            await measure(count, concurrency, async () => {
              const r = await fetch(tmpUrl);
              await r.arrayBuffer();
            }),
          ),
        };
        rows.push(row);
        report([row]);
      }
    }

    console.log("\nSummary (ms; added = endpoint − direct at the same percentile)");
    console.log(
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")} on ${os.cpus().length} cores`,
    );
    report(rows, true);
    const resultsDir = path.join(ROOT, "bench/results");
    fs.mkdirSync(resultsDir, { recursive: true });
    const file = path.join(resultsDir, `proxy-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
    fs.writeFileSync(
      file,
      JSON.stringify(
        {
          at: new Date().toISOString(),
          // Other work on the machine moves every figure; the load average says how busy it was.
          machine: { cpus: os.cpus().length, node: process.version, loadAverage: os.loadavg() },
          generationConcurrency: Number(GENERATION_CONCURRENCY),
          outputs: "1 png of 8×8 px per request",
          rows: rows.map((r) => ({ ...r, added: added(r) })),
        },
        null,
        2,
      ),
    );
    console.log(`\nwritten ${path.relative(ROOT, file)}`);
  } finally {
    stopAll();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function added(r: Row) {
  return {
    p50: r.endpoint.p50 - r.direct.p50,
    p99: r.endpoint.p99 - r.direct.p99,
    p50NoDownload: r.endpointNoDownload.p50 - r.direct.p50,
    p99NoDownload: r.endpointNoDownload.p99 - r.direct.p99,
    ratioP50: r.endpoint.p50 / r.direct.p50,
    ratioP50NoDownload: r.endpointNoDownload.p50 / r.direct.p50,
  };
}

let headerPrinted = false;
function report(rows: Row[], force = false) {
  const f = (n: number) => n.toFixed(1).padStart(7);
  const header =
    "delay  conc |  direct p50    p99 | endpoint p50    p99 | added p50    p99  ratio | no-download p50 added  ratio | download p50";
  if (!headerPrinted || force) {
    console.log(header);
    headerPrinted = true;
  }
  for (const r of rows) {
    const a = added(r);
    console.log(
      `${String(r.delayMs).padStart(5)} ${String(r.concurrency).padStart(5)} | ${f(r.direct.p50)} ${f(r.direct.p99)} |` +
        `     ${f(r.endpoint.p50)} ${f(r.endpoint.p99)} |  ${f(a.p50)} ${f(a.p99)} ${a.ratioP50.toFixed(2).padStart(6)} |` +
        `         ${f(r.endpointNoDownload.p50)} ${f(a.p50NoDownload)} ${a.ratioP50NoDownload.toFixed(2).padStart(6)} |      ${f(r.download.p50)}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
