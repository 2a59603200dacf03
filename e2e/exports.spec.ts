/**
 * Channel exports end to end: a campaign's approved set exported for amazon-main and
 * instagram-portrait from its page. The dialog shows each file's checks before anything is made (an
 * AI scene is not a main image; a small image is not enlarged unless asked), the zip has a folder per
 * preset, the campaign's names and report.csv; the integrity badge shows on campaign cells, the
 * review view and gallery cards, and the gallery's Flagged filter leaves out intact drafts.
 * Screenshots go to the test's output folder.
 */
import fs from "node:fs";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import sharp from "sharp";

import { productPng } from "../test/support/product-images";
import { zipEntries } from "../test/support/zip-entries";

async function shot(page: Page, testInfo: TestInfo, name: string) {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}

test("a campaign's approved set exported for amazon-main and instagram-portrait", async ({
  page,
  baseURL,
}, testInfo) => {
  test.setTimeout(120_000);
  const origin = baseURL ?? "";
  const upload = await page.request.post("/api/uploads", {
    headers: { origin },
    multipart: { file: { name: "bottle.png", mimeType: "image/png", buffer: await productPng() } },
  });
  expect(upload.ok(), await upload.text()).toBe(true);
  const { key } = (await upload.json()) as { key: string };
  const created = await page.request.post("/api/campaigns", {
    headers: { origin },
    data: {
      name: "E2E Export Set",
      engine: "local",
      base: {
        object: { image_url: `backdrop://files/${key}`, scale: 0.7, position: { x: 0.5, y: 0.45 } },
        scene: { effect: "shadows", color: "#ffffff" },
        output: { number_of_images: 1, format: "png" },
      },
      axes: {
        products: [{ image_url: `backdrop://files/${key}`, name: "Amber bottle" }],
        scenes: [
          { name: "White studio", scene: { effect: "shadows", color: "#ffffff" } },
          { name: "Oak shelf", scene: { prompt: "on an oak shelf, exportset morning light" } },
          { name: "Marble", scene: { prompt: "on a marble counter, exportset glow" } },
        ],
        aspect_ratios: ["1:1"],
      },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { campaign } = (await created.json()) as { campaign: { id: string } };

  await page.goto(`/campaigns/${campaign.id}`);
  await expect(page.locator('[data-campaign-status="done"]')).toBeVisible({ timeout: 60_000 });
  const cells = page.getByTestId("campaign-cell");
  await expect(cells).toHaveCount(3);
  // Each cell, and each output in the review view, says the product is intact (the local engine's
  // drafts place the cutout exactly).
  const reviews = page.getByTestId("output-review");
  for (let i = 0; i < 3; i++) {
    await expect(cells.nth(i).getByTestId("integrity-badge").first()).toHaveAttribute(
      "data-verdict",
      "intact",
    );
    await expect(reviews.nth(i).getByTestId("integrity-badge")).toHaveText("Product intact");
  }

  // Nothing approved yet: the export is not offered.
  const exportButton = page.getByRole("button", { name: "Export approved for channels…" });
  await expect(exportButton).toBeDisabled();

  // Approve two of the three: the white studio and the oak shelf.
  for (const scene of ["White studio", "Oak shelf"]) {
    const output = page.getByRole("row", { name: new RegExp(`^${scene}`) }).getByTestId("output-review");
    await output.getByRole("button", { name: /^Approve/ }).click();
    await expect(output).toHaveAttribute("data-verdict", "approved");
  }
  await shot(page, testInfo, "1-board-badges");

  await exportButton.click();
  const dialog = page.getByTestId("export-dialog");
  await expect(dialog.getByRole("heading", { name: "Export for channels" })).toBeVisible();
  await expect(dialog).toContainText("The 2 approved images of E2E Export Set");
  await dialog.getByRole("checkbox", { name: /Instagram portrait/ }).check();
  const files = dialog.getByTestId("export-file");
  await expect(files).toHaveCount(4);
  // Drafts are about a megapixel: amazon-main's 1600 px are not reached, and nothing is enlarged
  // without being asked.
  const amazonStudio = dialog.locator('[data-name="amazon-main/amber-bottle-white-studio-1x1-1.jpg"]');
  await expect(amazonStudio.locator('[data-check="size"]')).toHaveAttribute("data-status", "fail");
  await expect(amazonStudio).toContainText("It was not enlarged");

  await dialog.getByRole("checkbox", { name: /Enlarge images smaller than a preset/ }).check();
  await expect(amazonStudio.locator('[data-check="size"]')).toHaveAttribute("data-status", "warn");
  for (const id of ["format", "background", "fill", "main_image", "integrity"]) {
    await expect(amazonStudio.locator(`[data-check="${id}"]`)).toHaveAttribute("data-status", "pass");
  }
  const amazonOak = dialog.locator('[data-name="amazon-main/amber-bottle-oak-shelf-1x1-1.jpg"]');
  await expect(amazonOak.locator('[data-check="main_image"]')).toHaveAttribute("data-status", "fail");
  await expect(amazonOak).toContainText("Not a main image: the background is an AI scene");
  await expect(dialog.getByTestId("export-summary")).toHaveText("3 of 4 files pass every check");
  await shot(page, testInfo, "2-export-dialog");

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    dialog.getByRole("button", { name: "Download zip" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^backdrop-export-.*\.zip$/);
  const entries = zipEntries(fs.readFileSync((await download.path()) ?? ""));
  expect(entries.map((e) => e.name)).toEqual([
    "amazon-main/amber-bottle-white-studio-1x1-1.jpg",
    "amazon-main/amber-bottle-oak-shelf-1x1-1.jpg",
    "instagram-portrait/amber-bottle-white-studio-1x1-1.jpg",
    "instagram-portrait/amber-bottle-oak-shelf-1x1-1.jpg",
    "report.csv",
  ]);
  for (const entry of entries.slice(0, 2)) {
    expect(await sharp(entry.bytes).metadata()).toMatchObject({ format: "jpeg", width: 1600, height: 1600 });
  }
  for (const entry of entries.slice(2, 4)) {
    expect(await sharp(entry.bytes).metadata()).toMatchObject({ format: "jpeg", width: 1080, height: 1350 });
  }
  const report = entries.at(-1)!.bytes.toString("utf8").trim().split("\r\n");
  expect(report).toHaveLength(5);
  const header = report[0]!.split(",");
  const rows = report.slice(1).map((line) => line.split(","));
  const column = (name: string) => rows.map((r) => r[header.indexOf(name)]);
  expect(column("file")).toEqual(entries.slice(0, 4).map((e) => e.name));
  expect(column("ok")).toEqual(["true", "false", "true", "true"]);
  expect(column("main_image")).toEqual(["pass", "fail", "", ""]);
  expect(column("integrity")).toEqual(Array(4).fill("intact"));
  await dialog.getByRole("button", { name: "Close" }).last().click();

  // The gallery (this test's prompt scenes only: other tests share it): each card says the product is
  // intact; the Flagged filter leaves them out.
  await page.goto("/gallery?q=exportset");
  const cards = page.getByTestId("generation-card");
  await expect(cards).toHaveCount(2);
  await expect(cards.first().getByTestId("integrity-badge")).toHaveAttribute("data-verdict", "intact");
  await page.getByRole("checkbox", { name: "Flagged" }).check();
  await expect(page).toHaveURL(/flagged=1/);
  await expect(page.getByTestId("gallery-empty")).toBeVisible();
  await page.getByRole("checkbox", { name: "Flagged" }).uncheck();

  // The gallery selection offers the export too.
  await cards.first().getByRole("checkbox").check();
  await page.getByRole("button", { name: "Export for channels…" }).click();
  await expect(page.getByTestId("export-dialog").getByTestId("export-file")).toHaveCount(1);
  await shot(page, testInfo, "3-gallery-export");
});
