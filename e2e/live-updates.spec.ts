/**
 * Results and gallery follow generations by one event stream per page; polling takes over only while
 * the stream is down, or when `?updates=poll` asks for it. Checked from the requests the page makes.
 */
import { expect, test, type Page, type Request } from "@playwright/test";

import { productPng } from "../test/support/product-images";

const STANDIN = `http://127.0.0.1:${Number(process.env.E2E_STANDIN_PORT ?? 3199)}`;

async function standinOptions(options: Record<string, unknown>) {
  const answer = await fetch(`${STANDIN}/__standin/options`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(options),
  });
  expect(answer.ok).toBe(true);
}

/** Every request the page makes to the generations API, by kind. */
function watchRequests(page: Page) {
  const seen: Request[] = [];
  page.on("request", (r) => {
    if (new URL(r.url()).pathname.startsWith("/api/generations")) seen.push(r);
  });
  const paths = () => seen.map((r) => new URL(r.url()));
  return {
    streams: () => paths().filter((u) => u.pathname === "/api/generations/events"),
    reads: (id: string) => paths().filter((u) => u.pathname === `/api/generations/${id}`),
    lists: () => paths().filter((u) => u.pathname === "/api/generations" && u.search !== ""),
  };
}

async function generateDraft(page: Page): Promise<string> {
  await page
    .getByTestId("product-file")
    .setInputFiles({ name: "product.png", mimeType: "image/png", buffer: await productPng() });
  // A prompt scene needs its words before it can generate.
  await page.getByLabel("Describe the scene", { exact: true }).fill("on a light oak table");
  await expect(page.getByTestId("generate")).toBeEnabled();
  const created = page.waitForResponse(
    (r) => r.url().endsWith("/api/generations") && r.request().method() === "POST",
  );
  await page.getByTestId("generate").click();
  const { generation } = (await (await created).json()) as { generation: { id: string } };
  const card = page.getByTestId("generation").first();
  await expect(card).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
  await expect(card.getByTestId("result-image")).toHaveCount(1);
  return generation.id;
}

test.describe("the composer's results", () => {
  test.afterEach(async ({ page }) => {
    await page.evaluate(() => window.localStorage.clear());
  });

  test("arrive by the page's event stream, with no polling", async ({ page }) => {
    const requests = watchRequests(page);
    await page.goto("/");
    const id = await generateDraft(page);
    expect(requests.streams().map((u) => u.searchParams.getAll("id"))).toContainEqual([id]);
    // The POST's answer seeded the card; the stream did the rest.
    expect(requests.reads(id)).toHaveLength(0);
  });

  test("are polled when the stream cannot be opened", async ({ page }) => {
    const requests = watchRequests(page);
    await page.route("**/api/generations/events?**", (route) => route.abort("connectionreset"));
    await page.goto("/");
    const id = await generateDraft(page);
    expect(requests.streams().length).toBeGreaterThan(0);
    expect(requests.reads(id).length).toBeGreaterThan(0);
  });

  test("are polled, with no stream at all, under ?updates=poll", async ({ page }) => {
    const requests = watchRequests(page);
    await page.goto("/?updates=poll");
    const id = await generateDraft(page);
    expect(requests.streams()).toHaveLength(0);
    expect(requests.reads(id).length).toBeGreaterThan(0);
  });
});

test.describe("the gallery", () => {
  test.afterEach(async () => {
    await standinOptions({ delayMs: 0 });
  });

  for (const mode of ["push", "stream refused", "?updates=poll"] as const) {
    test(`shows work in progress finishing without a reload (${mode})`, async ({ page }) => {
      const requests = watchRequests(page);
      if (mode === "stream refused")
        await page.route("**/api/generations/events?**", (route) => route.abort("connectionreset"));
      await standinOptions({ delayMs: 3000 });
      const prompt = `live gallery ${mode} ${Date.now()}`;
      const origin = new URL(test.info().project.use.baseURL ?? "").origin;
      const created = await page.request.post("/api/generations", {
        headers: { origin },
        data: {
          request: { object: { image_url: "https://images.example.com/product.png" }, scene: { prompt } },
          engine: "claid",
        },
      });
      expect(created.status()).toBe(202);
      const { generation } = (await created.json()) as { generation: { id: string } };

      await page.goto(
        `/gallery?q=${encodeURIComponent(prompt)}${mode === "?updates=poll" ? "&updates=poll" : ""}`,
      );
      const card = page
        .getByTestId("generation-card")
        .filter({ has: page.getByText(prompt, { exact: true }) });
      await expect(card).toBeVisible();
      await expect(card.getByText("Done")).toBeVisible({ timeout: 30_000 });

      const streamed = requests.streams().map((u) => u.searchParams.getAll("id"));
      if (mode === "push") {
        expect(streamed).toContainEqual([generation.id]);
        // The first page, and once more when the generation settled (it may leave a filtered list).
        expect(requests.lists().length).toBeLessThanOrEqual(2);
      } else {
        expect(streamed.length > 0).toBe(mode === "stream refused");
        expect(requests.lists().length).toBeGreaterThan(1);
      }
    });
  }
});
