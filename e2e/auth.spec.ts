/**
 * Access end to end against `next start`: who sees which page, what the API answers each role, the
 * security headers, personal access tokens on the Claid-compatible endpoint, and sign-out.
 */
import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";

import { AUTH_STATE, E2E_USERS } from "../playwright.config";
import { SEED_CURL_BODY as CURL_BODY } from "../test/support/seed-curl-body";

test.describe("anonymous", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("every page but sign-in sends them to sign in, and the API refuses them", async ({
    page,
    request,
  }) => {
    for (const path of ["/", "/gallery", "/settings", "/settings/tokens"]) {
      await page.goto(path);
      await expect(page, path).toHaveURL(/\/sign-in/);
    }
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    // The install has its admin: the first-admin form is gone for good.
    await expect(page.getByText("Create the first admin")).toHaveCount(0);
    for (const [method, path] of [
      ["GET", "/api/generations"],
      ["GET", "/api/me"],
      ["POST", "/v1/scene/create"],
      ["POST", "/api/uploads"],
    ] as const) {
      const response = await request.fetch(path, { method });
      expect(response.status(), `${method} ${path}`).toBe(401);
      expect(await response.json()).toMatchObject({ error_code: "unauthenticated", error_type: "auth" });
    }
  });

  test("pages carry a nonce CSP that Next's own scripts satisfy", async ({ page }) => {
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    const response = await page.goto("/sign-in");
    const headers = response!.headers();
    const nonce = /'nonce-([^']+)'/.exec(headers["content-security-policy"] ?? "")?.[1];
    expect(nonce).toBeTruthy();
    expect(headers["content-security-policy"]).toContain("'strict-dynamic'");
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("same-origin");
    expect(headers["permissions-policy"]).toBeTruthy();
    // Every script in the page as served carries this response's nonce.
    const html = await response!.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    // The page is interactive (hydrated), so nothing was blocked.
    await page.getByLabel("Email").fill("x@example.com");
    await expect(page.getByLabel("Email")).toHaveValue("x@example.com");
    expect(violations).toEqual([]);
    const again = await page.goto("/sign-in");
    expect(again!.headers()["content-security-policy"]).not.toContain(nonce);
  });

  test("a wrong password is refused with a message", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(E2E_USERS.member.email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("alert").filter({ hasText: "do not match" })).toBeVisible();
    await expect(page).toHaveURL(/\/sign-in/);
  });
});

test.describe("viewer", () => {
  test.use({ storageState: AUTH_STATE.viewer });

  test("sees the gallery but cannot compose, generate or open settings", async ({ page, baseURL }) => {
    await page.goto("/");
    await expect(page).toHaveURL(`${baseURL}/`);
    await expect(page.getByRole("heading", { name: "This page is not available to you" })).toBeVisible();
    await expect(page.getByText("The composer is for members")).toBeVisible();
    await page.goto("/settings");
    await expect(page.getByRole("heading", { name: "This page is not available to you" })).toBeVisible();
    const generate = await page.request.post("/v1/scene/create", {
      data: CURL_BODY,
      headers: { origin: baseURL! },
    });
    expect(generate.status()).toBe(403);
    expect((await page.request.get("/api/generations")).status()).toBe(200);
    // Signed in, the sign-in page sends a viewer home: the gallery.
    await page.goto("/sign-in");
    await expect(page).toHaveURL(/\/gallery$/);
  });
});

test.describe("member", () => {
  test("cannot see settings, nor the members API", async ({ page, baseURL }) => {
    await page.goto("/settings");
    await expect(page.getByTestId("not-available")).toContainText("Settings (people, roles, budgets");
    expect((await page.request.get("/api/members")).status()).toBe(403);
    const create = await page.request.post("/api/members", {
      data: { email: "sneaky@example.com", name: "Sneaky", role: "admin" },
      headers: { origin: baseURL! },
    });
    expect(create.status()).toBe(403);
  });

  test("a cookie write from another origin is refused", async ({ page }) => {
    const response = await page.request.post("/api/tokens", {
      data: { name: "csrf" },
      headers: { origin: "https://evil.example" },
    });
    expect(response.status()).toBe(403);
  });

  test("creates a personal token, uses it with the API reference's cURL example, and revokes it", async ({
    page,
    baseURL,
  }) => {
    await page.goto("/settings/tokens");
    await page.getByLabel("Name").fill("catalogue script");
    await page.getByRole("button", { name: "Create token" }).click();
    const token = (await page.getByTestId("new-token").textContent())?.trim() ?? "";
    expect(token).toMatch(/^bd_[A-Za-z0-9_-]{43}$/);

    // The published cURL command with our URL and the token in place of the Claid key.
    const curl = (bearer: string) =>
      execFileSync(
        "curl",
        [
          "-sS",
          "-X",
          "POST",
          "--location",
          `${baseURL}/v1/scene/create`,
          "--http1.1",
          "-H",
          `Authorization: Bearer ${bearer}`,
          "-H",
          "Content-Type: application/json",
          "-H",
          "X-Backdrop-Engine: claid",
          "-d",
          CURL_BODY,
          "-w",
          "\n%{http_code}",
        ],
        { encoding: "utf8", timeout: 120_000 },
      );
    const [body, status] = (() => {
      const out = curl(token).trimEnd();
      const cut = out.lastIndexOf("\n");
      return [out.slice(0, cut), out.slice(cut + 1)];
    })();
    expect(status, body).toBe("200");
    const answer = JSON.parse(body) as { data: { output: { tmp_url: string }[] } };
    expect(answer.data.output).toHaveLength(1);
    expect(answer.data.output[0]!.tmp_url).toContain("/api/files/");

    // Last used shows up; the token is listed by its prefix only; revoking stops it at once.
    await page.reload();
    const row = page.getByRole("row", { name: /catalogue script/ });
    await expect(row).not.toContainText("never");
    await expect(page.getByText(token)).toHaveCount(0);
    await row.getByRole("button", { name: "Revoke catalogue script" }).click();
    await expect(page.getByRole("row", { name: /catalogue script/ })).toHaveCount(0);
    expect(curl(token).trimEnd().endsWith("401")).toBe(true);
  });

  test("after signing in, a hostile next stays on the app", async ({ browser, baseURL }) => {
    const origin = new URL(baseURL!).origin;
    for (const next of [
      "//evil.example/",
      "/\\evil.example/",
      "/\t/evil.example/",
      "/%5Cevil.example/",
      "%2F%2Fevil.example/",
      "https:evil.example",
      "/.//evil.example/",
    ]) {
      const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
      // Were the redirect to leave the app, it goes nowhere: only the app's own origin is let through.
      await context.route(
        (url) => url.origin !== origin,
        (route) => route.abort(),
      );
      const page = await context.newPage();
      await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
      await page.getByLabel("Email").fill(E2E_USERS.member.email);
      await page.getByLabel("Password").fill(E2E_USERS.member.password);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      // Signed in, the sign-in page sends a member home: the composer, on our own origin.
      await expect(page, next).toHaveURL(`${origin}/`);
      await context.close();
    }
    // While a path of ours is followed.
    const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    await page.goto(`/sign-in?next=${encodeURIComponent("/gallery?view=recent")}`);
    await page.getByLabel("Email").fill(E2E_USERS.member.email);
    await page.getByLabel("Password").fill(E2E_USERS.member.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(`${origin}/gallery?view=recent`);
    await context.close();
  });

  test("signs out", async ({ browser, baseURL }) => {
    // A session of its own, so signing out does not end the one other specs use.
    const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(E2E_USERS.member.email);
    await page.getByLabel("Password").fill(E2E_USERS.member.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(`${baseURL}/`);
    await page.goto("/settings/tokens");
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await page.goto("/");
    await expect(page).toHaveURL(/\/sign-in/);
    await context.close();
  });
});

test.describe("admin", () => {
  test.use({ storageState: AUTH_STATE.admin });

  test("sees members and whether the key is configured, never the key", async ({ page }) => {
    await page.goto("/settings");
    await expect(page.getByTestId("key-status")).toContainText("Configured on the server");
    await expect(page.getByRole("row", { name: new RegExp(E2E_USERS.viewer.email) })).toBeVisible();
    const html = await page.content();
    expect(html).not.toContain("e2e-claid-key");
  });

  test("a disabled member is signed out and cannot sign in", async ({ page, browser, baseURL }) => {
    const origin = baseURL!;
    const created = await page.request.post("/api/members", {
      data: { email: "leaving@example.com", name: "Leaving", role: "member", password: "leaving-password" },
      headers: { origin },
    });
    expect(created.status()).toBe(201);
    const { member } = (await created.json()) as { member: { id: string } };

    const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    const signIn = () =>
      context.request.post("/api/auth/sign-in/email", {
        data: { email: "leaving@example.com", password: "leaving-password" },
        headers: { origin },
      });
    expect((await signIn()).status()).toBe(200);
    expect((await context.request.get("/api/me")).status()).toBe(200);

    await page.goto("/settings");
    await page
      .getByRole("row", { name: /leaving@example.com/ })
      .getByRole("button", { name: "Disable" })
      .click();
    await expect(page.getByRole("row", { name: /leaving@example.com/ })).toContainText("(disabled)");
    expect((await context.request.get("/api/me")).status()).toBe(401);
    expect((await signIn()).status()).not.toBe(200);
    expect(member.id).toBeTruthy();
    await context.close();
  });
});
