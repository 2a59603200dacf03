import "server-only";

import { eq } from "drizzle-orm";
import sharp, { type OutputInfo } from "sharp";

import type { Db } from "../../db/client";
import { thumbnails } from "../../db/schema/generations";
import { sha256Hex, type ObjectStore } from "../../storage";
import { referencedKeys } from "./files";

/** Long side of a gallery card's image: sharp on a 2× screen, a few dozen kB. */
export const THUMB_SIZE = 384;

export type Thumbnail = { key: string; width: number; height: number };

/**
 * The thumbnail of a stored image, made once with sharp and kept content-addressed. Only images an
 * output or an upload references get one, so thumbnails never outlive what they show.
 */
export async function thumbnailFor(
  db: Db,
  store: ObjectStore,
  sourceKey: string,
): Promise<Thumbnail | undefined> {
  const [known] = await db.select().from(thumbnails).where(eq(thumbnails.sourceKey, sourceKey));
  if (known && (await store.stat(known.thumbKey))) {
    return { key: known.thumbKey, width: known.width, height: known.height };
  }
  if (!(await referencedKeys(db, [sourceKey])).has(sourceKey)) return undefined;
  const source = await store.get(sourceKey);
  if (!source) return undefined;
  let encoded: { data: Buffer; info: OutputInfo };
  try {
    encoded = await sharp(source, { limitInputPixels: 100_000_000 })
      .rotate()
      .resize(THUMB_SIZE, THUMB_SIZE, { fit: "inside", withoutEnlargement: true })
      .webp({ quality: 78 })
      .toBuffer({ resolveWithObject: true });
  } catch {
    return undefined;
  }
  // The mapping goes in first: a crash before the file is written leaves a row that is simply redone.
  const key = `${sha256Hex(encoded.data)}.webp`;
  const row = { sourceKey, thumbKey: key, width: encoded.info.width, height: encoded.info.height };
  await db.insert(thumbnails).values(row).onConflictDoUpdate({ target: thumbnails.sourceKey, set: row });
  const stored = await store.put(encoded.data, "webp");
  return { key: stored.key, width: row.width, height: row.height };
}
