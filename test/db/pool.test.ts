// The PostgreSQL pools behind records and rate limits: a closed pool has closed every connection, and
// a connection the server ends is replaced instead of crashing the process.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createPool, endPool } from "@/lib/server/db/pool";

import {
  adminClient,
  connectionsTo,
  freshPostgres,
  terminateConnections,
  type TestPostgres,
} from "../support/postgres";

let database: TestPostgres;
beforeAll(async () => {
  database = await freshPostgres("backdrop_pool");
});
afterAll(async () => {
  await database?.drop();
});

/** Runs `n` queries at once, so the pool opens `n` connections. */
async function openConnections(pool: ReturnType<typeof createPool>, n: number) {
  await Promise.all(Array.from({ length: n }, () => pool.query("select pg_sleep(0.05)")));
  expect(pool.totalCount).toBe(n);
}

describe("database pools", () => {
  it("endPool returns once every connection is closed, and the server sees them all go", async () => {
    const admin = await adminClient();
    try {
      for (let round = 0; round < 5; round++) {
        const pool = createPool(database.url, { max: 6, name: "test" });
        await openConnections(pool, 6);
        expect(await connectionsTo(admin, database.name)).toBe(6);
        await endPool(pool);
        expect(pool.totalCount).toBe(0);
        // Each socket is closed; the server ends its side of each a moment later.
        await expect.poll(() => connectionsTo(admin, database.name), { timeout: 5000 }).toBe(0);
      }
    } finally {
      await admin.end();
    }
  });

  it("connections the server terminates are replaced, and no error escapes", async () => {
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on("uncaughtException", record);
    const pool = createPool(database.url, { max: 4, name: "test" });
    try {
      await openConnections(pool, 4);
      expect(await terminateConnections(database.name)).toBe(4);
      await expect.poll(() => pool.totalCount).toBe(0);
      const { rows } = await pool.query<{ one: number }>("select 1 as one");
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await endPool(pool);
      process.off("uncaughtException", record);
    }
    expect(uncaught).toEqual([]);
  });

  it("endPool on a pool that never connected returns at once", async () => {
    await endPool(createPool(database.url, { max: 2, name: "test" }));
  });
});
