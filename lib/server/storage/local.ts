import "server-only";

import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";

import { isStorageKey, keyOf, type ObjectStore, type OpenedObject, type StoredObject } from "./object-store";

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

/** Files in a folder, fanned out by the key's first two byte pairs so no folder grows huge. */
export class LocalObjectStore implements ObjectStore {
  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    if (!isStorageKey(key)) throw new Error(`Not a storage key: ${key.slice(0, 80)}`);
    return path.join(this.root, key.slice(0, 2), key.slice(2, 4), key);
  }

  async put(bytes: Uint8Array, ext: string): Promise<StoredObject> {
    const { key, sha256 } = keyOf(bytes, ext);
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
    return (await this.open(key))?.body;
  }

  async open(key: string): Promise<OpenedObject | undefined> {
    if (!isStorageKey(key)) return undefined;
    // Opened first, then measured: a file deleted in between cannot leave a size without bytes.
    const handle = await fs.open(this.pathOf(key), "r").catch(() => undefined);
    if (!handle) return undefined;
    const s = await handle.stat();
    if (!s.isFile()) {
      await handle.close();
      return undefined;
    }
    const body = Readable.toWeb(handle.createReadStream()) as ReadableStream<Uint8Array>;
    return { size: s.size, body };
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
