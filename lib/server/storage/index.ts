import "server-only";

import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";

/**
 * Files by content-addressed key: `<sha256>.<ext>`. Keys are generated here, never taken from a user's
 * file name, and validated before they touch the file system.
 */
export type StoredObject = { key: string; size: number; sha256: string };

export interface ObjectStore {
  put(bytes: Uint8Array, ext: string): Promise<StoredObject>;
  get(key: string): Promise<Buffer | undefined>;
  stat(key: string): Promise<{ size: number } | undefined>;
  stream(key: string): Promise<ReadableStream<Uint8Array> | undefined>;
  delete(key: string): Promise<void>;
  list(): AsyncIterable<string>;
}

const KEY = /^[a-f0-9]{64}\.[a-z0-9]{2,5}$/;

export function isStorageKey(key: string): boolean {
  return KEY.test(key);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Writes through a temporary file in the same folder and renames it, so a reader never sees half a file. */
export async function writeFileAtomic(target: string, bytes: Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await fs.writeFile(temp, bytes, { flag: "wx" });
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

export class LocalObjectStore implements ObjectStore {
  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    if (!isStorageKey(key)) throw new Error(`Not a storage key: ${key.slice(0, 80)}`);
    return path.join(this.root, key.slice(0, 2), key.slice(2, 4), key);
  }

  async put(bytes: Uint8Array, ext: string): Promise<StoredObject> {
    const sha256 = sha256Hex(bytes);
    const key = `${sha256}.${ext.toLowerCase()}`;
    const file = this.pathOf(key);
    const existing = await fs.stat(file).catch(() => undefined);
    if (!existing || existing.size !== bytes.byteLength) await writeFileAtomic(file, bytes);
    return { key, size: bytes.byteLength, sha256 };
  }

  async get(key: string): Promise<Buffer | undefined> {
    if (!isStorageKey(key)) return undefined;
    return fs.readFile(this.pathOf(key)).catch(() => undefined);
  }

  async stat(key: string): Promise<{ size: number } | undefined> {
    if (!isStorageKey(key)) return undefined;
    const s = await fs.stat(this.pathOf(key)).catch(() => undefined);
    return s?.isFile() ? { size: s.size } : undefined;
  }

  async stream(key: string): Promise<ReadableStream<Uint8Array> | undefined> {
    if (!(await this.stat(key))) return undefined;
    return Readable.toWeb(createReadStream(this.pathOf(key))) as ReadableStream<Uint8Array>;
  }

  async delete(key: string): Promise<void> {
    if (!isStorageKey(key)) return;
    await fs.rm(this.pathOf(key), { force: true });
  }

  async *list(): AsyncIterable<string> {
    const level1 = await fs.readdir(this.root).catch(() => [] as string[]);
    for (const a of level1) {
      const level2 = await fs.readdir(path.join(this.root, a)).catch(() => [] as string[]);
      for (const b of level2) {
        for (const name of await fs.readdir(path.join(this.root, a, b)).catch(() => [] as string[])) {
          if (isStorageKey(name)) yield name;
        }
      }
    }
  }
}

const stores = new Map<string, LocalObjectStore>();

/** The store for a data folder (files live under `<DATA_DIR>/files`). */
export function objectStoreFor(dataDir: string): ObjectStore {
  let store = stores.get(dataDir);
  if (!store) {
    store = new LocalObjectStore(path.join(dataDir, "files"));
    stores.set(dataDir, store);
  }
  return store;
}
