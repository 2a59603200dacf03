/**
 * Local cutout benchmark: time per megapixel (p50/p95 wall, p50 CPU) of `removeBackground` over the
 * product-on-solid test set rendered at 1, 2 and 4 megapixels, with the alpha IoU (mean, worst) at each
 * size, and the time just to decode the same files as the baseline of the same run.
 *
 *   node --import tsx bench/cutout/run.ts [--sizes 1,2,4] [--photos 48] [--rounds 1]
 *
 * Prints a table and writes JSON to bench/results/. Figures, not assertions.
 */
import "../render/server-modules";

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";

import { removeBackground } from "@/lib/server/engines/local/cutout";

import { scoreCutout } from "../../test/support/photos/metrics";
import { productPhotoSet } from "../../test/support/photos/product-photos";
import type { RenderedPhoto } from "../../test/support/photos/render-photo";
import { renderPhoto } from "../../test/support/photos/render-photo";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

const round = (v: number) => Math.round(v * 10) / 10;

async function timed<T>(work: () => Promise<T>) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await work();
  const used = process.cpuUsage(cpu);
  return { result, wall: performance.now() - start, cpu: (used.user + used.system) / 1000 };
}

async function main() {
  const sizes = option("sizes", "1,2,4").split(",").map(Number);
  const count = Number(option("photos", "48"));
  const rounds = Number(option("rounds", "1"));
  const specs = productPhotoSet().slice(0, count);

  console.log(
    `sharp ${sharp.versions.sharp} / libvips ${sharp.versions.vips}, ${os.cpus().length} cores, threads ${sharp.concurrency()}`,
  );
  console.log(
    `${specs.length} photos per size, ${rounds} run(s) each after a warm-up; rendering is not timed`,
  );
  console.log(
    `load average before: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(
        " ",
      )} (other work on the machine inflates wall times; CPU ms counts this process, libvips threads included)\n`,
  );

  const rows: Array<Record<string, unknown>> = [];
  for (const megapixels of sizes) {
    const photos: RenderedPhoto[] = [];
    for (const [i, spec] of specs.entries()) {
      const scale = Math.sqrt((megapixels * 1e6) / (spec.width * spec.height));
      photos.push(await renderPhoto(spec, i + 1, scale));
    }
    // Warm-up: the JIT compiles the pixel loops on the first calls.
    for (const photo of photos.slice(0, 3)) await removeBackground(photo.bytes);

    const wall: number[] = [];
    const cpu: number[] = [];
    const decodeWall: number[] = [];
    const ious: number[] = [];
    const refusals: string[] = [];
    for (const photo of photos) {
      const mp = (photo.width * photo.height) / 1e6;
      for (let r = 0; r < rounds; r++) {
        const decode = await timed(() => sharp(photo.bytes).ensureAlpha().raw().toBuffer());
        decodeWall.push(decode.wall / mp);
        const run = await timed(() => removeBackground(photo.bytes));
        wall.push(run.wall / mp);
        cpu.push(run.cpu / mp);
        if (r > 0) continue;
        if (run.result.kind !== "cutout") {
          refusals.push(`${photo.spec.name}: ${run.result.kind}`);
          ious.push(0);
          continue;
        }
        const original = await sharp(photo.bytes).removeAlpha().raw().toBuffer();
        ious.push(scoreCutout(photo, run.result.image.data, original).iou);
      }
    }
    const p50 = percentile(wall, 50);
    const row = {
      megapixels,
      photos: photos.length,
      p50_ms_per_mp: round(p50),
      p95_ms_per_mp: round(percentile(wall, 95)),
      cpu_p50_ms_per_mp: round(percentile(cpu, 50)),
      decode_p50_ms_per_mp: round(percentile(decodeWall, 50)),
      ratio_to_decode: round(p50 / percentile(decodeWall, 50)),
      iou_mean: Math.round((ious.reduce((a, b) => a + b, 0) / ious.length) * 10_000) / 10_000,
      iou_worst: Math.round(Math.min(...ious) * 10_000) / 10_000,
      refusals,
    };
    rows.push(row);
    console.log(
      `${megapixels} MP: p50 ${row.p50_ms_per_mp} ms/MP, p95 ${row.p95_ms_per_mp} ms/MP, CPU p50 ${row.cpu_p50_ms_per_mp} ms/MP;` +
        ` decode alone p50 ${row.decode_p50_ms_per_mp} ms/MP (cutout ${row.ratio_to_decode}× decode);` +
        ` IoU mean ${row.iou_mean}, worst ${row.iou_worst}${refusals.length ? `; refused: ${refusals.join(", ")}` : ""}`,
    );
  }
  console.log(
    `\nload average after: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}; target: p50 ≤ 250 ms per megapixel on 2 cores`,
  );
  const dir = path.join(import.meta.dirname, "..", "results");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `cutout-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  fs.writeFileSync(file, JSON.stringify({ load: os.loadavg(), rows }, null, 2));
  console.log(`written ${path.relative(process.cwd(), file)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
