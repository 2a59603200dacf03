// The install's own address decides what is served: configured, or loopback on the server's port. A
// page on another name that resolves here (DNS rebinding) gets nothing, a fresh install exposed on a
// network needs the setup code it printed, and the sign-in library's writes follow our CSRF rule.
import { sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";

import * as auth from "@/app/api/auth/[...all]/route";
import { GET as health } from "@/app/api/health/route";
import { POST as firstAdmin } from "@/app/api/members/first-admin/route";
import { isOwnHost, isSameOriginWrite, ownOrigins } from "@/lib/server/auth/csrf";
import { hasAnyUser } from "@/lib/server/auth/members";
import { issueSetupCode, listensBeyondLoopback } from "@/lib/server/auth/setup-code";
import type { Config } from "@/lib/server/config";
import type { Db } from "@/lib/server/db/client";
import { proxy } from "@/proxy";

import { testConfig } from "../support/config";
import { cookieFrom, DB_SETUP_TIMEOUT, ORIGIN, PASSWORD, seedUsers, signIn, testDb } from "./support";

const loopback = { PORT: 3000, AUTH_URL: undefined, PUBLIC_BASE_URL: undefined };
const at = (url: string, headers: Record<string, string> = {}) => new Request(url, { headers });

describe("the install's own address", () => {
  it("is loopback on the server's port when nothing is configured", () => {
    for (const host of ["127.0.0.1:3000", "localhost:3000", "[::1]:3000", "LOCALHOST:3000"]) {
      expect(isOwnHost(at("http://127.0.0.1:3000/", { host }), loopback), host).toBe(true);
    }
    for (const host of [
      "evil.example",
      "evil.example:3000",
      "127.0.0.1:3001",
      "10.0.0.5:3000",
      "[::127.0.0.1]:3000",
      "0.0.0.0:3000",
    ]) {
      expect(isOwnHost(at("http://127.0.0.1:3000/", { host }), loopback), host).toBe(false);
    }
  });

  it("is the configured origin, and only that, when AUTH_URL or PUBLIC_BASE_URL is set", () => {
    const configured = { ...loopback, PUBLIC_BASE_URL: "https://studio.example" };
    expect(ownOrigins(configured)).toEqual(["https://studio.example"]);
    expect(isOwnHost(at("http://127.0.0.1:3000/", { host: "studio.example" }), configured)).toBe(true);
    expect(isOwnHost(at("http://127.0.0.1:3000/", { host: "studio.example:443" }), configured)).toBe(true);
    expect(isOwnHost(at("http://127.0.0.1:3000/", { host: "127.0.0.1:3000" }), configured)).toBe(false);
    expect(isOwnHost(at("http://127.0.0.1:3000/", { host: "evil.example" }), configured)).toBe(false);
  });

  it("decides every Origin check: a foreign Origin is refused even when Host names it too", () => {
    const config = { ...loopback, AUTH_TRUSTED_ORIGINS: [] };
    const rebinding = at("http://evil.example:3000/", {
      host: "evil.example:3000",
      origin: "http://evil.example:3000",
    });
    expect(isSameOriginWrite(rebinding, config)).toBe(false);
    expect(isSameOriginWrite(at(`${ORIGIN}/`, { origin: ORIGIN }), config)).toBe(true);
    const trusting = { ...config, AUTH_TRUSTED_ORIGINS: ["https://tools.example"] };
    expect(isSameOriginWrite(at(`${ORIGIN}/`, { origin: "https://tools.example" }), trusting)).toBe(true);
  });

  it("counts only loopback listening addresses as loopback", () => {
    for (const HOST of ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"]) {
      expect(listensBeyondLoopback({ HOST }), HOST).toBe(false);
    }
    for (const HOST of ["0.0.0.0", "::", "192.168.1.4", "studio.example"]) {
      expect(listensBeyondLoopback({ HOST }), HOST).toBe(true);
    }
  });
});

describe("a fresh install", () => {
  let config: Config;
  let db: Db;

  beforeAll(async () => {
    config = testConfig();
    db = await testDb(config);
  }, DB_SETUP_TIMEOUT);
  beforeEach(async () => {
    config = testConfig();
    await db.execute(sql`truncate "user", install_claim, setup_code cascade`);
  });

  const claim = (headers: Record<string, string>, body: Record<string, unknown> = {}) =>
    firstAdmin(
      new Request(`${ORIGIN}/api/members/first-admin`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ email: "first@example.com", name: "First", password: PASSWORD, ...body }),
      }),
    );

  it("cannot be claimed by a page shaped like DNS rebinding (foreign Host and Origin): 421, nobody created", async () => {
    const response = await claim({ host: "evil.example", origin: "http://evil.example" });
    expect(response.status).toBe(421);
    expect(await response.json()).toMatchObject({
      error_code: "unknown_host",
      error_details: { host: "evil.example" },
    });
    expect(await hasAnyUser(db)).toBe(false);
  });

  it("cannot be claimed from another origin on its own address: 403, nobody created", async () => {
    expect((await claim({ host: "127.0.0.1:3000", origin: "https://evil.example" })).status).toBe(403);
    expect(await hasAnyUser(db)).toBe(false);
  });

  it("is claimed from its own page on loopback without a setup code", async () => {
    const response = await claim({ host: "127.0.0.1:3000", origin: ORIGIN, "sec-fetch-site": "same-origin" });
    expect(response.status).toBe(201);
    expect(await hasAnyUser(db)).toBe(true);
  });

  it("listening beyond loopback, needs the setup code it printed, once", async () => {
    config = testConfig({ HOST: "0.0.0.0", PUBLIC_BASE_URL: "http://studio.example" });
    const own = { host: "studio.example", origin: "http://studio.example" };
    const code = await issueSetupCode(db, config);
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);

    const without = await claim(own);
    expect(without.status).toBe(403);
    expect(await without.json()).toMatchObject({
      error_details: { fields: { setupCode: [expect.any(String)] } },
    });
    expect((await claim(own, { setupCode: "AAAA-BBBB-CCCC" })).status).toBe(403);
    // A newer start's code replaces the one before.
    const newer = await issueSetupCode(db, config);
    expect((await claim(own, { setupCode: code })).status).toBe(403);
    expect(await hasAnyUser(db)).toBe(false);

    const typed = (newer ?? "").toLowerCase().replace(/-/g, " ");
    expect((await claim(own, { setupCode: typed })).status).toBe(201);
    expect(await hasAnyUser(db)).toBe(true);
    // Used up: no code is issued or accepted once the admin exists.
    expect(await issueSetupCode(db, config)).toBeUndefined();
    expect((await claim(own, { setupCode: newer, email: "second@example.com" })).status).toBe(409);
  });

  it("on loopback, never issues a setup code", async () => {
    expect(await issueSetupCode(db, config)).toBeUndefined();
  });
});

describe("every route, page and sign-in call", () => {
  let config: Config;
  let cookie: string;

  beforeAll(async () => {
    config = testConfig();
    const { member } = await seedUsers(config, await testDb(config), "own-origin");
    cookie = member.cookie;
  }, DB_SETUP_TIMEOUT);

  it("refuses a foreign Host with 421 and says where the app is", async () => {
    const api = await health(at("http://evil.example/api/health", { host: "evil.example" }));
    expect(api.status).toBe(421);
    expect((await api.json()).error_message).toContain("http://localhost:3000");
    const page = proxy(new NextRequest("http://evil.example/gallery", { headers: { host: "evil.example" } }));
    expect(page.status).toBe(421);
    expect(await page.text()).toContain("does not answer");
    const session = await auth.GET(
      at("http://evil.example/api/auth/get-session", { host: "evil.example", cookie }),
    );
    expect(session.status).toBe(421);
    expect((await health(at(`${ORIGIN}/api/health`, { host: "127.0.0.1:3000" }))).status).toBe(200);
  });

  it("refuses the sign-in library's writes that are not from our own pages (Sec-Fetch-Site, Origin)", async () => {
    const write = (path: string, headers: Record<string, string>, body: unknown = {}) =>
      auth.POST(
        new Request(`${ORIGIN}/api/auth/${path}`, {
          method: "POST",
          headers: { "content-type": "application/json", host: "127.0.0.1:3000", cookie, ...headers },
          body: JSON.stringify(body),
        }),
      );
    for (const [path, body] of [
      ["update-user", { name: "Renamed" }],
      ["sign-out", {}],
    ] as const) {
      const attempts: Record<string, string>[] = [
        { origin: ORIGIN, "sec-fetch-site": "cross-site" },
        { origin: ORIGIN, "sec-fetch-site": "same-site" },
        { origin: "https://evil.example" },
        {},
      ];
      for (const headers of attempts) {
        const response = await write(path, headers, body);
        expect(response.status, `${path} ${JSON.stringify(headers)}`).toBe(403);
        expect(await response.json()).toMatchObject({ error_code: "forbidden" });
      }
    }
    // The session survived all of that, and our own page may still sign out.
    const ours = await write("sign-out", { origin: ORIGIN, "sec-fetch-site": "same-origin" });
    expect(ours.status).toBe(200);
    expect(cookieFrom(ours)).toContain("backdrop");
  });

  it("still signs in from our own page", async () => {
    expect((await signIn(config, `member-own-origin@example.com`)).status).toBe(200);
  });
});
