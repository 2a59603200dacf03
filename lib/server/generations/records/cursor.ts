import "server-only";

import { isStorableText } from "@/lib/scene/storable";

import { errors } from "../../errors";

/** Keyset position in the newest-first order: the last item's creation time and id. */
export type Cursor = { createdAt: Date; id: string };

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`, "utf8").toString("base64url");
}

export function decodeCursor(value: string): Cursor {
  const text = Buffer.from(value, "base64url").toString("utf8");
  const bar = text.indexOf("|");
  const createdAt = new Date(text.slice(0, bar));
  const id = text.slice(bar + 1);
  const year = createdAt.getUTCFullYear();
  // Only positions this server could have handed out: a real creation time and a storable id.
  if (
    bar < 1 ||
    Number.isNaN(year) ||
    year < 1970 ||
    year > 9999 ||
    !id ||
    id.length > 100 ||
    !isStorableText(id)
  ) {
    throw errors.invalidCursor();
  }
  return { createdAt, id };
}
