/**
 * A campaign end to end: plan it (two products uploaded, two prompts at once, two ratios; the items
 * grid and the cost follow), run it (the board fills in live), review it (approve with a note,
 * reject, filter) and download the approved outputs as a zip with meaningful names; a viewer sees
 * the board and downloads, but does not review. Screenshots go to the test's output folder.
 */
import fs from "node:fs";
import { expect, test, type Page, type TestInfo } from "@playwright/test";

import { AUTH_STATE } from "../playwright.config";
import { productPng } from "../test/support/product-images";
import { zipEntries } from "../test/support/zip-entries";

async function shot(page: Page, testInfo: TestInfo, name: string) {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}

test("plan → run → review → download approved; a viewer sees it and downloads", async ({
  page,
  browser,
}, testInfo) => {
  await page.goto("/gallery");
  await page.getByRole("link", { name: "Campaigns" }).click();
  await expect(page).toHaveURL(/\/campaigns$/);
  await page.getByRole("link", { name: "New campaign" }).click();
  await expect(page.getByRole("heading", { name: "New campaign" })).toBeVisible();

  await page.getByLabel("Name", { exact: true }).fill("E2E Spring Shelf");
  await page.getByLabel("Upload product images").setInputFiles([
    { name: "red-box.png", mimeType: "image/png", buffer: await productPng() },
    {
      name: "square-tin.png",
      mimeType: "image/png",
      buffer: await productPng(500, 500, { x: 150, y: 100, width: 200, height: 300 }),
    },
  ]);
  const products = page.getByRole("list", { name: "Products" }).getByRole("listitem");
  await expect(products).toHaveCount(2);

  await page
    .getByLabel("Prompts, one per line")
    .fill("on a marble counter, soft light\non warm sand at dawn");
  await page.getByRole("button", { name: "Add 2 scenes" }).click();
  await expect(page.getByRole("list", { name: "Scenes" }).getByRole("listitem")).toHaveCount(2);
  await page.getByRole("checkbox", { name: "16:9" }).check();

  // The items grid and the cost follow the plan: 2 products × 2 scenes × 2 ratios, drafts are free.
  const cost = page.getByTestId("cost-panel");
  await expect(cost.locator('[data-figure="items"]')).toHaveText("8");
  await expect(cost.locator('[data-figure="credits"]')).toContainText("0");
  await expect(page.getByTestId("plan-cell")).toHaveCount(4);
  await expect(page.getByRole("tab", { name: "red box" })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByText("Claid has no seed, so a re-roll gives different images")).toBeVisible();
  await shot(page, testInfo, "1-plan");

  await page.getByRole("button", { name: "Start campaign (8 items)" }).click();
  await expect(page).toHaveURL(/\/campaigns\/[0-9a-f-]{36}$/);
  const campaignUrl = page.url();
  await expect(page.getByRole("heading", { name: "E2E Spring Shelf" })).toBeVisible();
  await shot(page, testInfo, "2-running");
  await expect(page.locator('[data-campaign-status="done"]')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("campaign-counts")).toHaveText("8 done");
  const cells = page.getByTestId("campaign-cell");
  await expect(cells).toHaveCount(4);
  await expect(page.locator('[data-testid="campaign-cell"][data-status="succeeded"]')).toHaveCount(4);
  await expect(page.getByTestId("output-review")).toHaveCount(4);
  await shot(page, testInfo, "3-done");

  // Review: approve one with a note, reject another; who and when show on the output.
  const first = page.getByTestId("output-review").nth(0);
  await first.getByRole("textbox").fill("Hero shot");
  await first.getByRole("button", { name: /^Approve/ }).click();
  await expect(first).toHaveAttribute("data-verdict", "approved");
  await expect(first).toContainText("Hero shot");
  await expect(first).toContainText("E2E Member");
  const second = page.getByTestId("output-review").nth(1);
  await second.getByRole("button", { name: /^Reject/ }).click();
  await expect(second).toHaveAttribute("data-verdict", "rejected");
  // The other product's tab has its own items.
  await page.getByRole("tab", { name: "square tin" }).click();
  const tin = page.getByTestId("output-review").nth(0);
  await tin.getByRole("button", { name: /^Approve/ }).click();
  await expect(tin).toHaveAttribute("data-verdict", "approved");
  await page.getByRole("tab", { name: "red box" }).click();

  // Filters: approved, rejected, unreviewed.
  await page.getByRole("radio", { name: "Approved" }).click();
  await expect(page.getByTestId("output-review")).toHaveCount(1);
  await page.getByRole("radio", { name: "Rejected" }).click();
  await expect(page.getByTestId("output-review")).toHaveCount(1);
  await page.getByRole("radio", { name: "Unreviewed" }).click();
  await expect(page.getByTestId("output-review")).toHaveCount(2);
  await page.getByRole("radio", { name: "All" }).click();
  await shot(page, testInfo, "4-review");

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download approved" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("e2e-spring-shelf-approved.zip");
  const zip = fs.readFileSync((await download.path()) ?? "");
  const names = zipEntries(zip)
    .map((e) => e.name)
    .sort();
  expect(names).toEqual([
    "e2e-spring-shelf/red-box-on-a-marble-counter-soft-light-1x1-1.png",
    "e2e-spring-shelf/requests/red-box-on-a-marble-counter-soft-light-1x1.json",
    "e2e-spring-shelf/requests/square-tin-on-a-marble-counter-soft-light-1x1.json",
    "e2e-spring-shelf/square-tin-on-a-marble-counter-soft-light-1x1-1.png",
  ]);

  // A viewer sees the board with its verdicts and downloads, but does not review or start campaigns.
  const viewer = await browser.newContext({ storageState: AUTH_STATE.viewer });
  const view = await viewer.newPage();
  await view.goto(campaignUrl);
  await expect(view.getByRole("heading", { name: "E2E Spring Shelf" })).toBeVisible();
  await expect(view.getByTestId("output-review")).toHaveCount(4);
  await expect(view.getByRole("button", { name: /^Approve/ })).toHaveCount(0);
  await expect(view.getByTestId("output-review").nth(0)).toContainText("Hero shot");
  await expect(view.getByRole("link", { name: "Download approved" })).toBeVisible();
  await view.goto("/campaigns");
  await expect(view.getByRole("link", { name: "New campaign" })).toHaveCount(0);
  await expect(view.getByTestId("campaign-row").filter({ hasText: "E2E Spring Shelf" })).toBeVisible();
  await view.screenshot({ path: testInfo.outputPath("5-viewer-list.png"), fullPage: true });
  await viewer.close();
});
