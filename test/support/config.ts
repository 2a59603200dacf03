// The configuration tests run with: one loader, and named sets of settings a test combines.
import { randomUUID } from "node:crypto";

import { loadConfig, setConfigForTests, type Config } from "@/lib/server/config";

type Env = Record<string, string | undefined>;

/** The session secret of test servers sharing a database (the configuration requires one then). */
export const TEST_AUTH_SECRET = `auth-secret-for-tests-${randomUUID()}`;

/** A key shaped like a real one, unique per run, so finding it anywhere is never a coincidence. */
export const TEST_CLAID_KEY = `sk-backdrop-test-${randomUUID()}`;

/** Claid is the loopback stand-in: its key, loopback reachable, retries that do not wait. */
export const STANDIN_CLAID: Env = {
  CLAID_API_KEY: TEST_CLAID_KEY,
  ALLOW_LOOPBACK_FETCH: "1",
  CLAID_RETRY_CAP_MS: "20",
  // Pacing to Claid's limits has its own tests; elsewhere it would only slow the stand-in down.
  CLAID_CALLS_PER_SECOND: "10000",
  CLAID_CALLS_PER_MINUTE: "600000",
};

/** Rate limits and budgets out of the way, for tests that queue more than a person may (the limits have their own tests). */
export const NO_LIMITS: Env = {
  RATE_LIMIT_CLAID_PER_MINUTE: "100000",
  RATE_LIMIT_LOCAL_PER_MINUTE: "100000",
  DAILY_CLAID_IMAGE_BUDGET: "999999",
};

/**
 * A validated configuration on the test file's own data folder (no Claid key unless given, so the
 * local engine is the default), made the one that route handlers read. On a shared PostgreSQL it
 * signs sessions with the suite's shared secret, as every instance on one database must.
 */
export function testConfig(overrides: Env = {}): Config {
  const config = loadConfig({
    NODE_ENV: "test",
    DATA_DIR: process.env.DATA_DIR,
    ...(overrides.DATABASE_URL ? { AUTH_SECRET: TEST_AUTH_SECRET } : {}),
    ...overrides,
  });
  setConfigForTests(config);
  return config;
}
