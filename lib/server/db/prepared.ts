import "server-only";

import type { Db } from "./client";

/**
 * A statement built once per database and then only executed: Drizzle builds a query's SQL anew on
 * every call, which costs more than a hot statement itself on PGlite, and PostgreSQL keeps a named
 * statement's plan per connection. For the statements on a request's critical path.
 */
export function preparedOn<T>(build: (db: Db) => T): (db: Db) => T {
  const built = new WeakMap<Db, T>();
  return (db) => {
    let statement = built.get(db);
    if (!statement) {
      statement = build(db);
      built.set(db, statement);
    }
    return statement;
  };
}
