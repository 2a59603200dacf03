/**
 * The gallery end to end: generations made through the API show up newest first with server-made
 * thumbnails; filters, the detail view (outputs, exact request as JSON and cURL, timings, errors),
 * favourites, compare with a slider, zip downloads and delete with confirmation, driven by mouse and
 * keyboard. Screenshots go to the test's output folder.
 */
import {
  expect,
  test,
  type APIRequestContext,
  type BrowserContext,
  type Page,
  type TestInfo,
} from "@playwright/test";

import { AUTH_STATE } from "../playwright.config";
import { productPng } from "../test/support/product-images";

const STANDIN = `http://127.0.0.1:${Number(process.env.E2E_STANDIN_PORT ?? 3199)}`;

type Made = { id: string; prompt: string; request: Record<string, unknown> };

test.describe.configure({ mode: "serial" });

let context: BrowserContext;
let page: Page;
const made: Made[] = [];

async function standin(action: string, body: unknown) {
  const answer = await fetch(`${STANDIN}/__standin/${action}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(answer.ok).toBe(true);
}

async function settled(request: APIRequestContext, baseURL: string, id: string) {
  await expect
    .poll(
      async () => {
        const answer = await request.get(`${baseURL}/api/generations/${id}`);
        return ((await answer.json()) as { generation: { status: string } }).generation.status;
      },
      { timeout: 30_000 },
    )
    .toMatch(/succeeded|failed|interrupted/);
}

async function shot(testInfo: TestInfo, name: string) {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: false });
}

function card(prompt: string) {
  return page.getByTestId("generation-card").filter({ has: page.getByText(prompt, { exact: true }) });
}

test.beforeAll(async ({ browser, baseURL }) => {
  context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    storageState: AUTH_STATE.member,
  });
  page = await context.newPage();

  const headers = { origin: baseURL ?? "" };
  const upload = await context.request.post(`${baseURL}/api/uploads`, {
    headers,
    multipart: { file: { name: "product.png", mimeType: "image/png", buffer: await productPng() } },
  });
  expect(upload.ok(), await upload.text()).toBe(true);
  const { key } = (await upload.json()) as { key: string };
  const object = { image_url: `backdrop://files/${key}`, scale: 0.7, position: { x: 0.5, y: 0.45 } };
  const drafts: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ["gallery oak shelf", { prompt: "gallery oak shelf", aspect_ratio: "1:1" }, { format: "png" }],
    [
      "gallery marble counter",
      { prompt: "gallery marble counter", aspect_ratio: "16:9" },
      { format: "jpeg" },
    ],
    [
      "gallery linen backdrop",
      { prompt: "gallery linen backdrop", aspect_ratio: "4:5" },
      { number_of_images: 2, format: "webp" },
    ],
  ];
  for (const [prompt, scene, output] of drafts) {
    const request = { object, scene, output };
    const answer = await context.request.post(`${baseURL}/api/generations`, {
      headers,
      data: { request, engine: "local" },
    });
    expect(answer.status(), await answer.text()).toBe(202);
    made.push({
      id: ((await answer.json()) as { generation: { id: string } }).generation.id,
      prompt,
      request,
    });
  }
  // A paid generation the upstream refuses: the gallery keeps it, with its error.
  await standin("mode", { kind: "status", status: 402, times: 1 });
  const failing = {
    object: { image_url: "https://images.example.com/product.png" },
    scene: { prompt: "gallery refused by upstream" },
  };
  const answer = await context.request.post(`${baseURL}/api/generations`, {
    headers,
    data: { request: failing, engine: "claid" },
  });
  expect(answer.status(), await answer.text()).toBe(202);
  made.push({
    id: ((await answer.json()) as { generation: { id: string } }).generation.id,
    prompt: "gallery refused by upstream",
    request: failing,
  });
  for (const m of made) await settled(context.request, baseURL ?? "", m.id);
  await standin("mode", "ok");
});

test.afterAll(async () => {
  await context?.close();
});

test("shows every generation newest first with server-made thumbnails", async ({ baseURL }, testInfo) => {
  await page.goto("/gallery");
  await expect(page.getByRole("heading", { name: "Gallery" })).toBeAttached();
  for (const m of made) await expect(card(m.prompt)).toBeVisible();
  const order = await page
    .getByTestId("generation-card")
    .evaluateAll((cards) => cards.map((c) => c.getAttribute("data-generation-id")));
  const ours = order.filter((id) => made.some((m) => m.id === id));
  expect(ours).toEqual([...made].reverse().map((m) => m.id));

  const thumb = card("gallery oak shelf").locator("img");
  await expect(thumb).toHaveAttribute("src", /\/api\/files\/[a-f0-9]{64}\.png\/thumb$/);
  await expect
    .poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBeGreaterThan(0);
  expect(
    await thumb.evaluate((img: HTMLImageElement) => Math.max(img.naturalWidth, img.naturalHeight)),
  ).toBeLessThanOrEqual(384);
  const src = (await thumb.getAttribute("src")) ?? "";
  const thumbAnswer = await context.request.get(`${baseURL}${src}`);
  expect(thumbAnswer.headers()["content-type"]).toBe("image/webp");
  await expect(card("gallery refused by upstream").getByText("Failed")).toBeVisible();
  await expect(card("gallery linen backdrop").getByText("2 images")).toBeVisible();
  await shot(testInfo, "gallery-grid");
});

test("filters by prompt text, engine, status and aspect ratio, kept in the URL", async () => {
  await page.goto("/gallery");
  await page.getByLabel("Prompt contains").fill("MARBLE");
  await expect(page).toHaveURL(/q=MARBLE/);
  await expect(card("gallery marble counter")).toBeVisible();
  await expect(card("gallery oak shelf")).toHaveCount(0);

  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page.getByLabel("Prompt contains")).toHaveValue("");
  await page.getByLabel("Engine").selectOption("claid");
  await expect(card("gallery refused by upstream")).toBeVisible();
  await expect(card("gallery oak shelf")).toHaveCount(0);

  await page.getByLabel("Engine").selectOption("");
  await page.getByLabel("Status").selectOption("failed");
  await expect(card("gallery refused by upstream")).toBeVisible();
  await expect(card("gallery linen backdrop")).toHaveCount(0);

  await page.getByLabel("Status").selectOption("");
  await page.getByLabel("Aspect ratio").selectOption("4:5");
  await expect(card("gallery linen backdrop")).toBeVisible();
  await expect(card("gallery marble counter")).toHaveCount(0);

  await expect(page).toHaveURL(/aspect=4%3A5/);
  await page.reload();
  await expect(page.getByLabel("Aspect ratio")).toHaveValue("4:5");
  await expect(card("gallery linen backdrop")).toBeVisible();

  const today = new Date().toISOString().slice(0, 10);
  await page.getByRole("button", { name: "Clear filters" }).click();
  await page.getByLabel("To", { exact: true }).fill("2020-01-01");
  await expect(page.getByTestId("gallery-empty")).toBeVisible();
  await page.getByLabel("To", { exact: true }).fill(today);
  await page.getByLabel("From", { exact: true }).fill(today);
  await expect(card("gallery oak shelf")).toBeVisible();
  await page.getByRole("button", { name: "Clear filters" }).click();
});

test("the detail view shows every output, the exact request as JSON and cURL, timings and errors", async ({
  baseURL,
}, testInfo) => {
  await page.goto("/gallery");
  const linen = made.find((m) => m.prompt === "gallery linen backdrop");
  await card("gallery linen backdrop")
    .getByRole("button", { name: /gallery linen backdrop/ })
    .click();
  const detail = page.getByTestId("generation-detail");
  await expect(detail).toBeVisible();
  await expect(detail.getByTestId("detail-output")).toHaveCount(2);
  expect(JSON.parse((await detail.getByTestId("request-json").textContent()) ?? "{}")).toEqual(
    linen?.request,
  );
  await expect(detail.getByTestId("timings")).toContainText("Engine");
  await expect(detail.getByTestId("timings")).toContainText("Waiting in queue");
  await expect(detail.getByRole("link", { name: "Open in composer" })).toHaveAttribute(
    "href",
    `/?from=${linen?.id}`,
  );
  await shot(testInfo, "gallery-detail");

  await detail.getByRole("tab", { name: "cURL" }).click();
  const curl = (await detail.getByTestId("request-curl").textContent()) ?? "";
  expect(curl).toContain(`${baseURL}/v1/scene/create?engine=local`);
  expect(curl).toContain(`'Authorization: Bearer '"$BACKDROP_TOKEN"`);

  const download = detail.getByRole("link", { name: "Download", exact: true }).first();
  const saved = await context.request.get(`${baseURL}${await download.getAttribute("href")}`);
  expect(saved.headers()["content-disposition"]).toBe(
    'attachment; filename="gallery-linen-backdrop-4x5-1.webp"',
  );
  expect(saved.headers()["x-content-type-options"]).toBe("nosniff");

  await detail.getByRole("button", { name: "Compare outputs" }).click();
  await expect(page.getByTestId("compare-slider")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(detail).toBeHidden();

  await card("gallery refused by upstream")
    .getByRole("button", { name: /gallery refused/ })
    .click();
  await expect(page.getByTestId("generation-error")).toContainText("billing");
  await shot(testInfo, "gallery-detail-error");
  await page.keyboard.press("Escape");
});

test("favourites from the keyboard, and the favourites filter", async () => {
  await page.goto("/gallery");
  const star = card("gallery oak shelf").getByRole("button", { name: "Add to favourites" });
  await star.focus();
  await page.keyboard.press("Enter");
  await expect(
    card("gallery oak shelf").getByRole("button", { name: "Remove from favourites" }),
  ).toHaveAttribute("aria-pressed", "true");
  await page.getByRole("checkbox", { name: "Favourites" }).check();
  await expect(card("gallery oak shelf")).toBeVisible();
  await expect(page.getByTestId("generation-card")).toHaveCount(1);
  await page.reload();
  await expect(page.getByTestId("generation-card")).toHaveCount(1);
  await page.getByRole("checkbox", { name: "Favourites" }).uncheck();
});

test("compares two selected generations with a slider and downloads the selection as a zip", async ({
  baseURL,
}, testInfo) => {
  await page.goto("/gallery");
  await card("gallery oak shelf")
    .getByLabel(/Select/)
    .check();
  await card("gallery marble counter")
    .getByLabel(/Select/)
    .check();
  await expect(page.getByTestId("selection-count")).toHaveText("2 selected");

  const zipLink = page.getByRole("link", { name: "Download selection (zip)" });
  const zip = await context.request.get(`${baseURL}${await zipLink.getAttribute("href")}`);
  expect(zip.headers()["content-type"]).toBe("application/zip");
  const bytes = await zip.body();
  expect(bytes.subarray(0, 2).toString("latin1")).toBe("PK");
  expect(bytes.toString("latin1")).toContain("request.json");

  await page.getByRole("button", { name: "Compare" }).click();
  const slider = page.getByRole("slider", { name: "Compare position" });
  await expect(slider).toBeVisible();
  await slider.focus();
  for (let i = 0; i < 20; i++) await page.keyboard.press("ArrowLeft");
  await expect(slider).toHaveValue("30");
  const clip = await page
    .getByTestId("compare-slider")
    .locator("img")
    .nth(1)
    .evaluate((img) => (img as HTMLElement).style.clipPath);
  expect(clip).toBe("inset(0px 70% 0px 0px)");
  await shot(testInfo, "gallery-compare");
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Clear selection" }).click();
});

test("deletes with confirmation and removes files nothing else references", async ({ baseURL }) => {
  await page.goto("/gallery");
  await card("gallery marble counter")
    .getByRole("button", { name: /gallery marble counter/ })
    .click();
  const detail = page.getByTestId("generation-detail");
  const imageHref =
    (await detail.getByTestId("detail-output").locator("a").first().getAttribute("href")) ?? "";
  expect((await context.request.get(`${baseURL}${imageHref}`)).status()).toBe(200);

  await detail.getByRole("button", { name: "Delete…" }).click();
  const confirm = page.getByTestId("confirm-delete");
  await expect(confirm.getByRole("heading", { name: "Delete this generation?" })).toBeVisible();
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(card("gallery marble counter")).toBeVisible();

  await detail.getByRole("button", { name: "Delete…" }).click();
  await confirm.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(card("gallery marble counter")).toHaveCount(0);
  await expect(page.getByRole("status")).toHaveText("Generation deleted");
  expect((await context.request.get(`${baseURL}${imageHref}`)).status()).toBe(404);
});

test("a viewer browses and downloads but cannot favourite or delete", async ({ browser }) => {
  const viewer = await browser.newContext({ storageState: AUTH_STATE.viewer });
  const view = await viewer.newPage();
  await view.goto("/gallery");
  const oak = view
    .getByTestId("generation-card")
    .filter({ has: view.getByText("gallery oak shelf", { exact: true }) });
  await expect(oak).toBeVisible();
  await expect(oak.getByRole("button", { name: /favourites/ })).toHaveCount(0);
  await oak.getByRole("button", { name: /gallery oak shelf/ }).click();
  const detail = view.getByTestId("generation-detail");
  await expect(detail.getByRole("link", { name: "Download all (zip)" })).toBeVisible();
  await expect(detail.getByRole("button", { name: "Delete…" })).toHaveCount(0);
  const id = made.find((m) => m.prompt === "gallery oak shelf")?.id ?? "";
  const refused = await viewer.request.delete(`/api/generations/${id}`, {
    headers: { origin: new URL(view.url()).origin },
  });
  expect(refused.status()).toBe(403);
  await viewer.close();
});
