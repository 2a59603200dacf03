/**
 * Runs first on the fresh install the e2e server starts with: the first visit creates the admin
 * through the sign-in page, the admin adds a member and a viewer, and each one's session is saved
 * for the specs (members by default).
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test as setup, type Browser } from "@playwright/test";

import { AUTH_STATE, E2E_USERS } from "../playwright.config";

async function signInAndSave(browser: Browser, baseURL: string, who: keyof typeof E2E_USERS) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(E2E_USERS[who].email);
  await page.getByLabel("Password").fill(E2E_USERS[who].password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((url) => url.pathname !== "/sign-in");
  await context.storageState({ path: AUTH_STATE[who] });
  await context.close();
}

setup(
  "the first visit creates the admin; the admin adds a member and a viewer",
  async ({ page, browser, baseURL }) => {
    fs.mkdirSync(path.dirname(AUTH_STATE.admin), { recursive: true });
    const origin = baseURL!;

    await page.goto("/");
    await expect(page).toHaveURL(/\/sign-in/);
    await expect(page.getByRole("heading", { name: "Create the first admin" })).toBeVisible();
    await page.getByLabel("Your name").fill(E2E_USERS.admin.name);
    await page.getByLabel("Email").fill(E2E_USERS.admin.email);
    await page.getByLabel("Password").fill(E2E_USERS.admin.password);
    await page.getByRole("button", { name: "Create the first admin" }).click();
    // A new admin lands on the composer; Settings is in the header.
    await expect(page).toHaveURL(new RegExp(`^${origin}/$`));
    await expect(page.getByRole("heading", { name: "Composer" })).toBeAttached();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
    await expect(page).toHaveURL(/\/settings$/);
    await expect(page.getByRole("heading", { name: "Members" })).toBeVisible();
    await page.context().storageState({ path: AUTH_STATE.admin });

    // Adding people through the settings page, as an admin does.
    for (const who of ["member", "viewer"] as const) {
      await page.getByLabel("Name", { exact: true }).fill(E2E_USERS[who].name);
      await page.getByLabel("Email", { exact: true }).fill(E2E_USERS[who].email);
      await page.getByLabel("Role", { exact: true }).selectOption(who);
      await page.getByRole("button", { name: "Add", exact: true }).click();
      const notice = page.getByTestId("members-notice");
      await expect(notice).toContainText(E2E_USERS[who].email);
      const temporary = /temporary password (\S+) \(shown once\)/.exec(
        (await notice.textContent()) ?? "",
      )?.[1];
      expect(temporary, "the temporary password is shown once").toBeTruthy();
      // Known passwords for the specs: the admin resets them through the API with the session cookie.
      const members = (await (await page.request.get(`${origin}/api/members`)).json()) as {
        members: { id: string; email: string }[];
      };
      const id = members.members.find((m) => m.email === E2E_USERS[who].email)?.id;
      const reset = await page.request.post(`${origin}/api/members/${id}/password`, {
        data: { password: E2E_USERS[who].password },
        headers: { origin },
      });
      expect(reset.status()).toBe(200);
    }

    await signInAndSave(browser, origin, "member");
    await signInAndSave(browser, origin, "viewer");
  },
);
