// Strings and dates a database cannot hold, sent to every route that stores or queries them, on both
// databases: NUL characters, unpaired UTF-16 surrogates, years outside what timestamps hold, and
// cursors made of them. Every answer is a 4xx in the error shape, never a 5xx.
import path from "node:path";
import fc from "fast-check";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import * as auth from "@/app/api/auth/[...all]/route";
import * as downloads from "@/app/api/downloads/route";
import * as file from "@/app/api/files/[key]/route";
import * as thumb from "@/app/api/files/[key]/thumb/route";
import * as generationEvents from "@/app/api/generations/[id]/events/route";
import * as generation from "@/app/api/generations/[id]/route";
import * as generationsRoute from "@/app/api/generations/route";
import * as imports from "@/app/api/imports/route";
import * as memberPassword from "@/app/api/members/[id]/password/route";
import * as memberRoute from "@/app/api/members/[id]/route";
import * as members from "@/app/api/members/route";
import * as sceneCreate from "@/app/api/scene/create/route";
import * as tokenRoute from "@/app/api/tokens/[id]/route";
import * as tokens from "@/app/api/tokens/route";
import { storedImageUrl } from "@/lib/scene/image-ref";
import type { Config } from "@/lib/server/config";
import { closeDatabases } from "@/lib/server/db/client";
import { closeRateLimiters } from "@/lib/server/limits/rate-limit";
import { objectStoreFor } from "@/lib/server/storage";

import { DB_SETUP_TIMEOUT, ORIGIN, seedUsers, testDb, type TestUser } from "../auth/support";
import { sceneCreateBody } from "../scene/contract/arbitraries";
import { NO_LIMITS, testConfig } from "../support/config";
import { freshPostgres, type TestPostgres } from "../support/postgres";

type Handler = (request: Request, next?: { params: Promise<unknown> }) => Promise<Response>;

/** Strings PostgreSQL refuses or cannot encode, alone and inside ordinary text. */
const UNSTORABLE = [
  "\u0000",
  "on a\u0000table",
  "\ud800",
  "marble \udfff top",
  "half \ud83d emoji",
  "\udc00\ud800",
];
/** Dates and instants outside what a timestamp column holds, or at its edges. */
const EXTREME_DATES = [
  "0000-01-01",
  "0001-01-01",
  "1969-12-31",
  "9999-12-31",
  "0000-01-01T00:00:00Z",
  "9999-12-31T23:59:59Z",
  "9999-12-31T23:00:00-05:00",
  "+275760-09-13T00:00:00Z",
  "-271821-04-20T00:00:00Z",
];
const cursorOf = (text: string) => Buffer.from(text, "utf8").toString("base64url");
/** Cursors no server handed out: years a timestamp cannot hold, NUL in the id. */
const EXTREME_CURSORS = [
  ...["0000-01-01T00:00:00.000Z", "+275760-09-13T00:00:00.000Z", "-000001-01-01T00:00:00.000Z"].map((at) =>
    cursorOf(`${at}|00000000-0000-0000-0000-000000000000`),
  ),
  cursorOf("2026-01-01T00:00:00.000Z|\u0000"),
  cursorOf("2026-01-01T00:00:00.000Z|a\u0000b"),
];
/**
 * A query string carries bytes, not UTF-16: an unpaired surrogate arrives as its UTF-8-like bytes,
 * which decode to U+FFFD (storable). NUL arrives as `%00`.
 */
function queryValue(value: string): string {
  return [...value]
    .map((ch) => {
      const unit = ch.charCodeAt(0);
      if (ch.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
        return `%${(0xe0 | (unit >> 12)).toString(16)}%${(0x80 | ((unit >> 6) & 0x3f)).toString(16)}%${(0x80 | (unit & 0x3f)).toString(16)}`;
      }
      return encodeURIComponent(ch);
    })
    .join("");
}

/** Puts `hostile` into one string leaf of `value`, chosen by `pick`. */
function injectInto(value: unknown, hostile: string, pick: number): unknown {
  const leaves: string[][] = [];
  const walk = (v: unknown, at: string[]) => {
    if (typeof v === "string") leaves.push(at);
    else if (v && typeof v === "object") for (const [k, child] of Object.entries(v)) walk(child, [...at, k]);
  };
  walk(value, []);
  if (leaves.length === 0) return value;
  const target = leaves[pick % leaves.length] ?? [];
  const copy = structuredClone(value) as Record<string, unknown>;
  let parent: Record<string, unknown> = copy;
  for (const key of target.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
  const last = target[target.length - 1] ?? "";
  parent[last] = pick % 2 === 0 ? hostile : `${String(parent[last])}${hostile}`;
  return copy;
}

describe.each(["pglite", "postgres"] as const)("unstorable input on %s", (driver) => {
  let config: Config;
  let users: Record<"admin" | "member" | "viewer", TestUser>;
  let database: TestPostgres | undefined;
  let productUrl: string;
  let fileKey: string;
  const statuses = new Map<number, number>();
  let serverErrors = 0;
  /** This test's 5xx answers (each test asserts its own). */
  let fiveHundreds: string[] = [];
  beforeEach(() => {
    fiveHundreds = [];
  });

  beforeAll(async () => {
    database = driver === "postgres" ? await freshPostgres("backdrop_fuzz") : undefined;
    config = testConfig({
      ...NO_LIMITS,
      DATA_DIR: path.join(process.env.DATA_DIR ?? "/tmp", `fuzz-${driver}`),
      DATABASE_URL: database?.url ?? "",
    });
    users = await seedUsers(config, await testDb(config), `storage-${driver}`);
    const png = await sharp({
      create: { width: 8, height: 8, channels: 4, background: { r: 200, g: 40, b: 40, alpha: 1 } },
    })
      .png()
      .toBuffer();
    fileKey = (await objectStoreFor(config.DATA_DIR).put(png, "png")).key;
    productUrl = storedImageUrl(fileKey);
  }, DB_SETUP_TIMEOUT);
  afterAll(async () => {
    const summary = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s} × ${n}`);
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    console.log(
      `unstorable input on ${driver}: ${total} requests, ${serverErrors} × 5xx (${summary.join(", ")})`,
    );
    await closeRateLimiters();
    await closeDatabases();
    await database?.drop();
  });

  async function call(
    handler: Handler,
    method: string,
    url: string,
    options: { body?: unknown; raw?: string; params?: Record<string, string>; as?: TestUser } = {},
  ): Promise<number> {
    const who = options.as ?? users.admin;
    const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const request = new Request(`${ORIGIN}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${who.token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body }),
    });
    const response = await handler(request, { params: Promise.resolve(options.params ?? {}) });
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    const text = await response.text();
    if (response.status >= 500) {
      serverErrors++;
      fiveHundreds.push(`${method} ${url} → ${response.status} ${text.slice(0, 200)}`);
    }
    if (response.status >= 400) {
      const error = JSON.parse(text) as Record<string, unknown>;
      expect(Object.keys(error).sort()).toEqual([
        "error_code",
        "error_details",
        "error_message",
        "error_type",
      ]);
    }
    return response.status;
  }

  const promptBody = () => ({
    object: { image_url: productUrl, scale: 0.5 },
    scene: { prompt: "on a marble table", negative_prompt: "people, text", color: "#e8e0d0" },
    output: { number_of_images: 1, format: "png" },
  });

  it("refuses unstorable strings in every stored or queried field with a 4xx", async () => {
    for (const bad of UNSTORABLE) {
      for (const at of [
        ["scene", "prompt"],
        ["scene", "negative_prompt"],
        ["scene", "color"],
        ["object", "image_url"],
      ] as const) {
        const body = promptBody() as Record<string, Record<string, unknown>>;
        const part = body[at[0]];
        if (part) part[at[1]] = at[1] === "image_url" ? `${productUrl}${bad}` : bad;
        expect(
          await call(generationsRoute.POST, "POST", "/api/generations", {
            body: { request: body, engine: "local" },
          }),
        ).toBe(422);
        expect(await call(sceneCreate.POST, "POST", "/v1/scene/create?engine=local", { body })).toBe(422);
      }
      const padded = {
        ...promptBody(),
        object: { image_url: productUrl, placement_type: "padding", padding: `10%${bad}` },
      };
      expect(await call(sceneCreate.POST, "POST", "/v1/scene/create?engine=local", { body: padded })).toBe(
        422,
      );
      const destined = { ...promptBody(), output: `storage://out/${bad}/` };
      expect(await call(sceneCreate.POST, "POST", "/v1/scene/create?engine=local", { body: destined })).toBe(
        422,
      );

      expect(
        await call(members.POST, "POST", "/api/members", {
          body: { email: "x@example.com", name: bad, role: "member" },
        }),
      ).toBe(422);
      expect(
        await call(members.POST, "POST", "/api/members", {
          body: { email: `x${bad}@example.com`, name: "X", role: "member" },
        }),
      ).toBe(422);
      expect(
        await call(memberRoute.PATCH, "PATCH", "/api/members/x", {
          body: { name: bad },
          params: { id: users.member.id },
        }),
      ).toBe(422);
      expect(
        await call(memberRoute.PATCH, "PATCH", "/api/members/x", {
          body: { name: "Y" },
          params: { id: bad },
        }),
      ).toBe(422);
      expect(
        await call(memberPassword.POST, "POST", "/api/members/x/password", {
          body: { password: `long enough ${bad}` },
          params: { id: users.viewer.id },
        }),
      ).toBe(422);
      expect(
        await call(memberPassword.POST, "POST", "/api/members/x/password", { params: { id: bad } }),
      ).toBe(422);
      expect(await call(tokens.POST, "POST", "/api/tokens", { body: { name: bad } })).toBe(422);
      expect(await call(tokenRoute.DELETE, "DELETE", "/api/tokens/x", { params: { id: bad } })).toBe(422);
      expect(
        await call(imports.POST, "POST", "/api/imports", {
          body: { url: `https://images.example.com/${bad}.png` },
        }),
      ).toBe(422);

      for (const method of ["GET", "PATCH", "DELETE"] as const) {
        const handler = generation[method];
        const status = await call(handler, method, "/api/generations/x", {
          params: { id: bad },
          ...(method === "PATCH" ? { body: { favorite: true } } : {}),
        });
        expect(status).toBe(422);
      }
      expect(
        await call(generationEvents.GET, "GET", "/api/generations/x/events", { params: { id: bad } }),
      ).toBe(422);
      // In a query only NUL survives the trip; what a surrogate turns into is ordinary text.
      const refused = bad.includes("\u0000") ? [422] : [200, 422];
      for (const key of ["q", "aspect", "cursor"]) {
        const url = `/api/generations?${key}=${queryValue(bad)}`;
        const status = await call(generationsRoute.GET, "GET", url, { as: users.viewer });
        expect(refused, `${key}=${JSON.stringify(bad)}`).toContain(status);
      }
      expect(
        await call(downloads.GET, "GET", `/api/downloads?generation=${queryValue(bad)}`, {
          as: users.viewer,
        }),
      ).toBe(422);
      expect(
        await call(file.GET, "GET", "/api/files/x", {
          params: { key: `${fileKey}${bad}` },
          as: users.viewer,
        }),
      ).toBe(422);
      expect(
        await call(thumb.GET, "GET", "/api/files/x/thumb", { params: { key: bad }, as: users.viewer }),
      ).toBe(422);
    }
    expect(fiveHundreds).toEqual([]);
  });

  it("refuses dates and cursors a timestamp cannot hold with a 4xx, and takes the edges it can", async () => {
    for (const date of EXTREME_DATES) {
      for (const key of ["from", "to"]) {
        const status = await call(
          generationsRoute.GET,
          "GET",
          `/api/generations?${key}=${encodeURIComponent(date)}`,
          {
            as: users.viewer,
          },
        );
        expect(status, `${key}=${date}`).toBeLessThan(500);
        expect([200, 422], `${key}=${date}`).toContain(status);
      }
    }
    // The last day a timestamp holds is a filter like any other.
    expect(
      await call(generationsRoute.GET, "GET", "/api/generations?to=9999-12-31", { as: users.viewer }),
    ).toBe(200);
    expect(
      await call(generationsRoute.GET, "GET", "/api/generations?from=0000-01-01", { as: users.viewer }),
    ).toBe(422);
    for (const cursor of EXTREME_CURSORS) {
      expect(
        await call(generationsRoute.GET, "GET", `/api/generations?cursor=${cursor}`, { as: users.viewer }),
      ).toBe(422);
    }
    expect(fiveHundreds).toEqual([]);
  });

  it("answers bodies with unstorable text in any string without a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(sceneCreateBody, fc.constantFrom(...UNSTORABLE), fc.nat(), async (body, bad, pick) => {
        const hostile = injectInto(body, bad, pick);
        const status = await call(sceneCreate.POST, "POST", "/v1/scene/create?engine=local", {
          body: hostile,
        });
        expect(status).toBeLessThan(500);
        const queued = await call(generationsRoute.POST, "POST", "/api/generations", {
          body: { request: hostile, engine: "local" },
        });
        expect(queued).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
    expect(fiveHundreds).toEqual([]);
  });

  it("refuses unstorable sign-in credentials without a 5xx", async () => {
    for (const bad of UNSTORABLE) {
      const request = new Request(`${ORIGIN}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: ORIGIN },
        body: JSON.stringify({ email: `admin${bad}@example.com`, password: `pw${bad}` }),
      });
      const response = await auth.POST(request);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status >= 500) {
        serverErrors++;
        fiveHundreds.push(`sign-in → ${response.status}`);
      }
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    }
    expect(fiveHundreds).toEqual([]);
  });
});
