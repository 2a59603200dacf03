// The first-admin claim under real concurrency: PostgreSQL runs the racing requests on separate
// connections at once (PGlite, in sign-in.test.ts, runs them one after another).
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createFirstAdmin, listMembers } from "@/lib/server/auth/members";
import type { Config } from "@/lib/server/config";
import { closeDatabases, getDatabase, type Db } from "@/lib/server/db/client";

import { testConfig } from "../support/config";
import { freshPostgres, type TestPostgres } from "../support/postgres";
import { DB_SETUP_TIMEOUT, PASSWORD } from "./support";

let config: Config;
let db: Db;
let database: TestPostgres;

beforeAll(async () => {
  database = await freshPostgres("backdrop_first");
  config = testConfig({ DATA_DIR: path.join(process.env.DATA_DIR!, "pg"), DATABASE_URL: database.url });
  db = (await getDatabase(config)).db;
}, DB_SETUP_TIMEOUT);

afterAll(async () => {
  // Every connection is closed before the database is dropped under it.
  await closeDatabases();
  await database?.drop();
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
