import "server-only";

import type { Db } from "../../db/client";
import { fileClaims } from "../../db/schema/generations";
import { keyOf, type ObjectStore, type StoredObject } from "../../storage";

/**
 * The object store as a generation's engine sees it: every write is claimed for the generation before
 * the bytes land, so a crash between the write and the output record leaves a claim to clean up
 * rather than an orphan nobody knows about.
 */
export function claimingStore(
  db: Db,
  store: ObjectStore,
  generationId: string,
): ObjectStore & { claimed(): boolean } {
  let claimedAny = false;
  const claim = (fileKey: string) => {
    claimedAny = true;
    return db.insert(fileClaims).values({ generationId, fileKey }).onConflictDoNothing();
  };
  return {
    /** Whether anything was claimed: a run that wrote no file has no claims to clear. */
    claimed: () => claimedAny,
    async put(bytes: Uint8Array, ext: string): Promise<StoredObject> {
      const expected = keyOf(bytes, ext).key;
      await claim(expected);
      const stored = await store.put(bytes, ext);
      if (stored.key !== expected) await claim(stored.key);
      return stored;
    },
    get: (key) => store.get(key),
    stat: (key) => store.stat(key),
    stream: (key) => store.stream(key),
    open: (key) => store.open(key),
    delete: (key) => store.delete(key),
    list: () => store.list(),
  };
}
