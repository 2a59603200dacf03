import "server-only";

import { inArray } from "drizzle-orm";

import type { Db } from "../../db/client";
import { fileClaims, generationOutputs, thumbnails } from "../../db/schema/generations";
import { uploads } from "../../db/schema/uploads";
import { log } from "../../log";
import type { ObjectStore } from "../../storage";

/** Of `keys`, those an output, an upload or a running generation's claim still points at. */
export async function referencedKeys(db: Db, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const list = [...keys];
  const [outputs, uploaded, claimed] = await Promise.all([
    db
      .select({ key: generationOutputs.fileKey })
      .from(generationOutputs)
      .where(inArray(generationOutputs.fileKey, list)),
    db.select({ key: uploads.key }).from(uploads).where(inArray(uploads.key, list)),
    db.select({ key: fileClaims.fileKey }).from(fileClaims).where(inArray(fileClaims.fileKey, list)),
  ]);
  return new Set(
    [...outputs, ...uploaded, ...claimed].map((r) => r.key).filter((k): k is string => Boolean(k)),
  );
}

/**
 * Removes the files of `keys` nobody references any more, with their thumbnails. Content addressing
 * means two generations can share a file, so a file goes only when its last reference does.
 */
export async function releaseFiles(db: Db, store: ObjectStore, keys: Iterable<string>): Promise<string[]> {
  const candidates = [...new Set(keys)];
  const still = await referencedKeys(db, candidates);
  const unreferenced = candidates.filter((k) => !still.has(k));
  if (unreferenced.length === 0) return [];
  const thumbs = await db
    .delete(thumbnails)
    .where(inArray(thumbnails.sourceKey, unreferenced))
    .returning({ thumbKey: thumbnails.thumbKey });
  const thumbKeys = thumbs.map((t) => t.thumbKey);
  const stillThumbs = thumbKeys.length
    ? new Set(
        (
          await db
            .select({ key: thumbnails.thumbKey })
            .from(thumbnails)
            .where(inArray(thumbnails.thumbKey, thumbKeys))
        ).map((r) => r.key),
      )
    : new Set<string>();
  const removed = [...unreferenced, ...thumbKeys.filter((k) => !stillThumbs.has(k))];
  for (const key of removed) {
    await store.delete(key).catch((error: unknown) => {
      // The check command reports what is left behind; a failed delete must not fail the request.
      log.warn("could not delete a stored file", {
        key,
        error: error instanceof Error ? error.message : String(error),
      });
    });
  }
  return removed;
}
