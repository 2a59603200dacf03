import "server-only";

import path from "node:path";

import { parseBucketUrl, type Config } from "../config";
import { LocalObjectStore } from "./local";
import type { ObjectStore } from "./object-store";
import { S3ObjectStore } from "./s3";

export { isStorageKey, keyOf, sha256Hex } from "./object-store";
export type { ObjectStore, OpenedObject, StoredObject } from "./object-store";
export { LocalObjectStore, writeFileAtomic } from "./local";

export type StorageSettings = Pick<
  Config,
  "DATA_DIR" | "STORAGE_URL" | "S3_ENDPOINT" | "S3_REGION" | "S3_FORCE_PATH_STYLE"
>;

const stores = new Map<string, ObjectStore>();

function cached(id: string, make: () => ObjectStore): ObjectStore {
  let store = stores.get(id);
  if (!store) {
    store = make();
    stores.set(id, store);
  }
  return store;
}

/** The files of a data folder (`<DATA_DIR>/files`), whatever the configuration says. */
export function objectStoreFor(dataDir: string): ObjectStore {
  return cached(`local:${dataDir}`, () => new LocalObjectStore(path.join(dataDir, "files")));
}

/**
 * Where this configuration keeps files: the bucket `STORAGE_URL` names (several instances share it),
 * else the data folder.
 */
export function storeFor(config: StorageSettings): ObjectStore {
  if (!config.STORAGE_URL) return objectStoreFor(config.DATA_DIR);
  const location = parseBucketUrl(config.STORAGE_URL);
  // The configuration validated it; reaching this is a programming error, not a person's.
  if (!location) throw new Error("STORAGE_URL is not an s3:// URL");
  const id = [config.STORAGE_URL, config.S3_ENDPOINT, config.S3_REGION, config.S3_FORCE_PATH_STYLE].join("|");
  return cached(id, () => new S3ObjectStore(location, config));
}
