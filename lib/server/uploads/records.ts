import "server-only";

import type { UploadedImage } from "@/lib/scene/generation";

import type { Principal } from "../auth/authorize";
import { getConfig } from "../config";
import { getDatabase, type Db } from "../db/client";
import { uploads } from "../db/schema/uploads";

/** Where an upload came from when nobody sent it: the image it was made from, by the generation that made it. */
export type Derivation = { from: string; generationId: string };

export async function insertUpload(
  db: Db,
  record: UploadedImage,
  principal: Principal | undefined,
  derivation?: Derivation,
): Promise<void> {
  await db
    .insert(uploads)
    .values({
      key: record.key,
      sha256: record.key.slice(0, record.key.indexOf(".")),
      size: record.size,
      format: record.format,
      width: record.width,
      height: record.height,
      hasAlpha: record.hasAlpha,
      objectBox: record.objectBox,
      derivedFrom: derivation?.from ?? null,
      generationId: derivation?.generationId ?? null,
      createdBy: principal?.userId ?? null,
    })
    // The same bytes uploaded again are the same file: the first record stands.
    .onConflictDoNothing({ target: uploads.key });
}

/** Keeps the record of an image stored by `POST /api/uploads` or `/api/imports`, so it is never an orphan. */
export async function recordUpload(
  record: UploadedImage,
  principal: Principal | undefined,
  derivation?: Derivation,
): Promise<void> {
  const { db } = await getDatabase(getConfig());
  await insertUpload(db, record, principal, derivation);
}
