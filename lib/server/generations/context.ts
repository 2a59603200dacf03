import "server-only";

import { getConfig, type Config } from "../config";
import { getDatabase, type Db } from "../db/client";
import { objectStoreFor, type ObjectStore } from "../storage";

/** What history code works with: the database, the file store and the configuration. */
export type History = { db: Db; kind: "pglite" | "postgres"; store: ObjectStore; config: Config };

export async function history(config: Config = getConfig()): Promise<History> {
  const { db, kind } = await getDatabase(config);
  return { db, kind, store: objectStoreFor(config.DATA_DIR), config };
}
