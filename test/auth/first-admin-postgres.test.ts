// The first-admin claim under real concurrency: PostgreSQL runs the racing requests on separate
// connections at once (PGlite, in sign-in.test.ts, runs them one after another).
import { randomUUID } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createFirstAdmin, listMembers } from "@/lib/server/auth/members";
import type { Config } from "@/lib/server/config";
import { closeDatabases, getDatabase, type Db } from "@/lib/server/db/client";

import { DB_SETUP_TIMEOUT, PASSWORD, testConfig } from "./support";

let config: Config;
let db: Db;
let database: string;

async function admin(sql: string) {
  const url = process.env.TEST_DATABASE_URL;
  if (!url)
    throw new Error(
      "TEST_DATABASE_URL is not set: run scripts/postgres-test-server.sh and export the URL it prints",
    );
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(sql).finally(() => client.end());
  return url;
}

beforeAll(async () => {
  database = `backdrop_first_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const url = new URL(await admin(`CREATE DATABASE ${database}`));
  url.pathname = `/${database}`;
  config = testConfig({ DATA_DIR: path.join(process.env.DATA_DIR!, "pg"), DATABASE_URL: url.toString() });
  db = (await getDatabase(config)).db;
}, DB_SETUP_TIMEOUT);

afterAll(async () => {
  await closeDatabases();
  if (database) await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
});

describe("first admin on PostgreSQL", () => {
  it("exactly one of many simultaneous first visits becomes admin", async () => {
    const attempts = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        createFirstAdmin(db, { email: `first${i}@example.com`, name: `First ${i}`, password: PASSWORD }),
      ),
    );
    expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    for (const lost of attempts.filter((a): a is PromiseRejectedResult => a.status === "rejected")) {
      expect(lost.reason).toMatchObject({ status: 409, code: "already_set_up" });
    }
    const members = await listMembers(db);
    expect(members).toHaveLength(1);
    expect(members[0]?.role).toBe("admin");
  });
});
