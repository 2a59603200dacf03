import "server-only";

import pg from "pg";

import { log } from "../log";

/**
 * A node-postgres pool that never turns a dropped connection into an uncaught error: an idle client
 * whose server connection ends (a restart, a failover, `pg_terminate_backend`) is taken out of the
 * pool and logged, and the next query opens a new one.
 */
export function createPool(connectionString: string, options: { max: number; name: string }): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: options.max });
  pool.on("error", (error) =>
    log.warn("a database connection closed", { pool: options.name, error: error.message }),
  );
  return pool;
}

/**
 * Ends the pool and waits until every connection has closed. `Pool.end` resolves once it has asked
 * its clients to end, before their sockets close, so a database dropped right after would still
 * terminate them.
 */
export async function endPool(pool: pg.Pool): Promise<void> {
  let open = pool.totalCount;
  const closed = new Promise<void>((resolve) => {
    if (open === 0) resolve();
    pool.on("remove", () => {
      if (--open <= 0) resolve();
    });
  });
  await pool.end();
  await closed;
}
