/**
 * The claid engine alone, in process, against the stand-in, versus calling the stand-in directly: what
 * the engine itself adds (upload cache, body encoding, response parsing, downloads into storage),
 * without the app's auth, records and job queue that bench/proxy/run.ts includes.
 *
 *   node --import tsx bench/proxy/engine.ts        (BENCH_DELAY_MS: upstream delay, default 0)
 */
import "../render/server-modules";

import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { sceneCreateRequest } from "../../lib/scene/contract";
import { loadConfig } from "../../lib/server/config";
import { claidEngine } from "../../lib/server/engines/claid";
import { send } from "../../lib/server/engines/claid/transport";
import { createLogger } from "../../lib/server/log";
import { objectStoreFor } from "../../lib/server/storage";
import { startClaidStandin } from "../../test/support/claid-standin";
import { measure, summarise } from "./stats";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const API_KEY = `sk-bench-${randomUUID()}`;
const body = {
  object: { image_url: "https://images.claid.ai/photoshoot-templates/docs/product.png", scale: 0.55 },
  scene: { prompt: "marble countertop, professional product photography" },
  output: { number_of_images: 1, format: "png" },
};

async function main() {
  const standin = await startClaidStandin({
    apiKey: API_KEY,
    imageSize: 8,
    delayMs: Number(process.env.BENCH_DELAY_MS ?? 0),
  });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "backdrop-bench-engine-"));
  const config = loadConfig({ DATA_DIR: dataDir, CLAID_API_KEY: API_KEY, CLAID_API_BASE_URL: standin.url });
  // Info lines per call would dominate the figures; warnings and errors still show.
  const quiet = createLogger();
  const ctx = {
    config,
    storage: objectStoreFor(dataDir),
    log: { ...quiet, info: () => undefined },
    requestId: "bench",
  };
  const withDownload = sceneCreateRequest.parse(body);
  const noDownload = sceneCreateRequest.parse({
    ...body,
    output: { ...body.output, destination: "storage://bench/out/" },
  });
  // The same HTTP client the engine uses, so the difference is the engine's own work.
  const direct = async () => {
    await send({
      method: "POST",
      url: `${standin.url}/v1/scene/create`,
      headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
      body: new TextEncoder().encode(JSON.stringify(body)),
      timeoutMs: 60_000,
      maxResponseBytes: 1 << 20,
    });
  };
  try {
    for (let i = 0; i < 20; i++) {
      await direct();
      await claidEngine.createScene(withDownload, ctx);
    }
    console.log(
      "concurrency |  direct p50    p99 | engine p50    p99 | engine, no download p50    p99 | added p50 (no download)",
    );
    for (const concurrency of [1, 16]) {
      const count = Math.max(REQUESTS, concurrency * 20);
      const d = summarise(await measure(count, concurrency, direct));
      const e = summarise(
        await measure(
          count,
          concurrency,
          async () => void (await claidEngine.createScene(withDownload, ctx)),
        ),
      );
      const n = summarise(
        await measure(count, concurrency, async () => void (await claidEngine.createScene(noDownload, ctx))),
      );
      const f = (x: number) => x.toFixed(2).padStart(7);
      console.log(
        `${String(concurrency).padStart(11)} | ${f(d.p50)} ${f(d.p99)} | ${f(e.p50)} ${f(e.p99)} |` +
          `                ${f(n.p50)} ${f(n.p99)} | ${f(e.p50 - d.p50)} (${f(n.p50 - d.p50)})`,
      );
    }
  } finally {
    await standin.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
