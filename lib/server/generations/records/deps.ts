import "server-only";

import { getConfig, type Config } from "../../config";
import { getDatabase, type Db } from "../../db/client";
import { storeFor, type ObjectStore } from "../../storage";

/** What every part of the generation wing works with: the database, the file store and the configuration. */
export type GenerationDeps = { db: Db; kind: "pglite" | "postgres"; store: ObjectStore; config: Config };

/** The wing's dependencies for `config` (the process's own by default); the database opens once per process. */
export async function generationDeps(config: Config = getConfig()): Promise<GenerationDeps> {
  const { db, kind } = await getDatabase(config);
  return { db, kind, store: storeFor(config), config };
}
