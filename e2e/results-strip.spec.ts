/**
 * The composer's results strip: it shows the newest few results with a link to the rest in the
 * gallery, and Clear all empties it (the results stay in the gallery).
 */
import { expect, test } from "@playwright/test";

import { productPng } from "../test/support/product-images";

/** How many results the strip shows (`RESULTS_SHOWN` in components/composer/results.tsx). */
const RESULTS_SHOWN = 8;

test("the strip shows the newest results up to its limit, links the rest, and clears", async ({
  browser,
  baseURL,
}, testInfo) => {
  test.setTimeout(180_000);
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 1440, height: 900 },
    storageState: testInfo.project.use.storageState,
  });
  const page = await context.newPage();
  await page.goto("/");
  await page.evaluate(() => window.localStorage.clear());
  await page.reload();
  await page
    .getByTestId("product-file")
    .setInputFiles({ name: "product.png", mimeType: "image/png", buffer: await productPng() });
  await page.getByLabel("Describe the scene", { exact: true }).fill("results strip oak shelf");

  const strip = page.getByRole("region", { name: "Results" });
  const runs = RESULTS_SHOWN + 2;
  for (let i = 1; i <= runs; i++) {
    const created = page.waitForResponse(
      (r) => r.url().endsWith("/api/generations") && r.request().method() === "POST",
    );
    await page.getByTestId("generate").click();
    expect((await created).status()).toBe(202);
    await expect(page.getByTestId("generation").first()).toHaveAttribute("data-status", "succeeded", {
      timeout: 60_000,
    });
  }
  await expect(page.getByTestId("generation")).toHaveCount(RESULTS_SHOWN);
  await expect(strip.getByTestId("results-count")).toHaveText(`Newest ${RESULTS_SHOWN} of ${runs}`);
  const more = strip.getByTestId("results-more");
  await expect(more).toHaveText("2 more in the gallery");
  await expect(more).toHaveAttribute("href", "/gallery?mine=1");
  await page.screenshot({ path: testInfo.outputPath("composer-results-strip.png") });

  await strip.getByRole("button", { name: "Clear all" }).click();
  await expect(page.getByTestId("generation")).toHaveCount(0);
  await expect(strip).toContainText("Results appear here.");
  // Cleared from the strip, kept in the gallery; and it stays cleared after a reload.
  await page.reload();
  await expect(page.getByTestId("generation")).toHaveCount(0);
  await page.goto("/gallery?q=results%20strip");
  await expect(page.getByTestId("generation-card")).toHaveCount(runs);
  await context.close();
});
