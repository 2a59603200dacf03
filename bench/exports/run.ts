/**
 * Channel export benchmark: a campaign-sized approved set (24 local drafts, 1:1, about a megapixel)
 * exported for 3 presets (amazon-main, instagram-portrait, instagram-story) through the same code the
 * route streams: framing, resize, encode, read-back checks and the zip. Baseline in the same run: a
 * plain sharp resize + JPEG encode of the same images to the same sizes (no framing, no checks).
 *
 *   node --import tsx bench/exports/run.ts [--images 24] [--rounds 2]
 *
 * Prints images/s and files/s (wall and CPU) and writes JSON to bench/results/. Figures, not assertions.
 */
import "../render/server-modules";

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";

import { PRESETS, type ExportRequest, type PresetName } from "@/lib/scene/export";
import { loadConfig, setConfigForTests } from "@/lib/server/config";
import { zipExport } from "@/lib/server/exports/export";
import type { StoredOutput } from "@/lib/server/generations";
import { objectStoreFor } from "@/lib/server/storage";

import { draft, storedProduct } from "../../test/exports/drafts";
import { writeResult } from "../support";

const PRESET_SET: PresetName[] = ["amazon-main", "instagram-portrait", "instagram-story"];

function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

async function timed<T>(work: () => Promise<T>) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await work();
  const cpu = process.cpuUsage(cpu0);
  return { value, wall: performance.now() - t0, cpu: (cpu.user + cpu.system) / 1000 };
}

async function drain(stream: ReadableStream<Uint8Array>): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
  return bytes;
}

async function main() {
  const images = argument("images", 24);
  const rounds = argument("rounds", 2);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-exports-"));
  const config = loadConfig({ DATA_DIR: dir, NODE_ENV: "test", DEFAULT_ENGINE: "local" });
  setConfigForTests(config);
  const store = objectStoreFor(config.DATA_DIR);
  console.log(
    `load average before: ${os
      .loadavg()
      .map((v) => v.toFixed(2))
      .join(" ")}`,
  );

  const product = await storedProduct(config, "bottle");
  const sources: StoredOutput[] = [];
  const bytesOf = new Map<string, Buffer>();
  for (let i = 0; i < images; i++) {
    const scene = i % 2 === 0 ? { effect: "shadows", color: "#ffffff" } : { prompt: `scene ${i}` };
    const made = await draft(config, product, { object: { scale: 0.55 + (i % 5) * 0.05 }, scene });
    const { key } = await store.put(made.bytes, "png");
    bytesOf.set(key, made.bytes);
    sources.push({ ...made.source, outputId: `output-${i}`, fileKey: key });
  }
  const request: ExportRequest = {
    outputs: sources.map((s) => s.outputId),
    presets: PRESET_SET,
    allow_upscale: true,
  };
  const deps = {
    config,
    store,
    storedOutputs: async () => sources,
    approvedOutputs: async () => new Map<string, string>(),
  };

  const exports: { wall: number; cpu: number; bytes: number }[] = [];
  const baseline: { wall: number; cpu: number }[] = [];
  for (let r = 0; r < rounds; r++) {
    const run = await timed(async () => drain(await zipExport(deps, request)));
    exports.push({ wall: run.wall, cpu: run.cpu, bytes: run.value });
    const plain = await timed(async () => {
      for (const name of PRESET_SET) {
        const { width, height } = PRESETS[name];
        for (const key of bytesOf.keys()) {
          await sharp(bytesOf.get(key))
            .resize(width, height, { fit: "cover" })
            .jpeg({ quality: 92 })
            .toBuffer();
        }
      }
    });
    baseline.push({ wall: plain.wall, cpu: plain.cpu });
  }
  const best = <T extends { wall: number }>(xs: T[]) => xs.reduce((a, b) => (b.wall < a.wall ? b : a));
  const e = best(exports);
  const b = best(baseline);
  const files = images * PRESET_SET.length;
  const result = {
    images,
    presets: PRESET_SET,
    files,
    rounds,
    export: {
      wall_ms: Math.round(e.wall),
      cpu_ms: Math.round(e.cpu),
      images_per_s: +((images / e.wall) * 1000).toFixed(2),
      files_per_s: +((files / e.wall) * 1000).toFixed(2),
      zip_mb: +(e.bytes / 1e6).toFixed(1),
    },
    baseline_resize_encode: {
      wall_ms: Math.round(b.wall),
      cpu_ms: Math.round(b.cpu),
      files_per_s: +((files / b.wall) * 1000).toFixed(2),
    },
    export_over_baseline: +(e.wall / b.wall).toFixed(2),
    load_average_after: os.loadavg(),
  };
  console.table({
    export: { ...result.export },
    "plain resize+encode": { ...result.baseline_resize_encode },
  });
  console.log(`export / baseline wall: ${result.export_over_baseline}×`);
  writeResult("exports", result);
  fs.rmSync(dir, { recursive: true, force: true });
}

void main();
