/**
 * What each role sees: the header's links, pages refused in place under the header with a way on,
 * where signing in lands, and the Copy buttons next to secrets shown once.
 */
import { expect, test, type Page } from "@playwright/test";

import { AUTH_STATE, E2E_USERS } from "../playwright.config";
import { seedDrafts } from "./support/seed";

async function navLinks(page: Page): Promise<string[]> {
  return page.getByRole("navigation", { name: "Main" }).getByRole("link").allTextContents();
}

test.describe("viewer", () => {
  test.use({ storageState: AUTH_STATE.viewer });

  test("sees Gallery, Campaigns and their tokens, never Composer, Settings or Open in composer", async ({
    page,
    browser,
    baseURL,
  }, testInfo) => {
    // Something in the gallery to open, made by a member.
    const member = await browser.newContext({ baseURL, storageState: AUTH_STATE.member });
    await seedDrafts(member.request, baseURL!, [["roles viewer sees this", "1:1"]]);
    await member.close();

    await page.goto("/gallery");
    expect(await navLinks(page)).toEqual(["Gallery", "Campaigns", "Access tokens"]);
    await expect(page.getByTestId("signed-in-as")).toContainText("Viewer");
    await page
      .getByTestId("generation-card")
      .filter({ has: page.getByText("roles viewer sees this", { exact: true }) })
      .getByRole("button", { name: /roles viewer sees this/ })
      .click();
    const detail = page.getByTestId("generation-detail");
    await expect(detail.getByRole("link", { name: "Download all (zip)" })).toBeVisible();
    await expect(detail.getByRole("link", { name: "Open in composer" })).toHaveCount(0);
    await page.screenshot({ path: testInfo.outputPath("viewer-gallery-detail.png") });
    await page.keyboard.press("Escape");

    // The composer's address: refused in place, with the header and a way on.
    await page.goto("/");
    await expect(page).toHaveURL(`${baseURL}/`);
    const refusal = page.getByTestId("not-available");
    await expect(refusal.getByRole("heading", { name: "This page is not available to you" })).toBeVisible();
    await expect(refusal).toContainText(E2E_USERS.viewer.email);
    expect(await navLinks(page)).toEqual(["Gallery", "Campaigns", "Access tokens"]);
    await page.screenshot({ path: testInfo.outputPath("viewer-composer-refused.png") });
    await refusal.getByRole("link", { name: "Go to the gallery" }).click();
    await expect(page).toHaveURL(/\/gallery$/);

    await page.goto("/settings");
    await expect(refusal).toContainText("Settings (people, roles, budgets");
    expect(await navLinks(page)).toEqual(["Gallery", "Campaigns", "Access tokens"]);
    await page.screenshot({ path: testInfo.outputPath("viewer-settings-refused.png") });

    await page.goto("/settings/tokens");
    await expect(page.getByRole("heading", { name: "Access tokens", exact: true })).toBeVisible();
    await expect(
      page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Access tokens" }),
    ).toHaveAttribute("aria-current", "page");
  });
});

test.describe("signing in", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("a viewer who signs in from the composer's address lands on the gallery", async ({
    page,
    baseURL,
  }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/sign-in\?next=%2F$/);
    await page.getByLabel("Email").fill(E2E_USERS.viewer.email);
    await page.getByLabel("Password").fill(E2E_USERS.viewer.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(`${baseURL}/gallery`);
    await expect(page.getByTestId("not-available")).toHaveCount(0);
  });

  test("a viewer who signs in from a page they may open goes back to it", async ({ page, baseURL }) => {
    await page.goto("/settings/tokens");
    await expect(page).toHaveURL(/\/sign-in\?next=/);
    await page.getByLabel("Email").fill(E2E_USERS.viewer.email);
    await page.getByLabel("Password").fill(E2E_USERS.viewer.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(`${baseURL}/settings/tokens`);
  });

  test("a member who signs in from Settings lands on the composer", async ({ page, baseURL }) => {
    await page.goto("/settings");
    await page.getByLabel("Email").fill(E2E_USERS.member.email);
    await page.getByLabel("Password").fill(E2E_USERS.member.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(`${baseURL}/`);
  });
});

test.describe("member", () => {
  test.use({ storageState: AUTH_STATE.member });

  test("sees Composer, Gallery, Campaigns and their tokens, and no admin Settings", async ({
    page,
  }, testInfo) => {
    await page.goto("/gallery");
    expect(await navLinks(page)).toEqual(["Composer", "Gallery", "Campaigns", "Access tokens"]);
    await page.goto("/settings");
    const refusal = page.getByTestId("not-available");
    await expect(refusal).toContainText("Settings (people, roles, budgets");
    expect(await navLinks(page)).toEqual(["Composer", "Gallery", "Campaigns", "Access tokens"]);
    await page.screenshot({ path: testInfo.outputPath("member-settings-refused.png") });
    await refusal.getByRole("link", { name: "Go to the composer" }).click();
    await expect(page.getByRole("heading", { name: "Composer" })).toBeAttached();
  });

  test("a new token has a Copy button that copies exactly the token", async ({ page, context, baseURL }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL! });
    await page.goto("/settings/tokens");
    await page.getByLabel("Name").fill("copied token");
    await page.getByRole("button", { name: "Create token" }).click();
    const token = (await page.getByTestId("new-token").textContent())?.trim() ?? "";
    expect(token).toMatch(/^bd_/);
    await page.getByRole("button", { name: "Copy the token" }).click();
    await expect(page.getByRole("button", { name: "Copy the token" })).toHaveText("Copied");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await page.getByRole("button", { name: "Copy the example commands" }).click();
    const example = await page.evaluate(() => navigator.clipboard.readText());
    expect(example).toContain(`export BACKDROP_TOKEN=${token}`);
    expect(example).toContain('-H "Authorization: Bearer $BACKDROP_TOKEN"');
    await page.getByRole("button", { name: "Revoke copied token" }).click();
  });
});

test.describe("admin", () => {
  test.use({ storageState: AUTH_STATE.admin });

  test("sees Settings, and a temporary password has a Copy button", async ({
    page,
    context,
    baseURL,
  }, testInfo) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL! });
    await page.goto("/settings");
    expect(await navLinks(page)).toEqual(["Composer", "Gallery", "Campaigns", "Settings", "Access tokens"]);
    await page.getByLabel("Name", { exact: true }).fill("Copy Person");
    await page.getByLabel("Email", { exact: true }).fill(`copy-${Date.now()}@example.com`);
    await page.getByRole("button", { name: "Add", exact: true }).click();
    const notice = page.getByTestId("members-notice");
    const password = /temporary password (\S+) \(shown once\)/.exec((await notice.textContent()) ?? "")?.[1];
    expect(password).toBeTruthy();
    await notice.getByRole("button", { name: "Copy the temporary password" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(password);
    await page.screenshot({ path: testInfo.outputPath("admin-settings-copy.png") });
  });
});
