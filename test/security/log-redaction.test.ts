// Secrets never reach the logs: the Claid key, the auth secret, bearer tokens in any header dump.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { POST as createTokenRoute } from "@/app/api/tokens/route";
import { authSecret } from "@/lib/server/auth/secret";
import type { Config } from "@/lib/server/config";
import { errorResponse } from "@/lib/server/http/respond";
import { createLogger, log } from "@/lib/server/log";

import { DB_SETUP_TIMEOUT, ORIGIN, seedUsers, signIn, testDb, type TestUser } from "../auth/support";
import { testConfig } from "../support/config";

const KEY = `sk-claid-canary-${Math.random().toString(36).slice(2)}`;
let config: Config;
let member: TestUser;

beforeAll(async () => {
  config = testConfig({ CLAID_API_KEY: KEY, DEFAULT_ENGINE: "local" });
  ({ member } = await seedUsers(config, await testDb(config), "logs"));
}, DB_SETUP_TIMEOUT);

function capture() {
  const lines: string[] = [];
  const grab = (chunk: string | Uint8Array) => {
    lines.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  };
  vi.spyOn(process.stdout, "write").mockImplementation(grab);
  vi.spyOn(process.stderr, "write").mockImplementation(grab);
  return () => lines.join("");
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("log redaction", () => {
  it("hides the Claid key wherever it appears in a line", () => {
    const output = capture();
    log.info(`calling upstream with ${KEY}`, { headers: { "x-api-key": KEY }, nested: { deeper: [KEY] } });
    createLogger({ key: KEY }).warn("child logger");
    errorResponse(new Error(`upstream rejected key ${KEY}`), "req-1");
    const text = output();
    expect(text).not.toContain(KEY);
    expect(text.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(5);
  });

  it("hides the session-signing secret", () => {
    const output = capture();
    const secret = authSecret(config);
    log.error("misconfigured", { secret });
    expect(output()).not.toContain(secret);
  });

  it("hides personal access tokens: ones we issued, and any in a header dump", async () => {
    const output = capture();
    const response = await createTokenRoute(
      new Request(`${ORIGIN}/api/tokens`, {
        method: "POST",
        headers: { authorization: `Bearer ${member.token}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "script" }),
      }),
    );
    const { token } = (await response.json()) as { token: string };
    log.info("new token", { token });
    log.warn("request", { headers: { authorization: `Bearer ${member.token}` } });
    log.warn("request", { headers: { Authorization: "Bearer bd_someoneElsesUnknownToken1234567890" } });
    const text = output();
    expect(text).not.toContain(token);
    expect(text).not.toContain(member.token);
    expect(text).not.toContain("bd_someoneElsesUnknownToken1234567890");
  });

  it("keeps passwords out of the sign-in library's own log lines", async () => {
    const output = capture();
    const password = `wrong-${KEY}`;
    expect((await signIn(config, member.email, password)).status).toBe(401);
    expect(output()).not.toContain(password);
  });
});
