/**
 * Does the server stay responsive while it removes backgrounds? Runs the same cutouts on the calling
 * thread (`CUTOUT_THREADS=0`, the baseline) and on one cutout thread (the default), and meanwhile
 * measures how late the event loop answers: the event-loop delay (p50/p99/max) and the latency of a
 * small task issued every 20 ms, as another request's work would be. Also the wall time of the
 * cutouts themselves, so the cost of moving pixels between threads shows.
 *
 *   node --import tsx bench/cutout-threads/run.ts [--photos 6] [--scale 1.5] [--parallel 2]
 *
 * Prints a table and writes JSON to bench/results/. Figures, not assertions.
 */
import "../render/server-modules";

import { monitorEventLoopDelay } from "node:perf_hooks";

import { removeBackgroundOffThread } from "@/lib/server/engines/local/cutout/off-thread";

import { productPhotoSet } from "../../test/support/photos/product-photos";
import { renderPhoto } from "../../test/support/photos/render-photo";
import { writeResult } from "../support";

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
const MAX_PIXELS = 50_000_000;

/** Small tasks every `everyMs`, each timed from when it was due to when it ran: another request's view. */
function pinger(everyMs: number) {
  const latencies: number[] = [];
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    const due = performance.now();
    setImmediate(() => {
      latencies.push(performance.now() - due);
      setTimeout(tick, everyMs);
    });
  };
  tick();
  return {
    stop() {
      stopped = true;
      return latencies;
    },
  };
}

async function measure(photos: Buffer[], threads: number, parallel: number) {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const ping = pinger(20);
  const started = performance.now();
  const queue = [...photos];
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const run = await removeBackgroundOffThread(next, { maxPixels: MAX_PIXELS, threads });
        if (run.kind !== "cutout") throw new Error(`expected a cutout, got ${run.kind}`);
      }
    }),
  );
  const wall = performance.now() - started;
  const latencies = ping.stop();
  loop.disable();
  const ms = (ns: number) => ns / 1e6;
  return {
    threads,
    cutouts: photos.length,
    wall_ms: round(wall),
    loop_delay_ms: {
      p50: round(ms(loop.percentile(50))),
      p99: round(ms(loop.percentile(99))),
      max: round(ms(loop.max)),
    },
    task_latency_ms: {
      p50: round(percentile(latencies, 50)),
      p99: round(percentile(latencies, 99)),
      max: round(Math.max(...latencies)),
      samples: latencies.length,
    },
  };
}

async function main() {
  const count = Number(option("photos", "6"));
  const scale = Number(option("scale", "1.5"));
  const parallel = Number(option("parallel", "2"));
  const set = productPhotoSet();
  const rendered = await Promise.all(
    Array.from({ length: count }, (_, i) => renderPhoto(set[i % set.length]!, i + 1, scale)),
  );
  const photos = rendered.map((p) => p.bytes);
  const megapixels = rendered.reduce((sum, p) => sum + p.width * p.height, 0) / 1e6 / count;

  // Warm both paths (the thread loads its code once; libvips and the JIT warm up).
  await removeBackgroundOffThread(photos[0]!, { maxPixels: MAX_PIXELS, threads: 1 });
  await removeBackgroundOffThread(photos[0]!, { maxPixels: MAX_PIXELS, threads: 0 });

  const inThread = await measure(photos, 0, parallel);
  const offThread = await measure(photos, 1, parallel);
  const ratio = (a: number, b: number) => round(a / Math.max(b, 0.1));

  console.log(`\n${count} cutouts of ${round(megapixels)} MP each, ${parallel} at a time\n`);
  console.log("where            wall ms   loop delay p50/p99/max ms   task latency p50/p99/max ms");
  for (const [name, r] of [
    ["request thread", inThread],
    ["cutout thread", offThread],
  ] as const) {
    console.log(
      `${name.padEnd(16)} ${String(r.wall_ms).padStart(7)}   ${`${r.loop_delay_ms.p50} / ${r.loop_delay_ms.p99} / ${r.loop_delay_ms.max}`.padEnd(27)} ${r.task_latency_ms.p50} / ${r.task_latency_ms.p99} / ${r.task_latency_ms.max}`,
    );
  }
  const summary = {
    worst_loop_delay_ratio: ratio(inThread.loop_delay_ms.max, offThread.loop_delay_ms.max),
    p99_task_latency_ratio: ratio(inThread.task_latency_ms.p99, offThread.task_latency_ms.p99),
    wall_ratio: ratio(offThread.wall_ms, inThread.wall_ms),
  };
  console.log(
    `\nworst event-loop delay: ${summary.worst_loop_delay_ratio}× lower on the cutout thread; p99 task latency ${summary.p99_task_latency_ratio}× lower; cutout wall time ×${summary.wall_ratio}`,
  );
  writeResult("cutout-threads", {
    count,
    megapixels: round(megapixels),
    parallel,
    inThread,
    offThread,
    summary,
  });
  process.exit(0);
}

void main();
