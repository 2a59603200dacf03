// Walks every route handler and page of the app as anonymous, viewer, member and admin (by bearer
// token and by session cookie) and checks the answers against the access table.
import fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";

import { mayOpen, PAGES } from "@/lib/auth/pages";
import { pageDecision } from "@/lib/server/auth/page-access";
import type { Principal } from "@/lib/server/auth/principal";
import { roleAllows, type Access, type Role } from "@/lib/server/auth/roles";
import type { Config } from "@/lib/server/config";
import { allowedMethods, isFallback, type HttpMethod } from "@/lib/server/http/methods";

import { DB_SETUP_TIMEOUT, ORIGIN, seedUsers, testDb, type TestUser } from "../auth/support";
import { testConfig } from "../support/config";
import { PAGE_ACCESS, ROUTE_ACCESS } from "./access-table";
import { concretePath, METHODS, pageFiles, routeFiles } from "./app-routes";

type Handler = (
  request: Request,
  context: { params: Promise<Record<string, string | string[]>> },
) => Promise<Response>;
type Caller = { label: string; role: Role | undefined; headers: Record<string, string> };

let config: Config;
let users: Record<Role, TestUser>;
let callers: Caller[];

beforeAll(async () => {
  config = testConfig();
  users = await seedUsers(config, await testDb(config), "routes");
  callers = [{ label: "anonymous", role: undefined, headers: { origin: ORIGIN } }];
  for (const role of ["viewer", "member", "admin"] as const) {
    callers.push({
      label: `${role} (token)`,
      role,
      headers: { authorization: `Bearer ${users[role].token}` },
    });
    callers.push({
      label: `${role} (cookie)`,
      role,
      headers: { cookie: users[role].cookie, origin: ORIGIN, "sec-fetch-site": "same-origin" },
    });
  }
}, DB_SETUP_TIMEOUT);

/** The methods a route file declares itself (not those `otherMethods` and `nothingHere` answer for it). */
async function handlersOf(file: string): Promise<[string, Handler][]> {
  const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
  return METHODS.filter((m) => typeof mod[m] === "function" && !isFallback(mod[m])).map((m) => [
    m,
    mod[m] as Handler,
  ]);
}

async function call(handler: Handler, method: string, pattern: string, caller: Caller): Promise<Response> {
  const { path, params } = concretePath(pattern);
  const request = new Request(`${ORIGIN}${path}`, { method, headers: caller.headers });
  return handler(request, { params: Promise.resolve(params) });
}

function expected(access: Access, role: Role | undefined): "allowed" | 401 | 403 {
  if (access === "public") return "allowed";
  if (!role) return 401;
  return roleAllows(role, access) ? "allowed" : 403;
}

describe("route handlers", () => {
  it("every route handler and method has a row in the table, and every row a handler", async () => {
    const found: string[] = [];
    for (const { file, pattern } of routeFiles()) {
      for (const [method] of await handlersOf(file)) found.push(`${method} ${pattern}`);
    }
    expect(found.sort()).toEqual(Object.keys(ROUTE_ACCESS).sort());
  });

  for (const { file, pattern } of routeFiles()) {
    it(`${pattern} answers each caller as the table says`, async () => {
      for (const [method, handler] of await handlersOf(file)) {
        const access = ROUTE_ACCESS[`${method} ${pattern}`];
        expect(access, `${method} ${pattern} is missing from the access table`).toBeDefined();
        for (const caller of callers) {
          const response = await call(handler, method, pattern, caller);
          const status = response.status;
          await response.body?.cancel();
          const where = `${method} ${pattern} as ${caller.label} answered ${status}`;
          expect(status, where).toBeLessThan(500);
          if (access === "better-auth") continue;
          const want = expected(access!, caller.role);
          if (want === "allowed") expect([401, 403], where).not.toContain(status);
          else expect(status, where).toBe(want);
          if (typeof want === "number") {
            const body = (await call(handler, method, pattern, caller).then((r) => r.json())) as Record<
              string,
              unknown
            >;
            expect(body).toMatchObject({
              error_code: want === 401 ? "unauthenticated" : "forbidden",
              error_type: "auth",
            });
          }
        }
      }
    });
  }

  it("Better Auth's session endpoint knows each signed-in person and nobody else", async () => {
    const [, get] = (await handlersOf(routeFiles().find((r) => r.pattern === "/api/auth/*")!.file)).find(
      ([m]) => m === "GET",
    )!;
    const anonymous = await call(get, "GET", "/api/auth/*", callers[0]!);
    expect(await anonymous.json()).toBeNull();
    for (const role of ["viewer", "member", "admin"] as const) {
      const response = await call(get, "GET", "/api/auth/*", {
        label: role,
        role,
        headers: { cookie: users[role].cookie },
      });
      expect(await response.json()).toMatchObject({ user: { email: users[role].email, role } });
    }
  });

  it("a wrong, malformed or revoked token is refused even on a public route", async () => {
    const [, health] = (await handlersOf(routeFiles().find((r) => r.pattern === "/api/health")!.file))[0]!;
    for (const authorization of ["Bearer bd_nope", `Bearer ${users.member.token}x`, "Basic abc", "Bearer"]) {
      const response = await call(health, "GET", "/api/health", {
        label: authorization,
        role: undefined,
        headers: { authorization },
      });
      expect(response.status, authorization).toBe(401);
    }
  });
});

describe("methods a route does not declare, and paths nothing serves", () => {
  it("every route file answers every method itself, so Next never answers an empty 405", async () => {
    for (const { file, pattern } of routeFiles()) {
      const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
      const missing = METHODS.filter((m) => typeof mod[m] !== "function");
      expect(missing, `${pattern}: export them with otherMethods(…)`).toEqual([]);
    }
  });

  for (const { file, pattern } of routeFiles()) {
    it(`${pattern} answers the methods it does not declare in the error envelope, with Allow`, async () => {
      const mod = (await import(/* @vite-ignore */ file)) as Record<string, Handler>;
      const declared = (await handlersOf(file)).map(([m]) => m as HttpMethod);
      const allow = allowedMethods(declared).join(", ");
      const caller = callers[1]!;
      for (const method of METHODS.filter((m) => !declared.includes(m))) {
        const response = await call(mod[method]!, method, pattern, caller);
        const where = `${method} ${pattern}`;
        if (declared.length === 0) {
          // A catch-all: nothing is served here, whatever the method.
          expect(response.status, where).toBe(404);
          if (method !== "HEAD")
            expect(await response.json(), where).toMatchObject({ error_code: "not_found" });
        } else if (method === "OPTIONS") {
          expect([response.status, response.headers.get("allow")], where).toEqual([204, allow]);
        } else if (method === "HEAD" && declared.includes("GET")) {
          const get = await call(mod.GET!, "GET", pattern, caller);
          await get.body?.cancel();
          expect(response.status, where).toBe(get.status);
        } else {
          expect([response.status, response.headers.get("allow")], where).toEqual([405, allow]);
          expect(response.headers.get("content-type"), where).toMatch(/^application\/json/);
          expect(await response.json(), where).toMatchObject({
            error_code: "method_not_allowed",
            error_type: "general",
            error_details: { method, allowed: allow.split(", ") },
          });
        }
        await response.body?.cancel().catch(() => undefined);
      }
    });
  }
});

describe("pages", () => {
  it("every page has a row in the table, and every row a page", () => {
    expect(
      pageFiles()
        .map((p) => p.pattern)
        .sort(),
    ).toEqual(Object.keys(PAGE_ACCESS).sort());
  });

  for (const { file, pattern } of pageFiles()) {
    it(`${pattern} checks its access on the server`, () => {
      const access = PAGE_ACCESS[pattern];
      const source = fs.readFileSync(file, "utf8");
      const declared = /requirePageAccess\(\s*"(\w+)"/.exec(source)?.[1];
      if (access === "public")
        expect(declared, `${pattern} is public in the table but calls requirePageAccess`).toBeUndefined();
      else expect(declared, `${pattern} must start with requirePageAccess("${access}")`).toBe(access);
    });
  }

  it("the pages table the app reads (header links, landing after sign-in) is this table", () => {
    expect(PAGES).toEqual(PAGE_ACCESS);
    for (const role of ["viewer", "member", "admin"] as const) {
      for (const [page, access] of Object.entries(PAGE_ACCESS)) {
        expect(mayOpen(role, access), `${role} on ${page}`).toBe(
          access === "public" || roleAllows(role, access),
        );
      }
    }
  });

  it("the page check sends anonymous visitors to sign in and refuses too-low roles in place", () => {
    const as = (role: Role): Principal => ({
      userId: "u",
      name: "n",
      email: "e@example.com",
      role,
      via: "session",
    });
    for (const access of ["viewer", "member", "admin"] as const) {
      expect(pageDecision(undefined, access, "/x")).toEqual({
        allow: false,
        redirectTo: "/sign-in?next=%2Fx",
      });
      for (const role of ["viewer", "member", "admin"] as const) {
        const decision = pageDecision(as(role), access);
        if (roleAllows(role, access)) expect(decision).toEqual({ allow: true });
        else expect(decision).toEqual({ allow: false, refused: access });
      }
    }
    // An open redirect through `next` is not possible.
    expect(pageDecision(undefined, "viewer", "//evil.example")).toEqual({
      allow: false,
      redirectTo: "/sign-in",
    });
  });
});

describe("docs/access.md", () => {
  it("lists exactly the routes and pages of the access table, with the same access", () => {
    const doc = fs.readFileSync(new URL("../../docs/access.md", import.meta.url), "utf8");
    const rows = [...doc.matchAll(/^\|\s*`([A-Z]+ [^`]+|\/[^`]*)`[^|]*\|\s*([a-z-]+)\s*\|/gm)].map((m) => [
      m[1],
      m[2],
    ]);
    const documented = Object.fromEntries(rows);
    expect(documented).toEqual({ ...ROUTE_ACCESS, ...PAGE_ACCESS });
  });
});
