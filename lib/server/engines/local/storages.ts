import "server-only";

import fs from "node:fs/promises";
import path from "node:path";

import type { Config } from "../../config";
import { errors } from "../../errors";
import { writeFileAtomic } from "../../storage";

/**
 * `storage://NAME/path` URIs, as Claid names a customer's bucket, map here to local folders configured
 * in `STORAGES` (`NAME=/folder`). Paths never leave their folder.
 */
export const STORAGE_SCHEME = "storage://";

export type StorageLocation = { name: string; relative: string; absolute: string; root: string };

export function isStorageUri(uri: string): boolean {
  return uri.startsWith(STORAGE_SCHEME);
}

export function resolveStorageUri(uri: string, config: Config, field: string): StorageLocation {
  const rest = uri.slice(STORAGE_SCHEME.length);
  const slash = rest.indexOf("/");
  const name = slash < 0 ? rest : rest.slice(0, slash);
  let relative: string;
  try {
    relative = decodeURIComponent(slash < 0 ? "" : rest.slice(slash + 1));
  } catch {
    throw errors.invalid(field, "The storage path is not valid percent-encoding", "invalid_storage_path");
  }
  // Own names only: "constructor" or "__proto__" must not find something on the object's prototype.
  const root = Object.hasOwn(config.STORAGES, name) ? config.STORAGES[name] : undefined;
  if (!root) {
    throw errors.unknownStorage(field, name, Object.keys(config.STORAGES));
  }
  const absolute = path.resolve(root, relative);
  if (relative.includes("\u0000") || (absolute !== root && !absolute.startsWith(root + path.sep))) {
    throw errors.invalid(field, "The storage path leaves its storage", "invalid_storage_path");
  }
  return { name, relative, absolute, root };
}

/** Reads an input file from a storage, refusing what is missing or larger than `maxBytes`. */
export async function readStorageFile(
  location: StorageLocation,
  maxBytes: number,
  field: string,
): Promise<Buffer> {
  const stat = await fs.stat(location.absolute).catch(() => undefined);
  if (!stat?.isFile()) {
    throw errors.invalid(
      field,
      `storage://${location.name}/${location.relative} does not exist`,
      "image_not_found",
    );
  }
  // A link inside the storage must not lead out of it.
  const [real, realRoot] = await Promise.all([fs.realpath(location.absolute), fs.realpath(location.root)]);
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
    throw errors.invalid(field, "The storage path leaves its storage", "invalid_storage_path");
  }
  if (stat.size > maxBytes) {
    throw errors.imageTooLarge(maxBytes);
  }
  return fs.readFile(location.absolute);
}

/** Writes an output into a destination folder; returns its storage URI and bucket-relative key. */
export async function writeToStorage(
  folder: StorageLocation,
  fileName: string,
  bytes: Uint8Array,
): Promise<{ uri: string; key: string }> {
  const key = path.posix.join(folder.relative.split(path.sep).join("/"), fileName).replace(/^\/+/, "");
  await writeFileAtomic(path.join(folder.absolute, fileName), bytes);
  return { uri: `${STORAGE_SCHEME}${folder.name}/${key}`, key };
}
