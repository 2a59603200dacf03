import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import { authorize } from "@/lib/server/auth/authorize";
import { getAuth } from "@/lib/server/auth/better-auth";
import {
  createFirstAdmin,
  createMember,
  hasAnyUser,
  resetPassword,
  updateMember,
} from "@/lib/server/auth/members";
import { createToken, listTokens, revokeToken } from "@/lib/server/auth/tokens";
import type { Config } from "@/lib/server/config";
import type { Db } from "@/lib/server/db/client";
import { accessToken } from "@/lib/server/db/schema/auth";
import { ApiError } from "@/lib/server/errors";

import { testConfig } from "../support/config";
import { cookieFrom, DB_SETUP_TIMEOUT, ORIGIN, PASSWORD, signIn, testDb } from "./support";

let config: Config;
let db: Db;

beforeAll(async () => {
  config = testConfig();
  db = await testDb(config);
}, DB_SETUP_TIMEOUT);

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    if (error instanceof ApiError) return error.status;
    throw error;
  }
}

describe("first admin", () => {
  it("exactly one of several simultaneous first visits becomes admin", async () => {
    expect(await hasAnyUser(db)).toBe(false);
    const attempts = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        createFirstAdmin(db, { email: `first${i}@example.com`, name: `First ${i}`, password: PASSWORD }),
      ),
    );
    const won = attempts.filter((a) => a.status === "fulfilled");
    expect(won).toHaveLength(1);
    for (const lost of attempts.filter((a) => a.status === "rejected")) {
      expect((lost as PromiseRejectedResult).reason).toMatchObject({ status: 409, code: "already_set_up" });
    }
    expect(
      await statusOf(createFirstAdmin(db, { email: "late@example.com", name: "Late", password: PASSWORD })),
    ).toBe(409);
  });
});

describe("sessions", () => {
  it("signs in with email and password into an http-only cookie and signs out", async () => {
    const { member } = await createMember(db, {
      email: "Sam@Example.com",
      name: "Sam",
      role: "member",
      password: PASSWORD,
    });
    expect(member.email).toBe("sam@example.com");

    expect((await signIn(config, "sam@example.com", "wrong password!")).status).toBe(401);
    const response = await signIn(config, "sam@example.com");
    expect(response.status).toBe(200);
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith("backdrop.session_token="));
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Max-Age=604800/);
    // Served over plain http: a Secure cookie would never come back.
    expect(setCookie).not.toMatch(/Secure/i);

    const cookie = cookieFrom(response);
    const principal = await authorize(
      new Request(`${ORIGIN}/api/me`, { headers: { cookie } }),
      "member",
      config,
    );
    expect(principal).toMatchObject({ userId: member.id, role: "member", via: "session" });

    const auth = await getAuth(config);
    const out = await auth.handler(
      new Request(`${ORIGIN}/api/auth/sign-out`, { method: "POST", headers: { cookie, origin: ORIGIN } }),
    );
    expect(out.status).toBe(200);
    expect(
      await statusOf(authorize(new Request(`${ORIGIN}/api/me`, { headers: { cookie } }), "viewer", config)),
    ).toBe(401);
  });

  it("marks cookies Secure when the app is served over https", async () => {
    const https = testConfig({ AUTH_URL: "https://backdrop.example.com" });
    const auth = await getAuth(https);
    const response = await auth.handler(
      new Request("https://backdrop.example.com/api/auth/sign-in/email", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "https://backdrop.example.com" },
        body: JSON.stringify({ email: "sam@example.com", password: PASSWORD }),
      }),
    );
    testConfig();
    expect(response.status).toBe(200);
    const setCookie = response.headers.getSetCookie().find((c) => c.includes("session_token="));
    expect(setCookie).toMatch(/^__Secure-backdrop\.session_token=/);
    expect(setCookie).toMatch(/; Secure/i);
  });

  it("refuses sign-up: people are created by the first-admin claim or by admins", async () => {
    const auth = await getAuth(config);
    const response = await auth.handler(
      new Request(`${ORIGIN}/api/auth/sign-up/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: ORIGIN },
        body: JSON.stringify({ email: "self@example.com", password: PASSWORD, name: "Self" }),
      }),
    );
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect((await signIn(config, "self@example.com")).status).toBe(401);
  });

  it("a disabled person loses their session and cannot sign in again", async () => {
    const { member } = await createMember(db, {
      email: "gone@example.com",
      name: "Gone",
      role: "member",
      password: PASSWORD,
    });
    const cookie = cookieFrom(await signIn(config, "gone@example.com"));
    expect(
      await statusOf(authorize(new Request(`${ORIGIN}/api/me`, { headers: { cookie } }), "viewer", config)),
    ).toBe(200);
    await updateMember(db, member.id, { disabled: true });
    expect(
      await statusOf(authorize(new Request(`${ORIGIN}/api/me`, { headers: { cookie } }), "viewer", config)),
    ).toBe(401);
    expect((await signIn(config, "gone@example.com")).status).not.toBe(200);
  });

  it("a password reset replaces the password and ends existing sessions", async () => {
    const { member } = await createMember(db, {
      email: "reset@example.com",
      name: "Reset",
      role: "viewer",
      password: PASSWORD,
    });
    const cookie = cookieFrom(await signIn(config, "reset@example.com"));
    const temporary = await resetPassword(db, member.id);
    expect(
      await statusOf(authorize(new Request(`${ORIGIN}/api/me`, { headers: { cookie } }), "viewer", config)),
    ).toBe(401);
    expect((await signIn(config, "reset@example.com")).status).toBe(401);
    expect((await signIn(config, "reset@example.com", temporary)).status).toBe(200);
  });

  it("never leaves the install without an enabled admin", async () => {
    const [admin] = (await import("@/lib/server/auth/members").then((m) => m.listMembers(db))).filter(
      (m) => m.role === "admin",
    );
    expect(admin).toBeDefined();
    expect(await statusOf(updateMember(db, admin!.id, { role: "member" }))).toBe(409);
    expect(await statusOf(updateMember(db, admin!.id, { disabled: true }))).toBe(409);
  });
});

describe("personal access tokens", () => {
  const bearer = (token: string, method = "GET") =>
    new Request(`${ORIGIN}/v1/scene/create`, { method, headers: { authorization: `Bearer ${token}` } });

  it("are stored only as a hash, act as their owner, and record when they were last used", async () => {
    const { member } = await createMember(db, {
      email: "script@example.com",
      name: "Script",
      role: "member",
    });
    const { token, summary } = await createToken(db, { userId: member.id, name: "catalogue" });
    expect(token).toMatch(/^bd_[A-Za-z0-9_-]{43}$/);
    expect(summary.prefix).toBe(token.slice(0, 9));
    expect(summary.lastUsedAt).toBeNull();

    const [row] = await db.select().from(accessToken).where(eq(accessToken.id, summary.id));
    expect(row?.hash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(token);

    // A token write needs no Origin: scripts are not browsers.
    const principal = await authorize(bearer(token, "POST"), "member", config);
    expect(principal).toMatchObject({ userId: member.id, role: "member", via: "token" });
    const [listed] = await listTokens(db, member.id);
    expect(listed?.lastUsedAt).not.toBeNull();
  });

  it("stop working when revoked, expired, or their owner is disabled or demoted", async () => {
    const { member } = await createMember(db, { email: "robot@example.com", name: "Robot", role: "member" });
    const revoked = await createToken(db, { userId: member.id, name: "revoked" });
    await revokeToken(db, member.id, revoked.summary.id);
    expect(await statusOf(authorize(bearer(revoked.token), "viewer", config))).toBe(401);
    expect(await statusOf(revokeToken(db, member.id, revoked.summary.id))).toBe(404);

    const expired = await createToken(db, { userId: member.id, name: "expired", expiresInDays: 1 });
    await db
      .update(accessToken)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(accessToken.id, expired.summary.id));
    expect(await statusOf(authorize(bearer(expired.token), "viewer", config))).toBe(401);

    const live = await createToken(db, { userId: member.id, name: "live" });
    expect(await statusOf(authorize(bearer(live.token), "member", config))).toBe(200);
    await updateMember(db, member.id, { role: "viewer" });
    expect(await statusOf(authorize(bearer(live.token), "member", config))).toBe(403);
    await updateMember(db, member.id, { disabled: true });
    expect(await statusOf(authorize(bearer(live.token), "viewer", config))).toBe(401);
  });

  it("remember their owner for TOKEN_CACHE_SECONDS when another instance changes them, and not at all with 0", async () => {
    const { member } = await createMember(db, { email: "burst@example.com", name: "Burst", role: "member" });
    const { token, summary } = await createToken(db, { userId: member.id, name: "burst" });
    const cached = { ...config, TOKEN_CACHE_SECONDS: 1 };
    const uncached = { ...config, TOKEN_CACHE_SECONDS: 0 };
    expect(await statusOf(authorize(bearer(token), "member", cached))).toBe(200);
    // Revoked in the database directly, as another instance sharing it would.
    await db.update(accessToken).set({ revokedAt: new Date() }).where(eq(accessToken.id, summary.id));
    expect(await statusOf(authorize(bearer(token), "member", uncached))).toBe(401);
    expect(await statusOf(authorize(bearer(token), "member", cached))).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await statusOf(authorize(bearer(token), "member", cached))).toBe(401);
  });

  it("stop working at once, cached or not, when revoked or their owner is changed on this instance", async () => {
    const { member } = await createMember(db, { email: "swift@example.com", name: "Swift", role: "member" });
    const cached = { ...config, TOKEN_CACHE_SECONDS: 60 };
    const first = await createToken(db, { userId: member.id, name: "first" });
    const second = await createToken(db, { userId: member.id, name: "second" });
    expect(await statusOf(authorize(bearer(first.token), "member", cached))).toBe(200);
    expect(await statusOf(authorize(bearer(second.token), "member", cached))).toBe(200);
    await revokeToken(db, member.id, first.summary.id);
    expect(await statusOf(authorize(bearer(first.token), "member", cached))).toBe(401);
    await updateMember(db, member.id, { role: "viewer" });
    expect(await statusOf(authorize(bearer(second.token), "member", cached))).toBe(403);
    expect(await statusOf(authorize(bearer(second.token), "viewer", cached))).toBe(200);
    await updateMember(db, member.id, { disabled: true });
    expect(await statusOf(authorize(bearer(second.token), "viewer", cached))).toBe(401);
  });

  it("cannot be revoked by someone else", async () => {
    const { member: owner } = await createMember(db, {
      email: "owner@example.com",
      name: "Owner",
      role: "member",
    });
    const { member: other } = await createMember(db, {
      email: "other@example.com",
      name: "Other",
      role: "member",
    });
    const { token, summary } = await createToken(db, { userId: owner.id, name: "mine" });
    expect(await statusOf(revokeToken(db, other.id, summary.id))).toBe(404);
    expect(await statusOf(authorize(bearer(token), "member", config))).toBe(200);
  });
});
