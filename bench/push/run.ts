/**
 * Click Generate → draft visible, in headless Chromium, with the results following the generation by
 * the page's event stream (push) and by polling (`?updates=poll`, the fallback), alternating round by
 * round in the same run. A draft is one 1024 × 1024 image from the local engine; "visible" is its
 * result image loaded in the results strip. Prints p50/p95 per mode and their ratio, writes JSON to
 * bench/results/; it never fails on a time.
 *
 *   npx next build && node --import tsx bench/push/run.ts
 *
 * BENCH_ROUNDS (default 20 per mode); BENCH_URL, BENCH_EMAIL and BENCH_PASSWORD point it at a
 * running install instead (its rate limit must allow 2 × BENCH_ROUNDS drafts a minute).
 */
import { chromium, type Page } from "@playwright/test";

import { CHROMIUM_LAUNCH } from "../../test/support/chromium";
import { productPng } from "../../test/support/product-images";
import { benchApp, signIn } from "../browser-app";
import { writeResult } from "../support";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const MODES = { push: "/", polling: "/?updates=poll" } as const;
type Mode = keyof typeof MODES;

/**
 * In the page: clicks Generate and resolves with the milliseconds until a result image that was not
 * there before has loaded. Source text: tsx names functions with a helper the page does not have.
 */
const GENERATE_AND_TIME = `(async () => {
  const known = new Set(document.querySelectorAll("[data-testid=result-image]"));
  const shown = new Promise((resolve) => {
    const look = () => {
      for (const img of document.querySelectorAll("[data-testid=result-image]")) {
        if (known.has(img)) continue;
        if (img.complete && img.naturalWidth > 0) return resolve(performance.now());
        img.addEventListener("load", () => resolve(performance.now()), { once: true });
      }
    };
    new MutationObserver(look).observe(document.body, { childList: true, subtree: true, attributes: true });
  });
  const started = performance.now();
  document.querySelector("[data-testid=generate]").click();
  return (await shown) - started;
})()`;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const round = (n: number) => Math.round(n);

async function composerWithProduct(page: Page, app: string, mode: Mode, product: Buffer) {
  await page.goto(`${app}${MODES[mode]}`);
  await page
    .getByTestId("product-file")
    .setInputFiles({ name: "product.png", mimeType: "image/png", buffer: product });
  await page.getByTestId("generate").waitFor();
  await page.waitForFunction(() => {
    const button = document.querySelector<HTMLButtonElement>("[data-testid=generate]");
    return Boolean(button && !button.disabled);
  });
}

async function main() {
  // Every round is a draft: the per-person limit must not be what is measured.
  const { url: app, stop } = await benchApp("push", { RATE_LIMIT_LOCAL_PER_MINUTE: "100000" });
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const first = await context.newPage();
    await signIn(first, app, {
      email: "push-bench@example.com",
      password: "push-bench-password",
      name: "Push bench",
    });
    const product = await productPng();
    const pages = { push: first, polling: await context.newPage() } satisfies Record<Mode, Page>;
    await first.goto(`${app}/`);
    await first.evaluate(() => window.localStorage.clear());
    for (const mode of Object.keys(MODES) as Mode[])
      await composerWithProduct(pages[mode], app, mode, product);

    const times: Record<Mode, number[]> = { push: [], polling: [] };
    // One warm-up each (first render of the local engine, first thumbnail), then alternating rounds.
    for (const mode of Object.keys(MODES) as Mode[]) await pages[mode].evaluate(GENERATE_AND_TIME);
    for (let i = 0; i < ROUNDS; i++) {
      for (const mode of i % 2 === 0 ? (["push", "polling"] as const) : (["polling", "push"] as const)) {
        times[mode].push((await pages[mode].evaluate(GENERATE_AND_TIME)) as number);
        await pages[mode].waitForTimeout(200);
      }
    }

    const summary = Object.fromEntries(
      (Object.keys(MODES) as Mode[]).map((mode) => {
        const sorted = [...times[mode]].sort((a, b) => a - b);
        return [
          mode,
          {
            rounds: sorted.length,
            p50: round(percentile(sorted, 50)),
            p95: round(percentile(sorted, 95)),
            max: round(sorted.at(-1) ?? NaN),
          },
        ];
      }),
    ) as Record<Mode, { rounds: number; p50: number; p95: number; max: number }>;
    const result = {
      at: new Date().toISOString(),
      app,
      draft: "local engine, 1024 × 1024 png, 600 × 400 cutout",
      summary,
      times,
      ratioP50: Math.round((summary.push.p50 / summary.polling.p50) * 100) / 100,
      target: { pushP50Ms: 300 },
    };

    console.log("\nclick Generate → draft visible (headless Chromium, local engine, 1024²)");
    console.log("              rounds   p50 ms   p95 ms   max ms");
    for (const mode of ["polling", "push"] as const) {
      const r = summary[mode];
      console.log(
        `${mode.padEnd(12)} ${String(r.rounds).padStart(7)} ${String(r.p50).padStart(8)} ${String(r.p95).padStart(8)} ${String(r.max).padStart(8)}`,
      );
    }
    console.log(`push / polling p50: ${result.ratioP50} (target: push p50 ≤ 300 ms)`);

    writeResult("push", result);
  } finally {
    await browser.close();
    stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
