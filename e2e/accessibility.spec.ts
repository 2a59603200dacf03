/**
 * axe on every page, signed out and signed in as each role (refused pages included), and on the
 * gallery's dialogs: no serious or critical finding. A screenshot of each at 1440 × 900 goes to the
 * test's output folder.
 */
import { expect, test, type Browser, type Page, type TestInfo } from "@playwright/test";
import axeCore from "axe-core";

import { AUTH_STATE } from "../playwright.config";
import { seedDrafts, seedFailures } from "./support/seed";

type Violation = { id: string; impact: string | null; help: string; nodes: { target: unknown }[] };

async function seriousFindings(page: Page, testInfo: TestInfo, name: string): Promise<string[]> {
  await page.addScriptTag({ content: axeCore.source });
  const violations = await page.evaluate(async () => {
    // axe is injected above; its types are not part of the page.
    const axe = (window as unknown as { axe: { run: (c: Document) => Promise<{ violations: Violation[] }> } })
      .axe;
    return (await axe.run(document)).violations;
  });
  await testInfo.attach(`axe-${name}.json`, {
    body: JSON.stringify(violations, null, 2),
    contentType: "application/json",
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${name}: ${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")})`);
}

const PAGES: Record<"anonymous" | "viewer" | "member" | "admin", string[]> = {
  anonymous: ["/sign-in"],
  viewer: ["/gallery", "/settings/tokens", "/", "/settings"],
  member: ["/", "/gallery", "/settings/tokens", "/settings"],
  admin: ["/", "/gallery", "/settings", "/settings/tokens"],
};

async function contextFor(browser: Browser, baseURL: string, who: keyof typeof PAGES) {
  // axe is injected as an inline script, which the pages' nonce-based CSP would otherwise refuse.
  return browser.newContext({
    baseURL,
    viewport: { width: 1440, height: 900 },
    bypassCSP: true,
    storageState: who === "anonymous" ? { cookies: [], origins: [] } : AUTH_STATE[who],
  });
}

/** The page settled: fonts, images and the gallery's first page in. */
async function settle(page: Page) {
  // An event stream left open (work in progress) would keep the network busy: settle or move on.
  await page.waitForLoadState("networkidle", { timeout: 10_000 }).catch(() => undefined);
  await page.evaluate(() => document.fonts.ready);
}

test.beforeAll(async ({ browser, baseURL }) => {
  // A gallery with a draft of each shape and a failure, so the cards and badges are all on screen.
  const member = await browser.newContext({ baseURL, storageState: AUTH_STATE.member });
  await seedDrafts(member.request, baseURL!, [
    ["axe marble counter", "1:1"],
    ["axe linen drape", "9:16", { format: "png", number_of_images: 2 }],
  ]);
  await seedFailures(member.request, baseURL!, ["axe refused"]);
  await member.close();
});

for (const who of Object.keys(PAGES) as (keyof typeof PAGES)[]) {
  test(`every page, ${who}: no serious or critical axe finding`, async ({ browser, baseURL }, testInfo) => {
    const context = await contextFor(browser, baseURL!, who);
    const page = await context.newPage();
    const findings: string[] = [];
    for (const path of PAGES[who]) {
      await page.goto(path);
      await settle(page);
      const name = `${who}${path === "/" ? "-composer" : path.replaceAll("/", "-")}`;
      await page.screenshot({ path: testInfo.outputPath(`${name}.png`) });
      findings.push(...(await seriousFindings(page, testInfo, name)));
    }
    await context.close();
    expect(findings).toEqual([]);
  });
}

test("the gallery's dialogs, member: no serious or critical axe finding", async ({
  browser,
  baseURL,
}, testInfo) => {
  const context = await contextFor(browser, baseURL!, "member");
  const page = await context.newPage();
  const findings: string[] = [];
  await page.goto("/gallery?q=axe");
  const card = (text: string) =>
    page.getByTestId("generation-card").filter({ has: page.getByText(text, { exact: true }) });
  await card("axe linen drape")
    .getByRole("button", { name: /axe linen drape/ })
    .click();
  await expect(page.getByTestId("generation-detail")).toBeVisible();
  await settle(page);
  await page.screenshot({ path: testInfo.outputPath("member-gallery-detail.png") });
  findings.push(...(await seriousFindings(page, testInfo, "gallery-detail")));
  await page.keyboard.press("Escape");

  await card("axe refused")
    .getByRole("button", { name: /axe refused/ })
    .click();
  await expect(page.getByTestId("generation-error")).toBeVisible();
  findings.push(...(await seriousFindings(page, testInfo, "gallery-detail-error")));
  await page.keyboard.press("Escape");

  await card("axe marble counter")
    .getByLabel(/Select/)
    .check();
  await card("axe linen drape")
    .getByLabel(/Select/)
    .check();
  await page.getByRole("button", { name: "Compare", exact: true }).click();
  await expect(page.getByTestId("compare-slider")).toBeVisible();
  await settle(page);
  await page.screenshot({ path: testInfo.outputPath("member-gallery-compare.png") });
  findings.push(...(await seriousFindings(page, testInfo, "gallery-compare")));
  await context.close();
  expect(findings).toEqual([]);
});
