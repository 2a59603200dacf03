/**
 * Reviewing in the gallery: failed cards say why and go in bulk, compare fits two to four images on
 * one screen with labels that tell them apart, downloads carry meaningful names, an empty filtered
 * view offers Clear filters, the copied cURL command works when pasted, and the app has a favicon.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test, type BrowserContext, type Page } from "@playwright/test";

import { AUTH_STATE } from "../playwright.config";
import { seedDrafts, seedFailures, type Seeded } from "./support/seed";

test.describe.configure({ mode: "serial" });

let context: BrowserContext;
let page: Page;
let drafts: Seeded[] = [];

const VIEWPORT = { width: 1440, height: 900 };

function card(prompt: string) {
  return page.getByTestId("generation-card").filter({ has: page.getByText(prompt, { exact: true }) });
}

/** The gallery showing only this spec's generations. */
async function openReview() {
  await page.goto("/gallery?q=review");
  await expect(page.getByLabel("Prompt contains")).toHaveValue("review");
}

test.beforeAll(async ({ browser, baseURL }) => {
  context = await browser.newContext({ baseURL, viewport: VIEWPORT, storageState: AUTH_STATE.member });
  page = await context.newPage();
  drafts = await seedDrafts(context.request, baseURL!, [
    ["review marble counter morning", "1:1"],
    ["review marble counter evening", "16:9", { format: "jpeg" }],
    ["review oak shelf morning", "4:5"],
    ["review linen drape", "9:16", { format: "png", number_of_images: 2 }],
  ]);
  await seedFailures(context.request, baseURL!, ["review refused once", "review refused twice"]);
});

test.afterAll(async () => {
  await context?.close();
});

test("failed cards say why, and failed generations are deleted in bulk", async ({}, testInfo) => {
  await openReview();
  for (const prompt of ["review refused once", "review refused twice"]) {
    await expect(card(prompt).getByTestId("card-error")).toHaveText("No API calls left.");
  }
  await page.screenshot({ path: testInfo.outputPath("gallery-failed-cards.png") });

  await page.getByRole("button", { name: "Select the failed (2)" }).click();
  await expect(page.getByTestId("selection-count")).toHaveText("2 selected");
  await page.getByRole("button", { name: "Delete selected…" }).click();
  const confirm = page.getByTestId("confirm-bulk-delete");
  await expect(confirm.getByRole("heading", { name: "Delete 2 generations?" })).toBeVisible();
  await confirm.getByRole("button", { name: "Delete all" }).click();
  await expect(page.getByRole("status")).toHaveText("2 generations deleted");
  await expect(card("review refused once")).toHaveCount(0);
  await expect(card("review refused twice")).toHaveCount(0);
  await expect(page.getByTestId("generation-card")).toHaveCount(drafts.length);
});

test("an empty filtered result offers Clear filters", async () => {
  await page.goto("/gallery?q=review-nothing-matches-this");
  const empty = page.getByTestId("gallery-empty");
  await expect(empty).toContainText("No generations match these filters.");
  await empty.getByRole("button", { name: "Clear filters" }).click();
  await expect(page.getByLabel("Prompt contains")).toHaveValue("");
  await expect(card("review oak shelf morning")).toBeVisible();
  await expect(page).toHaveURL(/\/gallery$/);
});

async function inViewport(locator: ReturnType<Page["locator"]>) {
  const boxes = await locator.evaluateAll((elements) =>
    elements.map((e) => {
      const r = e.getBoundingClientRect();
      return { top: r.top, left: r.left, bottom: r.bottom, right: r.right, width: r.width };
    }),
  );
  for (const box of boxes) {
    expect(box.width).toBeGreaterThan(100);
    expect(box.top).toBeGreaterThanOrEqual(0);
    expect(box.left).toBeGreaterThanOrEqual(0);
    expect(box.bottom).toBeLessThanOrEqual(VIEWPORT.height);
    expect(box.right).toBeLessThanOrEqual(VIEWPORT.width);
  }
  return boxes.length;
}

test("compare fits four images on one screen, labelled by the words, engine, ratio and time that differ", async ({}, testInfo) => {
  await openReview();
  for (const d of drafts)
    await card(d.prompt)
      .getByLabel(/Select/)
      .check();
  await expect(page.getByTestId("selection-count")).toHaveText("4 selected");
  await page.getByRole("button", { name: "Compare", exact: true }).click();
  const grid = page.getByTestId("compare-grid");
  await expect(grid.locator("img")).toHaveCount(4);
  await expect
    .poll(() =>
      grid.locator("img").evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).complete)),
    )
    .toBe(true);
  expect(await inViewport(grid.locator("img"))).toBe(4);
  expect(await inViewport(grid.getByTestId("compare-label"))).toBe(4);
  const labels = await grid.getByTestId("compare-label").allInnerTexts();
  // Newest first: the words each prompt has and the others lack lead, then engine and ratio.
  expect(labels.map((l) => l.split("\n")[0])).toEqual([
    "linen drape",
    "oak shelf morning",
    "marble counter evening",
    "marble counter morning",
  ]);
  expect(labels.map((l) => l.split("\n")[1]?.split(" · ").slice(0, 2))).toEqual([
    ["Draft", "9:16"],
    ["Draft", "4:5"],
    ["Draft", "16:9"],
    ["Draft", "1:1"],
  ]);
  expect(new Set(labels).size).toBe(4);
  await page.screenshot({ path: testInfo.outputPath("gallery-compare-4.png") });
  await page.keyboard.press("Escape");

  // Two: one frame with a slider, the tall 9:16 one included, still on one screen.
  await page.getByRole("button", { name: "Clear selection" }).click();
  await card("review linen drape")
    .getByLabel(/Select/)
    .check();
  await card("review marble counter evening")
    .getByLabel(/Select/)
    .check();
  await page.getByRole("button", { name: "Compare", exact: true }).click();
  const slider = page.getByTestId("compare-slider");
  await expect(slider.locator("img")).toHaveCount(2);
  expect(await inViewport(slider.locator("img"))).toBe(2);
  expect(await inViewport(page.getByRole("slider", { name: "Compare position" }))).toBe(1);
  await expect(slider.getByTestId("compare-label").first()).toContainText("linen drape");
  await expect(slider.getByTestId("compare-label").last()).toContainText("marble counter evening");
  await page.screenshot({ path: testInfo.outputPath("gallery-compare-2.png") });
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Clear selection" }).click();
});

test("downloads are named after the prompt, the ratio and the image's number, in a zip too", async ({
  baseURL,
}) => {
  await openReview();
  await card("review linen drape")
    .getByRole("button", { name: /review linen drape/ })
    .click();
  const detail = page.getByTestId("generation-detail");
  const links = detail.getByRole("link", { name: "Download", exact: true });
  await expect(links).toHaveCount(2);
  const names: string[] = [];
  for (const link of await links.all()) {
    const saved = await context.request.get(`${baseURL}${await link.getAttribute("href")}`);
    names.push(saved.headers()["content-disposition"] ?? "");
  }
  expect(names).toEqual([
    'attachment; filename="review-linen-drape-9x16-1.png"',
    'attachment; filename="review-linen-drape-9x16-2.png"',
  ]);
  const zipHref = await detail.getByRole("link", { name: "Download all (zip)" }).getAttribute("href");
  const zip = (await (await context.request.get(`${baseURL}${zipHref}`)).body()).toString("latin1");
  const id = drafts.find((d) => d.prompt === "review linen drape")!.id;
  const folder = `review-linen-drape-9x16-${id.slice(0, 8)}`;
  for (const entry of ["review-linen-drape-9x16-1.png", "review-linen-drape-9x16-2.png", "request.json"]) {
    expect(zip).toContain(`${folder}/${entry}`);
  }
  await page.keyboard.press("Escape");
});

test("the copied cURL command gets 200 when pasted into a shell with a token", async ({ baseURL }) => {
  const created = await context.request.post("/api/tokens", {
    data: { name: "pasted curl" },
    headers: { origin: baseURL! },
  });
  const { token } = (await created.json()) as { token: string };
  await openReview();
  await card("review oak shelf morning")
    .getByRole("button", { name: /review oak shelf/ })
    .click();
  const detail = page.getByTestId("generation-detail");
  await detail.getByRole("tab", { name: "cURL" }).click();
  const command = (await detail.getByTestId("request-curl").textContent()) ?? "";
  const { stdout } = await promisify(execFile)(
    "sh",
    ["-c", `${command} -sS -o /dev/null -w '%{http_code}'`],
    {
      env: { NODE_ENV: "test", PATH: process.env.PATH ?? "/usr/bin:/bin", BACKDROP_TOKEN: token },
      timeout: 60_000,
    },
  );
  expect(stdout).toBe("200");
  await page.keyboard.press("Escape");
});

test("the app has a favicon", async ({ baseURL }) => {
  await page.goto("/gallery");
  const href = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(href).toBeTruthy();
  const icon = await context.request.get(`${baseURL}${href}`);
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toMatch(/^image\/svg\+xml/);
  await page.goto("/sign-in");
  await expect(page.locator('link[rel="icon"]')).toHaveCount(1);
});
