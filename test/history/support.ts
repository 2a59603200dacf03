import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import pg from "pg";

import { startClaidStandin, type ClaidStandin } from "@/e2e/fixtures/claid-standin";
import { sceneCreateRequest, type SceneCreateRequest } from "@/lib/scene/contract";
import { loadConfig, setConfigForTests, type Config } from "@/lib/server/config";
import { closeDatabases } from "@/lib/server/db/client";
import { generationDeps, type GenerationDeps } from "@/lib/server/generations/records/deps";
import { stopWorker } from "@/lib/server/generations/runner";
import { closeRateLimiters } from "@/lib/server/limits/rate-limit";
import { createLogger } from "@/lib/server/log";

/** Every history test runs on both databases the product supports. */
export const DRIVERS = ["pglite", "postgres"] as const;
export type Driver = (typeof DRIVERS)[number];

export const API_KEY = `sk-history-test-${randomUUID()}`;
export const quietLog = createLogger({ test: "history" });

/**
 * A fresh database of its own on the PostgreSQL server named by `TEST_DATABASE_URL`, so test files
 * never see each other's rows. Without the variable the PostgreSQL half fails: a green run must mean
 * both databases were tested.
 */
async function freshPostgresUrl(): Promise<string> {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) {
    throw new Error(
      "TEST_DATABASE_URL is not set: start PostgreSQL with scripts/postgres-test-server.sh and export the URL it prints",
    );
  }
  const name = `backdrop_t_${randomUUID().replace(/-/g, "").slice(0, 16)}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropPostgres(url: string) {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) return;
  const name = new URL(url).pathname.slice(1);
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export type TestHistory = GenerationDeps & { driver: Driver; close: () => Promise<void> };

/**
 * Opens the history for `driver` with its own data folder (files are per driver, so the consistency
 * check never sees the other half's files) and makes it the configuration route handlers read.
 */
export async function openHistory(driver: Driver, env: Record<string, string> = {}): Promise<TestHistory> {
  const dataDir = path.join(process.env.DATA_DIR ?? fs.mkdtempSync("/tmp/backdrop-history-"), driver);
  fs.mkdirSync(dataDir, { recursive: true });
  const databaseUrl = driver === "postgres" ? await freshPostgresUrl() : "";
  const config = testConfig({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl, ...env });
  const deps = await generationDeps(config);
  return {
    ...deps,
    driver,
    close: async () => {
      // Route handlers start the process's worker on first use; it must not outlive the database.
      await stopWorker();
      await closeRateLimiters();
      await closeDatabases();
      if (databaseUrl) await dropPostgres(databaseUrl);
    },
  };
}

export function testConfig(overrides: Record<string, string>): Config {
  const config = loadConfig({
    NODE_ENV: "test",
    DATA_DIR: process.env.DATA_DIR,
    CLAID_API_KEY: API_KEY,
    DEFAULT_ENGINE: "claid",
    CLAID_RETRY_CAP_MS: "20",
    ALLOW_LOOPBACK_FETCH: "1",
    // The job tests queue more than a person may per minute; the limits have their own tests.
    RATE_LIMIT_CLAID_PER_MINUTE: "100000",
    RATE_LIMIT_LOCAL_PER_MINUTE: "100000",
    DAILY_CLAID_IMAGE_BUDGET: "999999",
    ...overrides,
  });
  setConfigForTests(config);
  return config;
}

export async function truncateHistory(deps: GenerationDeps): Promise<void> {
  await deps.db.execute(
    sql`TRUNCATE generations, generation_outputs, file_claims, thumbnails, uploads CASCADE`,
  );
  for await (const key of deps.store.list()) await deps.store.delete(key);
}

export function startStandin(): Promise<ClaidStandin> {
  return startClaidStandin({ apiKey: API_KEY, imageSize: 96 });
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
