import "server-only";

import path from "node:path";
import { PGlite, types, type QueryOptions } from "@electric-sql/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type pg from "pg";

import { getConfig, type Config } from "../config";
import { errors } from "../errors";
import { lockFolder } from "./folder-lock";
import { createPool, endPool } from "./pool";

/** Either driver behind one type: code is written against PostgreSQL and runs on both. */
export type Db = PgDatabase<PgQueryResultHKT>;

export type Database = {
  db: Db;
  kind: "pglite" | "postgres";
  close: () => Promise<void>;
};

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "drizzle");

/** The rows of a raw `execute`: node-postgres and PGlite both answer it with `{ rows }`. */
export function rowsOf(result: unknown): Record<string, unknown>[] {
  return (result as { rows: Record<string, unknown>[] }).rows;
}

/** Opens the database named by the configuration and applies pending migrations. */
export async function openDatabase(
  config: Pick<Config, "DATABASE_URL" | "DATA_DIR">,
  options: { migrationsFolder?: string } = {},
): Promise<Database> {
  const migrationsFolder = options.migrationsFolder ?? MIGRATIONS_FOLDER;
  if (config.DATABASE_URL) {
    const pool = createPool(config.DATABASE_URL, { max: 10, name: "records" });
    try {
      const db = drizzlePg(pool);
      await oneMigratorAtATime(pool, () => migratePg(db, { migrationsFolder }));
      return { db: db as unknown as Db, kind: "postgres", close: () => endPool(pool) };
    } catch (error) {
      await endPool(pool);
      throw error;
    }
  }
  const dir = path.join(config.DATA_DIR, "pglite");
  const unlock = lockFolder(dir);
  try {
    const client = withResultParsersInstalled(await PGlite.create(dir));
    const db = drizzlePglite(client);
    await migratePglite(db, { migrationsFolder });
    return {
      db: db as unknown as Db,
      kind: "pglite",
      close: async () => {
        await client.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

/** Any fixed number, the same in every instance: the lock that migrations of this app take. */
const MIGRATION_LOCK = 0x6264_6d67;

/**
 * Instances that start together on one PostgreSQL take turns to migrate: the first applies what is
 * pending while the others wait, then find nothing left to do. Without it two would both try to
 * create the same tables and one would fail to start.
 */
async function oneMigratorAtATime(pool: pg.Pool, migrate: () => Promise<void>): Promise<void> {
  const lock = await pool.connect();
  try {
    await lock.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      await migrate();
    } finally {
      await lock.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]);
    }
  } finally {
    lock.release();
  }
}

/** The result parsers Drizzle's PGlite driver sends with every query: these types stay text for Drizzle. */
const KEEP_AS_TEXT = [
  types.TIMESTAMP,
  types.TIMESTAMPTZ,
  types.INTERVAL,
  types.DATE,
  1231, // numeric[]
  1115, // timestamp[]
  1185, // timestamptz[]
  1187, // interval[]
  1182, // date[]
];
const asText = (value: string) => value;

/**
 * Drizzle passes the same parsers with each query, and PGlite copies its whole parser table to merge
 * them every time: a third of a millisecond per statement, more than many statements cost. They are
 * installed on the instance once instead, and taken out of each query's options.
 */
function withResultParsersInstalled(client: PGlite): PGlite {
  for (const type of KEEP_AS_TEXT) client.parsers[type] = asText;
  const withoutParsers = (options: QueryOptions | undefined) => {
    if (!options?.parsers) return options;
    const { parsers: _installed, ...rest } = options;
    return rest;
  };
  const query = client.query.bind(client);
  client.query = (text, params, options) => query(text, params, withoutParsers(options));
  const transaction = client.transaction.bind(client);
  client.transaction = (callback) =>
    transaction((tx) => {
      const txQuery = tx.query.bind(tx);
      tx.query = (text, params, options) => txQuery(text, params, withoutParsers(options));
      return callback(tx);
    });
  return client;
}

/**
 * Next bundles instrumentation and each route separately, so module state can exist more than once in
 * one process; two PGlite instances on one folder would corrupt it. The cache lives on `globalThis`.
 */
const CACHE = Symbol.for("backdrop.databases");
type GlobalWithDatabases = typeof globalThis & { [CACHE]?: Map<string, Promise<Database>> };
const opened = ((globalThis as GlobalWithDatabases)[CACHE] ??= new Map<string, Promise<Database>>());

let closedForGood = false;

/** One database per configuration for the life of the process. */
export function getDatabase(config: Pick<Config, "DATABASE_URL" | "DATA_DIR">): Promise<Database> {
  if (closedForGood) return Promise.reject(errors.serverStopping());
  const id = config.DATABASE_URL ?? `pglite:${config.DATA_DIR}`;
  let database = opened.get(id);
  if (!database) {
    database = openDatabase(config);
    database.catch(() => opened.delete(id));
    opened.set(id, database);
  }
  return database;
}

/** The database of this process's own configuration (route handlers, scripts). */
export async function appDatabase(): Promise<Db> {
  return (await getDatabase(getConfig())).db;
}

/**
 * Closes every database this process opened (tests, scripts and benchmarks end with it). `forGood`
 * is for a stopping process: start-up work still under way cannot open them again behind it.
 */
export async function closeDatabases(options: { forGood?: boolean } = {}): Promise<void> {
  if (options.forGood) closedForGood = true;
  const all = [...opened.values()];
  opened.clear();
  await Promise.all(all.map(async (d) => (await d.catch(() => undefined))?.close()));
}
