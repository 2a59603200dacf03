// Databases of their own on the PostgreSQL test server that `TEST_DATABASE_URL` names
// (scripts/postgres-test-server.sh starts it; `npm test` does so itself).
import { randomUUID } from "node:crypto";
import pg from "pg";

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    // Without the server the PostgreSQL half fails, never skips: a green run means both were tested.
    throw new Error(
      "TEST_DATABASE_URL is not set: start PostgreSQL with scripts/postgres-test-server.sh and export the URL it prints",
    );
  }
  return url;
}

/** Runs one statement on the test server's maintenance database. */
export async function adminQuery<R extends pg.QueryResultRow = Record<string, unknown>>(
  text: string,
  values: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: adminUrl() });
  client.on("error", () => undefined);
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export type TestPostgres = { url: string; name: string; drop: () => Promise<void> };

/** A new, empty database; `drop` removes it (close every pool on it first). */
export async function freshPostgres(prefix = "backdrop_t"): Promise<TestPostgres> {
  const name = `${prefix}_${randomUUID().replace(/-/g, "").slice(0, 16)}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => void (await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

/** A connection to the test server's maintenance database, open until `end()`. */
export async function adminClient(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: adminUrl() });
  client.on("error", () => undefined);
  await client.connect();
  return client;
}

/** Connections the server holds open to database `name`, asked on `client` (no new connection). */
export async function connectionsTo(client: pg.Client, name: string): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    "select count(*)::int as n from pg_stat_activity where datname = $1",
    [name],
  );
  return rows[0]?.n ?? 0;
}

/** Ends every connection to database `name` from the server side, as a restart or failover does. */
export async function terminateConnections(name: string): Promise<number> {
  const rows = await adminQuery(
    "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
    [name],
  );
  return rows.length;
}
