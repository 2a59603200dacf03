import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";

import { sceneCreateRequest, type SceneCreateRequest } from "@/lib/scene/contract";
import { closeDatabases } from "@/lib/server/db/client";
import { generationDeps, type GenerationDeps } from "@/lib/server/generations/records/deps";
import { stopWorker } from "@/lib/server/generations/runner";
import { closeRateLimiters } from "@/lib/server/limits/rate-limit";
import { createLogger } from "@/lib/server/log";
import { startClaidStandin, type ClaidStandin } from "@/test/support/claid-standin";

import { NO_LIMITS, STANDIN_CLAID, TEST_CLAID_KEY, testConfig } from "../support/config";
import { freshPostgres } from "../support/postgres";

/** Every generation test runs on both databases the product supports. */
export const DRIVERS = ["pglite", "postgres"] as const;
export type Driver = (typeof DRIVERS)[number];

export const quietLog = createLogger({ test: "generations" });

export type TestDeps = GenerationDeps & { driver: Driver; close: () => Promise<void> };

/**
 * Opens the generation wing's dependencies for `driver` with their own data folder (files are per
 * driver, so the consistency check never sees the other half's files) and, on PostgreSQL, a database
 * of their own (test files never see each other's rows); the configuration becomes the one route
 * handlers read.
 */
export async function openGenerationDeps(
  driver: Driver,
  env: Record<string, string> = {},
): Promise<TestDeps> {
  const dataDir = path.join(process.env.DATA_DIR ?? fs.mkdtempSync("/tmp/backdrop-generations-"), driver);
  fs.mkdirSync(dataDir, { recursive: true });
  const database = driver === "postgres" ? await freshPostgres() : undefined;
  const config = testConfig({
    ...STANDIN_CLAID,
    ...NO_LIMITS,
    DATA_DIR: dataDir,
    DATABASE_URL: database?.url ?? "",
    ...env,
  });
  const deps = await generationDeps(config);
  return {
    ...deps,
    driver,
    close: async () => {
      // Route handlers start the process's worker on first use; it must not outlive the database.
      await stopWorker();
      await closeRateLimiters();
      await closeDatabases();
      await database?.drop();
    },
  };
}

export async function truncateGenerations(deps: GenerationDeps): Promise<void> {
  await deps.db.execute(
    sql`TRUNCATE generations, generation_outputs, file_claims, thumbnails, uploads CASCADE`,
  );
  for await (const key of deps.store.list()) await deps.store.delete(key);
}

export function startStandin(): Promise<ClaidStandin> {
  return startClaidStandin({ apiKey: TEST_CLAID_KEY, imageSize: 96 });
}

export function promptRequest(
  prompt = "on a marble table",
  extra: Record<string, unknown> = {},
): SceneCreateRequest {
  return sceneCreateRequest.parse({
    object: { image_url: "https://images.example.com/product.png", scale: 0.6, position: { x: 0.4, y: 0.5 } },
    scene: { prompt, aspect_ratio: "1:1" },
    output: { number_of_images: 2, format: "png" },
    ...extra,
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns something, or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`condition not met within ${ms} ms`);
    await sleep(50);
  }
}
