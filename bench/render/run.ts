/**
 * Local engine render benchmark: per-image time (p50/p95) for a 1024² frame per output format, with and
 * without shadow, four variants per request, and throughput at concurrency 2 and 8.
 *
 *   node --import tsx bench/render/run.ts [--rounds 12]
 *
 * Prints a table and writes JSON to bench/results/. Figures, not assertions.
 */
import "./server-modules";

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";

import type { OutputFormat, SceneCreateRequest } from "@/lib/scene/contract";
import { sceneCreateRequest } from "@/lib/scene/contract";
import { loadConfig, setConfigForTests } from "@/lib/server/config";
import { localEngine } from "@/lib/server/engines/local";
import { encodingOf } from "@/lib/server/engines/local/encode";
import { readInput } from "@/lib/server/engines/local/inputs";
import { loadProduct } from "@/lib/server/engines/local/product";
import { prepareScene, renderVariants } from "@/lib/server/engines/local/render";
import { intakeImage } from "@/lib/server/images/intake";
import { createLogger } from "@/lib/server/log";
import { objectStoreFor } from "@/lib/server/storage";

const VARIANTS = 4;
const FORMATS: Array<{ name: string; format: OutputFormat }> = [
  { name: "png", format: "png" },
  { name: "png fast", format: { type: "png", compression: "fast" } },
  { name: "jpeg", format: "jpeg" },
  { name: "webp", format: "webp" },
  { name: "avif", format: "avif" },
  { name: "tiff", format: "tiff" },
];

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

/** A bottle-like product with soft alpha edges, larger than the frame like most product photos. */
async function productImage(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1400" height="1400">
    <defs><linearGradient id="g" x1="0" x2="1"><stop offset="0" stop-color="#2c6e49"/><stop offset="0.5" stop-color="#4c956c"/><stop offset="1" stop-color="#1b4332"/></linearGradient></defs>
    <rect x="560" y="120" width="280" height="180" rx="30" fill="#d9d9d9"/>
    <rect x="430" y="280" width="540" height="1000" rx="120" fill="url(#g)"/>
    <rect x="480" y="600" width="440" height="320" fill="#f1faee"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

async function main() {
  const rounds = argument("rounds", 12);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "backdrop-bench-"));
  const config = loadConfig({ DATA_DIR: dataDir, NODE_ENV: "production" });
  setConfigForTests(config);
  const storage = objectStoreFor(dataDir);
  const product = await intakeImage(await productImage(), { store: storage });
  const log = createLogger({ bench: "render" });

  const body = (format: OutputFormat, rotation = 8): SceneCreateRequest =>
    sceneCreateRequest.parse({
      object: {
        image_url: product.url,
        scale: 0.7,
        rotation_degree: rotation,
        position: { x: 0.5, y: 0.48 },
      },
      scene: { prompt: "light oak table, beige wall, soft morning light" },
      output: { number_of_images: VARIANTS, format },
    });

  /** The engine's own steps without its file writes, so shadows can be switched off. */
  async function renderOnce(request: SceneCreateRequest, shadows: boolean) {
    const encoding = encodingOf(typeof request.output === "object" ? request.output.format : undefined);
    const input = await readInput(request.object.image_url, "object.image_url", { config, storage });
    const loaded = await loadProduct(
      input,
      { maxBytes: config.MAX_UPLOAD_BYTES, maxPixels: config.MAX_IMAGE_PIXELS },
      storage,
    );
    const prepared = await prepareScene(
      request,
      { product: loaded },
      { encoding, seed: input.sha256, shadows },
    );
    return renderVariants(prepared, VARIANTS, encoding);
  }

  console.log(
    `sharp ${sharp.versions.sharp} / libvips ${sharp.versions.vips}, ${os.cpus().length} cores, threads ${sharp.concurrency()}`,
  );
  console.log(
    `per image = request time / ${VARIANTS} variants; ${rounds} requests per row after 2 warm-up requests\n`,
  );
  console.log(
    `load average before: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} (other work on the machine inflates wall times; CPU ms is this process only)`,
  );
  console.log("'warm': same placement as the previous request (placed product, shadow and texture reused);");
  console.log("'cold': the product is turned by a new angle every request, so everything is made again.\n");
  const rows: Array<Record<string, unknown>> = [];
  let rotation = 0;
  const measure = async (name: string, format: OutputFormat, shadows: boolean, cold: boolean) => {
    for (let i = 0; i < 2; i++) await renderOnce(body(format, cold ? (rotation += 1.37) : 8), shadows);
    const wall: number[] = [];
    const cpu: number[] = [];
    let bytes = 0;
    for (let i = 0; i < rounds; i++) {
      const request = body(format, cold ? (rotation += 1.37) : 8);
      const c = process.cpuUsage();
      const t = performance.now();
      const images = await renderOnce(request, shadows);
      wall.push((performance.now() - t) / VARIANTS);
      const used = process.cpuUsage(c);
      cpu.push((used.user + used.system) / 1000 / VARIANTS);
      bytes = images.reduce((sum, b) => sum + b.byteLength, 0) / images.length;
    }
    const row = {
      format: name,
      shadows,
      cache: cold ? "cold" : "warm",
      p50_ms: round(percentile(wall, 50)),
      p95_ms: round(percentile(wall, 95)),
      cpu_p50_ms: round(percentile(cpu, 50)),
      avg_kb: Math.round(bytes / 1024),
    };
    rows.push(row);
    console.log(
      `${name.padEnd(9)} shadow ${shadows ? "on " : "off"} ${row.cache}  p50 ${String(row.p50_ms).padStart(6)} ms  p95 ${String(row.p95_ms).padStart(6)} ms  cpu p50 ${String(row.cpu_p50_ms).padStart(6)} ms  ${row.avg_kb} KB`,
    );
  };
  for (const { name, format } of FORMATS) {
    for (const shadows of [true, false]) await measure(name, format, shadows, false);
  }
  await measure("png", "png", true, true);
  await measure("png", "png", false, true);

  // End to end through the engine (reading, storing), png with shadow: what a draft costs.
  const engineTimes: number[] = [];
  const ctx = { config, storage, log, requestId: "bench" };
  // The engine renders on its render threads: start them all (and fill their memos) before timing.
  await Promise.all(
    Array.from({ length: 2 * Math.max(1, config.RENDER_THREADS) }, () =>
      localEngine.createScene(body("png"), ctx),
    ),
  );
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await localEngine.createScene(body("png"), ctx);
    engineTimes.push((performance.now() - t) / VARIANTS);
  }
  const engine = { p50_ms: round(percentile(engineTimes, 50)), p95_ms: round(percentile(engineTimes, 95)) };
  console.log(
    `\nengine end to end, png + shadow: per image p50 ${engine.p50_ms} ms, p95 ${engine.p95_ms} ms`,
  );

  const throughput: Array<Record<string, unknown>> = [];
  for (const concurrency of [1, 2, 8]) {
    const requests = Math.max(8, concurrency * 3);
    let next = 0;
    const t = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < requests) {
          next++;
          await localEngine.createScene(body("png"), ctx);
        }
      }),
    );
    const seconds = (performance.now() - t) / 1000;
    const row = {
      concurrency,
      requests,
      images_per_s: round((requests * VARIANTS) / seconds),
      requests_per_s: round(requests / seconds),
    };
    throughput.push(row);
    console.log(
      `concurrency ${concurrency}: ${row.images_per_s} images/s (${row.requests_per_s} requests/s)`,
    );
  }
  const base = throughput[0]?.images_per_s as number;
  for (const row of throughput.slice(1)) {
    console.log(
      `  ratio vs concurrency 1 at ${row.concurrency}: ${round((row.images_per_s as number) / base)}×`,
    );
  }

  for (const cache of ["warm", "cold"]) {
    const row = rows.find((r) => r.format === "png" && r.shadows === true && r.cache === cache);
    console.log(
      `target: png + shadow p50 ≤ 60 ms per image → ${cache}: ${row?.p50_ms} ms wall (${round((row?.p50_ms as number) / 60)}× of target), ${row?.cpu_p50_ms} ms CPU`,
    );
  }
  console.log(
    `load average after: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );

  const outDir = path.join(process.cwd(), "bench", "results");
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `render-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        cores: os.cpus().length,
        loadavg: os.loadavg(),
        versions: sharp.versions,
        variants: VARIANTS,
        rounds,
        rows,
        engine,
        throughput,
      },
      null,
      2,
    ),
  );
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

void main();
