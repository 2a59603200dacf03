// The daily claid budget under concurrency, on both databases the product runs on.
import { randomUUID } from "node:crypto";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createMember, updateMember } from "@/lib/server/auth/members";
import type { Principal } from "@/lib/server/auth/principal";
import type { Config } from "@/lib/server/config";
import { closeDatabases, getDatabase, type Db } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/errors";
import { budgetStatus, reserveImages } from "@/lib/server/limits/budget";
import { closeRateLimiters } from "@/lib/server/limits/rate-limit";
import { reserveGeneration, settleGenerationReservation } from "@/lib/server/limits/reserve";

import { DB_SETUP_TIMEOUT } from "../auth/support";
import { testConfig } from "../support/config";
import { freshPostgres, type TestPostgres } from "../support/postgres";

async function newPerson(db: Db, budget: number | null = null): Promise<Principal> {
  const { member } = await createMember(db, {
    email: `p-${randomUUID()}@example.com`,
    name: "P",
    role: "member",
  });
  if (budget !== null) await updateMember(db, member.id, { dailyImageBudget: budget });
  return { userId: member.id, name: member.name, email: member.email, role: "member", via: "token" };
}

async function outcome(promise: Promise<unknown>): Promise<"ok" | number> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    if (error instanceof ApiError) return error.status;
    throw error;
  }
}

for (const driver of ["pglite", "postgres"] as const) {
  describe(`daily claid budget on ${driver}`, () => {
    let config: Config;
    let db: Db;
    let database: TestPostgres | undefined;

    beforeAll(async () => {
      database = driver === "postgres" ? await freshPostgres("backdrop_limits") : undefined;
      config = testConfig({
        DATA_DIR: path.join(process.env.DATA_DIR!, driver),
        DATABASE_URL: database?.url ?? "",
        CLAID_API_KEY: "k-budget-test",
        DAILY_CLAID_IMAGE_BUDGET: "10",
        // High enough that only the budget can refuse here.
        RATE_LIMIT_CLAID_PER_MINUTE: "100000",
      });
      db = (await getDatabase(config)).db;
    }, DB_SETUP_TIMEOUT);
    afterAll(async () => {
      await closeRateLimiters();
      await closeDatabases();
      await database?.drop();
    });

    it("concurrent reservations never take more than the budget", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: 12 }),
          fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 24 }),
          async (limit, sizes) => {
            const person = await newPerson(db, limit);
            const results = await Promise.all(
              sizes.map((n) => outcome(reserveGeneration(person, "claid", n, config))),
            );
            const granted = sizes.filter((_, i) => results[i] === "ok").reduce((a, b) => a + b, 0);
            expect(results.every((r) => r === "ok" || r === 402)).toBe(true);
            expect(granted).toBeLessThanOrEqual(limit);
            expect((await budgetStatus(db, person.userId, config)).used).toBe(granted);
            // Nothing that still fitted was refused: every refusal asked for more than was left.
            const left = limit - granted;
            for (const [i, r] of results.entries()) if (r === 402) expect(sizes[i]).toBeGreaterThan(left);
          },
        ),
        { numRuns: driver === "postgres" ? 15 : 10 },
      );
    });

    it("exactly the budget is granted when many single images race for it", async () => {
      const person = await newPerson(db);
      const results = await Promise.all(
        Array.from({ length: 40 }, () => outcome(reserveGeneration(person, "claid", 1, config))),
      );
      expect(results.filter((r) => r === "ok")).toHaveLength(10);
      expect(results.filter((r) => r === 402)).toHaveLength(30);
      expect(await budgetStatus(db, person.userId, config)).toMatchObject({
        limit: 10,
        used: 10,
        remaining: 0,
      });
    });

    it("a failed call gives its images back; a finished one keeps them; settling twice changes nothing", async () => {
      const person = await newPerson(db);
      const failed = await reserveGeneration(person, "claid", 6, config);
      expect(await outcome(reserveGeneration(person, "claid", 6, config))).toBe(402);
      await failed.release();
      await failed.release();
      expect((await budgetStatus(db, person.userId, config)).used).toBe(0);

      await reserveGeneration(person, "claid", 6, config, "generation-1");
      await settleGenerationReservation("generation-1", "succeeded", config);
      await settleGenerationReservation("generation-1", "failed", config);
      expect((await budgetStatus(db, person.userId, config)).used).toBe(6);

      await reserveGeneration(person, "claid", 4, config, "generation-2");
      await settleGenerationReservation("generation-2", "failed", config);
      expect((await budgetStatus(db, person.userId, config)).used).toBe(6);
    });

    it("answers 402 in the error envelope, and drafts never touch the budget", async () => {
      const person = await newPerson(db, 0);
      const refused = await reserveGeneration(person, "claid", 1, config).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ApiError);
      expect((refused as ApiError).status).toBe(402);
      expect((refused as ApiError).toBody()).toMatchObject({
        error_code: "daily_budget_exceeded",
        error_type: "billing",
        error_details: { limit: 0, used: 0, requested: 1 },
      });
      for (let i = 0; i < 5; i++) await reserveGeneration(person, "local", 4, config);
      expect((await budgetStatus(db, person.userId, config)).used).toBe(0);
    });

    it("counts per UTC day", async () => {
      const person = await newPerson(db);
      await reserveImages(db, {
        userId: person.userId,
        engine: "claid",
        images: 10,
        defaultLimit: 10,
        now: new Date("2026-01-01T23:59:00Z"),
      });
      await expect(
        reserveImages(db, {
          userId: person.userId,
          engine: "claid",
          images: 10,
          defaultLimit: 10,
          now: new Date("2026-01-02T00:01:00Z"),
        }),
      ).resolves.toMatchObject({ day: "2026-01-02" });
    });
  });
}
