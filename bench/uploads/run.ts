/**
 * Upload memory: BENCH_UPLOADS (default 20) parallel uploads of a 49-megapixel PNG cutout against the
 * built app under `next start`, with the server's resident memory sampled from /proc while they run.
 * Two scenarios in one run, each on a fresh server: the image queue as configured by default, and the
 * queue turned off (IMAGE_DECODE_CONCURRENCY=0) as the baseline.
 *
 *   npx next build && node --import tsx bench/uploads/run.ts
 */
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";

import { adminToken, startNext, type NextServer } from "../../test/support/next-start";

const ROOT = path.resolve(import.meta.dirname, "../..");
const RESULTS = path.join(ROOT, "bench/results");
const UPLOADS = Number(process.env.BENCH_UPLOADS ?? 20);
const SIDE = 7000;
const SAMPLE_MS = 20;
const TARGET_BYTES = 1.5 * 1024 ** 3;

/** A product cutout of SIDE² pixels (49 MP): a textured shape on transparency, made once and kept. */
async function testImage(): Promise<Buffer> {
  const file = path.join(RESULTS, `upload-${SIDE}.png`);
  if (fs.existsSync(file)) return fs.readFileSync(file);
  fs.mkdirSync(RESULTS, { recursive: true });
  // Coarse noise blown up: a texture that compresses like a photograph more than like a flat fill.
  const coarse = 50;
  const noise = Buffer.alloc(coarse * coarse * 3);
  let seed = 12345;
  for (let i = 0; i < noise.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    noise[i] = 60 + (seed >>> 24) / 2;
  }
  const texture = await sharp(noise, { raw: { width: coarse, height: coarse, channels: 3 } })
    .resize(SIDE, SIDE, { kernel: "cubic" })
    .raw()
    .toBuffer();
  const shape = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIDE}" height="${SIDE}">` +
      `<ellipse cx="${SIDE / 2}" cy="${SIDE * 0.55}" rx="${SIDE * 0.3}" ry="${SIDE * 0.4}" fill="#fff"/></svg>`,
  );
  const alpha = await sharp(shape).extractChannel("alpha").raw().toBuffer();
  const png = await sharp(texture, { raw: { width: SIDE, height: SIDE, channels: 3 } })
    .joinChannel(alpha, { raw: { width: SIDE, height: SIDE, channels: 1 } })
    .png({ compressionLevel: 9 })
    .toBuffer();
  fs.writeFileSync(file, png);
  return png;
}

function rssOf(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** `pid` and every process below it (Next may serve from a child process). */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // Gone meanwhile.
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    for (const child of children.get(p) ?? []) walk(child);
  };
  walk(pid);
  return out;
}

type Scenario = {
  name: string;
  env: Record<string, string>;
};

type Result = {
  name: string;
  idleRssMB: number;
  peakRssMB: number;
  peakTreeRssMB: number;
  statuses: Record<string, number>;
  seconds: number;
};

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

async function runScenario(scenario: Scenario, image: Buffer): Promise<Result> {
  const server: NextServer = await startNext({
    RATE_LIMIT_UPLOADS_PER_MINUTE: "100000",
    ...scenario.env,
  });
  try {
    const pid = server.child.pid!;
    const token = await adminToken(server.origin);
    // One small upload first, so the route, sharp and the database are loaded before measuring.
    const warm = new FormData();
    warm.set(
      "file",
      new Blob([
        new Uint8Array(
          await sharp({ create: { width: 64, height: 64, channels: 4, background: "#0000" } })
            .png()
            .toBuffer(),
        ),
      ]),
      "w.png",
    );
    await (
      await fetch(`${server.origin}/api/uploads`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        body: warm,
      })
    ).text();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const tree = processTree(pid);
    const idle = rssOf(pid);

    let peak = idle;
    let peakTree = tree.reduce((sum, p) => sum + rssOf(p), 0);
    const sampler = setInterval(() => {
      const main = rssOf(pid);
      peak = Math.max(peak, main);
      peakTree = Math.max(
        peakTree,
        tree.reduce((sum, p) => sum + (p === pid ? main : rssOf(p)), 0),
      );
    }, SAMPLE_MS);

    const started = performance.now();
    const statuses: Record<string, number> = {};
    await Promise.all(
      Array.from({ length: UPLOADS }, async () => {
        const form = new FormData();
        form.set("file", new Blob([new Uint8Array(image)]), "product.png");
        let key: string;
        try {
          const response = await fetch(`${server.origin}/api/uploads`, {
            method: "POST",
            headers: { authorization: `Bearer ${token}` },
            body: form,
          });
          const body = (await response.json().catch(() => ({}))) as { error_code?: string };
          key = response.status === 201 ? "201" : `${response.status} ${body.error_code ?? "?"}`;
        } catch (error) {
          const cause = (error as { cause?: { code?: string } }).cause;
          key = `failed ${cause?.code ?? (error as Error).message}`;
        }
        statuses[key] = (statuses[key] ?? 0) + 1;
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    // Memory can still be rising just after the last answer (the last file being written).
    await new Promise((resolve) => setTimeout(resolve, 500));
    clearInterval(sampler);
    return {
      name: scenario.name,
      idleRssMB: mb(idle),
      peakRssMB: mb(peak),
      peakTreeRssMB: mb(peakTree),
      statuses,
      seconds: Math.round(seconds * 10) / 10,
    };
  } finally {
    await server.stop();
  }
}

async function main() {
  const image = await testImage();
  if (image.byteLength > 25 * 1024 * 1024) throw new Error("the test image is over the default upload limit");
  const meta = await sharp(image).metadata();
  console.log(
    `image: ${meta.width} × ${meta.height} PNG with alpha, ${(image.byteLength / 1024 / 1024).toFixed(1)} MB; ` +
      `${UPLOADS} parallel uploads; load average ${(await import("node:os"))
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
  );
  const scenarios: Scenario[] = [
    { name: "queue (defaults)", env: {} },
    { name: "queue off (baseline)", env: { IMAGE_DECODE_CONCURRENCY: "0" } },
  ];
  const results: Result[] = [];
  for (const scenario of scenarios) {
    const result = await runScenario(scenario, image);
    results.push(result);
    console.log(
      `${result.name.padEnd(22)} idle ${String(result.idleRssMB).padStart(5)} MB   peak ${String(result.peakRssMB).padStart(5)} MB` +
        `   (process tree ${result.peakTreeRssMB} MB)   ${result.seconds} s   ${JSON.stringify(result.statuses)}`,
    );
  }
  const [queued, baseline] = results as [Result, Result];
  const dropped = (r: Result) =>
    Object.entries(r.statuses)
      .filter(([key]) => !/^(201|503 server_busy|429 rate_limited)$/.test(key))
      .reduce((n, [, count]) => n + count, 0);
  console.log(
    `peak RSS with the queue / without: ${queued.peakRssMB} / ${baseline.peakRssMB} MB = ` +
      `${(queued.peakRssMB / baseline.peakRssMB).toFixed(2)}; target ≤ ${mb(TARGET_BYTES)} MB: ` +
      `${queued.peakRssMB <= mb(TARGET_BYTES) ? "met" : "not met"}; answers other than 201/503/429: ` +
      `${dropped(queued)} with the queue, ${dropped(baseline)} without`,
  );
  fs.mkdirSync(RESULTS, { recursive: true });
  const out = path.join(RESULTS, `uploads-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  fs.writeFileSync(
    out,
    JSON.stringify({ uploads: UPLOADS, image: { side: SIDE, bytes: image.byteLength }, results }, null, 2),
  );
  console.log(`written to ${path.relative(ROOT, out)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
