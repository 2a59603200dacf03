// Cookie-authenticated writes must come from the app's own pages; bearer-token writes need no Origin.
import { beforeAll, describe, expect, it } from "vitest";

import { GET, POST } from "@/app/api/tokens/route";
import { listTokens } from "@/lib/server/auth/tokens";
import type { Config } from "@/lib/server/config";
import type { Db } from "@/lib/server/db/client";

import { DB_SETUP_TIMEOUT, ORIGIN, seedUsers, testDb, type TestUser } from "../auth/support";
import { testConfig } from "../support/config";

let config: Config;
let db: Db;
let member: TestUser;

beforeAll(async () => {
  config = testConfig();
  db = await testDb(config);
  ({ member } = await seedUsers(config, db, "csrf"));
}, DB_SETUP_TIMEOUT);

function createToken(headers: Record<string, string>) {
  return POST(
    new Request(`${ORIGIN}/api/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ name: "from a page" }),
    }),
  );
}

describe("cookie-authenticated writes", () => {
  const refused: [string, Record<string, string>][] = [
    ["no Origin", {}],
    ["Origin null", { origin: "null" }],
    ["another site's Origin", { origin: "https://evil.example" }],
    ["another port of the same host", { origin: "http://127.0.0.1:3001" }],
    ["our Origin but Sec-Fetch-Site cross-site", { origin: ORIGIN, "sec-fetch-site": "cross-site" }],
    ["our Origin but Sec-Fetch-Site same-site", { origin: ORIGIN, "sec-fetch-site": "same-site" }],
  ];

  for (const [label, headers] of refused) {
    it(`refuses ${label} with 403 and changes nothing`, async () => {
      const before = (await listTokens(db, member.id)).length;
      const response = await createToken({ cookie: member.cookie, ...headers });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error_code: "forbidden", error_type: "auth" });
      expect((await listTokens(db, member.id)).length).toBe(before);
    });
  }

  it("accepts a write from the app's own origin", async () => {
    const response = await createToken({
      cookie: member.cookie,
      origin: ORIGIN,
      "sec-fetch-site": "same-origin",
    });
    expect(response.status).toBe(201);
  });

  it("takes a network address as its own only when PUBLIC_BASE_URL names it, never from the Host header", async () => {
    // Under `next start` request.url says localhost whatever address the browser used.
    const viaHost = (origin: string) =>
      POST(
        new Request("http://localhost:3000/api/tokens", {
          method: "POST",
          headers: {
            "content-type": "application/json",
            host: "10.1.2.3:3000",
            origin,
            cookie: member.cookie,
          },
          body: JSON.stringify({ name: "from a LAN address" }),
        }),
      );
    // A page on any name that resolves here would send a matching Host and Origin (DNS rebinding).
    expect((await viaHost("http://10.1.2.3:3000")).status).toBe(421);
    testConfig({ PUBLIC_BASE_URL: "http://10.1.2.3:3000" });
    try {
      expect((await viaHost("http://10.1.2.3:3000")).status).toBe(201);
      expect((await viaHost("http://10.1.2.4:3000")).status).toBe(403);
    } finally {
      testConfig();
    }
  });

  it("accepts an origin listed in AUTH_TRUSTED_ORIGINS", async () => {
    testConfig({ AUTH_TRUSTED_ORIGINS: "https://studio.example.com" });
    try {
      const response = await createToken({ cookie: member.cookie, origin: "https://studio.example.com" });
      expect(response.status).toBe(201);
    } finally {
      testConfig();
    }
  });

  it("lets cookie reads through without an Origin", async () => {
    const response = await GET(new Request(`${ORIGIN}/api/tokens`, { headers: { cookie: member.cookie } }));
    expect(response.status).toBe(200);
  });
});

describe("bearer-token writes", () => {
  it("need no Origin: scripts and Claid clients are not browsers", async () => {
    const response = await createToken({ authorization: `Bearer ${member.token}` });
    expect(response.status).toBe(201);
  });

  it("are not exempted by a cookie riding along with a wrong token", async () => {
    const response = await createToken({
      authorization: "Bearer bd_wrong",
      cookie: member.cookie,
      origin: ORIGIN,
    });
    expect(response.status).toBe(401);
  });
});
