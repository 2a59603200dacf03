/**
 * The composer canvas in headless Chromium: frame intervals while a 4096×4096 product is dragged (300
 * pointer steps) and rotated over the prompt scene's backdrop preview (the local engine's render behind
 * it, the product ghosted where it leaves the frame), long tasks meanwhile, and the composer's
 * first-load JS (gzip) with the Konva canvas split off. Prints figures and writes JSON to
 * bench/results/; it never fails on a time.
 *
 *   npx next build && node --import tsx bench/canvas/run.ts
 *
 * Against a running app instead: BENCH_URL=http://127.0.0.1:3000 with BENCH_EMAIL and BENCH_PASSWORD of
 * a member (a fresh install gets its first admin created with them).
 */
import { gzipSync } from "node:zlib";
import { chromium, type Page } from "@playwright/test";

import { CANVAS_HANDLE_SCRIPT } from "../../test/support/canvas-handle";
import { CHROMIUM_LAUNCH } from "../../test/support/chromium";
import { bigProductPng } from "../../test/support/product-images";
import { benchApp, signIn } from "../browser-app";
import { writeResult } from "../support";

const DRAG_STEPS = 300;
const ROTATE_STEPS = 180;

type Intervals = {
  frames: number;
  p50: number;
  p95: number;
  max: number;
  longTasks: number;
  longTaskMs: number;
};

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * Starts recording requestAnimationFrame timestamps and long tasks in the page. Passed as source text:
 * tsx names functions with a helper that does not exist inside the page.
 */
const RECORDER = `(() => {
  const bench = { stamps: [], long: [], stop: false };
  window.__bench = bench;
  const tick = (t) => {
    if (bench.stop) return;
    bench.stamps.push(t);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) bench.long.push(entry.duration);
  }).observe({ type: "longtask" });
})()`;

async function startRecording(page: Page) {
  await page.evaluate(RECORDER);
}

async function stopRecording(page: Page): Promise<Intervals> {
  const { stamps, long } = await page.evaluate(() => {
    const w = window as unknown as { __bench: { stamps: number[]; long: number[]; stop: boolean } };
    w.__bench.stop = true;
    return w.__bench;
  });
  const intervals = stamps
    .slice(1)
    .map((t, i) => t - stamps[i]!)
    .sort((a, b) => a - b);
  return {
    frames: intervals.length,
    p50: round(percentile(intervals, 50)),
    p95: round(percentile(intervals, 95)),
    max: round(intervals.at(-1) ?? Number.NaN),
    longTasks: long.length,
    longTaskMs: round(long.reduce((a, b) => a + b, 0)),
  };
}

/**
 * Scripts named in the page's HTML are what loads before anyone can interact; chunks requested later
 * (the Konva canvas, loaded by next/dynamic after hydration) are counted apart.
 */
async function measureJs(page: Page, app: string) {
  const loaded = new Map<string, number>();
  page.on("response", async (response) => {
    if (response.request().resourceType() !== "script") return;
    const bytes = await response.body().catch(() => undefined);
    if (bytes) loaded.set(response.url(), gzipSync(bytes, { level: 9 }).length);
  });
  const html = await (await page.context().request.get(`${app}/`)).text();
  await page.goto(`${app}/`, { waitUntil: "networkidle" });
  await page.waitForFunction(() => Boolean(window.__backdropStage));
  const initial = new Set(
    [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map(
      (m) => new URL(m[1]!.replaceAll("&amp;", "&"), app).href,
    ),
  );
  let firstLoad = 0;
  let later = 0;
  const lazy: { url: string; gzip: number }[] = [];
  const first: { url: string; gzip: number }[] = [];
  for (const [url, gzip] of loaded) {
    if (initial.has(url)) {
      firstLoad += gzip;
      first.push({ url: new URL(url).pathname, gzip });
    } else {
      later += gzip;
      lazy.push({ url: new URL(url).pathname, gzip });
    }
  }
  return {
    firstLoadGzipKb: round(firstLoad / 1024),
    firstLoadScripts: first.length,
    firstLoadChunks: first
      .sort((a, b) => b.gzip - a.gzip)
      .map((c) => ({ ...c, gzipKb: round(c.gzip / 1024) })),
    lazyGzipKb: round(later / 1024),
    lazyChunks: lazy.sort((a, b) => b.gzip - a.gzip).map((c) => ({ ...c, gzipKb: round(c.gzip / 1024) })),
  };
}

async function main() {
  const { url: app, stop } = await benchApp("canvas");

  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addInitScript({ content: CANVAS_HANDLE_SCRIPT });
    const page = await context.newPage();
    await signIn(page, app, {
      email: "canvas-bench@example.com",
      password: "canvas-bench-password",
      name: "Canvas bench",
    });
    const js = await measureJs(page, app);

    const product = await bigProductPng(4096);
    await page.evaluate(() => window.localStorage.clear());
    await page.reload();
    await page.waitForFunction(() => Boolean(window.__backdropStage));
    await page
      .getByTestId("product-file")
      .setInputFiles({ name: "big.png", mimeType: "image/png", buffer: product });
    await page.waitForFunction(() => Boolean(window.__backdropStage?.findOne(".product")), null, {
      timeout: 120_000,
    });
    // The canvas draws what the draft will have behind the product: the run measures with it there.
    await page.waitForFunction(() => Boolean(window.__backdropStage?.findOne(".backdrop-preview")), null, {
      timeout: 60_000,
    });
    await page.waitForTimeout(500);
    // A look at the composer as the run saw it, when asked for.
    if (process.env.BENCH_SCREENSHOT) await page.screenshot({ path: process.env.BENCH_SCREENSHOT });

    const at = (x: number, y: number) => page.evaluate((p) => window.__backdropCanvas!.toPage(p), { x, y });

    // Drag: 300 pointer steps along a loop inside the frame.
    const start = await at(512, 512);
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    await startRecording(page);
    const began = performance.now();
    let ghostShown = false;
    for (let i = 1; i <= DRAG_STEPS; i++) {
      const a = (i / DRAG_STEPS) * Math.PI * 2;
      const p = await at(512 + 260 * Math.sin(a), 512 + 180 * (1 - Math.cos(a)));
      await page.mouse.move(p.x, p.y);
      // A quarter of the way round the product sticks out of the frame: its ghost is being drawn.
      if (i === DRAG_STEPS / 4)
        ghostShown = await page.evaluate(() =>
          Boolean(window.__backdropStage?.findOne(".product-ghost")?.isVisible()),
        );
    }
    await page.mouse.up();
    const dragMs = performance.now() - began;
    const drag = await stopRecording(page);

    // Rotate: the rotation handle once around the product's centre.
    const handle = await page.evaluate(() => {
      const stage = window.__backdropStage!;
      const transformer = stage.findOne(".transformer") as unknown as {
        findOne: (s: string) => { getAbsolutePosition(): { x: number; y: number } };
      };
      const p = transformer.findOne(".rotater").getAbsolutePosition();
      const node = stage.findOne(".product")!;
      const c = node.getAbsolutePosition();
      const box = stage.container().getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y, cx: box.left + c.x, cy: box.top + c.y };
    });
    const radius = Math.hypot(handle.x - handle.cx, handle.y - handle.cy);
    const startAngle = Math.atan2(handle.y - handle.cy, handle.x - handle.cx);
    await page.mouse.move(handle.x, handle.y);
    await page.mouse.down();
    await startRecording(page);
    for (let i = 1; i <= ROTATE_STEPS; i++) {
      const a = startAngle + (i / ROTATE_STEPS) * Math.PI * 2;
      await page.mouse.move(handle.cx + radius * Math.cos(a), handle.cy + radius * Math.sin(a));
    }
    await page.mouse.up();
    const rotate = await stopRecording(page);

    const result = {
      at: new Date().toISOString(),
      app,
      product: "4096×4096 png",
      viewport: "1440×900",
      drag: { steps: DRAG_STEPS, wallMs: round(dragMs), ghostDrawn: ghostShown, ...drag },
      backdropPreview: true,
      rotate: { steps: ROTATE_STEPS, ...rotate },
      js,
      targets: { dragP95Ms: 17, firstLoadGzipKb: 160 },
    };

    console.log(
      "\ncanvas bench (headless Chromium, --disable-gpu; backdrop preview drawn, ghost outside the frame)",
    );
    console.log("                 frames   p50 ms   p95 ms   max ms   long tasks (ms)");
    for (const [name, r] of [
      ["drag 4096²", drag],
      ["rotate 4096²", rotate],
    ] as const) {
      console.log(
        `${name.padEnd(16)} ${String(r.frames).padStart(6)} ${String(r.p50).padStart(8)} ${String(r.p95).padStart(8)} ${String(r.max).padStart(8)}   ${r.longTasks} (${r.longTaskMs})`,
      );
    }
    console.log(
      `\nfirst-load JS: ${js.firstLoadGzipKb} kB gzip in ${js.firstLoadScripts} scripts (target ≤ 160 kB)`,
    );
    for (const chunk of js.firstLoadChunks) console.log(`  ${chunk.gzipKb} kB  ${chunk.url}`);
    console.log(`loaded later (canvas, Konva): ${js.lazyGzipKb} kB gzip`);
    for (const chunk of js.lazyChunks.slice(0, 5)) console.log(`  ${chunk.gzipKb} kB  ${chunk.url}`);
    console.log(`drag p95 ${drag.p95} ms (target ≤ 17 ms); ghost drawn during the drag: ${ghostShown}`);

    writeResult("canvas", result);
  } finally {
    await browser.close();
    stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
