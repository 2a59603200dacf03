/**
 * Product intake end to end: a JPEG shot on white gets its background removed in the product slot and
 * the draft shows the product without its white box; remote images named by a request preview on the
 * canvas through the server's own copy, and every image that cannot be read is listed before Generate.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type BrowserContext, type Page, type TestInfo } from "@playwright/test";
import sharp from "sharp";

import { CANVAS_HANDLE_SCRIPT } from "../test/support/canvas-handle";
import { busyPhoto } from "../test/support/photos/busy-photos";
import { ON_WHITE, PRODUCT, productOnWhiteJpeg, productPng } from "../test/support/product-images";

test.describe.configure({ mode: "serial" });

let context: BrowserContext;
let page: Page;
let remote: http.Server;
let remoteUrl: string;
const files: Record<string, Buffer> = {};

type Body = { object: { image_url: string }; scene: Record<string, unknown>; output?: unknown };

async function requestBody(): Promise<Body> {
  return JSON.parse((await page.getByTestId("request-json").textContent()) ?? "{}") as Body;
}

async function importJson(request: unknown) {
  await page.getByRole("button", { name: "Import JSON" }).click();
  await page.getByLabel("Paste a scene/create request body").fill(JSON.stringify(request));
  await page.getByRole("button", { name: "Load into composer" }).click();
}

async function screenshot(testInfo: TestInfo, name: string) {
  await page.waitForTimeout(150);
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

function productNode() {
  return page.evaluate(() => {
    const stage = window.__backdropStage;
    const node = stage?.findOne(".product");
    if (!node) return null;
    return {
      width: node.width(),
      height: node.height(),
      checker: Boolean(stage?.findOne(".product-checker")),
      outline: Boolean(stage?.findOne(".product-outline")),
    };
  });
}

/** Generates a draft and answers its first output's pixels. */
async function draft(): Promise<{ data: Buffer; width: number; height: number; channels: number }> {
  const created = page.waitForResponse(
    (r) => r.url().endsWith("/api/generations") && r.request().method() === "POST",
  );
  await page.getByTestId("generate").click();
  const { generation } = (await (await created).json()) as { generation: { id: string } };
  const card = page.getByTestId("generation").first();
  await expect(card).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });
  const record = (await (await page.request.get(`/api/generations/${generation.id}`)).json()) as {
    generation: { outputs: { url: string }[] };
  };
  const png = Buffer.from(await (await page.request.get(record.generation.outputs[0]!.url)).body());
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** The share of an image that is (nearly) pure white: the box a photo on white was shot in. */
function whiteShare(image: { data: Buffer; width: number; height: number; channels: number }): number {
  let white = 0;
  for (let i = 0; i < image.data.length; i += image.channels) {
    if (image.data[i]! > 245 && image.data[i + 1]! > 245 && image.data[i + 2]! > 245) white++;
  }
  return white / (image.width * image.height);
}

test.beforeAll(async ({ browser }, testInfo) => {
  files.onWhite = await productOnWhiteJpeg();
  files.cutout = await productPng();
  files.busy = await busyPhoto("bricks", 480, 360);
  // A loopback "internet" the server imports from (the app runs with ALLOW_LOOPBACK_FETCH).
  remote = http.createServer((req, res) => {
    if (req.url === "/products/red.png") {
      res.writeHead(200, { "content-type": "image/png", "content-length": files.cutout!.byteLength });
      res.end(files.cutout);
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  });
  await new Promise<void>((resolve) => remote.listen(0, "127.0.0.1", resolve));
  remoteUrl = `http://127.0.0.1:${(remote.address() as AddressInfo).port}`;

  context = await browser.newContext({
    baseURL: testInfo.project.use.baseURL!,
    viewport: { width: 1440, height: 900 },
    storageState: testInfo.project.use.storageState,
  });
  await context.addInitScript({ content: CANVAS_HANDLE_SCRIPT });
  page = await context.newPage();
  await page.goto("/");
  await page.evaluate(() => window.localStorage.clear());
  await page.reload();
});

test.afterAll(async () => {
  await context?.close();
  await new Promise<void>((resolve) => (remote ? remote.close(() => resolve()) : resolve()));
});

test("a JPEG on white: Remove background → Draft shows the product without its box", async ({}, testInfo) => {
  await page
    .getByTestId("product-file")
    .setInputFiles({ name: "on-white.jpg", mimeType: "image/jpeg", buffer: files.onWhite! });
  await expect(page.getByTestId("product-size")).toHaveText(`${ON_WHITE.width} × ${ON_WHITE.height}`);
  await page.waitForFunction(() => Boolean(window.__backdropStage?.findOne(".product")));
  // Without transparency the whole rectangle is the product: outlined so it shows on a white frame.
  expect(await productNode()).toMatchObject({
    width: ON_WHITE.width,
    height: ON_WHITE.height,
    outline: true,
  });
  const original = (await requestBody()).object.image_url;
  await importJson({
    object: { image_url: original },
    scene: { effect: "shadows", color: "#ffcc00" },
    output: { number_of_images: 1, format: "png" },
  });
  const withBox = await draft();
  expect(whiteShare(withBox)).toBeGreaterThan(0.05);
  await screenshot(testInfo, "intake-1-photo-on-white");

  await page.getByTestId("remove-background-local").click();
  await expect(page.getByTestId("background-removed")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("background-removed")).toContainText("Draft cutout");
  // The product is now the cutout, a new upload; its box was measured on the cutout.
  const cut = (await requestBody()).object.image_url;
  expect(cut).toMatch(/^backdrop:\/\/files\/[0-9a-f]{64}\.png$/);
  expect(cut).not.toBe(original);
  await expect.poll(productNode).toMatchObject({ checker: true, outline: false });
  const node = (await productNode())!;
  expect(Math.abs(node.width - ON_WHITE.box.width)).toBeLessThanOrEqual(3);
  expect(Math.abs(node.height - ON_WHITE.box.height)).toBeLessThanOrEqual(3);
  await screenshot(testInfo, "intake-2-cutout-before-after");

  const withoutBox = await draft();
  expect(whiteShare(withoutBox)).toBeLessThan(0.002);
  await screenshot(testInfo, "intake-3-draft-without-box");

  // Undo gives the original back.
  await page.getByTestId("undo-background-removal").click();
  await expect.poll(async () => (await requestBody()).object.image_url).toBe(original);
  await expect(page.getByTestId("product-size")).toHaveText(`${ON_WHITE.width} × ${ON_WHITE.height}`);
});

test("a busy background: the draft cutout says it cannot and offers Claid, at its cost, which cuts it out", async ({}, testInfo) => {
  await page
    .getByTestId("product-file")
    .setInputFiles({ name: "busy.jpg", mimeType: "image/jpeg", buffer: files.busy! });
  await expect(page.getByTestId("product-size")).toHaveText("480 × 360");
  const original = (await requestBody()).object.image_url;
  const claid = page.getByTestId("remove-background-claid");
  // What it costs, from the server's settings (CLAID_IMAGE_EDIT_UNITS, 1 unless set).
  await expect(claid).toHaveText("Claid · 1 of your daily Claid images");
  await page.getByTestId("remove-background-local").click();
  await expect(page.getByTestId("background-removal-error")).toContainText(/Claid/);
  expect((await requestBody()).object.image_url).toBe(original);
  await screenshot(testInfo, "intake-busy-offers-claid");

  await claid.click();
  await expect(page.getByTestId("background-removed")).toContainText("Claid cutout", { timeout: 30_000 });
  const cut = (await requestBody()).object.image_url;
  expect(cut).toMatch(/^backdrop:\/\/files\/[0-9a-f]{64}\.png$/);
  expect(cut).not.toBe(original);
  await expect.poll(productNode).toMatchObject({ checker: true });
  await page.getByTestId("undo-background-removal").click();
  await expect.poll(async () => (await requestBody()).object.image_url).toBe(original);
});

test("a request naming a remote image previews it through our own copy", async ({}, testInfo) => {
  const url = `${remoteUrl}/products/red.png`;
  await importJson({
    object: { image_url: url },
    scene: { effect: "shadows", color: "#dddddd" },
    output: { number_of_images: 1 },
  });
  await expect(page.getByTestId("product-size")).toHaveText(`${PRODUCT.width} × ${PRODUCT.height}`);
  await page.waitForFunction(() => Boolean(window.__backdropStage?.findOne(".product")));
  // The canvas draws the server's copy (the page's CSP allows images from itself only)…
  await expect(page.locator("[data-slot=product] img").first()).toHaveAttribute("src", /^\/api\/files\//);
  // …the request still names the URL as typed, and the product is measured: its object box.
  expect((await requestBody()).object.image_url).toBe(url);
  expect(await productNode()).toMatchObject({
    width: PRODUCT.box.width,
    height: PRODUCT.box.height,
    checker: true,
  });
  await expect(page.getByTestId("generate")).toBeEnabled();
  await screenshot(testInfo, "intake-4-remote-preview");
});

test("a generation opened with ?from= that names a remote image previews it too", async () => {
  const url = `${remoteUrl}/products/red.png`;
  const created = await page.request.post("/api/generations", {
    data: {
      request: { object: { image_url: url }, scene: { effect: "shadows", color: "#cccccc" } },
      engine: "local",
    },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(created.status()).toBe(202);
  const { generation } = (await created.json()) as { generation: { id: string } };
  await page.goto(`/?from=${generation.id}`);
  // The generation's own request, not the draft the page restored (its colour tells them apart).
  await expect
    .poll(async () => {
      const body = await requestBody();
      return [body.object.image_url, body.scene.color];
    })
    .toEqual([url, "#cccccc"]);
  await expect(page.getByTestId("product-size")).toHaveText(`${PRODUCT.width} × ${PRODUCT.height}`);
  await expect(page.locator("[data-slot=product] img").first()).toHaveAttribute("src", /^\/api\/files\//);
  await page.waitForFunction(() => Boolean(window.__backdropStage?.findOne(".product")));
  expect(await productNode()).toMatchObject({ width: PRODUCT.box.width, height: PRODUCT.box.height });
});

test("every image that cannot be read is listed before Generate, each with its field", async ({}, testInfo) => {
  await importJson({
    object: { image_url: `${remoteUrl}/products/missing.png` },
    scene: { template_url: `${remoteUrl}/rooms/gone.jpg`, view: "front" },
  });
  const checks = page.getByTestId("image-checks");
  await expect(checks.locator("[data-field='object.image_url']")).toContainText(/could not|404/i);
  await expect(checks.locator("[data-field='scene.template_url']")).toContainText(/could not|404/i);
  await expect(page.getByTestId("generate")).toBeDisabled();
  // Each is said once under Generate, with nothing else to wait for.
  const panel = page.getByTestId("generate-panel");
  await expect(panel.getByText(/could not be fetched/)).toHaveCount(2);
  await expect(panel.getByText("Checking the request…")).toHaveCount(0);
  await screenshot(testInfo, "intake-5-image-checks");
});

test("a pasted image address previews; a failed import keeps what was typed", async () => {
  const productSlot = page.locator("[data-slot=product]");
  await productSlot.getByRole("button", { name: "Import URL" }).click();
  const field = productSlot.getByLabel("Product image URL");
  await field.fill(`${remoteUrl}/products/nowhere.png`);
  await productSlot.getByRole("button", { name: "Import", exact: true }).click();
  await expect(productSlot.getByRole("alert")).toBeVisible();
  await expect(field).toHaveValue(`${remoteUrl}/products/nowhere.png`);

  await page.getByTestId("canvas").click({ position: { x: 8, y: 8 } });
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData("text/plain", text);
    document.body.dispatchEvent(
      new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }),
    );
  }, `${remoteUrl}/products/red.png`);
  await expect(page.getByTestId("product-size")).toHaveText(`${PRODUCT.width} × ${PRODUCT.height}`);
  expect((await requestBody()).object.image_url).toMatch(/^backdrop:\/\/files\//);
});
