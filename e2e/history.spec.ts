/**
 * Nothing is lost when the browser goes away: a tab that starts a generation and is closed before the
 * result arrives still finds it in the gallery, both for the studio's queued generations and for an
 * API client's synchronous call that hangs up.
 */
import { expect, test } from "@playwright/test";

import { AUTH_STATE } from "../playwright.config";

const STANDIN = `http://127.0.0.1:${Number(process.env.E2E_STANDIN_PORT ?? 3199)}`;

async function standinOptions(options: Record<string, unknown>) {
  const answer = await fetch(`${STANDIN}/__standin/options`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(options),
  });
  expect(answer.ok).toBe(true);
}

async function sceneCalls(): Promise<number> {
  const calls = (await (await fetch(`${STANDIN}/__standin/calls`)).json()) as { path: string }[];
  return calls.filter((c) => c.path === "/v1/scene/create").length;
}

test.afterEach(async () => {
  await standinOptions({ delayMs: 0 });
});

for (const path of ["queued", "synchronous"] as const) {
  test(`a tab closed mid-run still gets its result into the gallery (${path})`, async ({
    browser,
  }, testInfo) => {
    const context = await browser.newContext({ storageState: AUTH_STATE.member });
    const prompt = `closed tab ${path} ${Date.now()}`;
    await standinOptions({ delayMs: 4000 });
    const before = await sceneCalls();

    const tab = await context.newPage();
    await tab.goto("/gallery");
    await tab.evaluate(
      ({ prompt, path }) => {
        const request = {
          object: { image_url: "https://images.example.com/product.png" },
          scene: { prompt },
        };
        // Not awaited: the tab goes away while the upstream is still working.
        void fetch(path === "queued" ? "/api/generations" : "/v1/scene/create?engine=claid", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(path === "queued" ? { request, engine: "claid" } : request),
        });
      },
      { prompt, path },
    );
    await expect.poll(sceneCalls, { timeout: 15_000 }).toBeGreaterThan(before);
    await tab.close();

    const later = await context.newPage();
    await later.goto(`/gallery?q=${encodeURIComponent(prompt)}`);
    const card = later
      .getByTestId("generation-card")
      .filter({ has: later.getByText(prompt, { exact: true }) });
    await expect(card).toBeVisible();
    // The grid refreshes itself while work is in progress: no reload needed.
    await expect(card.getByText("Done")).toBeVisible({ timeout: 30_000 });
    await expect(card.locator("img")).toHaveAttribute("src", /\/thumb$/);
    await later.screenshot({ path: testInfo.outputPath(`closed-tab-${path}.png`) });
    await context.close();
  });
}
