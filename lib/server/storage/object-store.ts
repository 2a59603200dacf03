import "server-only";

import { createHash } from "node:crypto";

/**
 * Files by content-addressed key: `<sha256>.<ext>`. Keys are generated here, never taken from a user's
 * file name, and validated before they reach a file system or a bucket.
 */
export type StoredObject = { key: string; size: number; sha256: string };

/** A stored file opened for reading: its size, and its bytes as they arrive. */
export type OpenedObject = { size: number; body: ReadableStream<Uint8Array> };

export interface ObjectStore {
  put(bytes: Uint8Array, ext: string): Promise<StoredObject>;
  get(key: string): Promise<Buffer | undefined>;
  stat(key: string): Promise<{ size: number } | undefined>;
  stream(key: string): Promise<ReadableStream<Uint8Array> | undefined>;
  /** Size and bytes in one look-up (one request to a bucket), for serving a file. */
  open(key: string): Promise<OpenedObject | undefined>;
  delete(key: string): Promise<void>;
  list(): AsyncIterable<string>;
  /**
   * A short-lived URL that serves the file straight from where it is stored, when the store has
   * such a thing (a bucket's presigned URL); files on a local disk have none.
   */
  presignedUrl?(key: string, options: { disposition?: string; expiresInSeconds: number }): Promise<string>;
}

const KEY = /^[a-f0-9]{64}\.[a-z0-9]{2,5}$/;

export function isStorageKey(key: string): boolean {
  return KEY.test(key);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The key a file's bytes are stored under. */
export function keyOf(bytes: Uint8Array, ext: string): { key: string; sha256: string } {
  const sha256 = sha256Hex(bytes);
  return { key: `${sha256}.${ext.toLowerCase()}`, sha256 };
}
